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
  const value = String(text);
  // ASCII is already NFC, and normalize() is the costliest step of preparing 100,000 entries.
  return (NON_ASCII.test(value) ? value.normalize('NFC') : value).trim();
}

// Any character outside 7-bit ASCII.
const NON_ASCII = /[^\x00-\x7f]/;

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

/** A normalised entry with its identity key. */
export interface KeyedEntry {
  key: string;
  entry: WireEntry;
}

/** A list prepared once for comparing, diffing and hashing. */
export interface PreparedEntries {
  /** Normalised entries, in the input order (what is written to the service). */
  normalized: WireEntry[];
  /** The same entries in canonical order: by identity, then by the other fields. */
  keyed: KeyedEntry[];
}

function compareKeyed(a: KeyedEntry, b: KeyedEntry): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  // Same identity twice (only on a list written by another tool): order by the other fields.
  const left = JSON.stringify(a.entry);
  const right = JSON.stringify(b.entry);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Normalises a list once, keeping both the input order and the canonical order. */
export function prepareEntries(entries: readonly (WireEntry | DesiredEntry)[]): PreparedEntries {
  const normalized = entries.map((raw) => normalizeEntry(raw));
  const keyed = normalized.map((entry) => ({ key: entryIdentity(entry), entry }));
  keyed.sort(compareKeyed);
  return { normalized, keyed };
}

/** Normalised entries in canonical order (by identity, then by the rest): the order-free form of a list. */
export function normalizeEntries(entries: readonly (WireEntry | DesiredEntry)[]): WireEntry[] {
  return prepareEntries(entries).keyed.map((k) => k.entry);
}

/** True when two entry lists hold the same entries, ignoring order, absent fields and NFC form. */
export function entriesEqual(a: readonly (WireEntry | DesiredEntry)[], b: readonly (WireEntry | DesiredEntry)[]): boolean {
  if (a.length !== b.length) return false;
  return equal(normalizeEntries(a), normalizeEntries(b));
}

/** True when two prepared lists hold the same entries (the fast form of `entriesEqual`). */
export function preparedEqual(a: PreparedEntries, b: PreparedEntries): boolean {
  if (a.keyed.length !== b.keyed.length) return false;
  for (let i = 0; i < a.keyed.length; i++) {
    const left = a.keyed[i]!;
    const right = b.keyed[i]!;
    if (left.key !== right.key || !equal(left.entry, right.entry)) return false;
  }
  return true;
}

/** `sha256:` hash of a prepared list's content (target model and order-free normalised entries). */
export function hashPrepared(targetModel: string, prepared: PreparedEntries): string {
  // Normalised entries have a fixed key order, so plain JSON is canonical here (and fast).
  return hashText(JSON.stringify({ target_model: targetModel, vocabulary: prepared.keyed.map((k) => k.entry) }));
}

/** `sha256:` hash of a list's content (target model and order-free normalised entries). */
export function hashContent(targetModel: string, entries: readonly (WireEntry | DesiredEntry)[]): string {
  return hashPrepared(targetModel, prepareEntries(entries));
}
