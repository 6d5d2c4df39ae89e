/**
 * Expanding the `vocabularies` globs with tinyglobby: `*` and `?` within one path segment, `**`
 * for any number of folders, `{a,b}` alternatives (nested too) and `[abc]` classes. Wildcards do
 * not match names starting with "." unless the pattern does, `**` does not descend into
 * node_modules, and results are sorted.
 *
 * Nothing found is silently dropped: a folder, FIFO, socket, device, looping or dangling link
 * whose name matches comes back so that the reader reports it, and a folder that cannot be read
 * is reported. The work is bounded: pattern complexity, folder depth, directory entries read and
 * files matched; symbolic links are followed, each real file counted once.
 */
import * as fs from 'node:fs';
import type { Dirent, Stats } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { glob, type FileSystemAdapter } from 'tinyglobby';
import { MAX_GLOB_DEPTH, MAX_GLOB_ENTRIES, MAX_VOCABULARY_FILES } from './defaults.js';
import { checkGlobPattern } from './glob-pattern.js';
import { compareText } from '../util/text.js';

export { checkGlobPattern, hasMagic } from './glob-pattern.js';

/** What a glob found: files, plus what it hit that is not a file (for messages). */
export interface GlobResult {
  /** Absolute paths of what matches and is not a folder (files, and things the reader will refuse), sorted. */
  files: string[];
  /** Folders that match a pattern naming files (or a pattern without wildcards that names a folder). */
  directories: string[];
  /** Folders that could not be read while walking, with the reason. */
  unreadable: { dir: string; reason: string }[];
  /** Why the glob was refused or stopped (pattern too complex, too many entries or files). */
  refused?: string;
}

/** Expands a glob relative to `cwd` (absolute patterns allowed) into files. */
export async function expandGlob(pattern: string, cwd: string): Promise<GlobResult> {
  const result: GlobResult = { files: [], directories: [], unreadable: [] };
  const why = checkGlobPattern(pattern);
  if (why !== undefined) return { ...result, refused: why };
  // On Windows a backslash separates folders; elsewhere it escapes a wildcard.
  const portable = path.sep === '\\' ? pattern.replace(/\\/g, '/') : pattern;
  if (!/[*?[{]/.test(portable)) {
    await addLiteral(path.resolve(cwd, portable), result);
    return result;
  }
  const walk = createWalkAdapter();
  let found: string[];
  try {
    found = await glob(portable, {
      cwd,
      absolute: true,
      dot: false,
      onlyFiles: false,
      expandDirectories: false,
      extglob: false,
      followSymbolicLinks: true,
      deep: MAX_GLOB_DEPTH,
      ignore: ['**/node_modules/**'],
      fs: walk.adapter,
      signal: walk.controller.signal,
    });
  } catch (error) {
    return { ...result, refused: `cannot expand the pattern: ${error instanceof Error ? error.name : 'unknown error'}` };
  }
  result.unreadable = walk.unreadable;
  if (walk.entries > MAX_GLOB_ENTRIES) {
    return { ...result, refused: `the pattern reads more than ${MAX_GLOB_ENTRIES} folder entries; make it narrower` };
  }
  await classify(found, namesFiles(portable), result);
  if (result.files.length > MAX_VOCABULARY_FILES) {
    return { ...result, files: [], refused: `the pattern matches ${result.files.length} files, more than the limit of ${MAX_VOCABULARY_FILES}; make it narrower` };
  }
  return result;
}

/** True when the last segment of a pattern names files (`*.yaml`), not just anything (`*`, `**`). */
function namesFiles(pattern: string): boolean {
  const last = pattern.split('/').pop() ?? '';
  return /[^*]/.test(last);
}

/** Sorts the matches into files and folders, each real file once (links can reach a file twice). */
async function classify(found: readonly string[], reportFolders: boolean, result: GlobResult): Promise<void> {
  const seen = new Set<string>();
  for (const match of [...found].sort(compareText)) {
    if (match.endsWith('/')) {
      if (reportFolders) result.directories.push(path.normalize(match.slice(0, -1)));
      continue;
    }
    const file = path.normalize(match);
    const real = await realpath(file).catch(() => file);
    if (seen.has(real)) continue;
    seen.add(real);
    result.files.push(file);
  }
}


async function addLiteral(file: string, result: GlobResult): Promise<void> {
  let info: Stats;
  try {
    info = await fs.promises.lstat(file);
  } catch {
    return; // a literal path that does not exist matches nothing, like a glob
  }
  const target = info.isSymbolicLink() ? await fs.promises.stat(file).catch(() => undefined) : info;
  if (target?.isDirectory()) result.directories.push(file);
  else result.files.push(file); // files, and links or special files the reader will refuse
}

/** Node's callback-style fs functions, as far as the walk uses them. */
type Callback<T> = (error: NodeJS.ErrnoException | null, value: T) => void;

/**
 * The file-system functions the walk uses, watched: folder entries are counted (the walk stops
 * past the limit), unreadable folders recorded, and entries the walk would drop without a word
 * (FIFOs, sockets, devices, looping or dangling links) shown to it as files, so they are matched
 * against the pattern and refused by the reader with a clear message.
 */
function createWalkAdapter(): { adapter: FileSystemAdapter; controller: AbortController; unreadable: GlobResult['unreadable']; entries: number } {
  const state = { controller: new AbortController(), unreadable: [] as GlobResult['unreadable'], entries: 0, adapter: {} as FileSystemAdapter };
  const broken = new Set<string>();
  const readdir = (dir: string, options: { withFileTypes: true }, callback: Callback<Dirent[]>): void => {
    fs.readdir(dir, options, (error, entries) => {
      if (error) {
        if (error.code !== 'ENOENT' && error.code !== 'ENOTDIR') state.unreadable.push({ dir, reason: error.code ?? 'unknown error' });
        callback(error, []);
        return;
      }
      state.entries += entries.length;
      if (state.entries > MAX_GLOB_ENTRIES) state.controller.abort();
      callback(null, entries.map(asVisible));
    });
  };
  const realpathWatched = (file: string, callback: Callback<string>): void => {
    fs.realpath(file, (error, resolved) => {
      if (error) broken.add(file);
      callback(null, error ? file : resolved);
    });
  };
  const statWatched = (file: string, callback: Callback<Stats>): void => {
    fs.stat(file, (error, info) => {
      if (error || broken.has(file)) callback(null, fileLike(info));
      else callback(null, info);
    });
  };
  state.adapter = { readdir, realpath: realpathWatched, stat: statWatched } as unknown as FileSystemAdapter;
  return state;
}

/** A folder entry as the walk should see it: a FIFO, socket or device looks like a file. */
function asVisible(entry: Dirent): Dirent {
  if (entry.isFile() || entry.isDirectory() || entry.isSymbolicLink()) return entry;
  return Object.assign(Object.create(entry) as Dirent, { isFile: () => true });
}

/** Stats for a link that cannot be followed: a file, so the reader gets to say what is wrong. */
function fileLike(info: Stats | undefined): Stats {
  const base = info ?? ({} as Stats);
  return Object.assign(Object.create(base) as Stats, { isFile: () => true, isDirectory: () => false });
}
