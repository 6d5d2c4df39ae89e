/** Defaults of the config file and the limits of the input readers, in one place. */
import { UPDATE_INTERVAL } from '../catalog/models.js';
import type { ReplaceStrategy } from './types.js';

/** The config's name: `vocab.config.*`, `.vocabrc*`, the `vocab` key of package.json. */
export const CONFIG_MODULE_NAME = 'vocab';

/** File names looked for in each folder, in this order (the first one found wins). */
export const CONFIG_SEARCH_PLACES: readonly string[] = [
  'vocab.config.yaml',
  'vocab.config.yml',
  'vocab.config.json',
  '.vocabrc',
  '.vocabrc.yaml',
  '.vocabrc.yml',
  '.vocabrc.json',
  'vocab.config.js',
  'vocab.config.mjs',
  'vocab.config.cjs',
  '.vocabrc.js',
  '.vocabrc.mjs',
  '.vocabrc.cjs',
  'package.json',
];

/** `vocabularies` when the config does not say. */
export const DEFAULT_VOCABULARY_GLOBS: readonly string[] = ['vocabularies/**/*.{yaml,yml}'];
/** Environment variable holding the API key when `api_key_env` is not set. */
export const DEFAULT_API_KEY_ENV = 'DASHSCOPE_API_KEY';
/** The account's list quota (shared by every model and every tool). */
export const DEFAULT_MAX_VOCABULARIES = 10;
/** Share of a list's entries an update may remove without --force. */
export const DEFAULT_MAX_REMOVED_RATIO = 0.3;
/** Changes applied at once. */
export const DEFAULT_CONCURRENCY = 4;
/** How `replace` is done when there is room for both lists. */
export const DEFAULT_REPLACE_STRATEGY: ReplaceStrategy = 'create_before_destroy';
/** How long apply waits for a list to turn `OK`. */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 300;
/** Least time between two updates of one list: the service's rule ("at least 5 minutes apart", cited in the catalog). */
export const DEFAULT_UPDATE_INTERVAL_SECONDS = UPDATE_INTERVAL.seconds;
/** State file of the embedded account (`endpoint: local`), relative to the config folder. */
export const DEFAULT_LOCAL_STATE_FILE = '.vocab/local-account.json';

/**
 * Largest config or vocabulary file read, checked before reading. The biggest list the
 * service takes is 10,000 entries (well under 1 MiB of YAML); this leaves room for comments.
 */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
/** Alias expansions allowed per YAML document: stops "billion laughs" documents. */
export const MAX_ALIAS_COUNT = 100;

/** Prefix: 1 to 9 of [a-z0-9] (pages say "fewer than 10" and "at most 10"; 9 fits both). */
export const PREFIX_PATTERN = /^[a-z0-9]{1,9}$/;
/** Most Unicode code points in a text that has any non-ASCII character. */
export const TEXT_MAX_CODE_POINTS = 15;
/** Most space-separated words in a pure-ASCII text. */
export const TEXT_MAX_WORDS = 7;
/** Weight range of Fun-ASR and Paraformer entries. */
export const WEIGHT_MIN = 1;
export const WEIGHT_MAX = 5;
/** Longest value quoted back in a message; longer ones are cut. */
export const MAX_QUOTED_VALUE = 40;

/** Deepest folder level a `vocabularies` glob descends to. */
export const MAX_GLOB_DEPTH = 32;
/** Most folder entries one `vocabularies` glob reads before it stops with an error. */
export const MAX_GLOB_ENTRIES = 100_000;
/** Most vocabulary files one glob may match (the account holds 10 lists; this leaves room). */
export const MAX_VOCABULARY_FILES = 1000;
