/** A clock whose sleep advances time instantly and records every wait, so tests never really wait. */
export interface FakeClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Every delay passed to sleep, in order. */
  sleeps: number[];
  advance: (ms: number) => void;
}

/** A fake clock starting at `start` ms. */
export function createFakeClock(start = 1_700_000_000_000): FakeClock {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
    advance: (ms: number) => {
      t += ms;
    },
  };
}
