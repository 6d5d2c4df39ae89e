/**
 * A small glob matcher over a directory walk (Node 20 has no fs.glob): `*` and `?` within one
 * path segment, `**` for any number of folders, `{a,b}` alternatives (nested too) and `[abc]`
 * classes. Like shells, wildcards do not match names starting with "." unless the pattern
 * segment does, and `**` does not descend into node_modules. Results are sorted.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** What a glob found: files, plus what it hit that is not a file (for messages). */
export interface GlobResult {
  /** Absolute paths of the matching files, sorted, without duplicates. */
  files: string[];
  /** A pattern without wildcards that names a directory. */
  directories: string[];
  /** Folders that could not be read while walking. */
  unreadable: string[];
}

const MAGIC = /[*?[{]/;

/** True when the pattern has glob wildcards (else it names one path). */
export function hasMagic(pattern: string): boolean {
  return MAGIC.test(pattern);
}

/** Expands `{a,b}` alternatives, outermost first: `x.{yaml,yml}` -> `x.yaml`, `x.yml`. */
export function expandBraces(pattern: string): string[] {
  let depth = 0;
  let open = -1;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
    } else if (c === '{') {
      if (depth === 0) open = i;
      depth++;
    } else if (c === '}' && depth > 0) {
      depth--;
      if (depth === 0) {
        const body = pattern.slice(open + 1, i);
        const alternatives = splitTopLevel(body);
        if (alternatives.length < 2) continue; // `{x}` is literal, as in bash
        const before = pattern.slice(0, open);
        const after = pattern.slice(i + 1);
        return alternatives.flatMap((alt) => expandBraces(`${before}${alt}${after}`));
      }
    }
  }
  return [pattern];
}

function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}

/** A regular expression for one path segment (no `/`, no braces left). */
export function segmentToRegExp(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '\\' && i + 1 < segment.length) {
      source += escapeRegExp(segment[++i]!);
    } else if (c === '*') {
      source += '[^/]*';
    } else if (c === '?') {
      source += '[^/]';
    } else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close === -1) {
        source += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      source += `[${negate ? '^' : ''}${body.replace(/\\/g, '\\\\').replace(/]/g, '\\]')}]`;
      i = close;
    } else {
      source += escapeRegExp(c);
    }
  }
  return new RegExp(`^${source}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** True when a relative path (with `/`) matches a pattern (braces allowed). Used by tests and the walk. */
export function matchGlob(pattern: string, relativePath: string): boolean {
  return expandBraces(pattern).some((p) => matchSegments(toSegments(p), relativePath.split('/')));
}

function toSegments(pattern: string): string[] {
  return pattern.split('/').filter((s, i) => s !== '' || i === 0);
}

function matchSegments(pattern: string[], parts: string[]): boolean {
  if (pattern.length === 0) return parts.length === 0;
  const [head, ...rest] = pattern;
  if (head === '**') {
    for (let skip = 0; skip <= parts.length; skip++) {
      if (parts.slice(0, skip).some((p) => p.startsWith('.'))) break;
      if (matchSegments(rest, parts.slice(skip))) return true;
    }
    return false;
  }
  const part = parts[0];
  if (part === undefined) return false;
  if (part.startsWith('.') && !head!.startsWith('.')) return false;
  return segmentToRegExp(head!).test(part) && matchSegments(rest, parts.slice(1));
}

/** Expands a glob relative to `cwd` (absolute patterns allowed) into files. */
export async function expandGlob(pattern: string, cwd: string): Promise<GlobResult> {
  const result: GlobResult = { files: [], directories: [], unreadable: [] };
  const seen = new Set<string>();
  // On Windows a backslash separates folders; elsewhere it escapes a wildcard.
  const portable = path.sep === '\\' ? pattern.replace(/\\/g, '/') : pattern;
  for (const alternative of expandBraces(portable)) {
    const absolute = path.isAbsolute(alternative) ? alternative : path.join(cwd, alternative);
    const normalised = absolute.split(path.sep).join('/');
    const segments = normalised.split('/');
    if (segments[segments.length - 1] === '**') segments.push('*'); // `dir/**` means every file under dir
    // The literal head of the pattern is where the walk starts.
    let firstMagic = segments.findIndex((s) => hasMagic(s));
    if (firstMagic === -1) {
      await addLiteral(absolute, result, seen);
      continue;
    }
    if (firstMagic === 0) firstMagic = 1;
    const baseDir = segments.slice(0, firstMagic).join('/') || '/';
    await walk(baseDir, segments.slice(firstMagic), result, seen, new Set());
  }
  result.files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return result;
}

async function addLiteral(file: string, result: GlobResult, seen: Set<string>): Promise<void> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) result.directories.push(file);
    else if (!seen.has(file)) {
      seen.add(file);
      result.files.push(file);
    }
  } catch {
    // A literal path that does not exist matches nothing, like a glob.
  }
}

async function walk(dir: string, pattern: string[], result: GlobResult, seen: Set<string>, visited: Set<string>): Promise<void> {
  if (pattern.length === 0) return;
  const [head, ...rest] = pattern as [string, ...string[]];
  if (!hasMagic(head) && head !== '**') {
    const next = path.join(dir, head);
    if (rest.length === 0) await addLiteral(next, result, seen);
    else await walk(next, rest, result, seen, visited);
    return;
  }
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') result.unreadable.push(dir);
    return;
  }
  if (head === '**') {
    // Symbolic links may loop: each real folder is walked once per pattern position.
    let real: string;
    try {
      real = await realpath(dir);
    } catch {
      return;
    }
    const key = `${real}\u0000${rest.join('/')}`;
    if (visited.has(key)) return;
    visited.add(key);
    await walk(dir, rest, result, seen, visited); // `**` matching zero folders
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const child = path.join(dir, entry.name);
      if (await isDirectory(entry, child)) await walk(child, pattern, result, seen, visited);
    }
    return;
  }
  const regex = segmentToRegExp(head);
  for (const entry of entries) {
    if (entry.name.startsWith('.') && !head.startsWith('.')) continue;
    if (!regex.test(entry.name)) continue;
    const child = path.join(dir, entry.name);
    if (rest.length === 0) {
      if (!(await isDirectory(entry, child)) && !seen.has(child)) {
        seen.add(child);
        result.files.push(child);
      }
    } else if (await isDirectory(entry, child)) {
      await walk(child, rest, result, seen, visited);
    }
  }
}

async function isDirectory(entry: { isDirectory(): boolean; isSymbolicLink(): boolean }, full: string): Promise<boolean> {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return (await stat(full)).isDirectory();
  } catch {
    return false;
  }
}
