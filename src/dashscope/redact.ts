import { BEARER_TOKEN, maskUrlCredentials } from '../util/secrets.js';
import { REDACTED } from './defaults.js';

/** How deep `sanitizeCause` follows a chain of `cause`s; real chains are two or three long. */
const MAX_CAUSE_DEPTH = 4;

/** Replaces every occurrence of each secret (and any `Bearer <token>`) in `text` with `***`. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  // Longest first, so a secret that contains another is removed whole.
  const sorted = secrets.filter((s): s is string => typeof s === 'string' && s.length > 0).sort((a, b) => b.length - a.length);
  for (const secret of sorted) out = out.split(secret).join(REDACTED);
  return out.replace(BEARER_TOKEN, `$1 ${REDACTED}`);
}

/** Masks the user name and password of a URL (`https://u:p@host/` -> `https://***@host/`); other text is kept. */
export function redactUrl(url: string): string {
  return maskUrlCredentials(url, REDACTED);
}

/**
 * A copy of a thrown value that is safe to keep as an error's `cause`: an `Error` with the same
 * name, message, `code` and stack, all redacted, and its own cause sanitized the same way.
 * Library errors can quote request headers (undici does for a bad header value), so the
 * original object is never kept.
 */
export function sanitizeCause(value: unknown, secrets: readonly (string | undefined)[], depth = 0): Error {
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  const message = typeof record?.['message'] === 'string' ? record['message'] : String(value);
  const copy = new Error(redactSecrets(message, secrets));
  const name = record?.['name'];
  if (typeof name === 'string' && name !== 'Error') copy.name = redactSecrets(name, secrets);
  const code = record?.['code'];
  if (typeof code === 'string' || typeof code === 'number') {
    Object.defineProperty(copy, 'code', { value: code, enumerable: true, writable: false });
  }
  const stack = record?.['stack'];
  copy.stack = typeof stack === 'string' ? redactSecrets(stack, secrets) : `${copy.name}: ${copy.message}`;
  const inner = record?.['cause'];
  if (inner !== undefined && depth < MAX_CAUSE_DEPTH) {
    Object.defineProperty(copy, 'cause', {
      value: sanitizeCause(inner, secrets, depth + 1),
      enumerable: false,
      writable: false,
    });
  }
  return copy;
}
