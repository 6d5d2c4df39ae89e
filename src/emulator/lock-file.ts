/**
 * Exclusive locks on the embedded account's state file, so that several processes can
 * read-modify-write it (one call) or apply to it (a whole apply) without losing each other's
 * writes. `proper-lockfile` does the work: the lock is a folder made with an atomic `mkdir`,
 * its holder refreshes the folder's time while it lives, and only a lock left unrefreshed for
 * `staleMs` (its holder died) is taken over, so a slow but live holder keeps its lock.
 */
import { mkdir, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleepFor } from 'node:timers/promises';
import lockfile from 'proper-lockfile';
import { DEFAULT_LOCK_STALE_MS, DEFAULT_LOCK_TIMEOUT_MS, LOCK_RETRY_MAX_MS, LOCK_RETRY_MIN_MS } from './constants.js';
import { isErrnoCode } from './persistence.js';

/** Options of `withFileLock` and `acquireFileLock`. */
export interface FileLockOptions {
  /** A lock not refreshed for this long (ms) belongs to a dead process (default 10 s, at least 2 s). */
  staleMs?: number;
  /** Give up after waiting this long (ms, default 30 s). */
  timeoutMs?: number;
  /** Told once when the lock is held by someone else and the wait begins, then every `noticeEveryMs`. */
  onWait?: (waitedMs: number) => void;
  /** Interval of `onWait` notices (default 10 s). */
  noticeEveryMs?: number;
  /** Stops the wait when aborted (the promise rejects). */
  signal?: AbortSignal;
}

/** Releases a held lock. */
export type ReleaseLock = () => Promise<void>;

/** Interval of the "still waiting for the lock" notices. */
const LOCK_NOTICE_INTERVAL_MS = 10_000;

/** Runs `task` while holding the lock `lockPath`; the lock is always released. */
export async function withFileLock<T>(lockPath: string, task: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const release = await acquireFileLock(lockPath, options);
  try {
    return await task();
  } finally {
    await release();
  }
}

/** Waits for the lock `lockPath` (jittered, doubling pauses) and returns its release. */
export async function acquireFileLock(lockPath: string, options: FileLockOptions = {}): Promise<ReleaseLock> {
  const started = Date.now();
  const deadline = started + (options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
  const noticeEvery = options.noticeEveryMs ?? LOCK_NOTICE_INTERVAL_MS;
  let nextNotice = started;
  let pause = LOCK_RETRY_MIN_MS;
  // The lock sits beside the state file, whose folder may not exist before the first write.
  await mkdir(dirname(lockPath), { recursive: true });
  for (;;) {
    const release = await tryLock(lockPath, options.staleMs ?? DEFAULT_LOCK_STALE_MS);
    if (release) return release;
    const now = Date.now();
    if (options.signal?.aborted) throw new Error(`stopped waiting for the lock ${lockPath}: interrupted`);
    if (now > deadline) {
      throw new Error(`timed out after ${Math.round((now - started) / 1000)} s waiting for the lock file ${lockPath}, held by another vocab process`);
    }
    if (options.onWait && now >= nextNotice) {
      options.onWait(now - started);
      nextNotice = now + noticeEvery;
    }
    // Jittered, doubling pauses: many waiters do not retry in lockstep.
    await sleepFor(pause / 2 + Math.random() * pause);
    pause = Math.min(pause * 2, LOCK_RETRY_MAX_MS);
  }
}

async function tryLock(lockPath: string, staleMs: number): Promise<ReleaseLock | null> {
  try {
    const release = await lockfile.lock(lockPath, {
      lockfilePath: lockPath,
      realpath: false,
      stale: Math.max(2_000, staleMs),
      retries: 0,
      // Compromised (its folder removed or refreshed by someone else): nothing to do but carry on;
      // the writes themselves are atomic, and throwing here would crash the process.
      onCompromised: () => undefined,
    });
    return async () => {
      await release().catch(() => undefined);
    };
  } catch (error) {
    if (isErrnoCode(error, 'ELOCKED')) return null;
    // A stale plain file where the lock folder goes (left by an older vocab): removed, then retried.
    if (isErrnoCode(error, 'ENOTDIR') && (await removeStaleFile(lockPath, staleMs))) return tryLock(lockPath, staleMs);
    throw new Error(`could not take the lock file ${lockPath}`, { cause: error });
  }
}

async function removeStaleFile(lockPath: string, staleMs: number): Promise<boolean> {
  try {
    if (Date.now() - (await stat(lockPath)).mtimeMs <= staleMs) return false;
    await unlink(lockPath);
  } catch {
    // Gone meanwhile: try again.
  }
  return true;
}
