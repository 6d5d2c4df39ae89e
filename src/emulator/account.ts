/**
 * The account core: the five actions and the service's own checks, applied to one account's
 * state. Pure apart from the injected clock and id generator; both fronts (HTTP and the
 * embedded `local` account) run every request through `executeRequest`, so they answer alike.
 * The rules come from the wire doc, not from the client or the config validator.
 */
import { randomUUID } from 'node:crypto';
import type { VocabularyAction } from '../dashscope/types.js';
import {
  BEIJING_OFFSET_MS,
  DEFAULT_MAX_PAGE_SIZE,
  DEFAULT_MAX_VOCABULARIES,
  DEFAULT_PAGE_INDEX,
  DEFAULT_PAGE_SIZE,
  DEFAULT_PREFIX_MAX_LENGTH,
  DEFAULT_REGION,
  MAX_ASCII_TEXT_WORDS,
  MAX_NON_ASCII_TEXT_CODE_POINTS,
  MAX_WEIGHT,
  MIN_WEIGHT,
  MODELS_BY_REGION,
  PREFIX_PATTERN,
  SPEECH_BIASING_MODEL,
  SUPER_HOTWORD_WEIGHT,
  isGummyModel,
  takesSuperHotwordWeight,
  lookUpWordCap,
  type EmulatorRegion,
} from './constants.js';
import { ServiceRejection, invalidParameter } from './service-rejection.js';
import { isRecord } from '../util/is-record.js';
import { type AccountState, type StoredEntry, type StoredVocabulary } from './state.js';

/** The service's checks; each can be switched off to let a client's own checks be tested. */
export interface AccountChecks {
  /** Prefix is lowercase letters and digits, at most `prefixMaxLength`. */
  prefix: boolean;
  /** `target_model` is one of `models`. */
  targetModel: boolean;
  /** Entry text length, weight range, Gummy fields, Gummy duplicates. */
  entries: boolean;
  /** Per-model word caps. */
  wordCaps: boolean;
  /** The account's list quota (`maxVocabularies`). */
  quota: boolean;
}

/** Code of the update-spacing rejection (our guess: the service's own is undocumented). */
const UPDATE_SPACING_CODE = 'InvalidParameter.UpdateInterval';

/** Options of the account rules; every field has a documented default. */
export interface AccountRulesOptions {
  /** Lists per account (default 10). */
  maxVocabularies?: number;
  /** Largest page returned; larger `page_size` is silently capped (default 100). */
  maxPageSize?: number;
  /** How long a created or updated list reports UNDEPLOYED before OK, in ms. */
  undeployedMs?: number;
  /** Least time between writes of one list, from its gmt_modified, in ms (0: not enforced). */
  updateIntervalMs?: number;
  /** Region whose model list is accepted (default cn-beijing, the larger list). */
  region?: EmulatorRegion;
  /** Accepted `target_model` values; overrides `region`. */
  models?: readonly string[];
  /** Word caps by exact model name, overriding the built-in rules. */
  wordCaps?: Readonly<Record<string, number>>;
  /** Longest prefix accepted (default 9: "fewer than 10"). */
  prefixMaxLength?: number;
  /** Checks to switch off (all on by default). */
  checks?: Partial<AccountChecks>;
}

/** The rules with every default filled in. */
export interface AccountRules {
  maxVocabularies: number;
  maxPageSize: number;
  undeployedMs: number;
  updateIntervalMs: number;
  region: EmulatorRegion;
  models: readonly string[];
  wordCaps: Readonly<Record<string, number>>;
  prefixMaxLength: number;
  checks: AccountChecks;
}

/** What `executeRequest` needs besides the state: the rules, a clock and an id source. */
export interface AccountEnvironment {
  rules: AccountRules;
  /** Epoch milliseconds. */
  now: () => number;
  /** 32 lowercase hex characters for a new vocabulary id. */
  generateId: () => string;
}

/** A successful action: the `output` object to answer and whether the state changed. */
export interface ActionResult {
  action: VocabularyAction;
  output: Record<string, unknown>;
  wrote: boolean;
}

const ACTIONS: readonly VocabularyAction[] = [
  'create_vocabulary',
  'list_vocabulary',
  'query_vocabulary',
  'update_vocabulary',
  'delete_vocabulary',
];

/** The defaults that differ between the HTTP emulator and the embedded account. */
export interface AccountRuleDefaults {
  undeployedMs: number;
  updateIntervalMs: number;
}

/** Fills in the defaults of the account rules. */
export function resolveAccountRules(options: AccountRulesOptions, defaults: AccountRuleDefaults): AccountRules {
  const region = options.region ?? DEFAULT_REGION;
  return {
    maxVocabularies: options.maxVocabularies ?? DEFAULT_MAX_VOCABULARIES,
    maxPageSize: options.maxPageSize ?? DEFAULT_MAX_PAGE_SIZE,
    undeployedMs: options.undeployedMs ?? defaults.undeployedMs,
    updateIntervalMs: options.updateIntervalMs ?? defaults.updateIntervalMs,
    region,
    models: options.models ?? MODELS_BY_REGION[region],
    wordCaps: options.wordCaps ?? {},
    prefixMaxLength: options.prefixMaxLength ?? DEFAULT_PREFIX_MAX_LENGTH,
    checks: { prefix: true, targetModel: true, entries: true, wordCaps: true, quota: true, ...options.checks },
  };
}

/** 32 lowercase hex characters from a random UUID. */
export function generateRandomHexId(): string {
  return randomUUID().replaceAll('-', '');
}

/** Formats epoch ms as the service does: `YYYY-MM-DD HH:MM:SS`, Beijing time, no zone. */
export function formatServiceTime(epochMs: number): string {
  return new Date(epochMs + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** The action named in a request body, if it names one (for logs and fault matching). */
export function readRequestedAction(body: unknown): string | null {
  if (!isRecord(body) || !isRecord(body.input)) return null;
  return typeof body.input.action === 'string' ? body.input.action : null;
}

/**
 * Runs one request body (`{model, input: {action, ...}}`) against an account. Throws a
 * `ServiceRejection` for every answer that is not a success; the state is changed only on success.
 */
export function executeRequest(account: AccountState, body: unknown, env: AccountEnvironment): ActionResult {
  if (!isRecord(body)) throw invalidParameter('The request body must be a JSON object.');
  if (body.model === undefined || body.model === null) throw invalidParameter(`Missing parameter model (expected "${SPEECH_BIASING_MODEL}").`);
  if (body.model !== SPEECH_BIASING_MODEL) {
    throw invalidParameter(`Unsupported model ${JSON.stringify(body.model)} (expected "${SPEECH_BIASING_MODEL}").`);
  }
  // `parameters` (sent by the Python SDK) and any other top-level key are ignored, as the service does.
  const input = body.input;
  if (!isRecord(input)) throw invalidParameter('Missing parameter input (an object with an action).');
  const action = readRequestedAction(body);
  if (action === null) throw invalidParameter('Missing parameter input.action.');
  switch (action) {
    case 'create_vocabulary':
      return { action, output: createVocabulary(account, input, env), wrote: true };
    case 'list_vocabulary':
      return { action, output: listVocabularies(account, input, env), wrote: false };
    case 'query_vocabulary':
      return { action, output: queryVocabulary(account, input, env), wrote: false };
    case 'update_vocabulary':
      updateVocabulary(account, input, env);
      return { action, output: {}, wrote: true };
    case 'delete_vocabulary':
      deleteVocabulary(account, input);
      return { action, output: {}, wrote: true };
    default:
      throw invalidParameter(`Unknown action ${JSON.stringify(action)}; expected one of ${ACTIONS.join(', ')}.`);
  }
}

function createVocabulary(account: AccountState, input: Record<string, unknown>, env: AccountEnvironment): Record<string, unknown> {
  const { rules } = env;
  const targetModel = input.target_model;
  if (typeof targetModel !== 'string' || targetModel === '') throw invalidParameter('Missing parameter target_model.');
  if (rules.checks.targetModel && !rules.models.includes(targetModel)) {
    throw invalidParameter(`target_model ${JSON.stringify(targetModel)} does not support custom vocabularies here.`);
  }
  const prefix = input.prefix;
  if (typeof prefix !== 'string' || prefix === '') throw invalidParameter('Missing parameter prefix.');
  if (rules.checks.prefix && (!PREFIX_PATTERN.test(prefix) || prefix.length > rules.prefixMaxLength)) {
    throw invalidParameter(
      `prefix ${JSON.stringify(prefix)} is invalid: use lowercase letters and digits, at most ${rules.prefixMaxLength} characters.`,
    );
  }
  const entries = readEntries(input.vocabulary, targetModel, rules);
  if (rules.checks.quota && account.vocabularies.length >= rules.maxVocabularies) {
    throw new ServiceRejection(
      429,
      'Throttling.AllocationQuota',
      `The account already has ${account.vocabularies.length} vocabularies, the most allowed (${rules.maxVocabularies}); delete one before creating another.`,
    );
  }
  const now = env.now();
  const vocabularyId = generateUniqueId(account, prefix, env);
  const time = formatServiceTime(now);
  account.vocabularies.push({
    vocabulary_id: vocabularyId,
    prefix,
    target_model: targetModel,
    vocabulary: entries,
    gmt_create: time,
    gmt_modified: time,
    created_at_ms: now,
    modified_at_ms: now,
    seq: account.next_seq,
  });
  account.next_seq += 1;
  return { vocabulary_id: vocabularyId };
}

function generateUniqueId(account: AccountState, prefix: string, env: AccountEnvironment): string {
  for (;;) {
    const id = `vocab-${prefix}-${env.generateId()}`;
    if (!account.vocabularies.some((v) => v.vocabulary_id === id)) return id;
  }
}

/** A list's status now: UNDEPLOYED for `undeployedMs` after its last write, then OK. */
export function statusOf(vocabulary: StoredVocabulary, env: AccountEnvironment): 'OK' | 'UNDEPLOYED' {
  // Computed lazily from the last write, so no timers are needed and a restart keeps it right.
  return env.now() - vocabulary.modified_at_ms < env.rules.undeployedMs ? 'UNDEPLOYED' : 'OK';
}

function readPageNumber(input: Record<string, unknown>, field: string, fallback: number, min: number): number {
  const value = input[field];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw invalidParameter(`${field} must be an integer of at least ${min}, not ${JSON.stringify(value)}.`);
  }
  return value;
}

function listVocabularies(account: AccountState, input: Record<string, unknown>, env: AccountEnvironment): Record<string, unknown> {
  const prefix = input.prefix;
  if (prefix !== undefined && prefix !== null && typeof prefix !== 'string') {
    throw invalidParameter('prefix must be a string or null.');
  }
  const pageIndex = readPageNumber(input, 'page_index', DEFAULT_PAGE_INDEX, 0);
  // Larger pages are capped silently: the wire doc warns real servers may do the same.
  const pageSize = Math.min(readPageNumber(input, 'page_size', DEFAULT_PAGE_SIZE, 1), env.rules.maxPageSize);
  // Exact match on the stored prefix; null, absent or "" lists everything.
  const matching = account.vocabularies.filter((v) => !prefix || v.prefix === prefix);
  const newestFirst = [...matching].sort((a, b) => b.created_at_ms - a.created_at_ms || b.seq - a.seq);
  const page = newestFirst.slice(pageIndex * pageSize, pageIndex * pageSize + pageSize);
  return {
    vocabulary_list: page.map((v) => ({
      gmt_create: v.gmt_create,
      vocabulary_id: v.vocabulary_id,
      gmt_modified: v.gmt_modified,
      status: statusOf(v, env),
    })),
  };
}

function findVocabulary(account: AccountState, input: Record<string, unknown>): StoredVocabulary {
  const id = input.vocabulary_id;
  if (typeof id !== 'string' || id === '') throw invalidParameter('Missing parameter vocabulary_id.');
  const found = account.vocabularies.find((v) => v.vocabulary_id === id);
  // Unverified on the real service; 400 InvalidParameter is what the wire doc expects.
  if (!found) throw invalidParameter(`vocabulary_id ${JSON.stringify(id)} does not exist in this account.`);
  return found;
}

function queryVocabulary(account: AccountState, input: Record<string, unknown>, env: AccountEnvironment): Record<string, unknown> {
  const v = findVocabulary(account, input);
  return {
    gmt_create: v.gmt_create,
    vocabulary: v.vocabulary.map((e) => ({ ...e })),
    target_model: v.target_model,
    gmt_modified: v.gmt_modified,
    status: statusOf(v, env),
  };
}

function updateVocabulary(account: AccountState, input: Record<string, unknown>, env: AccountEnvironment): void {
  const v = findVocabulary(account, input);
  if (input.target_model !== undefined && input.target_model !== null && input.target_model !== v.target_model) {
    throw invalidParameter(
      `target_model cannot change (${v.vocabulary_id} is for ${v.target_model}); create a new vocabulary instead.`,
    );
  }
  const entries = readEntries(input.vocabulary, v.target_model, env.rules);
  const now = env.now();
  checkUpdateSpacing(v, now, env.rules.updateIntervalMs);
  v.vocabulary = entries;
  v.gmt_modified = formatServiceTime(now);
  v.modified_at_ms = now;
}

/**
 * The vendor CLI says updates of one list must be at least 5 minutes apart; the service's answer
 * is undocumented. Our guess: 400 (so that no client retries it blindly) with a code of its own,
 * and a message giving the time the list may next be updated (service time, UTC+8, no zone).
 */
function checkUpdateSpacing(v: StoredVocabulary, now: number, intervalMs: number): void {
  if (intervalMs <= 0 || now - v.modified_at_ms >= intervalMs) return;
  const seconds = Math.ceil(intervalMs / 1000);
  const spelled = seconds % 60 === 0 ? `${seconds / 60} minutes` : `${seconds} seconds`;
  throw new ServiceRejection(
    400,
    UPDATE_SPACING_CODE,
    `Updates must be at least ${spelled} apart: ${v.vocabulary_id} was last modified at ${v.gmt_modified} and can be updated again at ${formatServiceTime(v.modified_at_ms + intervalMs)}.`,
  );
}

function deleteVocabulary(account: AccountState, input: Record<string, unknown>): void {
  const v = findVocabulary(account, input);
  account.vocabularies = account.vocabularies.filter((other) => other !== v);
}

function isAsciiText(text: string): boolean {
  return /^[\x00-\x7f]*$/.test(text);
}

function checkText(text: string, where: string): void {
  if (text.trim() === '') throw invalidParameter(`${where}.text must not be empty.`);
  if (isAsciiText(text)) {
    const words = text.split(/\s+/).filter((w) => w !== '').length;
    if (words > MAX_ASCII_TEXT_WORDS) {
      throw invalidParameter(`${where}.text ${JSON.stringify(text)} has ${words} words; at most ${MAX_ASCII_TEXT_WORDS} are allowed.`);
    }
  } else {
    // Code points, not UTF-16 units: an astral-plane character counts once.
    const length = [...text].length;
    if (length > MAX_NON_ASCII_TEXT_CODE_POINTS) {
      throw invalidParameter(
        `${where}.text ${JSON.stringify(text)} has ${length} characters; at most ${MAX_NON_ASCII_TEXT_CODE_POINTS} are allowed when it contains non-ASCII characters.`,
      );
    }
  }
}

function checkWeight(weight: unknown, where: string, model: string): void {
  if (weight === SUPER_HOTWORD_WEIGHT && takesSuperHotwordWeight(model)) return;
  if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < MIN_WEIGHT || weight > MAX_WEIGHT) {
    const extra = takesSuperHotwordWeight(model) ? ` or ${SUPER_HOTWORD_WEIGHT}` : '';
    throw invalidParameter(`${where}.weight must be an integer from ${MIN_WEIGHT} to ${MAX_WEIGHT}${extra}, not ${JSON.stringify(weight)}.`);
  }
}

const ENTRY_STRING_FIELDS = ['lang', 'target_lang', 'translation'] as const;

function readEntries(value: unknown, model: string, rules: AccountRules): StoredEntry[] {
  if (!Array.isArray(value)) throw invalidParameter('Missing parameter vocabulary (a list of entries).');
  // The vocabulary is a required parameter (wire doc): an empty list is a missing one.
  if (value.length === 0) throw invalidParameter('Missing parameter vocabulary: it must hold at least one entry.');
  const gummy = isGummyModel(model);
  const seen = new Set<string>();
  const entries = value.map((raw, index): StoredEntry => {
    const where = `vocabulary[${index}]`;
    if (!isRecord(raw)) throw invalidParameter(`${where} must be an object.`);
    if (typeof raw.text !== 'string') throw invalidParameter(`${where}.text must be a string.`);
    const entry: StoredEntry = { text: raw.text };
    for (const field of ENTRY_STRING_FIELDS) {
      const v = raw[field];
      if (v === undefined || v === null) continue;
      if (typeof v !== 'string') throw invalidParameter(`${where}.${field} must be a string.`);
      entry[field] = v;
    }
    if (raw.weight !== undefined && raw.weight !== null) {
      if (typeof raw.weight !== 'number') throw invalidParameter(`${where}.weight must be a number.`);
      entry.weight = raw.weight;
    }
    if (rules.checks.entries) {
      checkText(raw.text, where);
      if (!gummy || entry.weight !== undefined) checkWeight(raw.weight, where, model);
      if (!gummy && (entry.target_lang !== undefined || entry.translation !== undefined)) {
        throw invalidParameter(`${where}: target_lang and translation are only for Gummy models, not ${model}.`);
      }
      if (gummy) {
        // One text may appear once per target language.
        const key = `${entry.text}\u0000${entry.target_lang ?? ''}`;
        if (seen.has(key)) {
          throw invalidParameter(
            `${where}.text ${JSON.stringify(entry.text)} appears twice for target_lang ${JSON.stringify(entry.target_lang ?? null)}.`,
          );
        }
        seen.add(key);
      }
    }
    return entry;
  });
  if (rules.checks.wordCaps) {
    const cap = lookUpWordCap(model, rules.wordCaps, rules.region);
    if (entries.length > cap) {
      throw invalidParameter(`vocabulary has ${entries.length} entries; ${model} takes at most ${cap} per vocabulary.`);
    }
  }
  return entries;
}
