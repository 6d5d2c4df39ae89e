/**
 * The embedded account's locks (proper-lockfile): a live holder keeps its lock however long it
 * holds it; waiters take turns, never two at once; a lock whose holder died is taken over.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireFileLock, withFileLock } from '../../src/emulator/lock-file.js';
import { makeTempDir, removeDir } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeDir(dir);
});

describe('file locks', () => {
  it('a live holder keeps its lock past the stale age: a waiter times out instead of breaking it', async () => {
    const lock = join(dir, 'state.json.lock');
    const release = await acquireFileLock(lock, { staleMs: 2_000 });
    try {
      await expect(acquireFileLock(lock, { staleMs: 2_000, timeoutMs: 3_500 })).rejects.toThrow(/timed out .* waiting for the lock/);
    } finally {
      await release();
    }
    // Released: the next one gets it at once.
    await (await acquireFileLock(lock, { timeoutMs: 1_000 }))();
  });

  it('many waiters take turns: never two holders at once', async () => {
    const lock = join(dir, 'state.json.lock');
    let holders = 0;
    let most = 0;
    let done = 0;
    await Promise.all(
      Array.from({ length: 12 }, () =>
        withFileLock(lock, async () => {
          holders++;
          most = Math.max(most, holders);
          await new Promise((r) => setTimeout(r, 5));
          holders--;
          done++;
        }),
      ),
    );
    expect(done).toBe(12);
    expect(most).toBe(1);
  });

  it('a lock left by a dead holder (not refreshed for the stale age) is taken over', async () => {
    const lock = join(dir, 'state.json.lock');
    // What a killed holder leaves: the lock folder, with an old time.
    await mkdir(lock);
    const { utimes } = await import('node:fs/promises');
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    const release = await acquireFileLock(lock, { staleMs: 2_000, timeoutMs: 5_000 });
    await release();
  });
});
