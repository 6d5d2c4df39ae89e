/**
 * What the wire description (docs/dashscope-wire.md) allows in the service's answers. Data that
 * breaks it is a protocol error, never data: it would otherwise reach file names, terminals,
 * pull-request comments and CI outputs. Values that are valid on the wire but outside this
 * tool's own validation rules (a 10-character prefix, an unknown model, an over-long text) pass:
 * they are another team's lists, shown and counted.
 */
import type { VocabularyStatus } from './types.js';

/** `vocab-<prefix>-<hex>`: a prefix of lowercase letters and digits, then hex digits. */
export const WIRE_VOCABULARY_ID = /^vocab-([a-z0-9]+)-([0-9a-fA-F]+)$/;

/** Lowercase letters and digits (the service's own prefix rule, with no length bound here). */
export const WIRE_PREFIX = /^[a-z0-9]+$/;

/** A model name: printable ASCII without spaces, at most 128 characters. */
export const WIRE_MODEL = /^[\x21-\x7e]{1,128}$/;

/** A time such as `2025-01-01 10:00:00`: printable ASCII, at most 64 characters (empty when missing). */
export const WIRE_TIME = /^[\x20-\x7e]{0,64}$/;

/** The statuses the service documents. */
export const WIRE_STATUSES: readonly VocabularyStatus[] = ['OK', 'UNDEPLOYED'];

/** Longest excerpt of a bad value quoted in an error. */
const SHOWN_VALUE_CHARS = 80;

/** A bad value for an error message: JSON-quoted (control characters escaped) and cut short. */
export function showWireValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  const cut = text.length > SHOWN_VALUE_CHARS ? `${text.slice(0, SHOWN_VALUE_CHARS)}…` : text;
  // JSON quoting escapes C0 controls; C1 controls, DEL and bidi marks are spelt out too.
  return JSON.stringify(cut).replace(/[\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The prefix of a wire-valid vocabulary id, or null when the id breaks `vocab-<prefix>-<hex>`. */
export function wirePrefixOf(vocabularyId: string): string | null {
  const match = WIRE_VOCABULARY_ID.exec(vocabularyId);
  return match ? match[1]! : null;
}

/** Why a vocabulary id is not valid on the wire, or undefined when it is. */
export function checkWireVocabularyId(value: unknown, where: string): string | undefined {
  if (typeof value !== 'string' || value === '') return `${where} is missing or not a string`;
  if (wirePrefixOf(value) === null) return `${where} ${showWireValue(value)} is not vocab-<prefix>-<hex> (prefix of a-z and 0-9)`;
  return undefined;
}

/** Why a status is not one the service documents, or undefined when it is. */
export function checkWireStatus(value: unknown, where: string): string | undefined {
  if (typeof value !== 'string') return `${where} is missing or not a string`;
  if (!WIRE_STATUSES.includes(value)) return `${where} ${showWireValue(value)} is not a known status (${WIRE_STATUSES.join(' or ')})`;
  return undefined;
}

/** Why a target model is not a model name, or undefined when it is. */
export function checkWireModel(value: unknown, where: string): string | undefined {
  if (typeof value !== 'string') return `${where} is missing or not a string`;
  if (!WIRE_MODEL.test(value)) return `${where} ${showWireValue(value)} is not a model name (1 to 128 printable ASCII characters, no spaces)`;
  return undefined;
}

/** Why a time is not a plain time string, or undefined when it is. */
export function checkWireTime(value: string, where: string): string | undefined {
  if (!WIRE_TIME.test(value)) return `${where} ${showWireValue(value)} is not a time (YYYY-MM-DD HH:MM:SS)`;
  return undefined;
}
