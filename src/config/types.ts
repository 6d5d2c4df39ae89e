/**
 * The desired state: what the config and vocabulary files say, validated and normalised.
 */

/**
 * Where something sits in a source file (1-based line and column, UTF-16 columns as editors count).
 * `file` is relative to the working directory when the file is inside it, else absolute.
 */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/**
 * One validation problem. `path` is the JSON pointer-like path inside the file (e.g. `/entries/3/text`);
 * `file` is relative to the working directory when inside it, like `SourcePosition.file`.
 */
export interface Problem {
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
  /** `warning` does not make validation fail (e.g. a glob that matches nothing). Default `error`. */
  severity?: 'error' | 'warning';
}

import type { Region } from '../catalog/models.js';

export type { Region } from '../catalog/models.js';

/** A normalised hotword entry: text NFC-normalised and trimmed, defaults applied. */
export interface DesiredEntry {
  text: string;
  weight?: number;
  lang?: string;
  target_lang?: string;
  translation?: string;
}

/** One declared vocabulary, normalised. */
export interface DesiredVocabulary {
  /** Unique across the repository; default: prefix. */
  name: string;
  prefix: string;
  target_model: string;
  /** Environments this vocabulary is declared in; null = every environment. */
  environments: string[] | null;
  entries: DesiredEntry[];
  /** Where the vocabulary file is (position of its root node). */
  source: SourcePosition;
  /** Position of each entry in `entries`, same index. */
  entryPositions: SourcePosition[];
  /** Positions of the top-level fields, for messages about them; `source` when absent. */
  fieldPositions?: VocabularyFieldPositions;
}

/** Positions of a vocabulary file's top-level fields (and of each `environments` item). */
export interface VocabularyFieldPositions {
  prefix?: SourcePosition;
  target_model?: SourcePosition;
  name?: SourcePosition;
  entries?: SourcePosition;
  /** One per item of `environments`, same index. */
  environments?: SourcePosition[];
}

/** `ownership` settings. */
export interface OwnershipSettings {
  /**
   * Prefixes this repository owns: a list with an owned prefix and no vocabulary file is deleted.
   * Required in a config (validation refuses null); null only in states built by hand.
   */
  prefixes: string[] | null;
}

/** `quota` settings. */
export interface QuotaSettings {
  /** The account's list quota. */
  max_vocabularies: number;
  /** Overrides of the built-in per-model word caps. */
  word_caps: Record<string, number>;
}

/** `safety` settings. */
export interface SafetySettings {
  /** Prefixes never deleted or replaced. */
  protect: string[];
  /** An update removing more than this share of a list's entries (lists of >= 10 entries) needs --force. */
  max_removed_ratio: number;
}

/** How `replace` is carried out. */
export type ReplaceStrategy = 'create_before_destroy' | 'destroy_before_create';

/** `apply` settings. */
export interface ApplySettings {
  concurrency: number;
  replace: ReplaceStrategy;
  wait_timeout_seconds: number;
  /** Least seconds between two updates of one list (the service's 5-minute rule); 0: not checked. */
  update_interval_seconds: number;
}

/** One environment with its overrides merged over the top-level settings. */
export interface EnvironmentConfig {
  name: string;
  /** `local`, an explicit base URL, or undefined (then `region` picks the official URL). */
  endpoint?: string;
  region?: Region;
  workspace?: string;
  /** Name of the environment variable holding the API key. Default `DASHSCOPE_API_KEY`. */
  api_key_env: string;
  /** State file of the embedded account when `endpoint: local` (absolute path). */
  local_state?: string;
  ownership: OwnershipSettings;
  quota: QuotaSettings;
  safety: SafetySettings;
  apply: ApplySettings;
}

/** The whole desired state of a repository. */
export interface DesiredState {
  /** Absolute path of the config file. */
  configFile: string;
  /** Where the config's top level starts, for messages about the config as a whole. */
  configPosition?: SourcePosition;
  /** Folder of the config file; relative paths resolve against it. */
  rootDir: string;
  defaultEnvironment: string;
  environments: Record<string, EnvironmentConfig>;
  vocabularies: DesiredVocabulary[];
  /** Non-fatal problems found while loading (e.g. a glob that matched nothing). */
  warnings: Problem[];
}
