import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulatorServer } from '../../src/emulator/server.js';
import { loadStateFile } from '../../src/emulator/persistence.js';
import { EmulatorStateError, fingerprintApiKey } from '../../src/emulator/state.js';
import { KEY, callAction, createFakeClock, createList, listPage, makeTempDir, removeDir } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeDir(dir);
});

describe('persistence', () => {
  it('keeps the accounts across a restart, keyed by fingerprint, never by key', async () => {
    const stateFile = join(dir, 'nested', 'state.json');
    const clock = createFakeClock();
    const first = await startEmulatorServer({ apiKeys: [KEY], stateFile, now: clock.now, undeployedMs: 1000 });
    const id = await createList(first.url, 'keep', [{ text: '夏洛特烦恼', weight: 5 }]);
    await first.close();

    const text = await readFile(stateFile, 'utf8');
    expect(text).not.toContain(KEY);
    const saved = JSON.parse(text) as { format_version: number; accounts: Record<string, { vocabularies: unknown[] }> };
    expect(saved.format_version).toBe(1);
    expect(Object.keys(saved.accounts)).toEqual([fingerprintApiKey(KEY)]);
    expect(saved.accounts[fingerprintApiKey(KEY)]!.vocabularies[0]).toMatchObject({
      vocabulary_id: id,
      prefix: 'keep',
      target_model: 'fun-asr',
      vocabulary: [{ text: '夏洛特烦恼', weight: 5 }],
      gmt_create: '2024-11-05 16:31:32',
      created_at_ms: clock.now(),
      modified_at_ms: clock.now(),
    });

    // The UNDEPLOYED delay runs from the stored time, across the restart.
    const second = await startEmulatorServer({ apiKeys: [KEY], stateFile, now: clock.now, undeployedMs: 1000 });
    try {
      expect((await listPage(second.url)).map((r) => [r.vocabulary_id, r.status])).toEqual([[id, 'UNDEPLOYED']]);
      clock.advance(1000);
      expect((await listPage(second.url))[0]!.status).toBe('OK');
      const out = await callAction(second.url, { action: 'query_vocabulary', vocabulary_id: id });
      expect((out.json.output as { vocabulary: unknown }).vocabulary).toEqual([{ text: '夏洛特烦恼', weight: 5 }]);
      await callAction(second.url, { action: 'delete_vocabulary', vocabulary_id: id });
    } finally {
      await second.close();
    }
    expect((await loadStateFile(stateFile)).accounts[fingerprintApiKey(KEY)]?.vocabularies).toEqual([]);
  });

  it('writes atomically: no temporary files are left behind', async () => {
    const stateFile = join(dir, 'state.json');
    const server = await startEmulatorServer({ apiKeys: [KEY], stateFile, maxVocabularies: 30 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => createList(server.url, `p${i}`)));
    await server.close();
    expect(await readdir(dir)).toEqual(['state.json']);
    expect((await loadStateFile(stateFile)).accounts[fingerprintApiKey(KEY)]?.vocabularies).toHaveLength(20);
  });

  it('refuses a corrupt state file with a clear error and leaves it untouched', async () => {
    const stateFile = join(dir, 'state.json');
    for (const content of ['{"format_version": 1, "accounts": {', '{"format_version": 99, "accounts": {}}', '{"format_version":1,"accounts":{"sk-plain":{}}}']) {
      await writeFile(stateFile, content);
      const error = await startEmulatorServer({ apiKeys: [KEY], stateFile }).then(
        async (s) => {
          await s.close();
          return undefined;
        },
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(EmulatorStateError);
      expect(String((error as Error).message)).toContain(stateFile);
      expect(await readFile(stateFile, 'utf8')).toBe(content);
    }
  });

  it('starts empty when the state file does not exist yet, and only writes on a write', async () => {
    const stateFile = join(dir, 'later', 'state.json');
    const server = await startEmulatorServer({ apiKeys: [KEY], stateFile });
    await listPage(server.url);
    expect(await readdir(dir)).toEqual([]);
    await createList(server.url);
    await server.close();
    expect(await readdir(join(dir, 'later'))).toEqual(['state.json']);
  });
});

describe('shutdown', () => {
  it('lets an in-flight request finish and flushes its write before close resolves', async () => {
    const stateFile = join(dir, 'state.json');
    let release: () => void = () => undefined;
    let sleeping = false;
    const server = await startEmulatorServer({
      apiKeys: [KEY],
      stateFile,
      latencyMs: 1000,
      sleep: () =>
        new Promise<void>((r) => {
          sleeping = true;
          release = r;
        }),
    });
    const inFlight = createList(server.url, 'late');
    while (!sleeping) await new Promise((r) => setImmediate(r));
    let closed = false;
    const closing = server.close().then(() => (closed = true));
    await new Promise((r) => setImmediate(r));
    expect(closed).toBe(false);
    release();
    expect(await inFlight).toMatch(/^vocab-late-/);
    await closing;
    expect((await loadStateFile(stateFile)).accounts[fingerprintApiKey(KEY)]?.vocabularies).toHaveLength(1);
  });
});
