/**
 * Entry normalisation: the one definition of "the same entry" and "the same content" shared by
 * the diff, the plan, the fingerprint and apply's adoption of an uncertain create.
 */
import equal from 'fast-deep-equal';
import type { DesiredEntry } from '../config/types.js';
import type { WireEntry } from '../dashscope/types.js';
import { hashText } from './canonical-json.js';
import { compareText, normalizeText } from '../util/text.js';


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

// Position of each field in canonical key order.
const FIELD_RANK: Readonly<Record<string, number>> = { text: 0, weight: 1, lang: 2, target_lang: 3, translation: 4 };

/** True when `normalizeEntry` would return an equal entry with the same key order. */
function isCanonicalEntry(entry: WireEntry | DesiredEntry): boolean {
  let rank = -1;
  for (const key in entry) {
    const next = Object.prototype.hasOwnProperty.call(FIELD_RANK, key) ? FIELD_RANK[key]! : -1;
    // Unknown, out-of-order and absent (undefined or null) fields are what normalizeEntry drops or moves.
    if (next <= rank || entry[key as keyof WireEntry] == null) return false;
    rank = next;
  }
  if (rank < 0 || typeof entry.text !== 'string' || normalizeText(entry.text) !== entry.text) return false;
  return entry.translation === undefined || normalizeText(entry.translation) === entry.translation;
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

/**
 * A list prepared for comparing, diffing and hashing. Each form is computed on first use and
 * kept: a plan of an unchanged account needs neither the remote's normalised copy nor any
 * identity order (see `sameInOrder`), and sorting 200,000 entries was the largest cost of a plan.
 */
export class PreparedEntries {
  private normalizedCache: WireEntry[] | undefined;
  private keysCache: string[] | undefined;
  private keyedCache: KeyedEntry[] | undefined;

  constructor(readonly raw: readonly (WireEntry | DesiredEntry)[]) {}

  /** Number of entries. */
  get length(): number {
    return this.raw.length;
  }

  /**
   * Normalised entries, in the input order (what is written to the service). An entry already in
   * canonical form is taken as it is: validated desired entries nearly always are, and copying
   * 100,000 of them only fed the garbage collector.
   */
  get normalized(): WireEntry[] {
    this.normalizedCache ??= this.raw.map((entry) => (isCanonicalEntry(entry) ? entry : normalizeEntry(entry)));
    return this.normalizedCache;
  }

  /** The identity of each entry of `normalized`, at the same index. */
  get keys(): string[] {
    this.keysCache ??= this.normalized.map((entry) => entryIdentity(entry));
    return this.keysCache;
  }

  /** The entries in canonical order: by identity, then by the other fields. */
  get keyed(): KeyedEntry[] {
    // Stryker disable next-line ConditionalExpression: a cache; computing the order again gives the same order
    if (this.keyedCache === undefined) {
      const keys = this.keys;
      this.keyedCache = this.normalized.map((entry, i) => ({ key: keys[i]!, entry }));
      this.keyedCache.sort(compareKeyed);
    }
    return this.keyedCache;
  }
}

/** Canonical order of keyed entries: by identity, then by the other fields. */
export function compareKeyed(a: KeyedEntry, b: KeyedEntry): number {
  // Stryker disable next-line EqualityOperator: the keys differ here, so < and <= agree
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  // Same identity twice (only on a list written by another tool): order by the other fields.
  return compareJson(a.entry, b.entry);
}

function compareJson(a: WireEntry, b: WireEntry): number {
  return compareText(JSON.stringify(a), JSON.stringify(b));
}

/** Prepares a list for comparing, diffing and hashing (no work is done until a form is needed). */
export function prepareEntries(entries: readonly (WireEntry | DesiredEntry)[]): PreparedEntries {
  return new PreparedEntries(entries);
}

/** Normalised entries in canonical order (by identity, then by the rest): the order-free form of a list. */
export function normalizeEntries(entries: readonly (WireEntry | DesiredEntry)[]): WireEntry[] {
  return prepareEntries(entries).keyed.map((k) => k.entry);
}

/** True when two entry lists hold the same entries, ignoring order, absent fields and NFC form. */
export function entriesEqual(a: readonly (WireEntry | DesiredEntry)[], b: readonly (WireEntry | DesiredEntry)[]): boolean {
  return preparedEqual(prepareEntries(a), prepareEntries(b));
}

/** An optional field as read (null or undefined: absent) against the same field normalised. */
function sameOptional(raw: unknown, normalized: unknown): boolean {
  return raw == null ? normalized === undefined : raw === normalized;
}

/**
 * True when `raw`, once normalised, is exactly `normalized`, without normalising it: every field
 * must already be identical. A false answer only means "not sure" (another NFC form, spaces, a
 * field of another type), and callers then take the full, order-free path.
 */
function rawMatches(raw: WireEntry | DesiredEntry, normalized: WireEntry): boolean {
  return (
    raw.text === normalized.text &&
    sameOptional(raw.weight, normalized.weight) &&
    sameOptional(raw.lang, normalized.lang) &&
    sameOptional(raw.target_lang, normalized.target_lang) &&
    sameOptional(raw.translation, normalized.translation)
  );
}

/**
 * True when `a` holds, entry by entry in the same order, what `b` holds normalised: then both are
 * the same content. It is the common case (the service returns a list in the order it was sent)
 * and costs no sort, no Map and no copy of `a`.
 */
export function sameInOrder(a: PreparedEntries, b: PreparedEntries): boolean {
  if (a.length !== b.length) return false;
  const raw = a.raw;
  const normalized = b.normalized;
  for (let i = 0; i < raw.length; i++) if (!rawMatches(raw[i]!, normalized[i]!)) return false;
  return true;
}

/** True when two prepared lists hold the same entries (the fast form of `entriesEqual`). */
export function preparedEqual(a: PreparedEntries, b: PreparedEntries): boolean {
  if (a.length !== b.length) return false;
  // Stryker disable next-line ConditionalExpression: the fast path; the order-free comparison below gives the same answer
  if (sameInOrder(a, b)) return true;
  const left = a.keyed;
  const right = b.keyed;
  for (let i = 0; i < left.length; i++) {
    // Stryker disable next-line ConditionalExpression: the key is made from the entry, so equal entries have equal keys
    if (left[i]!.key !== right[i]!.key || !equal(left[i]!.entry, right[i]!.entry)) return false;
  }
  return true;
}

// 32-bit FNV-1a over UTF-16 code units: a cheap, fixed digest that orders entries for hashing.
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnv1a(hash: number, text: string | undefined): number {
  let h = hash;
  if (text !== undefined) for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  // A separator after each field, so ("ab", "") and ("a", "b") differ.
  return Math.imul(h ^ 0xffff, FNV_PRIME) >>> 0;
}

/** Digest of an entry's identity (text, lang, target_lang); only orders entries, never compares them. */
function identityDigest(entry: WireEntry): number {
  return fnv1a(fnv1a(fnv1a(FNV_OFFSET, entry.text), entry.lang), entry.target_lang);
}

// Packs (digest, index) into one exactly representable double: digest * 2^21 + index.
const INDEX_BITS = 2 ** 21;

/**
 * The hashing order of a list: by the identity digest, then by the entry's JSON text. It depends
 * only on the entries (equal digests fall back to the full text, and entries with equal text are
 * interchangeable), so equal lists in any order hash alike. Sorting numbers in a typed array
 * costs a fraction of sorting 10,000 strings with a comparator.
 */
function hashOrder(entries: readonly WireEntry[]): WireEntry[] {
  const n = entries.length;
  // A typed array: half of all 32-bit digests exceed a small integer and would each be boxed.
  const digests = new Uint32Array(n);
  for (let i = 0; i < n; i++) digests[i] = identityDigest(entries[i]!);
  let order: number[];
  if (n < INDEX_BITS) {
    const packed = new Float64Array(n);
    // Stryker disable next-line EqualityOperator: a typed array ignores a write one past its end
    for (let i = 0; i < n; i++) packed[i] = digests[i]! * INDEX_BITS + i;
    packed.sort();
    // `| 0` keeps the indexes small integers: indexing an array with a double is many times slower.
    order = Array.from(packed, (value) => (value % INDEX_BITS) | 0);
  } else {
    // Lists of 2^21 entries or more (200 times the largest word cap): no unit test reaches here.
    order = entries.map((_, i) => i).sort((x, y) => digests[x]! - digests[y]!);
  }
  // Runs of one digest (the same identity, or a rare collision) are put in JSON text order.
  // Stryker disable next-line EqualityOperator: from the end, a run of one entry is left as it is
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && digests[order[end]!] === digests[order[start]!]) end++;
    if (end - start > 1) {
      const run = order.slice(start, end).sort((x, y) => compareJson(entries[x]!, entries[y]!));
      for (let k = 0; k < run.length; k++) order[start + k] = run[k]!;
    }
    start = end;
  }
  return order.map((i) => entries[i]!);
}

/** `sha256:` hash of a prepared list's content (target model and order-free normalised entries). */
export function hashPrepared(targetModel: string, prepared: PreparedEntries): string {
  // Normalised entries have a fixed key order, so plain JSON is canonical here (and fast).
  return hashText(JSON.stringify({ target_model: targetModel, vocabulary: hashOrder(prepared.normalized) }));
}

/** `sha256:` hash of a list's content (target model and order-free normalised entries). */
export function hashContent(targetModel: string, entries: readonly (WireEntry | DesiredEntry)[]): string {
  return hashPrepared(targetModel, prepareEntries(entries));
}
