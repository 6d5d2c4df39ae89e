/** Options of `createRateLimiter`. */
export interface RateLimiterOptions {
  /** Sustained rate; `0`, a negative number or `Infinity` turns the limiter off. */
  requestsPerMinute: number;
  /** Requests let through back to back after a quiet period (at least 1). */
  burst: number;
  /** Clock in milliseconds. */
  now: () => number;
  /** Waits `ms` milliseconds. */
  sleep: (ms: number) => Promise<void>;
}

/** A client-side limiter that makes callers wait for a slot instead of failing. */
export interface RateLimiter {
  /** Waits for the next slot; resolves to the milliseconds waited (0 when a slot was free). */
  acquire(): Promise<number>;
}

/**
 * A rate limiter using the generic cell rate algorithm (a token bucket kept as one timestamp):
 * each request books the next slot synchronously, so concurrent callers are served in order
 * without a queue, and the wait is computed up front, which keeps it exact under a fake clock.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { requestsPerMinute, now, sleep } = options;
  if (!(requestsPerMinute > 0) || !Number.isFinite(requestsPerMinute)) {
    return { acquire: () => Promise.resolve(0) };
  }
  const interval = 60_000 / requestsPerMinute;
  const tolerance = (Math.max(1, Math.floor(options.burst)) - 1) * interval;
  // Theoretical arrival time of the next request when the bucket is drained.
  let nextSlot = Number.NEGATIVE_INFINITY;
  return {
    async acquire(): Promise<number> {
      const t = now();
      const start = Math.max(t, nextSlot - tolerance);
      nextSlot = Math.max(nextSlot, t) + interval;
      const wait = Math.ceil(start - t);
      if (wait > 0) await sleep(wait);
      return wait > 0 ? wait : 0;
    },
  };
}
