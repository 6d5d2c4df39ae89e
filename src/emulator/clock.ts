/** The emulator's clock: the real (or injected) time plus an offset that the admin API moves forward. */

/** A clock that can be advanced, never moved back. */
export interface EmulatorClock {
  /** Epoch milliseconds, offset included (a plain function: it is handed around on its own). */
  now: () => number;
  /** Moves the clock forward by `ms` (at least 0). */
  advance(ms: number): void;
  /** How far the clock has been moved, ms. */
  offsetMs(): number;
  /** Forgets the offset. */
  reset(): void;
}

/** A clock over `base` (default `Date.now`). */
export function createEmulatorClock(base: () => number = Date.now): EmulatorClock {
  let offset = 0;
  return {
    now: () => base() + offset,
    advance(ms) {
      if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`the clock only moves forward, by a finite amount, not ${ms}`);
      offset += ms;
    },
    offsetMs: () => offset,
    reset() {
      offset = 0;
    },
  };
}
