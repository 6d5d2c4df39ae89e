/**
 * Words for entries and entry diffs, shared by the text and markdown renderers.
 */
import type { DesiredEntry } from '../config/types.js';
import type { Change, ChangedEntry, EntryDiff, Plan } from '../plan/types.js';
import { escapeTerminal } from './escape-terminal.js';

/**
 * A quoted text: JSON quoting, so quotes and C0 controls can never break a line, and the
 * terminal escaping on top for what JSON leaves as is (DEL, C1 controls, bidi overrides).
 */
export function quote(text: string): string {
  return escapeTerminal(JSON.stringify(text));
}

/** A short unquoted field (language, model, prefix, id) with anything that could act on a terminal escaped. */
const plain = escapeTerminal;

/** `"赛德克巴莱" (zh, weight 4)`, `"hello" (en, to zh, translation "你好")`. */
export function formatEntry(entry: DesiredEntry): string {
  const attributes: string[] = [];
  if (entry.lang !== undefined) attributes.push(plain(entry.lang));
  if (entry.weight !== undefined) attributes.push(`weight ${entry.weight}`);
  if (entry.target_lang !== undefined) attributes.push(`to ${plain(entry.target_lang)}`);
  if (entry.translation !== undefined) attributes.push(`translation ${quote(entry.translation)}`);
  return attributes.length === 0 ? quote(entry.text) : `${quote(entry.text)} (${attributes.join(', ')})`;
}

function show(value: string | number | undefined): string {
  if (value === undefined) return '(none)';
  return typeof value === 'number' ? String(value) : quote(value);
}

/** `"x" (zh) weight 3 → 5`, `"x" (en, to zh) translation "a" → "b"`. */
export function formatChangedEntry(entry: ChangedEntry): string {
  const identity = [
    entry.lang === undefined ? undefined : plain(entry.lang),
    entry.target_lang === undefined ? undefined : `to ${plain(entry.target_lang)}`,
  ].filter((p) => p !== undefined);
  const head = identity.length === 0 ? quote(entry.text) : `${quote(entry.text)} (${identity.join(', ')})`;
  const parts: string[] = [];
  if (entry.before.weight !== entry.after.weight) parts.push(`weight ${show(entry.before.weight)} → ${show(entry.after.weight)}`);
  if (entry.before.translation !== entry.after.translation) {
    parts.push(`translation ${show(entry.before.translation)} → ${show(entry.after.translation)}`);
  }
  return `${head} ${parts.join(', ')}`;
}

/** One line of an entry diff. */
export interface DiffLine {
  sign: '+' | '-' | '~';
  text: string;
}

/** The first `max` lines of an entry diff (added, removed, changed) and how many are left out. */
export function entryDiffLines(diff: EntryDiff, max: number): { lines: DiffLine[]; hidden: number } {
  const total = diff.added.length + diff.removed.length + diff.changed.length;
  const lines: DiffLine[] = [];
  // Only the lines shown are formatted: a diff can hold 10,000 entries.
  for (const e of diff.added) {
    if (lines.length >= max) break;
    lines.push({ sign: '+', text: formatEntry(e) });
  }
  for (const e of diff.removed) {
    if (lines.length >= max) break;
    lines.push({ sign: '-', text: formatEntry(e) });
  }
  for (const e of diff.changed) {
    if (lines.length >= max) break;
    lines.push({ sign: '~', text: formatChangedEntry(e) });
  }
  return { lines, hidden: total - lines.length };
}

/** `movies (fun-asr)`, or `old (paraformer-v2 → fun-asr)` for a replace; the name when it is not the prefix. */
export function changeLabel(change: Pick<Change, 'name' | 'prefix' | 'target_model' | 'replaces'>): string {
  const name = change.name !== null && change.name !== change.prefix ? `${change.name} [${change.prefix}]` : change.prefix;
  const model = change.replaces ? `${change.replaces.target_model} → ${change.target_model}` : change.target_model;
  return plain(`${name} (${model})`);
}

/** `Plan: 1 to create, 2 to update, 0 to replace, 1 to delete.` or the no-changes sentence. */
export function planSummaryLine(plan: Pick<Plan, 'summary'>): string {
  const { create, update, replace } = plan.summary;
  const destroy = plan.summary.delete;
  if (create + update + replace + destroy === 0) return 'No changes. The account matches the configuration.';
  return `Plan: ${create} to create, ${update} to update, ${replace} to replace, ${destroy} to delete.`;
}

/** `7 of 10 lists now (5 owned + 2 unmanaged), 8 after the apply, peak 8`. */
export function quotaSentence(plan: Pick<Plan, 'quota' | 'unmanaged'>): string {
  const { limit, used, after, peak } = plan.quota;
  const unmanaged = plan.unmanaged.length;
  return `${used} of ${limit} lists now (${used - unmanaged} owned + ${unmanaged} unmanaged), ${after} after the apply, peak ${peak}`;
}

export { countEntries } from '../util/text.js';
