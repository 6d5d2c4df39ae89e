import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DashScopeError } from '../../src/dashscope/errors.js';
import { createHttpVocabularyService } from '../../src/dashscope/http-client.js';
import { listAllVocabularies } from '../../src/dashscope/list-all.js';
import type { VocabularyDetail, VocabularyService, VocabularySummary } from '../../src/dashscope/types.js';
import { readRemote } from '../../src/sync/read-remote.js';

const BASE = 'https://dashscope.aliyuncs.com';
const PATH = '/api/v1/services/audio/asr/customization';
const HEX = '0123456789abcdef0123456789abcdef';

function client() {
  return createHttpVocabularyService({ baseUrl: `${BASE}/api/v1`, apiKey: 'sk-test-wire', maxAttempts: 1, sleep: async () => {} });
}

function answer(output: unknown): void {
  nock(BASE).post(PATH).reply(200, { output, usage: { count: 1 }, request_id: 'r' });
}

function row(overrides: Partial<Record<keyof VocabularySummary, unknown>> = {}): Record<string, unknown> {
  return { vocabulary_id: `vocab-movies-${HEX}`, gmt_create: '2025-01-01 10:00:00', gmt_modified: '2025-01-01 10:00:00', status: 'OK', ...overrides };
}

function detail(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { gmt_create: '2025-01-01 10:00:00', gmt_modified: '2025-01-01 10:00:00', status: 'OK', target_model: 'fun-asr', vocabulary: [{ text: 'a', weight: 4 }], ...overrides };
}

async function protocolError(promise: Promise<unknown>): Promise<DashScopeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DashScopeError);
  const dashscope = error as DashScopeError;
  expect(dashscope.code).toBe('MalformedResponse');
  return dashscope;
}

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('the client checks list answers against the wire description', () => {
  it.each([
    ['a path in the id', `vocab-../../etc-${HEX}`],
    ['an id without the vocab- shape', 'movies'],
    ['an upper-case prefix', `vocab-Movies-${HEX}`],
    ['a prefix with a dash', `vocab-my-list-${HEX}`],
    ['an ANSI escape in the id', `vocab-movies\u001b[31m-${HEX}`],
    ['a newline in the id', `vocab-movies-${HEX}\nINJECTED=1`],
    ['a non-hex tail', 'vocab-movies-zzzz'],
  ])('refuses %s', async (_label, id) => {
    answer({ vocabulary_list: [row({ vocabulary_id: id })] });
    const error = await protocolError(client().listVocabularies());
    expect(error.message).toContain('vocabulary_id');
    expect(error.message).not.toContain('\u001b');
    expect(error.message).not.toContain('\n');
  });

  it.each([['UNKNOWN'], ['OK\nVOCAB_X=1'], [''], [3]])('refuses the status %j', async (status) => {
    answer({ vocabulary_list: [row({ status })] });
    const error = await protocolError(client().listVocabularies());
    expect(error.message).toContain('status');
  });

  it('refuses a time holding control characters', async () => {
    answer({ vocabulary_list: [row({ gmt_modified: '2025-01-01\u001b[2J' })] });
    await protocolError(client().listVocabularies());
  });

  it('keeps a 10-character prefix and an UNDEPLOYED status: valid on the wire, whatever our own rules say', async () => {
    const id = `vocab-abcdefghij-${HEX}`;
    answer({ vocabulary_list: [row({ vocabulary_id: id, status: 'UNDEPLOYED' })] });
    const rows = await client().listVocabularies();
    expect(rows.map((r) => [r.vocabulary_id, r.status])).toEqual([[id, 'UNDEPLOYED']]);
  });
});

describe('the client checks query and create answers', () => {
  it.each([
    ['a model with a newline', { target_model: 'fun-asr\nX=1' }],
    ['a model with spaces', { target_model: 'fun asr' }],
    ['an empty model', { target_model: '' }],
    ['a text that is not a string', { vocabulary: [{ text: 42 }] }],
    ['an entry that is not an object', { vocabulary: ['a'] }],
    ['an unknown status', { status: 'DEPLOYING' }],
  ])('refuses %s', async (_label, overrides) => {
    answer(detail(overrides));
    await protocolError(client().queryVocabulary(`vocab-movies-${HEX}`));
  });

  it('keeps an unknown model and an over-long text: another team may use them', async () => {
    const text = '这是一个远远超过十五个字符的非常非常长的热词文本内容';
    answer(detail({ target_model: 'some-future-model-v9', vocabulary: [{ text, weight: 3 }] }));
    const got = await client().queryVocabulary(`vocab-movies-${HEX}`);
    expect(got.target_model).toBe('some-future-model-v9');
    expect(got.vocabulary[0]!.text).toBe(text);
  });

  it('refuses a created id for another prefix, or of the wrong shape', async () => {
    answer({ vocabulary_id: `vocab-other-${HEX}` });
    const error = await protocolError(client().createVocabulary({ prefix: 'movies', targetModel: 'fun-asr', vocabulary: [] }));
    expect(error.message).toContain('prefix');
    answer({ vocabulary_id: '../../x' });
    await protocolError(client().createVocabulary({ prefix: 'movies', targetModel: 'fun-asr', vocabulary: [] }));
  });
});

/** A service answering in-process, as the embedded account does, with whatever rows it is given. */
function inProcess(rows: VocabularySummary[], details: Record<string, VocabularyDetail> = {}): VocabularyService {
  return {
    listVocabularies: async (input = {}) => ((input.pageIndex ?? 0) === 0 ? rows : []),
    queryVocabulary: async (id) => details[id]!,
    createVocabulary: () => Promise.reject(new Error('unused')),
    updateVocabulary: () => Promise.reject(new Error('unused')),
    deleteVocabulary: () => Promise.reject(new Error('unused')),
  };
}

describe('listing and reading through any service apply the same checks', () => {
  it('listAllVocabularies refuses a hostile row from an in-process service', async () => {
    const service = inProcess([{ vocabulary_id: `vocab-../x-${HEX}`, gmt_create: '', gmt_modified: '', status: 'OK' }]);
    await protocolError(listAllVocabularies(service));
  });

  it('readRemote refuses a hostile model from an in-process query', async () => {
    const id = `vocab-movies-${HEX}`;
    const summary: VocabularySummary = { vocabulary_id: id, gmt_create: '', gmt_modified: '', status: 'OK' };
    const service = inProcess([summary], {
      [id]: { ...summary, target_model: '\u001b]0;pwned\u0007', vocabulary: [] },
    });
    await protocolError(readRemote(service, { ownedPrefixes: ['movies'] }));
  });
});
