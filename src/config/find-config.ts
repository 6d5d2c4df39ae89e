/**
 * Finding the config file: from the working directory upward, stopping at the repository root
 * (a folder with `.git`) or the home folder, or the file named by --config. Each candidate is
 * examined with stat before anything reads it, so a FIFO, socket or device named like a config
 * is refused, never waited on. YAML and JSON configs are read later, with source positions;
 * JavaScript configs are code and are imported (run) here.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../errors.js';
import { HIDDEN_SECRET, looksLikeSecret } from '../util/secrets.js';
import { CONFIG_MODULE_NAME, CONFIG_SEARCH_PLACES } from './defaults.js';
import { readSourceText } from './read-source.js';

/** A config file found: how to read it, and (for JavaScript configs) what it exported. */
export interface FoundConfig {
  /** Absolute path. */
  file: string;
  /** `yaml`: YAML or JSON text; `package-json`: the `vocab` key of package.json; `module`: a JavaScript config. */
  kind: 'yaml' | 'package-json' | 'module';
  /** The exported value of a JavaScript config. */
  exported?: unknown;
}

/** Options of `findConfig`. */
export interface FindConfigOptions {
  cwd: string;
  configPath?: string;
}

/** What is at a path: nothing, a folder, a regular file, or something else (FIFO, socket, device). */
type Entry = 'missing' | 'directory' | 'file' | 'special';

async function examine(file: string): Promise<Entry> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) return 'directory';
    return info.isFile() ? 'file' : 'special';
  } catch {
    // Missing, a dangling or looping link, or unreadable: not a config here.
    return 'missing';
  }
}

function kindOf(file: string): FoundConfig['kind'] {
  if (path.basename(file) === 'package.json') return 'package-json';
  return /\.[cm]?js$/.test(file) ? 'module' : 'yaml';
}

/** The folders searched from `cwd` upward: up to and including the repository root or home. */
export function searchFolders(cwd: string): string[] {
  const home = homedir();
  const folders: string[] = [];
  let dir = path.resolve(cwd);
  for (;;) {
    folders.push(dir);
    if (dir === home || existsSync(path.join(dir, '.git'))) break;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return folders;
}

/** Finds the config file; throws ConfigError naming where it looked when there is none. */
export async function findConfig(options: FindConfigOptions): Promise<FoundConfig> {
  if (options.configPath !== undefined) return explicitConfig(options.cwd, options.configPath);
  const folders = searchFolders(options.cwd);
  for (const dir of folders) {
    for (const place of CONFIG_SEARCH_PLACES) {
      const found = await candidate(path.join(dir, place));
      if (found) return found;
    }
  }
  const names = CONFIG_SEARCH_PLACES.map((p) => (p === 'package.json' ? `package.json#${CONFIG_MODULE_NAME}` : p));
  const last = folders[folders.length - 1]!;
  throw new ConfigError(
    `no config file found: looked for ${names.join(', ')} in ${folders.join(', ')} (stopped at ${last}); ` +
      'create vocab.config.yaml or pass --config PATH',
  );
}

/** The file named by --config: it must exist; a non-regular file is refused before it is read or run. */
async function explicitConfig(cwd: string, configPath: string): Promise<FoundConfig> {
  if (configPath.trim() === '') throw new ConfigError('--config is empty: give the path of a config file');
  const file = path.resolve(cwd, configPath);
  const secret = looksLikeSecret(configPath);
  const shown = secret ? HIDDEN_SECRET : configPath;
  const entry = await examine(file);
  if (entry === 'missing') throw new ConfigError(`config file not found: ${shown}${secret ? '' : ` (looked at ${file})`}`);
  const kind = kindOf(file);
  if (kind !== 'module') return { file, kind }; // read with positions later; the reader refuses non-files
  if (entry !== 'file') throw new ConfigError(`config file ${shown} is not a regular file`);
  return { file, kind, exported: await loadModule(file) };
}

/** A search place: a config when a regular file is there (package.json only with a `vocab` key). */
async function candidate(file: string): Promise<FoundConfig | undefined> {
  const entry = await examine(file);
  if (entry === 'missing' || entry === 'directory') return undefined;
  const kind = kindOf(file);
  if (entry === 'special') {
    // Named like the config but not a file: say so instead of reading (a FIFO would block).
    if (kind === 'yaml') return { file, kind };
    throw new ConfigError(`config file ${file} is not a regular file (a FIFO, socket or device)`);
  }
  if (kind === 'module') return { file, kind, exported: await loadModule(file) };
  if (kind === 'package-json' && !(await packageJsonHasConfig(file))) return undefined;
  return { file, kind };
}

/** Whether a package.json has a `vocab` key; a broken package.json is not our config. */
async function packageJsonHasConfig(file: string): Promise<boolean> {
  const text = await readSourceText(file, file, 'package.json');
  if (!text.ok) return false;
  try {
    const data = JSON.parse(text.text) as unknown;
    return data !== null && typeof data === 'object' && Object.hasOwn(data, CONFIG_MODULE_NAME) && (data as Record<string, unknown>)[CONFIG_MODULE_NAME] != null;
  } catch {
    return false;
  }
}

/** Imports (runs) a JavaScript config and returns its default export. */
async function loadModule(file: string): Promise<unknown> {
  try {
    const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
    return module.default;
  } catch (error) {
    throw new ConfigError(`cannot load config ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
