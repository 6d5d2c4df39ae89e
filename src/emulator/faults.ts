/**
 * Injected faults: a scripted queue consumed in order by matching requests, and seeded random
 * faults that are reproducible for a given seed and request sequence.
 */
import { DEFAULT_FAULT_SEED } from './constants.js';

/** The kinds of fault the emulator can inject. */
export type FaultKind =
  /** 500 InternalError; nothing is done. */
  | 'http-500'
  /** 429 Throttling.RateQuota with Retry-After; nothing is done. */
  | 'rate-limit-429'
  /** 502 with an HTML body, as from a gateway in front of the service; nothing is done. */
  | 'html-502'
  /** The socket is destroyed without an answer; nothing is done. */
  | 'drop-connection'
  /** The action is carried out (and persisted), then the answer is a 500 InternalError. */
  | 'commit-then-fail'
  /** The action is carried out (and persisted), then the socket is destroyed. */
  | 'commit-then-drop';

/** Every fault kind, in the order random faults choose among them. */
export const FAULT_KINDS: readonly FaultKind[] = [
  'http-500',
  'rate-limit-429',
  'html-502',
  'drop-connection',
  'commit-then-fail',
  'commit-then-drop',
];

/** One scripted fault: applied to the next request whose action matches (any action when omitted). */
export interface ScriptedFault {
  action?: string;
  fault: FaultKind;
}

/** Options of the fault injector. */
export interface FaultOptions {
  /** Scripted faults, consumed in order by matching requests. */
  faults?: readonly ScriptedFault[];
  /** Share of requests (0..1) that get a random fault (default 0). */
  faultRate?: number;
  /** Seed of the random faults (default 1). */
  faultSeed?: number;
  /** Kinds random faults choose among (default all). */
  faultKinds?: readonly FaultKind[];
}

/** Picks the fault, if any, for each request. */
export interface FaultInjector {
  /** The fault for a request with this action (consumes a scripted fault or a random draw). */
  pickFault(action: string | null): FaultKind | null;
  /** Appends scripted faults to the queue. */
  scriptFaults(faults: readonly ScriptedFault[]): void;
  /** Scripted faults not yet consumed. */
  pendingFaults(): ScriptedFault[];
}

/** Whether a string names a fault kind. */
export function isFaultKind(value: string): value is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(value);
}

/** mulberry32: a tiny seeded PRNG returning numbers in [0, 1). Plenty for fault draws. */
export function createSeededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Creates a fault injector from its options. */
export function createFaultInjector(options: FaultOptions): FaultInjector {
  const queue: ScriptedFault[] = [...(options.faults ?? [])];
  const rate = options.faultRate ?? 0;
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`faultRate must be between 0 and 1, not ${rate}`);
  const kinds = options.faultKinds ?? FAULT_KINDS;
  if (kinds.length === 0) throw new RangeError('faultKinds must name at least one fault kind');
  const random = createSeededRandom(options.faultSeed ?? DEFAULT_FAULT_SEED);
  return {
    pickFault(action) {
      const index = queue.findIndex((f) => f.action === undefined || f.action === action);
      if (index >= 0) return queue.splice(index, 1)[0]?.fault ?? null;
      if (rate === 0) return null;
      // Two draws per request whatever the outcome, so a given seed gives the same sequence.
      const hit = random() < rate;
      const kind = kinds[Math.floor(random() * kinds.length)] ?? null;
      return hit ? kind : null;
    },
    scriptFaults(faults) {
      queue.push(...faults);
    },
    pendingFaults() {
      return queue.map((f) => ({ ...f }));
    },
  };
}
