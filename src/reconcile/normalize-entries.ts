/**
 * Entry normalisation: the one definition of "the same entry" and "the same content" shared by
 * the diff, the plan, the fingerprint and apply's adoption of an uncertain create.
 */
import equal from 'fast-deep-equal';
import type { DesiredEntry } from '../config/types.js';
import type { WireEntry } from '../dashscope/types.js';
import { hashText } from './canonical-json.js';

/** Text as compared: Unicode NFC (so composed and decomposed forms are one word), trimmed. */
export function normalizeText(text: string): string {
  return String(text).normalize('NFC').trim();
}

/**
 * One entry in canonical form: text and translation NFC-trimmed, keys in the order
 * text, weight, lang, target_lang, translation, absent (undefined or null) fields dropped,
 * unknown fields dropped.
 */
export function normalizeEntry(entry: WireEntry | DesiredEntry): WireEntry {
  const out: WireEntry = { text: normalizeText(entry.text) };
  // The service may answer null for an absent field; both mean "not set".
  if (entry.weight != null) out.weight = entry.weight;
  if (entry.lang != null) out.lang = entry.lang;
  if (entry.target_lang != null) out.target_lang = entry.target_lang;
  if (entry.translation != null) out.translation = normalizeText(entry.translation);
  return out;
}

// Separators that cannot occur in validated text, so identity keys never collide.
const KEY_SEPARATOR = '\u0000';
const ABSENT = '\u0001';

/** Identity of a normalised entry: (text, lang, target_lang), as one string usable as a Map key. */
export function entryIdentity(entry: WireEntry): string {
  return `${entry.text}${KEY_SEPARATOR}${entry.lang ?? ABSENT}${KEY_SEPARATOR}${entry.target_lang ?? ABSENT}`;
}

/** Normalised entries in canonical order (by identity, then by the rest): the order-free form of a list. */
export function normalizeEntries(entries: readonly (WireEntry | DesiredEntry)[]): WireEntry[] {
  const keyed = entries.map((raw) => {
    const entry = normalizeEntry(raw);
    return { key: entryIdentity(entry), entry };
  });
  keyed.sort((a, b) => {
    if (a.key !== b.key) return a.key < b.key ? -1 : 1;
    // Same identity twice (only on a list written by another tool): order by the other fields.
    const left = JSON.stringify(a.entry);
    const right = JSON.stringify(b.entry);
    return left < right ? -1 : left > right ? 1 : 0;
  });
  return keyed.map((k) => k.entry);
}

/** True when two entry lists hold the same entries, ignoring order, absent fields and NFC form. */
export function entriesEqual(a: readonly (WireEntry | DesiredEntry)[], b: readonly (WireEntry | DesiredEntry)[]): boolean {
  if (a.length !== b.length) return false;
  return equal(normalizeEntries(a), normalizeEntries(b));
}

/** `sha256:` hash of a list's content (target model and order-free normalised entries). */
export function hashContent(targetModel: string, entries: readonly (WireEntry | DesiredEntry)[]): string {
  // Normalised entries have a fixed key order, so plain JSON is canonical here (and fast).
  return hashText(JSON.stringify({ target_model: targetModel, vocabulary: normalizeEntries(entries) }));
}
