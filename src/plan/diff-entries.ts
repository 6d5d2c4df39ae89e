/**
 * Entry-level difference of two lists by identity (text, lang, target_lang): entries are matched
 * through a Map by identity, so the cost is linear and only the differences are sorted.
 */
import type { DesiredEntry } from '../config/types.js';
import type { WireEntry } from '../dashscope/types.js';
import { compareKeyed, prepareEntries, sameInOrder, type KeyedEntry, type PreparedEntries } from './normalize-entries.js';
import type { ChangedEntry, EntryDiff } from './types.js';
import { compareText } from '../util/text.js';
import { countEntries } from '../util/text.js';

function sameEntry(a: WireEntry, b: WireEntry): boolean {
  return a.weight === b.weight && a.translation === b.translation;
}

function describeChanged(before: WireEntry, after: WireEntry): ChangedEntry {
  const changed: ChangedEntry = { text: after.text, before: {}, after: {} };
  if (after.lang !== undefined) changed.lang = after.lang;
  if (after.target_lang !== undefined) changed.target_lang = after.target_lang;
  if (before.weight !== after.weight) {
    if (before.weight !== undefined) changed.before.weight = before.weight;
    if (after.weight !== undefined) changed.after.weight = after.weight;
  }
  if (before.translation !== after.translation) {
    if (before.translation !== undefined) changed.before.translation = before.translation;
    if (after.translation !== undefined) changed.after.translation = after.translation;
  }
  return changed;
}

/** Pairs the entries of one identity on both sides (nearly always one each). */
function pairRun(before: KeyedEntry[], after: KeyedEntry[], diff: EntryDiff): void {
  const left = before.map((k) => k.entry);
  for (const { entry } of after) {
    // Prefer an exact match, so duplicates pair up the same way an order-free comparison does.
    let index = left.findIndex((candidate) => sameEntry(candidate, entry));
    if (index >= 0) {
      left.splice(index, 1);
      continue;
    }
    index = 0;
    const [previous] = left.splice(index, 1);
    if (previous) diff.changed.push(describeChanged(previous, entry));
    else diff.added.push(entry);
  }
  diff.removed.push(...left);
}

/** Index of each identity in a list, and the identities it holds more than once. */
function indexByKey(keys: readonly string[]): { first: Map<string, number>; repeated: Set<string> } {
  const first = new Map<string, number>();
  const repeated = new Set<string>();
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (first.has(key)) repeated.add(key);
    else first.set(key, i);
  }
  return { first, repeated };
}


/** One result with the identity it sorts by. */
interface Found<T> {
  key: string;
  value: T;
}

/** Results in identity order; the sort is stable, so one identity's results keep their order. */
function inKeyOrder<T>(found: Found<T>[]): T[] {
  return found.sort((a, b) => compareText(a.key, b.key)).map((f) => f.value);
}

/**
 * The diff of two prepared lists; results come in canonical (identity) order. Lists that hold
 * the same entries in the same order are recognised without further work; otherwise entries
 * are matched through a Map by identity, and only the differences are sorted.
 */
export function diffPrepared(before: PreparedEntries, after: PreparedEntries): EntryDiff {
  if (sameInOrder(before, after)) return { added: [], removed: [], changed: [] };
  const a = before.normalized;
  const b = after.normalized;
  const aKeys = before.keys;
  const bKeys = after.keys;
  const left = indexByKey(aKeys);
  const right = indexByKey(bKeys);
  // An identity held twice on either side is paired as a run, as in an order-free comparison.
  const runs = new Map<string, { before: KeyedEntry[]; after: KeyedEntry[] }>();
  for (const key of [...left.repeated, ...right.repeated]) runs.set(key, { before: [], after: [] });

  const added: Found<WireEntry>[] = [];
  const removed: Found<WireEntry>[] = [];
  const changed: Found<ChangedEntry>[] = [];
  const matched = new Uint8Array(a.length);
  for (let j = 0; j < b.length; j++) {
    const key = bKeys[j]!;
    const run = runs.get(key);
    if (run) {
      run.after.push({ key, entry: b[j]! });
      continue;
    }
    const i = left.first.get(key);
    if (i === undefined) {
      added.push({ key, value: b[j]! });
      continue;
    }
    matched[i] = 1;
    if (!sameEntry(a[i]!, b[j]!)) changed.push({ key, value: describeChanged(a[i]!, b[j]!) });
  }
  // Stryker disable next-line EqualityOperator: one step past the end finds no key and no run, and pushes nothing
  for (let i = 0; i < a.length; i++) {
    const key = aKeys[i]!;
    const run = runs.get(key);
    if (run) run.before.push({ key, entry: a[i]! });
    else if (matched[i] === 0) removed.push({ key, value: a[i]! });
  }
  for (const [key, run] of runs) {
    // Within one identity, canonical order is by the other fields.
    run.before.sort(compareKeyed);
    run.after.sort(compareKeyed);
    const found: EntryDiff = { added: [], removed: [], changed: [] };
    pairRun(run.before, run.after, found);
    for (const value of found.added) added.push({ key, value });
    for (const value of found.removed) removed.push({ key, value });
    for (const value of found.changed) changed.push({ key, value });
  }
  return { added: inKeyOrder(added), removed: inKeyOrder(removed), changed: inKeyOrder(changed) };
}

/**
 * What turns `before` (the remote list) into `after` (the desired entries): entries added,
 * removed, and changed (same identity, other weight or translation). Order-insensitive and
 * NFC-insensitive; results come in canonical (identity) order.
 */
export function diffEntries(before: readonly WireEntry[], after: readonly DesiredEntry[]): EntryDiff {
  return diffPrepared(prepareEntries(before), prepareEntries(after));
}

/** True when a diff holds no difference: nothing added, removed or changed. */
export function isEmptyDiff(diff: EntryDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
}

/** Counts of a diff in words: "2 entries added, 1 removed, 3 reweighted, 1 retranslated" (empty string when none). */
export function describeEntryDiff(diff: EntryDiff): string {
  let reweighted = 0;
  let retranslated = 0;
  for (const c of diff.changed) {
    if (c.before.weight !== c.after.weight) reweighted++;
    if (c.before.translation !== c.after.translation) retranslated++;
  }
  const terms: [number, string][] = [
    [diff.added.length, 'added'],
    [diff.removed.length, 'removed'],
    [reweighted, 'reweighted'],
    [retranslated, 'retranslated'],
  ];
  const parts: string[] = [];
  for (const [count, verb] of terms) {
    if (count === 0) continue;
    // Only the first term names the noun: "2 entries added, 1 removed".
    parts.push(parts.length === 0 ? `${countEntries(count)} ${verb}` : `${count} ${verb}`);
  }
  return parts.join(', ');
}
