import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/dashscope/rate-limiter.js';
import { createFakeClock } from './fake-clock.js';

describe('createRateLimiter', () => {
  it('books consecutive slots for concurrent callers (600/min, burst 10)', async () => {
    let t = 0;
    const waits: number[] = [];
    const limiter = createRateLimiter({
      requestsPerMinute: 600,
      burst: 10,
      now: () => t,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    const results = await Promise.all(Array.from({ length: 13 }, () => limiter.acquire()));
    // Ten at once, then one every 100 ms.
    expect(results).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100, 200, 300]);
    expect(waits).toEqual([100, 200, 300]);
    // After a quiet minute the burst is available again.
    t += 60_000;
    const again = await Promise.all(Array.from({ length: 10 }, () => limiter.acquire()));
    expect(again.every((w) => w === 0)).toBe(true);
  });

  it('keeps the sustained rate under a steady stream', async () => {
    const clock = createFakeClock(0);
    const limiter = createRateLimiter({ requestsPerMinute: 600, burst: 1, now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 600; i++) await limiter.acquire();
    // 600 requests at 600/min: the last one starts 599 intervals after the first.
    expect(clock.now()).toBe(59_900);
  });

  it('never waits when turned off', async () => {
    const clock = createFakeClock(0);
    for (const requestsPerMinute of [0, -1, Number.POSITIVE_INFINITY]) {
      const limiter = createRateLimiter({ requestsPerMinute, burst: 1, now: clock.now, sleep: clock.sleep });
      for (let i = 0; i < 100; i++) expect(await limiter.acquire()).toBe(0);
    }
    expect(clock.sleeps).toEqual([]);
  });
});
