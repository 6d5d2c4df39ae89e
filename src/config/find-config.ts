/**
 * Finding the config file with cosmiconfig: from the working directory upward, stopping at the
 * repository root (a folder with `.git`) or the home folder, or the file named by --config.
 * cosmiconfig only finds YAML and JSON files here; they are re-read with source positions.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { cosmiconfig, defaultLoaders, type Loader } from 'cosmiconfig';
import { ConfigError } from '../errors.js';
import { CONFIG_MODULE_NAME, CONFIG_SEARCH_PLACES } from './defaults.js';

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

// YAML and JSON configs are parsed later, with positions; here only their presence counts.
const markFound: Loader = () => ({});
const loadPackageJson: Loader = (filepath, content) => {
  if (path.basename(filepath) !== 'package.json') return {};
  try {
    return JSON.parse(content) as unknown;
  } catch {
    return null; // a broken package.json elsewhere is not our config
  }
};

function createExplorer() {
  return cosmiconfig(CONFIG_MODULE_NAME, {
    searchPlaces: [...CONFIG_SEARCH_PLACES],
    searchStrategy: 'none',
    ignoreEmptySearchPlaces: false,
    cache: false,
    loaders: {
      '.yaml': markFound,
      '.yml': markFound,
      '.json': loadPackageJson,
      noExt: markFound,
      '.js': defaultLoaders['.js'],
      '.mjs': defaultLoaders['.mjs'],
      '.cjs': defaultLoaders['.cjs'],
    },
  });
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
  const explorer = createExplorer();
  if (options.configPath !== undefined) {
    const file = path.resolve(options.cwd, options.configPath);
    if (!existsSync(file)) throw new ConfigError(`config file not found: ${options.configPath} (looked at ${file})`);
    const kind = kindOf(file);
    if (kind === 'module') return { file, kind, exported: await loadModule(explorer, file) };
    return { file, kind };
  }
  const folders = searchFolders(options.cwd);
  for (const dir of folders) {
    let result;
    try {
      result = await explorer.search(dir);
    } catch (error) {
      // Only JavaScript configs are evaluated during the search; their errors are the user's to fix.
      const file = (error as { filepath?: string }).filepath ?? dir;
      throw new ConfigError(`cannot load config ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    if (result === null) continue;
    const kind = kindOf(result.filepath);
    if (kind === 'package-json' && (result.isEmpty || result.config === null || result.config === undefined)) continue;
    if (kind === 'module') return { file: result.filepath, kind, exported: result.config };
    return { file: result.filepath, kind };
  }
  const names = CONFIG_SEARCH_PLACES.map((p) => (p === 'package.json' ? 'package.json#vocab' : p));
  const last = folders[folders.length - 1]!;
  throw new ConfigError(
    `no config file found: looked for ${names.join(', ')} in ${folders.join(', ')} (stopped at ${last}); ` +
      'create vocab.config.yaml or pass --config PATH',
  );
}

async function loadModule(explorer: ReturnType<typeof createExplorer>, file: string): Promise<unknown> {
  try {
    return (await explorer.load(file))?.config;
  } catch (error) {
    throw new ConfigError(`cannot load config ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
