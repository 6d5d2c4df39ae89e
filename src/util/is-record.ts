/**
 * The one test for "a mapping": what a JSON object or a YAML mapping parses to. Not null, not an
 * array, not binary data (YAML's `!!binary` parses to a Uint8Array, which is an object too).
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** The value as a mapping, or undefined when it is anything else (see `isRecord`). */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return isRecord(value) ? value : undefined;
}
