/**
 * The HTTP client against the emulator over real loopback HTTP: every action, and every fault
 * the emulator can inject, with the client's real retry rules (only its sleep is instant).
 * The two are written from the wire description without shared code, so each checks the other.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DashScopeError } from '../../src/dashscope/errors.js';
import { createHttpVocabularyService } from '../../src/dashscope/http-client.js';
import { listAllVocabularies } from '../../src/dashscope/list-all.js';
import type { VocabularyService } from '../../src/dashscope/types.js';
import type { FaultKind } from '../../src/emulator/faults.js';
import { startEmulatorServer, type EmulatorServer } from '../../src/emulator/server.js';

const KEY = 'sk-clientemulator0123456789abcdef';
const ENTRIES = [
  { text: '赛德克巴莱', weight: 4, lang: 'zh' },
  { text: 'Seediq Bale', weight: 4, lang: 'en' },
];

let emulator: EmulatorServer;
let client: VocabularyService;

function clientFor(server: EmulatorServer, apiKey = KEY, maxAttempts?: number): VocabularyService {
  return createHttpVocabularyService({
    baseUrl: server.url,
    apiKey,
    sleep: async () => undefined,
    requestsPerMinute: 0,
    ...(maxAttempts ? { maxAttempts } : {}),
  });
}

/** How many requests of one action reached the emulator. */
function requests(action: string): number {
  return emulator.requestLog.entries().filter((e) => e.action === action).length;
}

beforeEach(async () => {
  emulator = await startEmulatorServer({ port: 0, apiKeys: [KEY], undeployedMs: 0, updateIntervalMs: 0, maxPageSize: 3 });
  client = clientFor(emulator);
});

afterEach(async () => {
  await emulator.close();
});

describe('client and emulator: the five actions', () => {
  it('creates, lists, queries, updates and deletes', async () => {
    const id = await client.createVocabulary({ prefix: 'movies', targetModel: 'fun-asr', vocabulary: ENTRIES });
    expect(id).toMatch(/^vocab-movies-[0-9a-f]{32}$/);
    const rows = await client.listVocabularies({ prefix: 'movies' });
    expect(rows.map((r) => r.vocabulary_id)).toEqual([id]);
    expect(Object.keys(rows[0]!).sort()).toEqual(['gmt_create', 'gmt_modified', 'status', 'vocabulary_id']);
    const detail = await client.queryVocabulary(id);
    expect(detail).toMatchObject({ target_model: 'fun-asr', status: 'OK', vocabulary: ENTRIES });
    await client.updateVocabulary(id, [{ text: '夏洛特烦恼', weight: 5, lang: 'zh' }]);
    expect((await client.queryVocabulary(id)).vocabulary).toEqual([{ text: '夏洛特烦恼', weight: 5, lang: 'zh' }]);
    await client.deleteVocabulary(id);
    expect(await client.listVocabularies()).toEqual([]);
  });

  it('lists the whole account across pages the server caps silently', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push(await client.createVocabulary({ prefix: `p${i}`, targetModel: 'fun-asr', vocabulary: ENTRIES }));
    emulator.requestLog.clear();
    const all = await listAllVocabularies(client, { pageSize: 10 });
    expect(all.map((r) => r.vocabulary_id).sort()).toEqual([...ids].sort());
    expect(requests('list_vocabulary')).toBeGreaterThanOrEqual(3);
  });

  it('answers the service errors without retrying them', async () => {
    await expect(clientFor(emulator, 'sk-wrongkey0123456789abcdef').listVocabularies()).rejects.toMatchObject({ status: 401, code: 'InvalidApiKey' });
    for (let i = 0; i < 10; i++) await client.createVocabulary({ prefix: `q${i}`, targetModel: 'fun-asr', vocabulary: ENTRIES });
    emulator.requestLog.clear();
    await expect(client.createVocabulary({ prefix: 'extra', targetModel: 'fun-asr', vocabulary: ENTRIES })).rejects.toMatchObject({
      status: 429,
      code: 'Throttling.AllocationQuota',
      outcomeUnknown: false,
    });
    expect(requests('create_vocabulary')).toBe(1);
    await expect(client.createVocabulary({ prefix: 'BAD', targetModel: 'fun-asr', vocabulary: ENTRIES })).rejects.toMatchObject({ status: 400 });
  });
});

describe('client and emulator: injected faults', () => {
  const transient: FaultKind[] = ['http-500', 'rate-limit-429', 'html-502', 'drop-connection'];

  it.each(transient)('%s on reads and idempotent writes is retried until it succeeds', async (fault) => {
    const id = await client.createVocabulary({ prefix: 'movies', targetModel: 'fun-asr', vocabulary: ENTRIES });
    emulator.scriptFaults(
      { action: 'list_vocabulary', fault },
      { action: 'query_vocabulary', fault },
      { action: 'update_vocabulary', fault },
      { action: 'delete_vocabulary', fault },
    );
    expect((await client.listVocabularies()).map((r) => r.vocabulary_id)).toEqual([id]);
    expect((await client.queryVocabulary(id)).vocabulary).toEqual(ENTRIES);
    await client.updateVocabulary(id, ENTRIES.slice(0, 1));
    await client.deleteVocabulary(id);
    expect(emulator.pendingFaults()).toEqual([]);
    expect(await client.listVocabularies()).toEqual([]);
  });

  it('a throttled create (certainly not applied) is retried and makes one list', async () => {
    emulator.scriptFaults({ action: 'create_vocabulary', fault: 'rate-limit-429' });
    await client.createVocabulary({ prefix: 'movies', targetModel: 'fun-asr', vocabulary: ENTRIES });
    expect(requests('create_vocabulary')).toBe(2);
    expect(await client.listVocabularies()).toHaveLength(1);
  });

  it.each(['commit-then-fail', 'commit-then-drop'] as FaultKind[])(
    '%s on create: the list exists, the client says the outcome is unknown and does not retry',
    async (fault) => {
      emulator.scriptFaults({ action: 'create_vocabulary', fault });
      const error = await client.createVocabulary({ prefix: 'movies', targetModel: 'fun-asr', vocabulary: ENTRIES }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DashScopeError);
      expect((error as DashScopeError).outcomeUnknown).toBe(true);
      expect(requests('create_vocabulary')).toBe(1);
      expect(await client.listVocabularies({ prefix: 'movies' })).toHaveLength(1);
    },
  );

  it.each(['http-500', 'html-502', 'drop-connection'] as FaultKind[])(
    '%s on create: nothing was written, but the client cannot know, so it reports an unknown outcome',
    async (fault) => {
      emulator.scriptFaults({ action: 'create_vocabulary', fault });
      await expect(client.createVocabulary({ prefix: 'movies', targetModel: 'fun-asr', vocabulary: ENTRIES })).rejects.toMatchObject({
        outcomeUnknown: true,
      });
      expect(requests('create_vocabulary')).toBe(1);
      expect(await client.listVocabularies()).toEqual([]);
    },
  );

  it('seeded random faults at 30%: with enough attempts every read completes, and the key never shows', async () => {
    // Five faults in a row do happen at 30% (the default 5 attempts then give up, as they should).
    await emulator.close();
    emulator = await startEmulatorServer({ port: 0, apiKeys: [KEY], undeployedMs: 0, updateIntervalMs: 0, faultRate: 0.3, faultSeed: 7, faultKinds: ['http-500', 'rate-limit-429', 'html-502', 'drop-connection'] });
    client = clientFor(emulator, KEY, 10);
    const seen: string[] = [];
    for (let i = 0; i < 20; i++) {
      try {
        seen.push(JSON.stringify(await client.listVocabularies()));
      } catch (error) {
        seen.push(String(error instanceof Error ? `${error.message} ${error.stack}` : error));
      }
    }
    expect(emulator.requestLog.entries().some((e) => e.fault !== null)).toBe(true);
    expect(seen.filter((s) => s !== '[]')).toEqual([]);
    expect(seen.join('\n')).not.toContain(KEY);
  });
});
