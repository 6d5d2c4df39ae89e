import { describe, expect, it } from 'vitest';
import { DashScopeError } from '../../src/dashscope/errors.js';
import { computeBackoffDelay, computeRetryDelay, parseRetryAfter, shouldRetry } from '../../src/dashscope/retry.js';
import type { RetryPolicy } from '../../src/dashscope/retry.js';
import type { VocabularyAction } from '../../src/dashscope/types.js';

const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 10_000, maxRetryAfterMs: 60_000 };

function error(action: VocabularyAction, status: number, code: string, outcomeUnknown: boolean): DashScopeError {
  return new DashScopeError({ action, status, code, message: code, outcomeUnknown });
}

describe('computeBackoffDelay', () => {
  it('is random(0, min(max, base * 2^n))', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((n) => computeBackoffDelay(n, policy, () => 0.999999))).toEqual([
      199, 399, 799, 1599, 3199, 6399, 9999, 9999,
    ]);
    expect(computeBackoffDelay(3, policy, () => 0)).toBe(0);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
  });
  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
  it('is capped by computeRetryDelay', () => {
    expect(computeRetryDelay(0, 3_600_000, policy, () => 0.5)).toBe(60_000);
    expect(computeRetryDelay(0, 2_000, policy, () => 0.5)).toBe(2_000);
    expect(computeRetryDelay(1, undefined, policy, () => 0.5)).toBe(200);
  });
});

describe('shouldRetry', () => {
  it('retries transient failures of idempotent actions', () => {
    expect(shouldRetry(error('update_vocabulary', 429, 'Throttling.RateQuota', false))).toBe(true);
    expect(shouldRetry(error('list_vocabulary', 500, 'InternalError', true))).toBe(true);
    expect(shouldRetry(error('delete_vocabulary', 0, 'NetworkError', true))).toBe(true);
    expect(shouldRetry(error('query_vocabulary', 0, 'Timeout', true))).toBe(true);
  });
  it('never retries quota exhaustion or other 4xx', () => {
    expect(shouldRetry(error('list_vocabulary', 429, 'Throttling.AllocationQuota', false))).toBe(false);
    expect(shouldRetry(error('list_vocabulary', 400, 'InvalidParameter', false))).toBe(false);
    expect(shouldRetry(error('list_vocabulary', 401, 'InvalidApiKey', false))).toBe(false);
    expect(shouldRetry(error('list_vocabulary', 408, 'RequestTimeOut', false))).toBe(false);
  });
  it('retries a create only when it certainly did not take effect', () => {
    expect(shouldRetry(error('create_vocabulary', 429, 'Throttling', false))).toBe(true);
    expect(shouldRetry(error('create_vocabulary', 0, 'NetworkError', false))).toBe(true);
    expect(shouldRetry(error('create_vocabulary', 0, 'NetworkError', true))).toBe(false);
    expect(shouldRetry(error('create_vocabulary', 0, 'Timeout', true))).toBe(false);
    expect(shouldRetry(error('create_vocabulary', 502, 'HttpError', true))).toBe(false);
  });
});
