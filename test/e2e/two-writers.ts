/**
 * What the two-writers tests share (test/e2e/concurrent-applies.test.ts and the reliability
 * family in test/reliability/concurrency.test.ts): an emulator behind a gate proxy that holds
 * the creates until both applies sent theirs (so both planned before either wrote), the most
 * lists the account ever held, and the embedded account's apply lock held while both plan.
 */
import type { ReleaseLock } from '../../src/emulator/lock-file.js';
import { acquireFileLock } from '../../src/emulator/lock-file.js';
import { applyLockPathFor } from '../../src/emulator/local-service.js';
import { startEmulatorServer, type EmulatorServer } from '../../src/emulator/server.js';
import { startGateProxy, type GateProxy } from './gate-proxy.js';

/** Options of `startRace`. */
export interface RaceOptions {
  /** The account's key. */
  key: string;
  /** The account's list quota. */
  quota: number;
  /** Latency of every answer, so the two applies overlap. */
  latencyMs: number;
  /** Creates held at the gate until this many arrived (both applies' first creates). */
  gateCreates: number;
  /** How long the gate waits for them at most. */
  gateTimeoutMs?: number;
}

/**
 * An emulator (no UNDEPLOYED wait, no update spacing) and the gate proxy in front of it; point
 * both applies at `proxy.url`. The caller closes the server; the proxy closes with the test.
 */
export async function startRace(options: RaceOptions): Promise<{ server: EmulatorServer; proxy: GateProxy }> {
  const server = await startEmulatorServer({
    port: 0,
    apiKeys: [options.key],
    maxVocabularies: options.quota,
    undeployedMs: 0,
    updateIntervalMs: 0,
    latencyMs: options.latencyMs,
  });
  const gate = options.gateTimeoutMs === undefined ? {} : { gateTimeoutMs: options.gateTimeoutMs };
  const proxy = await startGateProxy({ target: server.url, gateCreates: options.gateCreates, ...gate });
  return { server, proxy };
}

/** Starts two writers at once and waits for both. */
export function twoAtOnce<T>(start: () => Promise<T>): Promise<[T, T]> {
  return Promise.all([start(), start()]);
}

/** The most lists the account held at any moment, replaying every answered write (setup included) in order. */
export function peakCount(server: EmulatorServer): number {
  let count = 0;
  let peak = 0;
  for (const entry of server.requestLog.entries()) {
    if (entry.status !== 200) continue;
    if (entry.action === 'create_vocabulary') count++;
    if (entry.action === 'delete_vocabulary') count--;
    peak = Math.max(peak, count);
  }
  return peak;
}

/** Holds the apply lock of the embedded account in `stateFile`: applies started meanwhile plan, then wait for it. */
export function holdApplyLock(stateFile: string): Promise<ReleaseLock> {
  return acquireFileLock(applyLockPathFor(stateFile));
}
