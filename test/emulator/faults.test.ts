import { describe, expect, it } from 'vitest';
import { createFaultInjector, createSeededRandom, FAULT_KINDS } from '../../src/emulator/faults.js';
import { KEY, callAction, createList, listPage, postRaw, closedAfterEachTest } from './helpers.js';

const start = closedAfterEachTest();

const createInput = { action: 'create_vocabulary', target_model: 'fun-asr', prefix: 'fault', vocabulary: [{ text: 'word', weight: 4 }] };

describe('latency', () => {
  it('waits the configured delay through the injected sleep before answering', async () => {
    const waits: number[] = [];
    const { server } = await start({ latencyMs: 250, sleep: async (ms) => void waits.push(ms) });
    await listPage(server.url);
    await createList(server.url);
    expect(waits).toEqual([250, 250]);
  });
});

describe('rate limit', () => {
  it('answers 429 Throttling.RateQuota with Retry-After past the per-minute limit, per key', async () => {
    const { server, clock } = await start({ rpm: 2, apiKeys: [KEY, 'sk-second'] });
    expect((await callAction(server.url, { action: 'list_vocabulary' })).status).toBe(200);
    clock.advance(10_000);
    expect((await callAction(server.url, { action: 'list_vocabulary' })).status).toBe(200);
    const limited = await callAction(server.url, { action: 'list_vocabulary' });
    expect(limited.status).toBe(429);
    expect(limited.json.code).toBe('Throttling.RateQuota');
    expect(limited.headers.get('retry-after')).toBe('50');
    expect(limited.headers.get('x-request-id')).toBe(limited.json.request_id);
    expect((await callAction(server.url, { action: 'list_vocabulary' }, 'sk-second')).status).toBe(200);
    clock.advance(50_000);
    expect((await callAction(server.url, { action: 'list_vocabulary' })).status).toBe(200);
  });
});

describe('scripted faults', () => {
  it('consumes faults in order, only for matching actions', async () => {
    const { server } = await start({ faults: [{ action: 'create_vocabulary', fault: 'http-500' }] });
    server.scriptFaults({ fault: 'html-502' });
    // the list request skips the create-only fault and takes the next one that matches anything
    expect((await callAction(server.url, { action: 'list_vocabulary' })).status).toBe(502);
    expect(server.pendingFaults()).toEqual([{ action: 'create_vocabulary', fault: 'http-500' }]);
    expect((await callAction(server.url, { action: 'list_vocabulary' })).status).toBe(200);
    expect((await callAction(server.url, createInput)).status).toBe(500);
    expect((await callAction(server.url, createInput)).status).toBe(200);
    expect(server.pendingFaults()).toEqual([]);
  });

  it('http-500: answers InternalError and changes nothing', async () => {
    const { server } = await start({ faults: [{ fault: 'http-500' }] });
    const res = await callAction(server.url, createInput);
    expect(res.status).toBe(500);
    expect(res.json.code).toBe('InternalError');
    expect(res.headers.get('x-request-id')).toBe(res.json.request_id);
    expect(await listPage(server.url)).toEqual([]);
  });

  it('rate-limit-429: answers Throttling.RateQuota with Retry-After and changes nothing', async () => {
    const { server } = await start({ faults: [{ fault: 'rate-limit-429' }] });
    const res = await callAction(server.url, createInput);
    expect(res.status).toBe(429);
    expect(res.json.code).toBe('Throttling.RateQuota');
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await listPage(server.url)).toEqual([]);
  });

  it('html-502: answers an HTML gateway page and changes nothing', async () => {
    const { server } = await start({ faults: [{ fault: 'html-502' }] });
    const res = await callAction(server.url, createInput);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(res.text).toContain('<h1>502 Bad Gateway</h1>');
    expect(await listPage(server.url)).toEqual([]);
  });

  it('drop-connection: destroys the socket without an answer and changes nothing', async () => {
    const { server } = await start({ faults: [{ fault: 'drop-connection' }] });
    await expect(callAction(server.url, createInput)).rejects.toThrow();
    expect(await listPage(server.url)).toEqual([]);
  });

  it('commit-then-fail: the create really happens, then the answer is a 500', async () => {
    const { server } = await start({ faults: [{ action: 'create_vocabulary', fault: 'commit-then-fail' }] });
    const res = await callAction(server.url, createInput);
    expect(res.status).toBe(500);
    expect(res.json.code).toBe('InternalError');
    const rows = await listPage(server.url, { prefix: 'fault' });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.vocabulary_id).toMatch(/^vocab-fault-[0-9a-f]{32}$/);
  });

  it('commit-then-drop: the delete really happens, then the connection drops', async () => {
    const { server } = await start();
    const id = await createList(server.url);
    server.scriptFaults({ action: 'delete_vocabulary', fault: 'commit-then-drop' });
    await expect(callAction(server.url, { action: 'delete_vocabulary', vocabulary_id: id })).rejects.toThrow();
    expect(await listPage(server.url)).toEqual([]);
  });

  it('commit-then-fail on an update commits the new entries', async () => {
    const { server } = await start();
    const id = await createList(server.url);
    server.scriptFaults({ action: 'update_vocabulary', fault: 'commit-then-fail' });
    const res = await callAction(server.url, { action: 'update_vocabulary', vocabulary_id: id, vocabulary: [{ text: 'new', weight: 2 }] });
    expect(res.status).toBe(500);
    expect(server.accountState(KEY)?.vocabularies[0]?.vocabulary).toEqual([{ text: 'new', weight: 2 }]);
  });
});

describe('seeded random faults', () => {
  async function statuses(seed: number): Promise<(number | null)[]> {
    const { server } = await start({ faultRate: 0.5, faultSeed: seed, faultKinds: ['http-500', 'rate-limit-429', 'html-502'] });
    for (let i = 0; i < 40; i++) await callAction(server.url, { action: 'list_vocabulary' });
    return server.requestLog.entries().map((e) => e.status);
  }

  it('are reproducible for a seed', async () => {
    const first = await statuses(42);
    const second = await statuses(42);
    expect(second).toEqual(first);
    expect(first.filter((s) => s !== 200).length).toBeGreaterThan(0);
    expect(first.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(new Set(first)).toEqual(new Set([200, 500, 429, 502]));
  });

  it('never fire at rate 0, always at rate 1', () => {
    const never = createFaultInjector({ faultRate: 0 });
    const always = createFaultInjector({ faultRate: 1, faultSeed: 7 });
    const drawn = new Set<string | null>();
    for (let i = 0; i < 200; i++) {
      expect(never.pickFault('list_vocabulary')).toBeNull();
      drawn.add(always.pickFault('list_vocabulary'));
    }
    expect([...drawn].sort()).toEqual([...FAULT_KINDS].sort());
  });

  it('use a deterministic PRNG', () => {
    const a = createSeededRandom(123);
    const b = createSeededRandom(123);
    const c = createSeededRandom(124);
    const seqA = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(seqA);
    expect(Array.from({ length: 5 }, c)).not.toEqual(seqA);
    for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
  });

  it('reject a rate outside 0..1', () => {
    expect(() => createFaultInjector({ faultRate: 1.5 })).toThrow(RangeError);
  });
});

describe('request log', () => {
  it('records time, key fingerprint (never the key), action, status, code and fault', async () => {
    const { server } = await start({ faults: [{ action: 'create_vocabulary', fault: 'commit-then-fail' }] });
    await callAction(server.url, createInput);
    await callAction(server.url, { action: 'list_vocabulary' });
    await postRaw(server.url, '{}', { authorization: 'Bearer sk-unknown-secret' });
    const entries = server.requestLog.entries();
    expect(entries.map((e) => [e.action, e.status, e.code, e.fault])).toEqual([
      ['create_vocabulary', 500, 'InternalError', 'commit-then-fail'],
      ['list_vocabulary', 200, null, null],
      [null, 401, 'InvalidApiKey', null],
    ]);
    expect(entries[0]!.time).toBe('2024-11-05T08:31:32.000Z');
    expect(entries[0]!.keyFingerprint).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect(entries[2]!.keyFingerprint).not.toBe(entries[0]!.keyFingerprint);
    const text = JSON.stringify(entries);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('sk-unknown-secret');
  });
});
