import { afterEach, describe, expect, it } from 'vitest';
import { startEmulatorServer, type EmulatorServer } from '../../src/emulator/server.js';
import {
  KEY,
  TIME_PATTERN,
  UUID_PATTERN,
  callAction,
  createList,
  listPage,
  outputOf,
  postRaw,
  pythonSdkHeaders,
  startTestServer,
} from './helpers.js';

let server: EmulatorServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Parameters<typeof startTestServer>[0] = {}) {
  const started = await startTestServer(options);
  server = started.server;
  return started;
}

function expectError(result: { status: number; json: Record<string, unknown>; headers: Headers }, status: number, code: string): void {
  expect(result.status, JSON.stringify(result.json)).toBe(status);
  expect(result.json.code).toBe(code);
  expect(typeof result.json.message).toBe('string');
  expect(result.json.request_id).toMatch(UUID_PATTERN);
  expect(result.headers.get('x-request-id')).toBe(result.json.request_id);
  expect(Object.keys(result.json).sort()).toEqual(['code', 'message', 'request_id']);
}

describe('actions', () => {
  it('creates a list from the Python SDK request shape and answers the documented envelope', async () => {
    const { server: s } = await start({ generateId: undefined });
    const res = await postRaw(
      s.url,
      JSON.stringify({
        model: 'speech-biasing',
        input: {
          action: 'create_vocabulary',
          target_model: 'fun-asr',
          prefix: 'testpfx',
          vocabulary: [
            { text: '吴贻弓', weight: 4, lang: 'zh' },
            { text: 'Seediq Bale', weight: 4, lang: 'en' },
          ],
        },
        parameters: {},
      }),
      pythonSdkHeaders(),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(Object.keys(res.json).sort()).toEqual(['output', 'request_id', 'usage']);
    expect(res.json.usage).toEqual({ count: 1 });
    expect(res.json.request_id).toMatch(UUID_PATTERN);
    expect(res.headers.get('x-request-id')).toBe(res.json.request_id);
    const output = res.json.output as Record<string, unknown>;
    expect(Object.keys(output)).toEqual(['vocabulary_id']);
    expect(output.vocabulary_id).toMatch(/^vocab-testpfx-[0-9a-f]{32}$/);
  });

  it('accepts a body without "parameters" (Java and Node SDKs) and ignores other extra keys', async () => {
    const { server: s } = await start();
    const res = await postRaw(
      s.url,
      JSON.stringify({ model: 'speech-biasing', input: { action: 'list_vocabulary', extra: 1 }, stream: false }),
    );
    expect(res.status).toBe(200);
  });

  it('lists exactly the four documented fields with Beijing-time stamps', async () => {
    const { server: s } = await start();
    const id = await createList(s.url);
    const rows = await listPage(s.url);
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]!).sort()).toEqual(['gmt_create', 'gmt_modified', 'status', 'vocabulary_id']);
    expect(rows[0]).toEqual({
      gmt_create: '2024-11-05 16:31:32',
      vocabulary_id: id,
      gmt_modified: '2024-11-05 16:31:32',
      status: 'OK',
    });
    expect(rows[0]!.gmt_create).toMatch(TIME_PATTERN);
  });

  it('lists newest first, ties (same millisecond) broken by creation order', async () => {
    const { server: s, clock } = await start();
    const a = await createList(s.url, 'a');
    clock.advance(1000);
    const b = await createList(s.url, 'b');
    const c = await createList(s.url, 'c'); // same time as b
    clock.advance(1000);
    const d = await createList(s.url, 'd');
    const ids = (await listPage(s.url)).map((r) => r.vocabulary_id);
    expect(ids).toEqual([d, c, b, a]);
  });

  it('paginates with defaults 0/10, answers an empty page past the end, caps the page size', async () => {
    const { server: s, clock } = await start({ maxVocabularies: 30, maxPageSize: 7 });
    const created: string[] = [];
    for (let i = 0; i < 12; i++) {
      created.push(await createList(s.url, `p${i}`));
      clock.advance(1000);
    }
    const newestFirst = [...created].reverse();
    expect((await listPage(s.url, {})).map((r) => r.vocabulary_id)).toEqual(newestFirst.slice(0, 7)); // 10 capped to 7
    expect((await listPage(s.url, { page_index: 0, page_size: 5 })).map((r) => r.vocabulary_id)).toEqual(newestFirst.slice(0, 5));
    expect((await listPage(s.url, { page_index: 2, page_size: 5 })).map((r) => r.vocabulary_id)).toEqual(newestFirst.slice(10, 12));
    expect(await listPage(s.url, { page_index: 3, page_size: 5 })).toEqual([]);
    expect(await listPage(s.url, { page_index: 99, page_size: 5 })).toEqual([]);
    expect(await listPage(s.url, { page_size: 1000 })).toHaveLength(7);
    expect((await listPage(s.url, { prefix: null, page_index: 1, page_size: 1000 })).map((r) => r.vocabulary_id)).toEqual(
      newestFirst.slice(7, 12),
    );
  });

  it('uses page size 10 by default', async () => {
    const { server: s } = await start({ maxVocabularies: 30 });
    for (let i = 0; i < 11; i++) await createList(s.url, `p${i}`);
    expect(await listPage(s.url)).toHaveLength(10);
    expect(await listPage(s.url, { page_index: 1 })).toHaveLength(1);
  });

  it('rejects bad page parameters', async () => {
    const { server: s } = await start();
    expectError(await callAction(s.url, { action: 'list_vocabulary', page_index: -1 }), 400, 'InvalidParameter');
    expectError(await callAction(s.url, { action: 'list_vocabulary', page_size: 0 }), 400, 'InvalidParameter');
    expectError(await callAction(s.url, { action: 'list_vocabulary', page_size: '10' }), 400, 'InvalidParameter');
    expectError(await callAction(s.url, { action: 'list_vocabulary', prefix: 5 }), 400, 'InvalidParameter');
  });

  it('filters by exact stored prefix; null and absent list everything', async () => {
    const { server: s } = await start();
    const ab = await createList(s.url, 'ab');
    const abc = await createList(s.url, 'abc');
    expect((await listPage(s.url, { prefix: 'ab' })).map((r) => r.vocabulary_id)).toEqual([ab]);
    expect((await listPage(s.url, { prefix: 'abc' })).map((r) => r.vocabulary_id)).toEqual([abc]);
    expect(await listPage(s.url, { prefix: 'a' })).toEqual([]);
    expect(await listPage(s.url, { prefix: null })).toHaveLength(2);
    expect(await listPage(s.url)).toHaveLength(2);
  });

  it('queries a list with exactly the documented fields', async () => {
    const { server: s } = await start();
    const entries = [
      { text: '吴贻弓', weight: 4, lang: 'zh' },
      { text: 'Seediq Bale', weight: 5 },
    ];
    const id = await createList(s.url, 'q', entries, 'paraformer-v2');
    const out = outputOf(await callAction(s.url, { action: 'query_vocabulary', vocabulary_id: id }));
    expect(Object.keys(out)).toEqual(['gmt_create', 'vocabulary', 'target_model', 'gmt_modified', 'status']);
    expect(out).toEqual({
      gmt_create: '2024-11-05 16:31:32',
      vocabulary: entries,
      target_model: 'paraformer-v2',
      gmt_modified: '2024-11-05 16:31:32',
      status: 'OK',
    });
  });

  it('updates entries whole, bumps gmt_modified, keeps the id, refuses a new target_model', async () => {
    const { server: s, clock } = await start();
    const id = await createList(s.url, 'u', [
      { text: 'one', weight: 1 },
      { text: 'two', weight: 2 },
    ]);
    clock.advance(61_000);
    const res = await callAction(s.url, { action: 'update_vocabulary', vocabulary_id: id, vocabulary: [{ text: 'three', weight: 3 }] });
    expect(res.status).toBe(200);
    expect(res.json.output).toEqual({});
    expect(res.json.usage).toEqual({ count: 1 });
    const out = outputOf(await callAction(s.url, { action: 'query_vocabulary', vocabulary_id: id }));
    expect(out.vocabulary).toEqual([{ text: 'three', weight: 3 }]);
    expect(out.gmt_create).toBe('2024-11-05 16:31:32');
    expect(out.gmt_modified).toBe('2024-11-05 16:32:33');
    expectError(
      await callAction(s.url, { action: 'update_vocabulary', vocabulary_id: id, target_model: 'fun-asr-mtl', vocabulary: [] }),
      400,
      'InvalidParameter',
    );
    // naming the same model is fine
    const same = await callAction(s.url, { action: 'update_vocabulary', vocabulary_id: id, target_model: 'fun-asr', vocabulary: [{ text: 'four', weight: 4 }] });
    expect(same.status).toBe(200);
    // update checks entries against the stored model
    expectError(
      await callAction(s.url, { action: 'update_vocabulary', vocabulary_id: id, vocabulary: [{ text: 'x', weight: 9 }] }),
      400,
      'InvalidParameter',
    );
  });

  it('deletes a list; the id is then unknown (400 InvalidParameter)', async () => {
    const { server: s } = await start();
    const id = await createList(s.url);
    const res = await callAction(s.url, { action: 'delete_vocabulary', vocabulary_id: id });
    expect(res.status).toBe(200);
    expect(res.json.output).toEqual({});
    expect(await listPage(s.url)).toEqual([]);
    for (const action of ['query_vocabulary', 'delete_vocabulary', 'update_vocabulary']) {
      const r = await callAction(s.url, { action, vocabulary_id: id, vocabulary: [] });
      expectError(r, 400, 'InvalidParameter');
      expect(String(r.json.message)).toContain(id);
    }
    expectError(await callAction(s.url, { action: 'query_vocabulary' }), 400, 'InvalidParameter');
  });

  it('keeps one account per API key', async () => {
    const { server: s } = await start({ apiKeys: [KEY, 'sk-other'] });
    await createList(s.url, 'mine');
    expect(await listPage(s.url, {}, 'sk-other')).toEqual([]);
    const id = await createList(s.url, 'theirs', undefined, 'fun-asr', 'sk-other');
    expectError(await callAction(s.url, { action: 'query_vocabulary', vocabulary_id: id }), 400, 'InvalidParameter');
  });
});

describe('status', () => {
  it('is UNDEPLOYED for the configured delay after a create or update, then OK', async () => {
    const { server: s, clock } = await start({ undeployedMs: 500 });
    const id = await createList(s.url);
    expect((await listPage(s.url))[0]!.status).toBe('UNDEPLOYED');
    clock.advance(499);
    expect(outputOf(await callAction(s.url, { action: 'query_vocabulary', vocabulary_id: id })).status).toBe('UNDEPLOYED');
    clock.advance(1);
    expect((await listPage(s.url))[0]!.status).toBe('OK');
    await callAction(s.url, { action: 'update_vocabulary', vocabulary_id: id, vocabulary: [{ text: 'x', weight: 3 }] });
    expect((await listPage(s.url))[0]!.status).toBe('UNDEPLOYED');
    clock.advance(500);
    expect((await listPage(s.url))[0]!.status).toBe('OK');
  });

  it('is OK at once by default, as the vendor sample expects (create, then query status == OK)', async () => {
    const { server: s } = await start({ undeployedMs: undefined });
    const id = await createList(s.url);
    expect(outputOf(await callAction(s.url, { action: 'query_vocabulary', vocabulary_id: id })).status).toBe('OK');
    expect((await listPage(s.url))[0]!.status).toBe('OK');
  });
});

describe('request errors', () => {
  it('answers 401 InvalidApiKey for a missing, unknown or malformed key', async () => {
    const { server: s } = await start();
    const body = JSON.stringify({ model: 'speech-biasing', input: { action: 'list_vocabulary' } });
    const attempts: Record<string, string>[] = [
      { 'content-type': 'application/json' },
      { 'content-type': 'application/json', authorization: 'Bearer sk-wrong' },
      { 'content-type': 'application/json', authorization: `Basic ${KEY}` },
      { 'content-type': 'application/json', authorization: 'Bearer' },
    ];
    for (const headers of attempts) {
      const res = await postRaw(s.url, body, headers);
      expectError(res, 401, 'InvalidApiKey');
      expect(res.json.message).toBe('Invalid API-key provided.');
    }
  });

  it('answers 400 InvalidParameter for bad JSON, a missing or wrong model, a missing input, an unknown action', async () => {
    const { server: s } = await start();
    expectError(await postRaw(s.url, '{"model": "speech-biasing", '), 400, 'InvalidParameter');
    expectError(await postRaw(s.url, '[]'), 400, 'InvalidParameter');
    expectError(await postRaw(s.url, JSON.stringify({ input: { action: 'list_vocabulary' } })), 400, 'InvalidParameter');
    expectError(await postRaw(s.url, JSON.stringify({ model: 'paraformer-v2', input: { action: 'list_vocabulary' } })), 400, 'InvalidParameter');
    expectError(await postRaw(s.url, JSON.stringify({ model: 'speech-biasing' })), 400, 'InvalidParameter');
    expectError(await postRaw(s.url, JSON.stringify({ model: 'speech-biasing', input: {} })), 400, 'InvalidParameter');
    const unknown = await callAction(s.url, { action: 'rename_vocabulary' });
    expectError(unknown, 400, 'InvalidParameter');
    expect(String(unknown.json.message)).toContain('rename_vocabulary');
  });

  it('answers JSON 404 for other paths and 405 for other methods', async () => {
    const { server: s } = await start();
    const origin = s.url.replace(/\/api\/v1$/, '');
    for (const path of ['/services/audio/asr/customization', '/api/v1/services/audio/asr', '/']) {
      const res = await fetch(`${origin}${path}`, { method: 'POST', headers: pythonSdkHeaders(), body: '{}' });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { code: string }).code).toBe('NotFound');
    }
    const get = await fetch(`${s.url}/services/audio/asr/customization`, { headers: pythonSdkHeaders() });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(((await get.json()) as { code: string }).code).toBe('MethodNotAllowed');
  });

  it('answers 413 for a body over the limit', async () => {
    const { server: s } = await start({ maxBodyBytes: 1000 });
    const res = await callAction(s.url, { action: 'list_vocabulary', padding: 'x'.repeat(2000) });
    expectError(res, 413, 'RequestTooLarge');
    expect((await callAction(s.url, { action: 'list_vocabulary' })).status).toBe(200);
  });
});

describe('service checks', () => {
  const create = (url: string, input: Record<string, unknown>) =>
    callAction(url, { action: 'create_vocabulary', target_model: 'fun-asr', prefix: 'ok', vocabulary: [{ text: 'word', weight: 4 }], ...input });

  it('checks the prefix: 1 to 9 lowercase letters and digits', async () => {
    const { server: s } = await start();
    for (const prefix of ['Upper', 'has-dash', 'has_underscore', 'abcdefghij', '', 'ä', 7, null]) {
      expectError(await create(s.url, { prefix }), 400, 'InvalidParameter');
    }
    expect((await create(s.url, { prefix: 'abc123xyz' })).status).toBe(200);
    expect((await create(s.url, { prefix: '0' })).status).toBe(200);
  });

  it('checks target_model against the region model list', async () => {
    const { server: s } = await start();
    expectError(await create(s.url, { target_model: 'whisper-1' }), 400, 'InvalidParameter');
    expectError(await create(s.url, { target_model: undefined }), 400, 'InvalidParameter');
    for (const model of ['fun-asr-realtime', 'fun-asr-mtl-2025-08-25', 'paraformer-8k-v2', 'fun-asr-realtime-2025-09-15']) {
      expect((await create(s.url, { target_model: model })).status).toBe(200);
    }
    await s.close();
    server = (await startTestServer({ region: 'ap-southeast-1' })).server;
    expectError(await create(server.url, { target_model: 'paraformer-v2' }), 400, 'InvalidParameter');
    expect((await create(server.url, { target_model: 'fun-asr-mtl' })).status).toBe(200);
  });

  it('checks weight: integer 1..5, required for Fun-ASR and Paraformer', async () => {
    const { server: s } = await start();
    for (const entry of [{ text: 'a' }, { text: 'a', weight: 0 }, { text: 'a', weight: 6 }, { text: 'a', weight: 2.5 }, { text: 'a', weight: '4' }]) {
      expectError(await create(s.url, { vocabulary: [entry] }), 400, 'InvalidParameter');
      expectError(await create(s.url, { target_model: 'paraformer-v2', vocabulary: [entry] }), 400, 'InvalidParameter');
    }
    expect((await create(s.url, { vocabulary: [{ text: 'a', weight: 1 }, { text: 'b', weight: 5 }] })).status).toBe(200);
  });

  it('checks text: non-empty; non-ASCII at most 15 code points (astral counted once); ASCII at most 7 words', async () => {
    const { server: s } = await start({ maxVocabularies: 50 });
    const ok = ['一二三四五六七八九十一二三四五', '𠀀'.repeat(15), '😀'.repeat(15), 'one two three four five six seven', 'a  b', 'café'];
    const bad = ['', '   ', '一二三四五六七八九十一二三四五六', '𠀀'.repeat(16), 'one two three four five six seven eight', 5];
    for (const text of ok) expect((await create(s.url, { vocabulary: [{ text, weight: 4 }] })).status, String(text)).toBe(200);
    for (const text of bad) expectError(await create(s.url, { vocabulary: [{ text, weight: 4 }] }), 400, 'InvalidParameter');
    expectError(await create(s.url, { vocabulary: ['bare string'] }), 400, 'InvalidParameter');
    expectError(await create(s.url, { vocabulary: 'word' }), 400, 'InvalidParameter');
    expectError(await create(s.url, { vocabulary: undefined }), 400, 'InvalidParameter');
  });

  it('takes Gummy entries without weight, with translations, one text per target language', async () => {
    const { server: s } = await start();
    const gummy = (vocabulary: unknown[]) => create(s.url, { target_model: 'gummy-chat-v1', vocabulary });
    const ok = await gummy([
      { text: '赛德克巴莱', lang: 'zh', target_lang: 'en', translation: 'Seediq Bale' },
      { text: '赛德克巴莱', lang: 'zh', target_lang: 'ja', translation: 'セデック・バレ' },
      { text: '夏洛特烦恼', lang: 'zh' },
    ]);
    expect(ok.status).toBe(200);
    const id = String((ok.json.output as { vocabulary_id: string }).vocabulary_id);
    expect(outputOf(await callAction(s.url, { action: 'query_vocabulary', vocabulary_id: id })).vocabulary).toEqual([
      { text: '赛德克巴莱', lang: 'zh', target_lang: 'en', translation: 'Seediq Bale' },
      { text: '赛德克巴莱', lang: 'zh', target_lang: 'ja', translation: 'セデック・バレ' },
      { text: '夏洛特烦恼', lang: 'zh' },
    ]);
    expectError(
      await gummy([
        { text: '赛德克巴莱', target_lang: 'en', translation: 'a' },
        { text: '赛德克巴莱', target_lang: 'en', translation: 'b' },
      ]),
      400,
      'InvalidParameter',
    );
    expectError(await gummy([{ text: 'x', weight: 9 }]), 400, 'InvalidParameter');
    expectError(await create(s.url, { vocabulary: [{ text: 'x', weight: 4, target_lang: 'en', translation: 'y' }] }), 400, 'InvalidParameter');
  });

  it('enforces per-model word caps', async () => {
    const { server: s } = await start({ maxVocabularies: 50 });
    const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ text: `w${i}`, weight: 4 }));
    const gummyEntries = (n: number) => Array.from({ length: n }, (_, i) => ({ text: `w${i}` }));
    const cases: [string, number, (n: number) => unknown[]][] = [
      ['fun-asr', 10_000, entries],
      ['fun-asr-2025-11-07', 10_000, entries],
      ['fun-asr-mtl', 1_000, entries],
      ['fun-asr-realtime', 1_000, entries],
      ['paraformer-realtime-v2', 500, entries],
      ['gummy-realtime-v1', 500, gummyEntries],
    ];
    for (const [model, cap, make] of cases) {
      expect((await create(s.url, { target_model: model, vocabulary: make(cap) })).status, model).toBe(200);
      const over = await create(s.url, { target_model: model, vocabulary: make(cap + 1) });
      expectError(over, 400, 'InvalidParameter');
      expect(String(over.json.message)).toContain(String(cap));
    }
  });

  it('applies word cap overrides', async () => {
    const { server: s } = await start({ wordCaps: { 'fun-asr': 2 } });
    expectError(
      await create(s.url, { vocabulary: [{ text: 'a', weight: 4 }, { text: 'b', weight: 4 }, { text: 'c', weight: 4 }] }),
      400,
      'InvalidParameter',
    );
  });

  it('enforces the account quota with 429 Throttling.AllocationQuota', async () => {
    const { server: s } = await start();
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(await createList(s.url, `q${i}`, undefined, i % 2 ? 'fun-asr' : 'paraformer-v2'));
    const over = await create(s.url, { prefix: 'eleven' });
    expectError(over, 429, 'Throttling.AllocationQuota');
    expect(String(over.json.message)).toContain('10');
    expect(await listPage(s.url, { page_size: 100 })).toHaveLength(10);
    await callAction(s.url, { action: 'delete_vocabulary', vocabulary_id: ids[0] });
    expect((await create(s.url, { prefix: 'eleven' })).status).toBe(200);
  });

  it('lets each check be switched off', async () => {
    const { server: s } = await start({
      maxVocabularies: 1,
      checks: { prefix: false, targetModel: false, entries: false, wordCaps: false, quota: false },
    });
    expect((await create(s.url, { prefix: 'UPPER_case-long', target_model: 'whisper-1', vocabulary: [{ text: '', weight: 99 }] })).status).toBe(200);
    expect((await create(s.url, { vocabulary: Array.from({ length: 600 }, () => ({ text: 'x' })), target_model: 'paraformer-v2' })).status).toBe(200);
    expect(await listPage(s.url)).toHaveLength(2);
  });
});

describe('defaults', () => {
  it('accepts the default local key when no key is configured and makes random ids', async () => {
    server = await startEmulatorServer({});
    const id = await createList(server.url, 'testpfx', undefined, 'fun-asr', 'sk-local-emulator');
    expect(id).toMatch(/^vocab-testpfx-[0-9a-f]{32}$/);
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/api/v1`);
  });
});
