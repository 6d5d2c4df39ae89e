import type { DashScopeError } from './errors.js';

/** Service code of a 429 that means a quota is exhausted: waiting does not help. */
export const ALLOCATION_QUOTA_CODE = 'Throttling.AllocationQuota';

/** The knobs of the retry loop (see `HttpClientOptions` for their defaults). */
export interface RetryPolicy {
  /** Attempts per call, the first one included. */
  maxAttempts: number;
  /** The n-th retry (n from 0) waits a random time in [0, min(maxDelayMs, baseDelayMs * 2^n)). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Ceiling of a server-sent `Retry-After`. */
  maxRetryAfterMs: number;
}

/** True for failures that can pass by themselves: throttling (not quota exhaustion), 5xx, network errors and timeouts. */
export function isTransientError(error: DashScopeError): boolean {
  if (error.code === 'NetworkError' || error.code === 'Timeout') return true;
  if (error.status === 429) return error.code !== ALLOCATION_QUOTA_CODE;
  return error.status >= 500 && error.status <= 599;
}

/**
 * Whether a failed attempt may be made again.
 *
 * A create is never retried blindly: it is retried only when the request certainly did not take
 * effect (a 429 throttling reject, a connection refused before anything was sent). When its
 * outcome is unknown (timeout, 5xx, dropped connection) a retry could make a second list with
 * the same prefix, so the error goes straight to the caller, who lists the prefix and looks first.
 * Update and delete are idempotent (entries are replaced whole; a delete twice deletes once),
 * so they are retried on every transient failure.
 */
export function shouldRetry(error: DashScopeError): boolean {
  // A refusal by a named rule (update spacing, a sub-workspace) is not cured by a quick retry.
  if (error.rejection !== undefined) return false;
  if (!isTransientError(error)) return false;
  if (error.action === 'create_vocabulary' && error.outcomeUnknown) return false;
  return true;
}

/** Backoff before retry number `retryIndex` (0 for the first retry), with full jitter. */
export function computeBackoffDelay(retryIndex: number, policy: RetryPolicy, random: () => number): number {
  // Full jitter spreads concurrent clients apart instead of having them retry in lockstep.
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * ceiling);
}

/**
 * Milliseconds a `Retry-After` header asks to wait: delay-seconds or an HTTP date (relative to
 * `nowMs`); `undefined` when absent or unreadable. Not capped here.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP date always has a month name; this keeps Date.parse from reading '-5' as a year.
  if (!/[a-z]{3}/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** How long to wait before the next attempt: the server's `Retry-After` (capped) when given, else the backoff. */
export function computeRetryDelay(
  retryIndex: number,
  retryAfterMs: number | undefined,
  policy: RetryPolicy,
  random: () => number,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  return computeBackoffDelay(retryIndex, policy, random);
}
