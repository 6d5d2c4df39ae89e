/**
 * Entry-level difference of two lists, keyed by identity (text, lang, target_lang):
 * linear in the number of entries.
 */
import type { DesiredEntry } from '../config/types.js';
import type { WireEntry } from '../dashscope/types.js';
import { entryIdentity, normalizeEntry } from './normalize-entries.js';
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

/**
 * What turns `before` (the remote list) into `after` (the desired entries): entries added,
 * removed, and changed (same identity, other weight or translation). Order-insensitive;
 * results follow the order of their input list.
 */
export function diffEntries(before: readonly WireEntry[], after: readonly DesiredEntry[]): EntryDiff {
  // A queue per identity: a list written by another tool may hold one identity twice.
  const remaining = new Map<string, WireEntry[]>();
  for (const raw of before) {
    const entry = normalizeEntry(raw);
    const key = entryIdentity(entry);
    const queue = remaining.get(key);
    if (queue) queue.push(entry);
    else remaining.set(key, [entry]);
  }
  const added: DesiredEntry[] = [];
  const changed: ChangedEntry[] = [];
  for (const raw of after) {
    const entry = normalizeEntry(raw);
    const queue = remaining.get(entryIdentity(entry));
    if (!queue || queue.length === 0) {
      added.push(entry);
      continue;
    }
    // Prefer an exact match, so duplicates pair up the same way an order-free comparison does.
    let index = queue.findIndex((candidate) => sameEntry(candidate, entry));
    const exact = index >= 0;
    if (!exact) index = 0;
    const [previous] = queue.splice(index, 1);
    if (!exact && previous) changed.push(describeChanged(previous, entry));
  }
  const removed: DesiredEntry[] = [];
  for (const queue of remaining.values()) removed.push(...queue);
  return { added, removed, changed };
}

/** True when a diff holds no difference. */
export function isEmptyDiff(diff: EntryDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
}

/** Counts of a diff in words: "2 entries added, 1 removed, 3 reweighted, 1 retranslated" (empty string when none). */
export function describeEntryDiff(diff: EntryDiff): string {
  const reweighted = diff.changed.filter((c) => c.before.weight !== c.after.weight).length;
  const retranslated = diff.changed.filter((c) => c.before.translation !== c.after.translation).length;
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
