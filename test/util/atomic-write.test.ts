import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileBackupStore } from '../../src/sync/backups.js';
import { removeTemporaryFiles, temporaryFilePrefix, UnwritableTargetError, writeFileAtomic } from '../../src/util/atomic-write.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vocab-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The id of a process that has exited. */
function exitedPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('writeFileAtomic', () => {
  it('writes the file, its folder made on first use, with the mode asked for and no temporary file left', async () => {
    const file = join(dir, 'sub', 'state.json');
    await writeFileAtomic(file, 'one\n', 'the file', { mode: 0o600 });
    await writeFileAtomic(file, 'two\n', 'the file', { mode: 0o600 });
    expect(await readFile(file, 'utf8')).toBe('two\n');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, 'sub'))).toStrictEqual(['state.json']);
  });

  it('refuses to write through a symbolic link, naming the target as asked', async () => {
    await writeFile(join(dir, 'real.json'), 'kept', 'utf8');
    await symlink('real.json', join(dir, 'link.json'));
    const error = await writeFileAtomic(join(dir, 'link.json'), 'new', 'the backup file').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnwritableTargetError);
    expect((error as Error).message).toMatch(/^the backup file is a symbolic link/);
    expect(await readFile(join(dir, 'real.json'), 'utf8')).toBe('kept');
    expect((await readdir(dir)).sort()).toStrictEqual(['link.json', 'real.json']);
  });
});

describe('removeTemporaryFiles', () => {
  it('removes the leftovers of exited writers and of this process, and keeps those of running ones and other files', async () => {
    const file = join(dir, 'state.json');
    const prefix = temporaryFilePrefix(file);
    expect(prefix).toBe('.state.json.');
    const dead = `${prefix}${exitedPid()}.0123456789ab.tmp`;
    const own = `${prefix}${process.pid}.abcdef012345.tmp`;
    // Process 1 always runs.
    const running = `${prefix}1.0123456789ab.tmp`;
    const others = ['state.json', `${prefix}notes.txt`, '.other.json.1.0123456789ab.tmp'];
    for (const name of [dead, own, running, ...others]) await writeFile(join(dir, name), '{"partial', 'utf8');
    expect(await removeTemporaryFiles(file)).toBe(2);
    expect((await readdir(dir)).sort()).toStrictEqual([running, ...others].sort());
  });

  it('removes nothing, and does not throw, when the folder is missing', async () => {
    expect(await removeTemporaryFiles(join(dir, 'missing', 'state.json'))).toBe(0);
  });
});

describe('backups', () => {
  it('are written through the atomic write: a new folder, the document, no temporary file', async () => {
    const store = createFileBackupStore(join(dir, 'backups'));
    const at = new Date('2026-11-21T11:10:33.123Z');
    const vocabulary = {
      vocabulary_id: 'vocab-movies-1',
      prefix: 'movies',
      target_model: 'fun-asr',
      status: 'OK',
      gmt_create: '2026-11-21 19:00:00',
      gmt_modified: '2026-11-21 19:00:00',
      entries: [{ text: 'a', weight: 4 }],
    };
    const file = await store.save(vocabulary, 'update', at);
    expect(file).toBe(join(dir, 'backups', 'vocab-movies-1.2026-11-21T11-10-33-123Z.json'));
    expect(JSON.parse(await readFile(file, 'utf8'))).toStrictEqual({ format_version: 1, saved_at: at.toISOString(), reason: 'update', ...vocabulary });
    expect(await readdir(join(dir, 'backups'))).toStrictEqual(['vocab-movies-1.2026-11-21T11-10-33-123Z.json']);
  });
});
