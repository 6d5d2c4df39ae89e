/** The shape pure rules report in: a path inside the file, not yet a line and column. */
import { didYouMean } from '../util/did-you-mean.js';

/** A problem found by a pure rule; the loader turns `path` into FILE:LINE:COL. */
export interface RuleProblem {
  /** JSON pointer-like path inside the file, e.g. `/entries/3/weight`. */
  path: string;
  message: string;
  severity?: 'error' | 'warning';
  /** Point at the key of `path` rather than its value (unknown or forbidden keys). */
  pointsAt?: 'key';
  /** Another place the message refers to (e.g. the first of two duplicates). */
  relatedPath?: string;
}

/** Joins path segments into a JSON pointer (escaping `~` and `/` as RFC 6901 does). */
export function joinPath(...segments: (string | number)[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Splits a JSON pointer back into segments. */
export function splitPath(path: string): string[] {
  if (path === '') return [];
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A short, safe description of a value's type for messages (never the value itself). */
export function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Uint8Array) return 'binary data';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return `a ${typeof value}`;
}

/** `didYouMean` for config keys and values (its distance counts `lnag` for `lang` as one edit). */
export function suggest(input: string, candidates: readonly string[]): string {
  return didYouMean(input, candidates);
}
