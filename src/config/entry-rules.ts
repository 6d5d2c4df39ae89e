/**
 * The domain rules of a vocabulary file (SPEC "Validation"), as pure functions over parsed data:
 * no fs, no process, no console. They also normalise (defaults applied, bare strings expanded,
 * text NFC-normalised and trimmed), since checking and normalising walk the same entries once:
 * at 100,000 entries one pass matters.
 */
import {
  extraWeightsOf,
  findModel,
  isTranslationModel,
  languagesOf,
  listModelIds,
  modelsWithExtraWeight,
  targetLanguagesOf,
} from '../catalog/index.js';
import {
  MAX_QUOTED_VALUE,
  PREFIX_PATTERN,
  TEXT_MAX_CODE_POINTS,
  TEXT_MAX_WORDS,
  WEIGHT_MAX,
  WEIGHT_MIN,
} from './defaults.js';
import { describeType, joinPath, suggest, type RuleProblem } from './rule-problem.js';
import { isRecord } from '../util/is-record.js';
import { quoteValue } from '../util/secrets.js';
import type { DesiredEntry } from './types.js';
import { normalizeText } from '../util/text.js';

/** Keys an entry mapping may have. */
export const ENTRY_KEYS: readonly string[] = ['text', 'weight', 'lang', 'target_lang', 'translation'];

// Any character outside 7-bit ASCII.
const NON_ASCII = /[^\x00-\x7f]/;
// C0 controls and DEL: never part of a spoken word, usually a paste accident.
const CONTROL = /[\x00-\x1f\x7f]/;
// C1 controls and the Unicode line and paragraph separators: line breaks and controls too.
const NON_ASCII_CONTROL = /[\x80-\x9f\u2028\u2029]/;
// A UTF-16 surrogate without its partner (YAML can write one as "\ud800"): not a character,
// so not text the service can take.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// A character that shows: anything but format characters (zero-width space, joiners, BOM...),
// combining marks, separators and white space.
const VISIBLE = /[^\p{Cf}\p{M}\p{Z}\s]/u;

/** Length in Unicode code points (an astral character such as 𠮷 counts once). */
export function countCodePoints(text: string): number {
  // A loop over UTF-16 units, not a string iterator: this runs for every non-ASCII entry.
  let count = text.length;
  // Stryker disable next-line EqualityOperator,ArithmeticOperator: past the last unit charCodeAt() is NaN, never a low surrogate, so a longer loop counts the same
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= HIGH_SURROGATE_MIN && unit <= HIGH_SURROGATE_MAX) {
      const next = text.charCodeAt(i + 1);
      if (next >= LOW_SURROGATE_MIN && next <= LOW_SURROGATE_MAX) {
        count--;
        i++;
      }
    }
  }
  return count;
}

const HIGH_SURROGATE_MIN = 0xd800;
const HIGH_SURROGATE_MAX = 0xdbff;
const LOW_SURROGATE_MIN = 0xdc00;
const LOW_SURROGATE_MAX = 0xdfff;

/** Number of space-separated words; runs of spaces do not make empty words. */
export function countWords(text: string): number {
  // Unicode white space needs the regular expression; ASCII (every text this is asked about
  // in validation) is counted without building an array per entry.
  if (NON_ASCII.test(text)) {
    const trimmed = text.trim();
    return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
  }
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // The ASCII members of \s: tab, LF, VT, FF, CR and space.
    const space = unit === 0x20 || (unit >= 0x09 && unit <= 0x0d);
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}

/** Quotes user text for a message: cut when long, never a value that looks like a secret. */
export function quote(text: string): string {
  return quoteValue(text, MAX_QUOTED_VALUE);
}

/** Why a prefix is invalid, or undefined when it is valid. */
export function checkPrefix(prefix: string): string | undefined {
  if (PREFIX_PATTERN.test(prefix)) return undefined;
  return `prefix ${quote(prefix)} must be 1 to 9 lowercase letters or digits (a-z, 0-9)`;
}

/**
 * Why a text is not text at all, or undefined: a lone surrogate, a control character or line
 * separator, or nothing visible (only zero-width, format or combining characters). `field`
 * names it in the message (`text`, `translation`).
 */
export function checkCharacters(text: string, field = 'text'): string | undefined {
  const control = CONTROL.exec(text) ?? (NON_ASCII.test(text) ? NON_ASCII_CONTROL.exec(text) : null);
  if (control) return `${field} ${quote(text)} contains a control character (${codePointName(control[0])})`;
  if (!NON_ASCII.test(text)) return undefined; // ASCII without controls always shows
  const lone = LONE_SURROGATE.exec(text);
  if (lone) return `${field} is not valid text: it contains a lone UTF-16 surrogate (${codePointName(lone[0])}), which is not a character`;
  if (!VISIBLE.test(text)) {
    const codes = [...text].slice(0, 4).map(codePointName).join(' ');
    return `${field} has no visible characters (only zero-width, format or combining characters: ${codes}${[...text].length > 4 ? ' …' : ''})`;
  }
  return undefined;
}

function codePointName(character: string): string {
  return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Why an (already normalised) entry text is invalid, or undefined when it is valid. */
export function checkText(text: string): string | undefined {
  if (text === '') return 'text is empty';
  const characters = checkCharacters(text);
  if (characters) return characters;
  if (NON_ASCII.test(text)) {
    const length = countCodePoints(text);
    if (length > TEXT_MAX_CODE_POINTS) {
      return `text ${quote(text)} is ${length} characters long; at most ${TEXT_MAX_CODE_POINTS} are allowed when it has non-ASCII characters`;
    }
    return undefined;
  }
  const words = countWords(text);
  if (words > TEXT_MAX_WORDS) {
    return `text ${quote(text)} has ${words} words; at most ${TEXT_MAX_WORDS} space-separated words are allowed`;
  }
  return undefined;
}

/**
 * Why a weight is invalid, or undefined when it is an integer from 1 to 5, or one of the model's
 * extra weights (50, the "super hotword", only on the Qwen-Audio 3.0 ASR Flash models).
 */
export function checkWeight(weight: unknown, modelId?: string): string | undefined {
  if (typeof weight !== 'number') return `weight must be an integer from ${WEIGHT_MIN} to ${WEIGHT_MAX}, not ${describeType(weight)}`;
  if (Number.isInteger(weight) && weight >= WEIGHT_MIN && weight <= WEIGHT_MAX) return undefined;
  if (modelId !== undefined && extraWeightsOf(modelId).includes(weight)) return undefined;
  const elsewhere = modelsWithExtraWeight(weight);
  if (elsewhere.length > 0) {
    return `weight ${weight} (a "super hotword") is allowed only on the Qwen-Audio 3.0 ASR Flash models (${elsewhere.join(', ')})${modelId === undefined ? '' : `, not on ${modelId}`}; use an integer from ${WEIGHT_MIN} to ${WEIGHT_MAX}`;
  }
  return `weight must be an integer from ${WEIGHT_MIN} to ${WEIGHT_MAX}, not ${weight}`;
}

/** Why a language code is not valid for the model, or undefined when it is (or the model is unknown, or its codes are not listed). */
export function checkLanguage(field: 'lang' | 'target_lang', value: string, modelId: string): string | undefined {
  if (findModel(modelId) === undefined) return undefined; // reported once, on target_model
  const allowed = field === 'lang' ? languagesOf(modelId) : targetLanguagesOf(modelId);
  if (allowed === 'unchecked' || allowed.includes(value)) return undefined;
  return `${field} ${quote(value)} is not supported by ${modelId} (supported: ${allowed.join(', ')})${suggest(value, allowed)}`;
}

/** Why a target model is not in the catalog, or undefined when it is. */
export function checkTargetModel(modelId: string): string | undefined {
  if (findModel(modelId) !== undefined) return undefined;
  return `unknown target_model ${quote(modelId)}${suggest(modelId, listModelIds())}; models with custom vocabularies: ${listModelIds().join(', ')}`;
}

const TRANSLATION_MODELS = (): string => listModelIds().filter(isTranslationModel).join(', ');

/** A vocabulary file's content after the rules: what could be read, normalised. */
export interface VocabularyParts {
  prefix?: string;
  target_model?: string;
  name?: string;
  /** null: every environment. */
  environments: string[] | null;
  entries: DesiredEntry[];
  /** For each entry in `entries`, its index in the file's `entries` list. */
  entryIndexes: number[];
}

interface EntryDefaults {
  weight?: number;
  /** `defaults.weight` was set but refused: entries are not told again that they lack one. */
  weightRefused?: boolean;
  lang?: string;
  target_lang?: string;
}

/** Checks and normalises a parsed vocabulary file. Wrongly typed fields are skipped (the schema reports them). */
export function checkVocabularyData(data: Readonly<Record<string, unknown>>): { parts: VocabularyParts; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  const parts: VocabularyParts = { environments: null, entries: [], entryIndexes: [] };

  if (typeof data['prefix'] === 'string') {
    parts.prefix = data['prefix'];
    const why = checkPrefix(data['prefix']);
    if (why) problems.push({ path: '/prefix', message: why });
  }
  const model = typeof data['target_model'] === 'string' ? data['target_model'] : undefined;
  if (model !== undefined) {
    parts.target_model = model;
    const why = checkTargetModel(model);
    if (why) problems.push({ path: '/target_model', message: why });
  }
  if (typeof data['name'] === 'string') parts.name = data['name'];
  else if (parts.prefix !== undefined) parts.name = parts.prefix;
  const environments = data['environments'];
  if (Array.isArray(environments)) parts.environments = environments.filter((e): e is string => typeof e === 'string');

  const defaults = checkDefaults(data['defaults'], model, problems);
  const entries = data['entries'];
  if (Array.isArray(entries)) checkEntries(entries, model, defaults, parts, problems);
  return { parts, problems };
}

function checkDefaults(raw: unknown, model: string | undefined, problems: RuleProblem[]): EntryDefaults {
  const defaults: EntryDefaults = {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return defaults;
  const record = raw as Record<string, unknown>;
  const translation = model !== undefined && isTranslationModel(model);
  if (record['weight'] !== undefined) {
    const why = checkWeight(record['weight'], model);
    if (why) {
      problems.push({ path: '/defaults/weight', message: why });
      defaults.weightRefused = true;
    } else defaults.weight = record['weight'] as number;
  }
  for (const field of ['lang', 'target_lang'] as const) {
    const value = record[field];
    if (typeof value !== 'string') continue;
    if (field === 'target_lang' && model !== undefined && !translation) {
      problems.push({ path: `/defaults/${field}`, pointsAt: 'key', message: translationOnlyMessage(field, model) });
      continue;
    }
    const why = model === undefined ? undefined : checkLanguage(field, value, model);
    if (why) problems.push({ path: `/defaults/${field}`, message: why });
    else defaults[field] = value;
  }
  return defaults;
}

function translationOnlyMessage(field: string, model: string): string {
  return `${field} is only for Gummy translation models (${TRANSLATION_MODELS()}), not ${model}`;
}

// Field lists of the per-entry checks, made once rather than once per entry.
const TRANSLATION_ONLY_FIELDS = ['target_lang', 'translation'] as const;
const LANGUAGE_FIELDS = ['lang', 'target_lang'] as const;
const STRING_FIELDS = ['lang', 'target_lang', 'translation'] as const;

/** What every entry of one file is checked against, made once per file. */
interface EntryContext {
  model: string | undefined;
  translation: boolean;
  modelKnown: boolean;
  defaults: EntryDefaults;
  problems: RuleProblem[];
  /** A list uses a handful of language codes 10,000 times: each is looked up in the catalog once. */
  verdicts: Record<'lang' | 'target_lang', Map<string, string | undefined>>;
}

function checkEntries(
  entries: readonly unknown[],
  model: string | undefined,
  defaults: EntryDefaults,
  parts: VocabularyParts,
  problems: RuleProblem[],
): void {
  const context: EntryContext = {
    model,
    translation: model !== undefined && isTranslationModel(model),
    modelKnown: model !== undefined && findModel(model) !== undefined,
    defaults,
    problems,
    verdicts: { lang: new Map(), target_lang: new Map() },
  };
  // Accepted entries by text (the positions in parts.entries): keyed by the text alone, not by a
  // "text, lang, target_lang" string, because building and hashing 100,000 such strings showed
  // in profiles; the rare texts listed in several languages hold a list.
  const byText = new Map<string, number | number[]>();
  // Paths and closures are made only for an entry with a problem: a valid entry (nearly all of
  // 100,000) allocates its normalised entry and its duplicate key, nothing else.
  // Stryker disable next-line ObjectLiteral,BooleanLiteral: readEntry() sets `usable` before it is read
  const reading: EntryReading = { usable: true };
  for (let i = 0; i < entries.length; i++) {
    const raw = entries[i];
    const entry = readEntry(raw, i, context, reading);
    if (entry === undefined) continue;
    const problemsBefore = problems.length;
    checkEntry(entry, raw, i, context, reading.usable);
    // Any problem of this entry (all pushed since problemsBefore) makes it unusable.
    if (!reading.usable || problems.length > problemsBefore) continue;
    acceptEntry(entry, raw, i, parts, byText, problems);
  }
}

/** Step 1: an entry as written (a bare string or a mapping), or undefined with its problem reported. */
function readEntry(raw: unknown, index: number, context: EntryContext, reading: EntryReading): DesiredEntry | undefined {
  reading.usable = true;
  if (typeof raw === 'string') return { text: normalizeText(raw) };
  if (typeof raw === 'number' || typeof raw === 'boolean') {
    context.problems.push({ path: entryPath(index), message: `entry must be a string, not ${describeType(raw)}; quote it: "${String(raw)}"` });
    return undefined;
  }
  if (isRecord(raw)) {
    return readEntryObject(raw, index, context, reading);
  }
  context.problems.push({ path: entryPath(index), message: `entry must be a text or a mapping with "text", not ${describeType(raw)}` });
  return undefined;
}

/** Step 2: the text rule, the defaults, the model's entry shape and its languages. */
function checkEntry(entry: DesiredEntry, raw: unknown, index: number, context: EntryContext, usable: boolean): void {
  const { defaults, translation, model, problems } = context;
  const textProblem = checkText(entry.text);
  if (textProblem) problems.push({ path: textPathOf(raw, index), message: textProblem });
  if (entry.weight === undefined && defaults.weight !== undefined) entry.weight = defaults.weight;
  if (entry.lang === undefined && defaults.lang !== undefined) entry.lang = defaults.lang;
  if (entry.target_lang === undefined && translation && defaults.target_lang !== undefined) entry.target_lang = defaults.target_lang;
  if (translation) checkTranslationEntry(entry, index, problems);
  else if (model !== undefined) checkWeightedEntry(entry, index, model, context.modelKnown && usable && !defaults.weightRefused, problems);
  // A lang from defaults was checked once, at /defaults/lang.
  // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral: a bare string has no lang of its own and an unknown model no list (checkLanguage): skipping them is only quicker
  if (model !== undefined && typeof raw !== 'string') checkEntryLanguages(entry, raw as Record<string, unknown>, index, context);
}

/** Gummy: weight optional; a translation needs a target language and must not be empty. */
function checkTranslationEntry(entry: DesiredEntry, index: number, problems: RuleProblem[]): void {
  if (entry.translation !== undefined && entry.target_lang === undefined) {
    problems.push({ path: `${entryPath(index)}/translation`, message: 'translation needs a target_lang (on the entry or in "defaults")', pointsAt: 'key' });
  }
  if (entry.translation === '') problems.push({ path: `${entryPath(index)}/translation`, message: 'translation is empty' });
  else if (entry.translation !== undefined) {
    const why = checkCharacters(entry.translation, 'translation');
    if (why) problems.push({ path: `${entryPath(index)}/translation`, message: why });
  }
}

/** Fun-ASR, Paraformer, Qwen-Audio: no translation fields, and a weight (on the entry or in defaults). */
function checkWeightedEntry(entry: DesiredEntry, index: number, model: string, weightRequired: boolean, problems: RuleProblem[]): void {
  for (const field of TRANSLATION_ONLY_FIELDS) {
    if (entry[field] !== undefined) problems.push({ path: `${entryPath(index)}/${field}`, message: translationOnlyMessage(field, model), pointsAt: 'key' });
  }
  // An entry with a misspelt key (`weigth`) already has its problem; no second one.
  if (entry.weight === undefined && weightRequired) {
    problems.push({ path: entryPath(index), message: `entry has no weight; set "weight" (${WEIGHT_MIN}-${WEIGHT_MAX}) on the entry or in "defaults"` });
  }
}

/** The entry's own lang and target_lang, against the model's lists. */
function checkEntryLanguages(entry: DesiredEntry, own: Record<string, unknown>, index: number, context: EntryContext): void {
  const model = context.model!;
  for (const field of LANGUAGE_FIELDS) {
    const value = entry[field];
    if (value === undefined || typeof own[field] !== 'string') continue;
    if (field === 'target_lang' && !context.translation) continue;
    const known = context.verdicts[field];
    let why: string | undefined;
    // Stryker disable next-line ConditionalExpression: a cache of checkLanguage()'s verdicts; without it the same verdict is computed again
    if (known.has(value)) why = known.get(value);
    else {
      why = checkLanguage(field, value, model);
      known.set(value, why);
    }
    if (why) context.problems.push({ path: `${entryPath(index)}/${field}`, message: why });
  }
}

/** Step 3: a valid entry is kept unless the same identity (text, lang, target_lang) is already listed. */
function acceptEntry(
  entry: DesiredEntry,
  raw: unknown,
  index: number,
  parts: VocabularyParts,
  byText: Map<string, number | number[]>,
  problems: RuleProblem[],
): void {
  const seen = byText.get(entry.text);
  const same = seen === undefined ? undefined : findSameIdentity(parts.entries, seen, entry);
  if (same !== undefined) {
    const first = parts.entryIndexes[same]!;
    const what = [entry.lang && `lang ${entry.lang}`, entry.target_lang && `target_lang ${entry.target_lang}`].filter(Boolean).join(', ');
    problems.push({
      path: textPathOf(raw, index),
      relatedPath: `/entries/${first}`,
      message: `duplicate entry ${quote(entry.text)}${what ? ` (${what})` : ''}: the same text${what ? ` and language` : ''} is already listed`,
    });
    return;
  }
  const position = parts.entries.length;
  if (seen === undefined) byText.set(entry.text, position);
  else if (typeof seen === 'number') byText.set(entry.text, [seen, position]);
  else seen.push(position);
  parts.entries.push(entry);
  parts.entryIndexes.push(index);
}

/** The position of an accepted entry with the same identity (text, lang, target_lang) among those with its text. */
function findSameIdentity(accepted: readonly DesiredEntry[], positions: number | readonly number[], entry: DesiredEntry): number | undefined {
  // An absent language and an empty one were always one identity here.
  const same = (position: number): boolean => {
    const other = accepted[position]!;
    return (other.lang ?? '') === (entry.lang ?? '') && (other.target_lang ?? '') === (entry.target_lang ?? '');
  };
  if (typeof positions === 'number') return same(positions) ? positions : undefined;
  return positions.find(same);
}

function entryPath(index: number): string {
  return `/entries/${index}`;
}

/** Where an entry's text is: the item itself for a bare string, its `text` key for a mapping. */
function textPathOf(raw: unknown, index: number): string {
  return typeof raw === 'string' ? entryPath(index) : `${entryPath(index)}/text`;
}

/** Whether the entry mapping last read had no problem of its own (reused for every entry). */
interface EntryReading {
  usable: boolean;
}

/** Reads one entry mapping: unknown keys and wrong types are reported, the rest is kept. */
function readEntryObject(raw: Record<string, unknown>, index: number, context: EntryContext, reading: EntryReading): DesiredEntry | undefined {
  const { problems } = context;
  reading.usable = true;
  // for...in with an own-property check lists what Object.keys lists, without an array per entry.
  for (const key in raw) {
    if (!Object.prototype.hasOwnProperty.call(raw, key)) continue;
    if (!ENTRY_KEYS.includes(key)) {
      problems.push({ path: `${entryPath(index)}/${joinPath(key).slice(1)}`, pointsAt: 'key', message: `unknown key ${quote(key)}${suggest(key, ENTRY_KEYS)}` });
      reading.usable = false;
    }
  }
  const text = raw['text'];
  // An entry without a text is not kept, whatever `reading.usable` says.
  if (text === undefined || text === null) {
    problems.push({ path: entryPath(index), message: 'entry has no "text"' });
    return undefined;
  }
  if (typeof text !== 'string') {
    const hint = typeof text === 'number' || typeof text === 'boolean' ? `; quote it: "${String(text)}"` : '';
    problems.push({ path: `${entryPath(index)}/text`, message: `text must be a string, not ${describeType(text)}${hint}` });
    return undefined;
  }
  const entry: DesiredEntry = { text: normalizeText(text) };
  const weight = raw['weight'];
  if (weight !== undefined) {
    const why = checkWeight(weight, context.model);
    if (why) {
      problems.push({ path: `${entryPath(index)}/weight`, message: why });
      reading.usable = false;
    } else entry.weight = weight as number;
  }
  for (const field of STRING_FIELDS) {
    const value = raw[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') {
      problems.push({ path: `${entryPath(index)}/${field}`, message: `${field} must be a string, not ${describeType(value)}` });
      reading.usable = false;
      continue;
    }
    entry[field] = field === 'translation' ? normalizeText(value) : value;
  }
  return entry;
}
