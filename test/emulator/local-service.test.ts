import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DashScopeError } from '../../src/dashscope/errors.js';
import { startEmulatorServer } from '../../src/emulator/server.js';
import { createLocalVocabularyService, lockPathFor } from '../../src/emulator/local-service.js';
import { fingerprintApiKey } from '../../src/emulator/state.js';
import { callAction, createCountingIds, createFakeClock, makeTempDir, removeDir } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeDir(dir);
});

const entry = { text: '赛德克巴莱', weight: 4, lang: 'zh' };

async function captureError(promise: Promise<unknown>): Promise<DashScopeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DashScopeError)) throw new Error(`expected a DashScopeError, got ${String(error)}`);
  return error;
}

describe('embedded local account', () => {
  it('runs every action on a state file created with its folder on first write', async () => {
    const stateFile = join(dir, '.vocab', 'local-account.json');
    const clock = createFakeClock();
    const service = createLocalVocabularyService({ stateFile, now: clock.now, generateId: createCountingIds() });
    expect(await service.listVocabularies()).toEqual([]);
    expect(existsSync(join(dir, '.vocab'))).toBe(false); // reads write nothing

    const id = await service.createVocabulary({ prefix: 'movies', targetModel: 'fun-asr', vocabulary: [entry] });
    expect(id).toBe(`vocab-movies-${'1'.padStart(32, '0')}`);
    // default: no UNDEPLOYED period, so the demo is instant
    expect(await service.listVocabularies({ prefix: 'movies' })).toEqual([
      { gmt_create: '2024-11-05 16:31:32', vocabulary_id: id, gmt_modified: '2024-11-05 16:31:32', status: 'OK' },
    ]);
    expect(await service.queryVocabulary(id)).toEqual({
      vocabulary_id: id,
      gmt_create: '2024-11-05 16:31:32',
      gmt_modified: '2024-11-05 16:31:32',
      target_model: 'fun-asr',
      status: 'OK',
      vocabulary: [entry],
    });
    clock.advance(2000);
    await service.updateVocabulary(id, [{ text: 'Seediq Bale', weight: 5, lang: 'en' }]);
    const updated = await service.queryVocabulary(id);
    expect(updated.vocabulary).toEqual([{ text: 'Seediq Bale', weight: 5, lang: 'en' }]);
    expect(updated.gmt_modified).toBe('2024-11-05 16:31:34');
    await service.deleteVocabulary(id);
    expect(await service.listVocabularies()).toEqual([]);
    await service.close?.();

    const saved = await readFile(stateFile, 'utf8');
    expect(saved).not.toContain('sk-local-emulator');
    expect(Object.keys((JSON.parse(saved) as { accounts: object }).accounts)).toEqual([fingerprintApiKey('sk-local-emulator')]);
    expect((await readdir(join(dir, '.vocab'))).sort()).toEqual(['local-account.json']); // no lock, no temp files
  });

  it('paginates and honours the UNDEPLOYED delay when one is configured', async () => {
    const clock = createFakeClock();
    const service = createLocalVocabularyService({ stateFile: join(dir, 's.json'), now: clock.now, undeployedMs: 100, maxPageSize: 2 });
    for (const prefix of ['a', 'b', 'c']) {
      await service.createVocabulary({ prefix, targetModel: 'fun-asr', vocabulary: [entry] });
      clock.advance(10);
    }
    const page0 = await service.listVocabularies({ pageSize: 50 });
    expect(page0).toHaveLength(2);
    expect(page0.map((r) => r.status)).toEqual(['UNDEPLOYED', 'UNDEPLOYED']);
    expect(await service.listVocabularies({ pageIndex: 1, pageSize: 2 })).toHaveLength(1);
    expect(await service.listVocabularies({ pageIndex: 2, pageSize: 2 })).toEqual([]);
    clock.advance(100);
    expect((await service.listVocabularies()).map((r) => r.status)).toEqual(['OK', 'OK']);
  });

  it('throws DashScopeError with the code, status and message the HTTP front answers', async () => {
    const service = createLocalVocabularyService({ stateFile: join(dir, 's.json'), maxVocabularies: 1 });
    const server = await startEmulatorServer({ apiKeys: ['k'], maxVocabularies: 1 });
    try {
      const cases: { input: Record<string, unknown>; run: () => Promise<unknown> }[] = [
        {
          input: { action: 'create_vocabulary', target_model: 'fun-asr', prefix: 'Bad-Prefix', vocabulary: [entry] },
          run: () => service.createVocabulary({ prefix: 'Bad-Prefix', targetModel: 'fun-asr', vocabulary: [entry] }),
        },
        {
          input: { action: 'create_vocabulary', target_model: 'fun-asr', prefix: 'ok', vocabulary: [{ text: 'x', weight: 7 }] },
          run: () => service.createVocabulary({ prefix: 'ok', targetModel: 'fun-asr', vocabulary: [{ text: 'x', weight: 7 }] }),
        },
        {
          input: { action: 'query_vocabulary', vocabulary_id: 'vocab-nope-0' },
          run: () => service.queryVocabulary('vocab-nope-0'),
        },
        {
          input: { action: 'delete_vocabulary', vocabulary_id: 'vocab-nope-0' },
          run: () => service.deleteVocabulary('vocab-nope-0'),
        },
      ];
      for (const { input, run } of cases) {
        const http = await callAction(server.url, input, 'k');
        const local = await captureError(run());
        expect([local.status, local.code, local.message]).toEqual([http.status, http.json.code, http.json.message]);
        expect(local.outcomeUnknown).toBe(false);
        expect(local.action).toBe(input.action);
        expect(local.requestId).toMatch(/^[0-9a-f-]{36}$/);
      }
      // the quota: 429 Throttling.AllocationQuota on both
      await service.createVocabulary({ prefix: 'one', targetModel: 'fun-asr', vocabulary: [entry] });
      await callAction(server.url, { action: 'create_vocabulary', target_model: 'fun-asr', prefix: 'one', vocabulary: [entry] }, 'k');
      const http = await callAction(server.url, { action: 'create_vocabulary', target_model: 'fun-asr', prefix: 'two', vocabulary: [entry] }, 'k');
      const local = await captureError(service.createVocabulary({ prefix: 'two', targetModel: 'fun-asr', vocabulary: [entry] }));
      expect([local.status, local.code, local.message]).toEqual([429, 'Throttling.AllocationQuota', http.json.message]);
      expect(http.status).toBe(429);
    } finally {
      await server.close();
    }
  });

  it('keeps accounts apart by API key within one file', async () => {
    const stateFile = join(dir, 's.json');
    const a = createLocalVocabularyService({ stateFile, apiKey: 'sk-a' });
    const b = createLocalVocabularyService({ stateFile, apiKey: 'sk-b' });
    await a.createVocabulary({ prefix: 'a', targetModel: 'fun-asr', vocabulary: [entry] });
    expect(await b.listVocabularies()).toEqual([]);
    expect(await a.listVocabularies()).toHaveLength(1);
  });

  it('reports a corrupt state file and does not overwrite it', async () => {
    const stateFile = join(dir, 's.json');
    await writeFile(stateFile, 'not json');
    const service = createLocalVocabularyService({ stateFile });
    await expect(service.createVocabulary({ prefix: 'a', targetModel: 'fun-asr', vocabulary: [entry] })).rejects.toThrow(/not valid JSON/);
    await expect(service.listVocabularies()).rejects.toThrow(stateFile);
    expect(await readFile(stateFile, 'utf8')).toBe('not json');
    expect(existsSync(lockPathFor(stateFile))).toBe(false);
  });

  it('loses no write when many in-process services create lists on one file at once', async () => {
    const stateFile = join(dir, 's.json');
    const services = Array.from({ length: 8 }, () => createLocalVocabularyService({ stateFile, maxVocabularies: 1000 }));
    const ids = await Promise.all(
      Array.from({ length: 48 }, (_, i) =>
        services[i % services.length]!.createVocabulary({ prefix: `p${i}`, targetModel: 'fun-asr', vocabulary: [entry] }),
      ),
    );
    expect(new Set(ids).size).toBe(48);
    const listed = await services[0]!.listVocabularies({ pageSize: 100 });
    expect(listed.map((r) => r.vocabulary_id).sort()).toEqual([...ids].sort());
    expect(await readdir(dir)).toEqual(['s.json']);
  });

  it('loses no write when several processes create lists on one file at once', async () => {
    const built = resolve('dist/emulator/local-service.js');
    if (!existsSync(built)) throw new Error(`${built} is missing: run "npm run build" first (npm test does)`);
    const stateFile = join(dir, 'shared.json');
    const script = join(dir, 'writer.mjs');
    await writeFile(
      script,
      `const { createLocalVocabularyService } = await import(process.argv[2]);
const service = createLocalVocabularyService({ stateFile: process.argv[3], maxVocabularies: 1000 });
for (let i = 0; i < 6; i++) {
  await service.createVocabulary({ prefix: 'w' + process.argv[4] + 'n' + i, targetModel: 'fun-asr', vocabulary: [{ text: 'word', weight: 4 }] });
}
`,
    );
    const writers = Array.from({ length: 5 }, (_, n) =>
      new Promise<{ code: number | null; stderr: string }>((done) => {
        const child = spawn(process.execPath, [script, pathToFileURL(built).href, stateFile, String(n)], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (code) => done({ code, stderr }));
      }),
    );
    for (const result of await Promise.all(writers)) expect(result, result.stderr).toMatchObject({ code: 0 });
    const saved = JSON.parse(await readFile(stateFile, 'utf8')) as { accounts: Record<string, { vocabularies: { prefix: string }[] }> };
    const prefixes = Object.values(saved.accounts).flatMap((a) => a.vocabularies.map((v) => v.prefix));
    expect(prefixes).toHaveLength(30);
    expect(new Set(prefixes).size).toBe(30);
    expect((await readdir(dir)).sort()).toEqual(['shared.json', 'writer.mjs']);
  });

  it('takes over a lock that its holder stopped refreshing (the holder died)', async () => {
    const stateFile = join(dir, 's.json');
    const lock = lockPathFor(stateFile);
    // A live holder refreshes its lock folder's time; a dead one leaves it to age.
    await mkdir(lock);
    const past = new Date(Date.now() - 120_000);
    await utimes(lock, past, past);
    const service = createLocalVocabularyService({ stateFile, lock: { staleMs: 60_000, timeoutMs: 5_000 } });
    await service.createVocabulary({ prefix: 'a', targetModel: 'fun-asr', vocabulary: [entry] });
    expect(existsSync(lock)).toBe(false);
  });

  it('removes an old lock file of an older version that is past the stale age', async () => {
    const stateFile = join(dir, 's.json');
    const lock = lockPathFor(stateFile);
    await writeFile(lock, JSON.stringify({ pid: process.pid, host: 'elsewhere', token: 'old' }));
    const past = new Date(Date.now() - 120_000);
    await utimes(lock, past, past);
    const service = createLocalVocabularyService({ stateFile, lock: { staleMs: 60_000, timeoutMs: 5_000 } });
    await service.createVocabulary({ prefix: 'a', targetModel: 'fun-asr', vocabulary: [entry] });
    expect(existsSync(lock)).toBe(false);
  });

  it('waits for a live lock and gives up with a clear error after the timeout', async () => {
    const stateFile = join(dir, 's.json');
    const { hostname } = await import('node:os');
    await writeFile(lockPathFor(stateFile), JSON.stringify({ pid: process.pid, host: hostname(), token: 'held' }));
    const service = createLocalVocabularyService({ stateFile, lock: { staleMs: 60_000, timeoutMs: 50 } });
    await expect(service.createVocabulary({ prefix: 'a', targetModel: 'fun-asr', vocabulary: [entry] })).rejects.toThrow(/lock file/);
    expect(existsSync(stateFile)).toBe(false);
  });
});
