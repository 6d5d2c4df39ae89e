/** A requests-per-minute limit per account: a sliding 60-second window on an injected clock. */
import { RATE_WINDOW_MS } from './constants.js';

/** Admits or refuses requests; refused ones learn how long to wait. */
export interface RateLimiter {
  /** Admits a request now, or returns the seconds to wait (for `Retry-After`). */
  admit(accountKey: string): { admitted: true } | { admitted: false; retryAfterSeconds: number };
}

/** A limiter allowing `requestsPerMinute` per account (0 or less: no limit). */
export function createRateLimiter(requestsPerMinute: number, now: () => number): RateLimiter {
  const windows = new Map<string, number[]>();
  return {
    admit(accountKey) {
      if (requestsPerMinute <= 0) return { admitted: true };
      const at = now();
      const recent = (windows.get(accountKey) ?? []).filter((t) => at - t < RATE_WINDOW_MS);
      if (recent.length >= requestsPerMinute) {
        windows.set(accountKey, recent);
        const oldest = recent[0] ?? at;
        return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + RATE_WINDOW_MS - at) / 1000)) };
      }
      recent.push(at);
      windows.set(accountKey, recent);
      return { admitted: true };
    },
  };
}
