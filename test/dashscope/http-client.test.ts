import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DashScopeError } from '../../src/dashscope/errors.js';
import { createHttpVocabularyService } from '../../src/dashscope/http-client.js';
import type { ClientEvent, HttpClientOptions } from '../../src/dashscope/http-client.js';
import { ConfigError } from '../../src/errors.js';
import { createFakeClock } from './fake-clock.js';
import type { FakeClock } from './fake-clock.js';

const BASE = 'https://dashscope.aliyuncs.com';
const PATH = '/api/v1/services/audio/asr/customization';
const KEY = 'sk-test-0123456789abcdef0123456789abcdef';
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const USER_AGENT = `vocab-sync/${VERSION} node/${process.versions.node}`;

interface Captured {
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

let clock: FakeClock;
let events: ClientEvent[];

function makeClient(overrides: Partial<HttpClientOptions> = {}) {
  return createHttpVocabularyService({
    baseUrl: `${BASE}/api/v1`,
    apiKey: KEY,
    sleep: clock.sleep,
    now: clock.now,
    random: () => 0.5,
    onEvent: (e) => events.push(e),
    ...overrides,
  });
}

/** Answers one POST with `status`/`body`, recording what was sent. */
function answerOnce(status: number, body: unknown, headers: Record<string, string> = {}): Captured {
  const captured: Captured = { body: undefined, headers: {} };
  nock(BASE)
    .post(PATH)
    .reply(function (_uri, requestBody) {
      captured.body = requestBody;
      captured.headers = { ...this.req.headers };
      return [status, typeof body === 'string' ? body : JSON.stringify(body), { 'content-type': 'application/json', ...headers }];
    });
  return captured;
}

function ok(output: unknown, requestId = 'req-ok'): Record<string, unknown> {
  return { output, usage: { count: 1 }, request_id: requestId };
}

async function catchError(promise: Promise<unknown>): Promise<DashScopeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DashScopeError) return error;
    throw error;
  }
  throw new Error('expected a DashScopeError');
}

beforeEach(() => {
  nock.disableNetConnect();
  clock = createFakeClock();
  events = [];
});

afterEach(() => {
  vi.useRealTimers();
  const pending = nock.pendingMocks();
  nock.abortPendingRequests();
  nock.cleanAll();
  nock.enableNetConnect();
  expect(pending).toEqual([]);
});

describe('requests on the wire', () => {
  it('create_vocabulary: exact body and headers, returns the id', async () => {
    const sent = answerOnce(200, ok({ vocabulary_id: 'vocab-movies-0123456789abcdef0123456789abcdef' }));
    const id = await makeClient({ workspace: 'ws-1234' }).createVocabulary({
      prefix: 'movies',
      targetModel: 'fun-asr',
      vocabulary: [
        { lang: 'zh', text: '赛德克巴莱', weight: 4 },
        { text: 'Seediq Bale', weight: 4, lang: 'en' },
      ],
    });
    expect(id).toBe('vocab-movies-0123456789abcdef0123456789abcdef');
    expect(sent.body).toEqual({
      model: 'speech-biasing',
      input: {
        action: 'create_vocabulary',
        target_model: 'fun-asr',
        prefix: 'movies',
        vocabulary: [
          { text: '赛德克巴莱', weight: 4, lang: 'zh' },
          { text: 'Seediq Bale', weight: 4, lang: 'en' },
        ],
      },
    });
    expect(sent.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.headers['user-agent']).toBe(USER_AGENT);
    expect(sent.headers['x-dashscope-workspace']).toBe('ws-1234');
  });

  it('list_vocabulary: prefix null for all, defaults page 0 size 10, no workspace header when none', async () => {
    const row = { gmt_create: '2025-01-01 10:00:00', vocabulary_id: 'vocab-a-1', gmt_modified: '2025-01-02 10:00:00', status: 'OK' };
    const sent = answerOnce(200, ok({ vocabulary_list: [{ ...row, extra: 'dropped' }] }));
    const rows = await makeClient().listVocabularies();
    expect(rows).toEqual([row]);
    expect(sent.body).toEqual({ model: 'speech-biasing', input: { action: 'list_vocabulary', prefix: null, page_index: 0, page_size: 10 } });
    expect(sent.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(sent.headers['user-agent']).toBe(USER_AGENT);
    expect(sent.headers['x-dashscope-workspace']).toBeUndefined();
  });

  it('list_vocabulary: sends prefix, page_index and page_size as given', async () => {
    const sent = answerOnce(200, ok({ vocabulary_list: [] }));
    await makeClient().listVocabularies({ prefix: 'movies', pageIndex: 3, pageSize: 7 });
    expect(sent.body).toEqual({ model: 'speech-biasing', input: { action: 'list_vocabulary', prefix: 'movies', page_index: 3, page_size: 7 } });
  });

  it('query_vocabulary: body and typed detail with the id asked for', async () => {
    const sent = answerOnce(
      200,
      ok({
        gmt_create: '2025-01-01 10:00:00',
        vocabulary: [{ text: '夏洛特烦恼', weight: 5, lang: 'zh' }, { text: 'hello', lang: 'en', target_lang: 'zh', translation: '你好' }],
        target_model: 'fun-asr',
        gmt_modified: '2025-01-01 10:00:00',
        status: 'UNDEPLOYED',
      }),
    );
    const detail = await makeClient({ workspace: 'ws-9' }).queryVocabulary('vocab-movies-1');
    expect(sent.body).toEqual({ model: 'speech-biasing', input: { action: 'query_vocabulary', vocabulary_id: 'vocab-movies-1' } });
    expect(sent.headers['x-dashscope-workspace']).toBe('ws-9');
    expect(detail).toEqual({
      vocabulary_id: 'vocab-movies-1',
      gmt_create: '2025-01-01 10:00:00',
      gmt_modified: '2025-01-01 10:00:00',
      status: 'UNDEPLOYED',
      target_model: 'fun-asr',
      vocabulary: [{ text: '夏洛特烦恼', weight: 5, lang: 'zh' }, { text: 'hello', lang: 'en', target_lang: 'zh', translation: '你好' }],
    });
  });

  it('update_vocabulary: body with the entries, resolves on {}', async () => {
    const sent = answerOnce(200, ok({}));
    await makeClient().updateVocabulary('vocab-movies-1', [{ text: 'a', weight: 1 }]);
    expect(sent.body).toEqual({
      model: 'speech-biasing',
      input: { action: 'update_vocabulary', vocabulary_id: 'vocab-movies-1', vocabulary: [{ text: 'a', weight: 1 }] },
    });
    expect(sent.headers['user-agent']).toBe(USER_AGENT);
  });

  it('delete_vocabulary: body with the id', async () => {
    const sent = answerOnce(200, ok({}));
    await makeClient().deleteVocabulary('vocab-movies-1');
    expect(sent.body).toEqual({ model: 'speech-biasing', input: { action: 'delete_vocabulary', vocabulary_id: 'vocab-movies-1' } });
    expect(sent.headers['authorization']).toBe(`Bearer ${KEY}`);
  });

  it('talks to a loopback http emulator', async () => {
    nock('http://127.0.0.1:8765').post('/api/v1/services/audio/asr/customization').reply(200, ok({ vocabulary_list: [] }));
    const client = makeClient({ baseUrl: 'http://127.0.0.1:8765/api/v1/' });
    expect(client.baseUrl).toBe('http://127.0.0.1:8765/api/v1');
    expect(await client.listVocabularies()).toEqual([]);
  });

  it('refuses plain http to a remote host before sending anything', () => {
    expect(() => makeClient({ baseUrl: 'http://dashscope.aliyuncs.com/api/v1' })).toThrow(ConfigError);
  });

  it('refuses an empty key or one that cannot be a header, without quoting it', () => {
    expect(() => makeClient({ apiKey: '' })).toThrow(/API key is empty/);
    expect(() => makeClient({ apiKey: 'sk-abc\ndef' })).toThrow(ConfigError);
    expect(() => makeClient({ apiKey: 'sk-abc\ndef' })).not.toThrow(/sk-abc/);
  });
});

describe('malformed answers', () => {
  it('a 200 without output is MalformedResponse', async () => {
    answerOnce(200, { request_id: 'r1' });
    const error = await catchError(makeClient().listVocabularies());
    expect(error.code).toBe('MalformedResponse');
    expect(error.status).toBe(200);
    expect(error.requestId).toBe('r1');
  });

  it('a 200 with a non-JSON body is MalformedResponse', async () => {
    answerOnce(200, '<html>ok</html>', { 'content-type': 'text/html' });
    const error = await catchError(makeClient().deleteVocabulary('v'));
    expect(error.code).toBe('MalformedResponse');
  });

  it('a list row without an id is MalformedResponse', async () => {
    answerOnce(200, ok({ vocabulary_list: [{ status: 'OK' }] }));
    const error = await catchError(makeClient().listVocabularies());
    expect(error.code).toBe('MalformedResponse');
    expect(error.message).toContain('vocabulary_list[0].vocabulary_id');
  });

  it('a create answering a task instead of an id is MalformedResponse with unknown outcome', async () => {
    answerOnce(200, ok({ task_status: 'PENDING', task_id: 't-1' }));
    const error = await catchError(makeClient().createVocabulary({ prefix: 'p', targetModel: 'fun-asr', vocabulary: [] }));
    expect(error.code).toBe('MalformedResponse');
    expect(error.outcomeUnknown).toBe(true);
    expect(error.message).toContain('task_id');
  });
});

describe('error mapping', () => {
  it('a JSON error carries status, code, message, request id and action', async () => {
    answerOnce(400, { code: 'InvalidParameter', message: 'prefix is invalid', request_id: 'req-400' }, { 'x-request-id': 'req-400' });
    const error = await catchError(makeClient().createVocabulary({ prefix: 'BAD', targetModel: 'fun-asr', vocabulary: [] }));
    expect(error).toBeInstanceOf(DashScopeError);
    expect(error.status).toBe(400);
    expect(error.code).toBe('InvalidParameter');
    expect(error.message).toBe('HTTP 400 InvalidParameter: prefix is invalid');
    expect(error.requestId).toBe('req-400');
    expect(error.action).toBe('create_vocabulary');
    expect(error.outcomeUnknown).toBe(false);
  });

  it('reads a JSON 401 body that has no content-type, request id from the header', async () => {
    nock(BASE)
      .post(PATH)
      .reply(401, Buffer.from(JSON.stringify({ code: 'InvalidApiKey', message: 'Invalid API-key provided.' })), { 'x-request-id': 'hdr-1' });
    const error = await catchError(makeClient().listVocabularies());
    expect(error.status).toBe(401);
    expect(error.code).toBe('InvalidApiKey');
    expect(error.message).toBe('HTTP 401 InvalidApiKey: Invalid API-key provided.');
    expect(error.requestId).toBe('hdr-1');
    expect(nock.pendingMocks()).toEqual([]); // one request: 401 is not retried
  });

  it('an HTML 502 from a gateway is HttpError with a tag-stripped excerpt', async () => {
    const html = `<html><head><title>502 Bad Gateway</title><style>body{color:red}</style></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center>${'x'.repeat(300)}</body></html>`;
    nock(BASE).post(PATH).times(5).reply(502, html, { 'content-type': 'text/html' });
    const error = await catchError(makeClient().listVocabularies());
    expect(error.status).toBe(502);
    expect(error.code).toBe('HttpError');
    expect(error.outcomeUnknown).toBe(true);
    const excerpt = `502 Bad Gateway 502 Bad Gateway nginx ${'x'.repeat(300)}`.slice(0, 100);
    expect(error.message).toBe(`HTTP 502 Bad Gateway (non-JSON body: "${excerpt}") (after 5 attempts)`);
  });

  it('an empty error body says so', async () => {
    nock(BASE).post(PATH).reply(403, '');
    const error = await catchError(makeClient().queryVocabulary('v'));
    expect(error.status).toBe(403);
    expect(error.code).toBe('HttpError');
    expect(error.message).toBe('HTTP 403 Forbidden (empty body)');
    expect(error.outcomeUnknown).toBe(false);
  });

  it('does not follow a redirect (it would carry the key elsewhere)', async () => {
    nock(BASE).post(PATH).reply(307, '', { location: 'https://elsewhere.example/api' });
    const error = await catchError(makeClient().listVocabularies());
    expect(error.status).toBe(307);
    expect(error.message).toContain('redirect to "https://elsewhere.example/api" not followed');
  });

  it('rejects bad list input before sending', async () => {
    const error = await catchError(makeClient().listVocabularies({ pageSize: 0 }));
    expect(error.code).toBe('InvalidRequest');
    expect(error.outcomeUnknown).toBe(false);
  });
});

describe('retries', () => {
  it('retries 429 Throttling.RateQuota with backoff and full jitter, then succeeds', async () => {
    nock(BASE).post(PATH).times(2).reply(429, { code: 'Throttling.RateQuota', message: 'slow down', request_id: 'r' });
    nock(BASE).post(PATH).reply(200, ok({ vocabulary_list: [] }));
    await makeClient({ baseDelayMs: 200, random: () => 0.5 }).listVocabularies();
    // random 0.5 x min(10000, 200 * 2^n): 100 then 200.
    expect(clock.sleeps).toEqual([100, 200]);
    const retries = events.filter((e) => e.type === 'retry');
    expect(retries).toEqual([
      { type: 'retry', action: 'list_vocabulary', attempt: 1, reason: 'HTTP 429 Throttling.RateQuota', delayMs: 100 },
      { type: 'retry', action: 'list_vocabulary', attempt: 2, reason: 'HTTP 429 Throttling.RateQuota', delayMs: 200 },
    ]);
  });

  it('caps the backoff at maxDelayMs', async () => {
    nock(BASE).post(PATH).times(4).reply(500, { code: 'InternalError', message: 'oops' });
    nock(BASE).post(PATH).reply(200, ok({}));
    await makeClient({ baseDelayMs: 1000, maxDelayMs: 3000, random: () => 0.999 }).updateVocabulary('v', []);
    expect(clock.sleeps).toEqual([999, 1998, 2997, 2997]);
  });

  it('does not retry 429 Throttling.AllocationQuota (a quota is exhausted)', async () => {
    answerOnce(429, { code: 'Throttling.AllocationQuota', message: 'too many vocabularies', request_id: 'q' });
    const error = await catchError(makeClient().createVocabulary({ prefix: 'p', targetModel: 'fun-asr', vocabulary: [] }));
    expect(error.code).toBe('Throttling.AllocationQuota');
    expect(error.outcomeUnknown).toBe(false);
    expect(clock.sleeps).toEqual([]);
  });

  it('retries a 500 for list and gives up after maxAttempts with the last error', async () => {
    nock(BASE).post(PATH).times(3).reply(500, { code: 'InternalError', message: 'boom', request_id: 'last' });
    const error = await catchError(makeClient({ maxAttempts: 3 }).listVocabularies());
    expect(error.status).toBe(500);
    expect(error.code).toBe('InternalError');
    expect(error.message).toBe('HTTP 500 InternalError: boom (after 3 attempts)');
    expect(error.outcomeUnknown).toBe(true);
    expect(clock.sleeps).toHaveLength(2);
  });

  it.each([
    [400, 'InvalidParameter'],
    [401, 'InvalidApiKey'],
    [403, 'AccessDenied'],
    [404, 'NotFound'],
  ])('does not retry %i %s', async (status, code) => {
    answerOnce(status, { code, message: 'no' });
    const error = await catchError(makeClient().updateVocabulary('v', []));
    expect(error.status).toBe(status);
    expect(error.code).toBe(code);
    expect(error.outcomeUnknown).toBe(false);
    expect(clock.sleeps).toEqual([]);
  });

  it('honours Retry-After in seconds', async () => {
    nock(BASE).post(PATH).reply(429, { code: 'Throttling', message: 'wait' }, { 'retry-after': '7' });
    nock(BASE).post(PATH).reply(200, ok({ vocabulary_list: [] }));
    await makeClient().listVocabularies();
    expect(clock.sleeps).toEqual([7000]);
  });

  it('honours Retry-After as an HTTP date, relative to the injected clock', async () => {
    const at = new Date(clock.now() + 12_000).toUTCString();
    // toUTCString drops milliseconds: the wait is 12 s minus the clock's sub-second part.
    const expected = Date.parse(at) - clock.now();
    nock(BASE).post(PATH).reply(503, 'busy', { 'retry-after': at });
    nock(BASE).post(PATH).reply(200, ok({}));
    await makeClient().deleteVocabulary('v');
    expect(clock.sleeps).toEqual([expected]);
  });

  it('caps Retry-After at maxRetryAfterMs', async () => {
    nock(BASE).post(PATH).reply(429, { code: 'Throttling.RateQuota', message: 'wait' }, { 'retry-after': '86400' });
    nock(BASE).post(PATH).reply(200, ok({ vocabulary_list: [] }));
    await makeClient({ maxRetryAfterMs: 30_000 }).listVocabularies();
    expect(clock.sleeps).toEqual([30_000]);
  });

  it('retries a create throttled by 429 (certainly not applied)', async () => {
    nock(BASE).post(PATH).reply(429, { code: 'Throttling.RateQuota', message: 'slow' });
    nock(BASE).post(PATH).reply(200, ok({ vocabulary_id: 'vocab-p-1' }));
    expect(await makeClient().createVocabulary({ prefix: 'p', targetModel: 'fun-asr', vocabulary: [] })).toBe('vocab-p-1');
  });

  it.each([
    ['a 500', () => nock(BASE).post(PATH).reply(500, { code: 'InternalError', message: 'maybe' })],
    ['an HTML 504', () => nock(BASE).post(PATH).reply(504, '<h1>Gateway Timeout</h1>', { 'content-type': 'text/html' })],
    ['a dropped connection', () => nock(BASE).post(PATH).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })],
  ])('never retries a create after %s: one request, outcomeUnknown', async (_label, arrange) => {
    arrange();
    // A second interceptor that must stay unused.
    const spare = nock(BASE).post(PATH).reply(200, ok({ vocabulary_id: 'vocab-p-dup' }));
    const error = await catchError(makeClient().createVocabulary({ prefix: 'p', targetModel: 'fun-asr', vocabulary: [] }));
    expect(error.outcomeUnknown).toBe(true);
    expect(error.action).toBe('create_vocabulary');
    expect(spare.isDone()).toBe(false);
    expect(clock.sleeps).toEqual([]);
    expect(events.filter((e) => e.type === 'request')).toHaveLength(1);
    nock.cleanAll();
  });

  it('a dropped connection is NetworkError, status 0, retried for idempotent actions', async () => {
    nock(BASE).post(PATH).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    nock(BASE).post(PATH).reply(200, ok({}));
    await makeClient().updateVocabulary('v', []);
    expect(clock.sleeps).toHaveLength(1);
    const reasons = events.flatMap((e) => (e.type === 'retry' ? [e.reason] : []));
    expect(reasons[0]).toContain('ECONNRESET');
  });

  it('a dropped connection that never recovers: NetworkError with unknown outcome', async () => {
    nock(BASE).post(PATH).times(2).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    const error = await catchError(makeClient({ maxAttempts: 2 }).queryVocabulary('v'));
    expect(error.status).toBe(0);
    expect(error.code).toBe('NetworkError');
    expect(error.outcomeUnknown).toBe(true);
    expect(error.message).toContain('ECONNRESET (socket hang up)');
  });

  it('a create refused before sending (ECONNREFUSED) is retried', async () => {
    nock(BASE).post(PATH).replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' });
    nock(BASE).post(PATH).reply(200, ok({ vocabulary_id: 'vocab-p-2' }));
    expect(await makeClient().createVocabulary({ prefix: 'p', targetModel: 'fun-asr', vocabulary: [] })).toBe('vocab-p-2');
    expect(clock.sleeps).toHaveLength(1);
  });

  it('a connection refused every time gives NetworkError with outcomeUnknown false', async () => {
    nock(BASE).post(PATH).times(2).replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' });
    const error = await catchError(makeClient({ maxAttempts: 2 }).createVocabulary({ prefix: 'p', targetModel: 'm', vocabulary: [] }));
    expect(error.code).toBe('NetworkError');
    expect(error.outcomeUnknown).toBe(false);
  });

  it('times out a slow answer: status 0, Timeout, outcome unknown; create not retried', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    nock(BASE).post(PATH).delay(60_000).reply(200, ok({ vocabulary_id: 'late' }));
    const pending = catchError(makeClient({ timeoutMs: 1_000 }).createVocabulary({ prefix: 'p', targetModel: 'fun-asr', vocabulary: [] }));
    await vi.advanceTimersByTimeAsync(1_000);
    const error = await pending;
    expect(error.status).toBe(0);
    expect(error.code).toBe('Timeout');
    expect(error.outcomeUnknown).toBe(true);
    expect(error.message).toContain('within 1000 ms');
    expect(events.filter((e) => e.type === 'request')).toHaveLength(1);
  });

  it('retries a timed-out list', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    nock(BASE).post(PATH).delay(60_000).reply(200, ok({ vocabulary_list: [] }));
    nock(BASE).post(PATH).reply(200, ok({ vocabulary_list: [] }));
    const pending = makeClient({ timeoutMs: 1_000 }).listVocabularies();
    // Fires the first attempt's timeout only; the second answers at once.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await pending).toEqual([]);
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ reason: 'Timeout' });
  });

  it('a retried delete answering NotFound after an uncertain attempt counts as deleted', async () => {
    nock(BASE).post(PATH).reply(500, { code: 'InternalError', message: 'maybe deleted' });
    nock(BASE).post(PATH).reply(404, { code: 'NotFound', message: 'no such vocabulary' });
    await makeClient().deleteVocabulary('vocab-p-1');
    expect(events.find((e) => e.type === 'already-deleted')).toMatchObject({ action: 'delete_vocabulary', attempt: 2 });
  });

  it('a delete answering NotFound at once is an error (nothing says it was ours)', async () => {
    answerOnce(404, { code: 'NotFound', message: 'no such vocabulary' });
    const error = await catchError(makeClient().deleteVocabulary('vocab-p-1'));
    expect(error.code).toBe('NotFound');
  });

  it('an update that ends on a 4xx after an uncertain 5xx keeps outcomeUnknown', async () => {
    nock(BASE).post(PATH).reply(500, { code: 'InternalError', message: 'maybe' });
    nock(BASE).post(PATH).reply(400, { code: 'InvalidParameter', message: 'no' });
    const error = await catchError(makeClient().updateVocabulary('v', []));
    expect(error.code).toBe('InvalidParameter');
    expect(error.outcomeUnknown).toBe(true);
  });
});

describe('rate limiting', () => {
  it('spaces requests beyond the burst without failing them', async () => {
    const start = clock.now();
    const sentAt: number[] = [];
    nock(BASE)
      .post(PATH)
      .times(5)
      .reply(() => {
        sentAt.push(clock.now() - start);
        return [200, JSON.stringify(ok({ vocabulary_list: [] }))];
      });
    const client = makeClient({ requestsPerMinute: 60, rateLimitBurst: 2 });
    for (let i = 0; i < 5; i++) await client.listVocabularies();
    // 60/min is one a second: two go at once, then one a second.
    expect(sentAt).toEqual([0, 0, 1000, 2000, 3000]);
    expect(events.filter((e) => e.type === 'rate-limit-wait')).toHaveLength(3);
  });

  it('is off with requestsPerMinute 0', async () => {
    nock(BASE).post(PATH).times(20).reply(200, ok({ vocabulary_list: [] }));
    const client = makeClient({ requestsPerMinute: 0 });
    for (let i = 0; i < 20; i++) await client.listVocabularies();
    expect(clock.sleeps).toEqual([]);
  });
});

describe('secrets', () => {
  it('the key appears nowhere in errors, causes, stacks, JSON, inspect output or events', async () => {
    // The server echoes the key in its message and the transport error quotes the header.
    nock(BASE)
      .post(PATH)
      .reply(401, { code: 'InvalidApiKey', message: `Invalid API-key provided: ${KEY}`, request_id: 'r' });
    nock(BASE).post(PATH).times(2).replyWithError({ code: 'ECONNRESET', message: `socket hang up (authorization: Bearer ${KEY})` });
    const client = makeClient({ maxAttempts: 2 });
    const errors = [
      await catchError(client.listVocabularies()),
      await catchError(client.queryVocabulary('v')),
    ];
    const dumps: string[] = [JSON.stringify(events), inspect(events, { depth: 10 }), inspect(client, { depth: 10, showHidden: true }), JSON.stringify(client)];
    for (const error of errors) {
      dumps.push(error.message, String(error.stack), inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error));
      let cause: unknown = error.cause;
      while (cause instanceof Error) {
        dumps.push(cause.message, String(cause.stack), inspect(cause, { depth: 10, showHidden: true }));
        cause = cause.cause;
      }
    }
    expect(errors[0]?.message).toBe('HTTP 401 InvalidApiKey: Invalid API-key provided: ***');
    expect(errors[1]?.cause).toBeInstanceOf(Error);
    for (const dump of dumps) expect(dump).not.toContain(KEY);
    // Not even a recognisable piece of it.
    for (const dump of dumps) expect(dump).not.toContain(KEY.slice(8, 30));
  });
});
