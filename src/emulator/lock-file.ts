/**
 * An exclusive lock file, so that several processes can read-modify-write one state file
 * without losing each other's writes. Created with `wx` (fails when it exists); a lock whose
 * owner died, or that is older than `staleMs`, is broken.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import {
  DEFAULT_LOCK_STALE_MS,
  DEFAULT_LOCK_TIMEOUT_MS,
  LOCK_RETRY_MAX_MS,
  LOCK_RETRY_MIN_MS,
} from './constants.js';
import { isErrnoCode } from './persistence.js';

/** Options of `withFileLock`. */
export interface FileLockOptions {
  /** A lock older than this (ms) is presumed abandoned (default 10 s). */
  staleMs?: number;
  /** Give up after waiting this long (ms, default 30 s). */
  timeoutMs?: number;
}

interface LockOwner {
  pid: number;
  host: string;
  token: string;
}

/** Runs `task` while holding the lock file `lockPath`; the lock is always released. */
export async function withFileLock<T>(lockPath: string, task: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const token = await acquireLock(lockPath, options);
  try {
    return await task();
  } finally {
    await releaseLock(lockPath, token);
  }
}

async function acquireLock(lockPath: string, options: FileLockOptions): Promise<string> {
  const staleMs = options.staleMs ?? DEFAULT_LOCK_STALE_MS;
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
  const owner: LockOwner = { pid: process.pid, host: hostname(), token: randomBytes(8).toString('hex') };
  let wait = LOCK_RETRY_MIN_MS;
  // The lock sits beside the state file, whose folder may not exist before the first write.
  await mkdir(dirname(lockPath), { recursive: true });
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify(owner), 'utf8');
      } finally {
        await handle.close();
      }
      return owner.token;
    } catch (error) {
      if (!isErrnoCode(error, 'EEXIST')) throw new Error(`could not create lock file ${lockPath}`, { cause: error });
    }
    if (await breakStaleLock(lockPath, staleMs)) continue;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for the lock file ${lockPath}; if no other vocab process is running, remove it`);
    }
    // Jittered, doubling waits: many waiters do not retry in lockstep.
    await new Promise((resolve) => setTimeout(resolve, wait / 2 + Math.random() * wait));
    wait = Math.min(wait * 2, LOCK_RETRY_MAX_MS);
  }
}

async function readOwner(lockPath: string): Promise<LockOwner | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(lockPath, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'pid' in parsed && 'host' in parsed && 'token' in parsed) {
      const { pid, host, token } = parsed;
      if (typeof pid === 'number' && typeof host === 'string' && typeof token === 'string') return { pid, host, token };
    }
  } catch {
    // Missing, or created but not yet written: judged by its age alone.
  }
  return undefined;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return !isErrnoCode(error, 'ESRCH');
  }
}

async function breakStaleLock(lockPath: string, staleMs: number): Promise<boolean> {
  let ageMs: number;
  try {
    ageMs = Date.now() - (await stat(lockPath)).mtimeMs;
  } catch (error) {
    return isErrnoCode(error, 'ENOENT'); // released meanwhile: try again at once
  }
  const owner = await readOwner(lockPath);
  const ownerDead = owner !== undefined && owner.host === hostname() && !isProcessAlive(owner.pid);
  if (!ownerDead && ageMs <= staleMs) return false;
  // Re-read just before removing, so a lock taken over meanwhile by a live process is kept.
  const again = await readOwner(lockPath);
  if (owner !== undefined && again?.token !== owner.token) return false;
  await unlink(lockPath).catch(() => undefined);
  return true;
}

async function releaseLock(lockPath: string, token: string): Promise<void> {
  // Only remove our own lock: if it was broken as stale, someone else may hold it now.
  const owner = await readOwner(lockPath);
  if (owner?.token === token) await unlink(lockPath).catch(() => undefined);
}
