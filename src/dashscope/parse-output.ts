import type { VocabularyDetail, VocabularySummary, WireEntry } from './types.js';
import { isRecord } from '../util/is-record.js';
import { checkWireModel, checkWireStatus, checkWireTime, checkWireVocabularyId, showWireValue, wirePrefixOf } from './wire-rules.js';

/** A parsed value, or what was wrong with the body (for a `MalformedResponse` error). */
export type ParseResult<T> = { ok: true; value: T } | { ok: false, problem: string };

type Json = Record<string, unknown>;

/**
 * Reads `output.vocabulary_id` of a `create_vocabulary` answer: a wire-valid id, with the prefix
 * asked for when `prefix` is given.
 */
export function parseCreateOutput(output: Json, prefix?: string): ParseResult<string> {
  const id = output['vocabulary_id'];
  if (typeof id === 'string' && id !== '') {
    const problem = checkWireVocabularyId(id, 'output.vocabulary_id');
    if (problem !== undefined) return { ok: false, problem };
    if (prefix !== undefined && wirePrefixOf(id) !== prefix) {
      return { ok: false, problem: `output.vocabulary_id ${showWireValue(id)} does not carry the prefix ${showWireValue(prefix)} that was created` };
    }
    return { ok: true, value: id };
  }
  if (typeof output['task_id'] === 'string') {
    // An older page shows create answering with an asynchronous task; no SDK handles that shape.
    return { ok: false, problem: 'output has a task_id but no vocabulary_id (asynchronous create is not supported)' };
  }
  return { ok: false, problem: 'output.vocabulary_id is missing or not a string' };
}

/** Reads `output.vocabulary_list` of a `list_vocabulary` answer, keeping exactly the four documented fields. */
export function parseListOutput(output: Json): ParseResult<VocabularySummary[]> {
  const list = output['vocabulary_list'];
  if (!Array.isArray(list)) return { ok: false, problem: 'output.vocabulary_list is missing or not an array' };
  const rows: VocabularySummary[] = [];
  for (const [i, item] of list.entries()) {
    if (!isRecord(item)) return { ok: false, problem: `output.vocabulary_list[${i}] is not an object` };
    const row = parseSummaryFields(item, `output.vocabulary_list[${i}]`);
    if (typeof row === 'string') return { ok: false, problem: row };
    const id = item['vocabulary_id'];
    const idProblem = checkWireVocabularyId(id, `output.vocabulary_list[${i}].vocabulary_id`);
    if (idProblem !== undefined) return { ok: false, problem: idProblem };
    rows.push({ vocabulary_id: id as string, ...row });
  }
  return { ok: true, value: rows };
}

/** Reads a `query_vocabulary` answer; the id is the one that was asked for (the output does not repeat it). */
export function parseQueryOutput(output: Json, vocabularyId: string): ParseResult<VocabularyDetail> {
  const fields = parseSummaryFields(output, 'output');
  if (typeof fields === 'string') return { ok: false, problem: fields };
  const targetModel = output['target_model'];
  const modelProblem = checkWireModel(targetModel, 'output.target_model');
  if (modelProblem !== undefined || typeof targetModel !== 'string') return { ok: false, problem: modelProblem ?? 'output.target_model is not a string' };
  const list = output['vocabulary'];
  if (!Array.isArray(list)) return { ok: false, problem: 'output.vocabulary is missing or not an array' };
  const entries: WireEntry[] = [];
  for (let i = 0; i < list.length; i++) {
    const entry = parseEntry(list[i]);
    if (entry === undefined) return { ok: false, problem: `output.vocabulary[${i}] is not an entry with a text` };
    entries.push(entry);
  }
  return { ok: true, value: { vocabulary_id: vocabularyId, ...fields, target_model: targetModel, vocabulary: entries } };
}

/** The three summary fields besides the id; a string names the first one that is wrong. */
function parseSummaryFields(item: Json, where: string): Omit<VocabularySummary, 'vocabulary_id'> | string {
  const status = item['status'];
  const statusProblem = checkWireStatus(status, `${where}.status`);
  if (statusProblem !== undefined || typeof status !== 'string') return statusProblem ?? `${where}.status is not a string`;
  const gmtCreate = optionalString(item['gmt_create']);
  const gmtModified = optionalString(item['gmt_modified']);
  // Times are informational; a server that leaves one out still gives a usable row.
  if (gmtCreate === undefined) return `${where}.gmt_create is not a string`;
  if (gmtModified === undefined) return `${where}.gmt_modified is not a string`;
  const timeProblem = checkWireTime(gmtCreate, `${where}.gmt_create`) ?? checkWireTime(gmtModified, `${where}.gmt_modified`);
  if (timeProblem !== undefined) return timeProblem;
  return { gmt_create: gmtCreate, gmt_modified: gmtModified, status };
}

/** A string as is, a missing value as '', anything else as undefined (wrong). */
function optionalString(value: unknown): string | undefined {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : undefined;
}

/** The documented entry fields, in the order `parseEntry` writes them, with their types. */
const ENTRY_FIELDS: readonly (readonly [string, 'string' | 'number'])[] = [
  ['text', 'string'],
  ['weight', 'number'],
  ['lang', 'string'],
  ['target_lang', 'string'],
  ['translation', 'string'],
];

/**
 * True when an entry holds nothing but documented fields, of the right types (no null), in the
 * order `parseEntry` writes them: it is its own parsed form.
 */
function isExactEntry(item: Record<string, unknown>): boolean {
  let next = 0;
  for (const key in item) {
    if (!Object.prototype.hasOwnProperty.call(item, key)) continue;
    while (next < ENTRY_FIELDS.length && ENTRY_FIELDS[next]![0] !== key) next++;
    if (next === ENTRY_FIELDS.length || typeof item[key] !== ENTRY_FIELDS[next]![1]) return false;
    next++;
  }
  return true;
}

/**
 * One entry with only the documented fields, or undefined when it has no text or a field of the
 * wrong type. An entry that already is exactly that is returned as it is (the answers are fresh
 * objects: copying 100,000 of them for a plan only fed the garbage collector).
 */
export function parseEntry(item: unknown): WireEntry | undefined {
  if (!isRecord(item) || typeof item['text'] !== 'string') return undefined;
  if (isExactEntry(item)) return item as unknown as WireEntry;
  const entry: WireEntry = { text: item['text'] };
  const weight = item['weight'];
  if (weight !== undefined && weight !== null) {
    if (typeof weight !== 'number') return undefined;
    entry.weight = weight;
  }
  for (const key of ['lang', 'target_lang', 'translation'] as const) {
    const value = item[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') return undefined;
    entry[key] = value;
  }
  return entry;
}

/**
 * Checks rows that did not come through `parseListOutput` (the embedded account answers
 * in-process) against the same wire rules; returns the rows or the first problem.
 */
export function checkListedRows(rows: readonly unknown[]): ParseResult<VocabularySummary[]> {
  return parseListOutput({ vocabulary_list: rows });
}

/** Checks a query answer that did not come through `parseQueryOutput` against the same wire rules. */
export function checkQueriedDetail(detail: VocabularyDetail): ParseResult<VocabularyDetail> {
  const { vocabulary_id: id, ...output } = detail;
  const idProblem = checkWireVocabularyId(id, 'vocabulary_id');
  if (idProblem !== undefined) return { ok: false, problem: idProblem };
  return parseQueryOutput(output, id);
}
