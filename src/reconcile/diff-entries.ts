/**
 * Entry-level difference of two lists by identity (text, lang, target_lang): both lists are
 * put in canonical order once, then walked side by side, so the cost is one sort per list.
 */
import type { DesiredEntry } from '../config/types.js';
import type { WireEntry } from '../dashscope/types.js';
import { prepareEntries, type KeyedEntry, type PreparedEntries } from './normalize-entries.js';
import type { ChangedEntry, EntryDiff } from './types.js';

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

/** The diff of two prepared lists; results come in canonical (identity) order. */
export function diffPrepared(before: PreparedEntries, after: PreparedEntries): EntryDiff {
  const diff: EntryDiff = { added: [], removed: [], changed: [] };
  const a = before.keyed;
  const b = after.keyed;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const left = a[i]!;
    const right = b[j]!;
    if (left.key < right.key) {
      diff.removed.push(left.entry);
      i++;
    } else if (left.key > right.key) {
      diff.added.push(right.entry);
      j++;
    } else if (a[i + 1]?.key !== left.key && b[j + 1]?.key !== left.key) {
      if (!sameEntry(left.entry, right.entry)) diff.changed.push(describeChanged(left.entry, right.entry));
      i++;
      j++;
    } else {
      let iEnd = i;
      while (iEnd < a.length && a[iEnd]!.key === left.key) iEnd++;
      let jEnd = j;
      while (jEnd < b.length && b[jEnd]!.key === left.key) jEnd++;
      pairRun(a.slice(i, iEnd), b.slice(j, jEnd), diff);
      i = iEnd;
      j = jEnd;
    }
  }
  for (; i < a.length; i++) diff.removed.push(a[i]!.entry);
  for (; j < b.length; j++) diff.added.push(b[j]!.entry);
  return diff;
}

/**
 * What turns `before` (the remote list) into `after` (the desired entries): entries added,
 * removed, and changed (same identity, other weight or translation). Order-insensitive and
 * NFC-insensitive; results come in canonical (identity) order.
 */
export function diffEntries(before: readonly WireEntry[], after: readonly DesiredEntry[]): EntryDiff {
  return diffPrepared(prepareEntries(before), prepareEntries(after));
}

/** True when a diff holds no difference. */
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
    parts.push(parts.length === 0 ? `${count} ${count === 1 ? 'entry' : 'entries'} ${verb}` : `${count} ${verb}`);
  }
  return parts.join(', ');
}
