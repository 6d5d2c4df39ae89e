/**
 * The one home of "does this look like a secret?": an API key pasted in the wrong place (as
 * `--env`, `--config`, a region, an endpoint, a file path, any flag or config value) must never be
 * quoted back into an error message, where CI logs keep it. Every message that quotes a value
 * the user gave goes through `quoteValue`.
 */

/** How long a quoted value may be; longer ones are cut. */
export const MAX_QUOTED_VALUE = 40;

/** What a message says instead of a value that looks like a secret. */
export const HIDDEN_SECRET = '(a value that looks like a secret such as an API key; not shown)';

/** `sk-` and 8 or more key characters: DashScope (and similar) API keys, anywhere in a text. */
const API_KEY = /(?<![A-Za-z0-9])sk-[A-Za-z0-9_-]{8,}/;
/** `sk-` and 20 or more letters or digits: the shape written into files that is always refused. */
const API_KEY_STRICT = /sk-[A-Za-z0-9]{20,}/;
/** An `Authorization` value: `Bearer <token>`. */
const BEARER = /\bBearer\s+[^\s"',;]{4,}/i;
/** Any bearer token in a text, for redaction. */
export const BEARER_TOKEN = /\b(Bearer)\s+[^\s"',;]+/gi;
/** Runs of token characters long enough to be a random credential (base64, hex, base62). */
const TOKEN_RUN = /[A-Za-z0-9+/=]{20,}/g;
/** Fewest distinct characters in a run that is taken for a random token. */
const MIN_DISTINCT = 10;
/** Lowest Shannon entropy (bits per character) of a run taken for a random token. */
const MIN_ENTROPY = 3;

/** Bits per character of a string (Shannon entropy of its characters). */
export function entropyPerCharacter(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** A long run of letters and digits mixed, with many distinct characters: a random token. */
function isRandomToken(run: string): boolean {
  if (!/[A-Za-z]/.test(run) || !/[0-9]/.test(run)) return false;
  if (new Set(run).size < MIN_DISTINCT) return false;
  return entropyPerCharacter(run) >= MIN_ENTROPY;
}

/**
 * True when a value looks like a secret: an `sk-…` API key, a `Bearer …` token, or a long
 * high-entropy string (20+ letters and digits, mixed, many distinct characters) anywhere in it.
 * Words, paths, URLs, model names, dates and UUIDs do not.
 */
export function looksLikeSecret(value: string): boolean {
  if (value.length < 12) return false; // shorter than any shape below: ruled out at once
  if (API_KEY.test(value) || BEARER.test(value)) return true;
  for (const run of value.match(TOKEN_RUN) ?? []) if (isRandomToken(run)) return true;
  return false;
}

/**
 * True for the unmistakable shapes only: an `sk-…` key or a `Bearer …` token. Such a value is
 * refused outright where a name or a path is expected; the broader `looksLikeSecret` (which a
 * commit hash in a file name can match) only hides a value from messages.
 */
export function isCredentialShaped(value: string): boolean {
  return value.length >= 11 && (API_KEY.test(value) || BEARER.test(value));
}

/** The narrow test used on file contents: `sk-` and 20 or more letters or digits. */
export function looksLikeApiKey(value: string): boolean {
  return value.length >= 23 && API_KEY_STRICT.test(value);
}

/**
 * A user value quoted for a message (JSON string syntax, cut when long), or `HIDDEN_SECRET`
 * when it looks like a secret. Never returns the value of a secret, whole or in part.
 */
export function quoteValue(value: string, maxLength = MAX_QUOTED_VALUE): string {
  if (looksLikeSecret(value)) return HIDDEN_SECRET;
  const points = [...value];
  const cut = points.length > maxLength ? `${points.slice(0, maxLength).join('')}…` : value;
  return JSON.stringify(cut).replace(INVISIBLE_OR_CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** What JSON.stringify leaves as it is but a terminal must not get raw: C1 controls, line separators, bidirectional controls. */
const INVISIBLE_OR_CONTROL = /[\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** A value shown as it is unless it looks like a secret (for names already known to be safe shapes, e.g. paths in FILE:LINE:COL). */
export function showValue(value: string): string {
  return looksLikeSecret(value) ? HIDDEN_SECRET : value;
}

/** Replaces the user name and password of a URL with `mask` (`https://u:p@host/` -> `https://***@host/`); works on unparsable text too. */
export function maskUrlCredentials(url: string, mask: string): string {
  // Anything between `scheme://` and the last `@` of the authority (a password may hold an `@`).
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, `$1${mask}@`);
}
