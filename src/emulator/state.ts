/**
 * The emulator's state as data, and the checks that a state read back from disk is sound.
 * The API key itself is never stored: accounts are keyed by its SHA-256 fingerprint.
 */
import { createHash } from 'node:crypto';
import { STATE_FORMAT_VERSION, type EmulatorRegion } from './constants.js';
import { isRecord } from '../util/is-record.js';

/** One entry as stored: the documented entry fields only. */
export interface StoredEntry {
  text: string;
  weight?: number;
  lang?: string;
  target_lang?: string;
  translation?: string;
}

/** One vocabulary list in an account. */
export interface StoredVocabulary {
  vocabulary_id: string;
  prefix: string;
  target_model: string;
  vocabulary: StoredEntry[];
  gmt_create: string;
  gmt_modified: string;
  /** Epoch ms of creation: orders the list and starts the UNDEPLOYED delay. */
  created_at_ms: number;
  /** Epoch ms of the last create or update: the UNDEPLOYED delay runs from here. */
  modified_at_ms: number;
  /** Creation sequence number: breaks ties between lists created in the same millisecond. */
  seq: number;
}

/** An account's workspaces: the primary one holds the lists; sub-workspaces do not take hotwords. */
export interface WorkspaceSettings {
  /** Id of the primary workspace (null: only requests without the header reach it). */
  primary: string | null;
  /** Ids of the sub-workspaces. */
  sub: string[];
}

/**
 * An account's own settings, given by `PUT /_vocab/accounts/{key}`. An account that has them is
 * accepted by the emulator whatever `--api-key` says (its key is known by fingerprint only).
 */
export interface AccountSettings {
  /** Lists allowed (default: the emulator's `--max-vocabularies`). */
  max_vocabularies?: number;
  /** Region whose models and word caps apply (default: the emulator's `--region`). */
  region?: EmulatorRegion;
  /** Workspaces; absent: the `X-DashScope-WorkSpace` header is not checked. */
  workspaces?: WorkspaceSettings;
}

/** One account (one API key). */
export interface AccountState {
  next_seq: number;
  vocabularies: StoredVocabulary[];
  /** Present for accounts made through the admin API. */
  settings?: AccountSettings;
}

/** Everything the emulator persists. */
export interface EmulatorState {
  format_version: typeof STATE_FORMAT_VERSION;
  /** Keyed by `fingerprintApiKey(key)`. */
  accounts: Record<string, AccountState>;
}

/** A state file that cannot be used: it is reported, never overwritten. */
export class EmulatorStateError extends Error {
  override readonly name = 'EmulatorStateError';
}

/** An empty state. */
export function createEmptyState(): EmulatorState {
  return { format_version: STATE_FORMAT_VERSION, accounts: {} };
}

/** An empty account. */
export function createEmptyAccount(): AccountState {
  return { next_seq: 1, vocabularies: [] };
}

/** `sha256:<hex>` of an API key: how accounts are named on disk and in logs. */
export function fingerprintApiKey(apiKey: string): string {
  return `sha256:${createHash('sha256').update(apiKey, 'utf8').digest('hex')}`;
}

/** The account of a key in a state, created (empty) on first use. */
export function ensureAccount(state: EmulatorState, apiKey: string): AccountState {
  const key = fingerprintApiKey(apiKey);
  let account = state.accounts[key];
  if (!account) {
    account = createEmptyAccount();
    state.accounts[key] = account;
  }
  return account;
}

const OPTIONAL_ENTRY_STRINGS = ['lang', 'target_lang', 'translation'] as const;

/** One stored entry; `where` names its list, and the entry's own place is spelt out only for an error. */
function readStoredEntry(value: unknown, index: number, where: string): StoredEntry {
  if (!isRecord(value) || typeof value.text !== 'string') throw new EmulatorStateError(`${where}.vocabulary[${index}]: an entry needs a text`);
  let fields = 1;
  if (value.weight !== undefined) {
    if (typeof value.weight !== 'number') throw new EmulatorStateError(`${where}.vocabulary[${index}]: weight must be a number`);
    fields++;
  }
  for (const field of OPTIONAL_ENTRY_STRINGS) {
    const v = value[field];
    if (v === undefined) continue;
    if (typeof v !== 'string') throw new EmulatorStateError(`${where}.vocabulary[${index}]: ${field} must be a string`);
    fields++;
  }
  // An entry as this emulator writes it (the documented fields only) is kept as parsed: the JSON
  // parse made it, nothing else holds it, and copying 100,000 entries showed in profiles.
  let keys = 0;
  for (const key in value) if (Object.prototype.hasOwnProperty.call(value, key)) keys++;
  if (keys === fields) return value as unknown as StoredEntry;
  // Other fields are dropped: copy the documented ones.
  const entry: StoredEntry = { text: value.text };
  if (typeof value.weight === 'number') entry.weight = value.weight;
  for (const field of OPTIONAL_ENTRY_STRINGS) {
    const v = value[field];
    if (typeof v === 'string') entry[field] = v;
  }
  return entry;
}

function readString(value: Record<string, unknown>, field: string, where: string): string {
  const v = value[field];
  if (typeof v !== 'string') throw new EmulatorStateError(`${where}: ${field} must be a string`);
  return v;
}

function readNumber(value: Record<string, unknown>, field: string, where: string): number {
  const v = value[field];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new EmulatorStateError(`${where}: ${field} must be a number`);
  return v;
}

function readStoredVocabulary(value: unknown, where: string): StoredVocabulary {
  if (!isRecord(value)) throw new EmulatorStateError(`${where}: not an object`);
  if (!Array.isArray(value.vocabulary)) throw new EmulatorStateError(`${where}: vocabulary must be an array`);
  return {
    vocabulary_id: readString(value, 'vocabulary_id', where),
    prefix: readString(value, 'prefix', where),
    target_model: readString(value, 'target_model', where),
    vocabulary: value.vocabulary.map((e, i) => readStoredEntry(e, i, where)),
    gmt_create: readString(value, 'gmt_create', where),
    gmt_modified: readString(value, 'gmt_modified', where),
    created_at_ms: readNumber(value, 'created_at_ms', where),
    modified_at_ms: readNumber(value, 'modified_at_ms', where),
    seq: readNumber(value, 'seq', where),
  };
}

/** Checks that a parsed JSON value is an emulator state and returns it typed. */
export function readEmulatorState(value: unknown): EmulatorState {
  if (!isRecord(value)) throw new EmulatorStateError('not an emulator state (expected a JSON object)');
  if (value.format_version !== STATE_FORMAT_VERSION) {
    throw new EmulatorStateError(
      `unsupported format_version ${JSON.stringify(value.format_version)} (expected ${STATE_FORMAT_VERSION})`,
    );
  }
  if (!isRecord(value.accounts)) throw new EmulatorStateError('accounts must be an object');
  const state = createEmptyState();
  for (const [key, raw] of Object.entries(value.accounts)) {
    const where = `accounts["${key}"]`;
    if (!/^sha256:[0-9a-f]{64}$/.test(key)) throw new EmulatorStateError(`${where}: account keys are sha256 fingerprints`);
    if (!isRecord(raw) || !Array.isArray(raw.vocabularies) || typeof raw.next_seq !== 'number') {
      throw new EmulatorStateError(`${where}: expected {next_seq, vocabularies}`);
    }
    state.accounts[key] = {
      next_seq: raw.next_seq,
      vocabularies: raw.vocabularies.map((v, i) => readStoredVocabulary(v, `${where}.vocabularies[${i}]`)),
      ...(raw.settings === undefined ? {} : { settings: readAccountSettings(raw.settings, `${where}.settings`) }),
    };
  }
  return state;
}

const REGIONS: readonly EmulatorRegion[] = ['cn-beijing', 'ap-southeast-1'];

/** A workspace id: what the header may carry (letters, digits, `-`, `_`, `.`), 1 to 64 characters. */
const WORKSPACE_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

function readWorkspaces(value: unknown, where: string): WorkspaceSettings {
  if (!isRecord(value)) throw new EmulatorStateError(`${where}: expected {"primary": ID or null, "sub": [ID, ...]}`);
  const primary = value.primary ?? null;
  if (primary !== null && (typeof primary !== 'string' || !WORKSPACE_ID_PATTERN.test(primary))) {
    throw new EmulatorStateError(`${where}.primary must be a workspace id (letters, digits, ".", "_", "-") or null`);
  }
  const sub = value.sub ?? [];
  if (!Array.isArray(sub) || !sub.every((w): w is string => typeof w === 'string' && WORKSPACE_ID_PATTERN.test(w))) {
    throw new EmulatorStateError(`${where}.sub must be a list of workspace ids (letters, digits, ".", "_", "-")`);
  }
  if (primary !== null && sub.includes(primary)) throw new EmulatorStateError(`${where}: ${primary} cannot be both primary and sub`);
  const unknown = Object.keys(value).filter((k) => k !== 'primary' && k !== 'sub');
  if (unknown.length > 0) throw new EmulatorStateError(`${where}: unknown field ${JSON.stringify(unknown[0])}`);
  return { primary, sub: [...new Set(sub)] };
}

/** Checks an account's settings (from a state file or the admin API). */
export function readAccountSettings(value: unknown, where: string): AccountSettings {
  if (!isRecord(value)) throw new EmulatorStateError(`${where}: expected an object`);
  const settings: AccountSettings = {};
  for (const [field, v] of Object.entries(value)) {
    if (field === 'max_vocabularies') {
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new EmulatorStateError(`${where}.max_vocabularies must be a whole number of at least 0`);
      settings.max_vocabularies = v;
    } else if (field === 'region') {
      const region = REGIONS.find((r) => r === v);
      if (region === undefined) throw new EmulatorStateError(`${where}.region must be one of ${REGIONS.join(', ')}`);
      settings.region = region;
    } else if (field === 'workspaces') {
      settings.workspaces = readWorkspaces(v, `${where}.workspaces`);
    } else {
      throw new EmulatorStateError(`${where}: unknown field ${JSON.stringify(field)} (expected max_vocabularies, region, workspaces)`);
    }
  }
  return settings;
}
