import { createHash } from 'node:crypto';
import { HASH_PREFIX } from './constants.js';

/**
 * JSON with object keys sorted and undefined members dropped, so equal values always give the
 * same text (and the same hash) whatever order they were built in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    // undefined only reaches here inside arrays, where JSON has null.
    return value === undefined ? 'null' : JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member === undefined) continue;
    members.push(`${JSON.stringify(key)}:${canonicalJson(member)}`);
  }
  return `{${members.join(',')}}`;
}

/** `sha256:` + hex digest of a string (UTF-8). */
export function hashText(text: string): string {
  return HASH_PREFIX + createHash('sha256').update(text, 'utf8').digest('hex');
}
