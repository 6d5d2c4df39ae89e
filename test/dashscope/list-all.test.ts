import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DashScopeError } from '../../src/dashscope/errors.js';
import { createHttpVocabularyService } from '../../src/dashscope/http-client.js';
import { listAllVocabularies } from '../../src/dashscope/list-all.js';
import type { ListVocabulariesInput, VocabularyService, VocabularySummary } from '../../src/dashscope/types.js';
import { createFakeClock } from './fake-clock.js';

function rows(count: number, prefix = 'p'): VocabularySummary[] {
  return Array.from({ length: count }, (_, i) => ({
    vocabulary_id: `vocab-${prefix}-${String(i).padStart(32, '0')}`,
    gmt_create: '2025-01-01 00:00:00',
    gmt_modified: '2025-01-01 00:00:00',
    status: 'OK',
  }));
}

interface FakeOptions {
  /** Largest page the server returns, whatever is asked. */
  cap?: number;
  /** The server always answers page 0. */
  ignorePageIndex?: boolean;
  /** The server uses this page size, whatever is asked. */
  fixedPageSize?: number;
}

/** An in-memory service with the pagination quirks a real server might have. */
function fakeService(all: VocabularySummary[], quirks: FakeOptions = {}) {
  const calls: { pageIndex: number; pageSize: number; prefix?: string }[] = [];
  const service: VocabularyService = {
    async listVocabularies(input: ListVocabulariesInput = {}) {
      const pageIndex = input.pageIndex ?? 0;
      const pageSize = input.pageSize ?? 10;
      calls.push({ pageIndex, pageSize, ...(input.prefix === undefined ? {} : { prefix: input.prefix }) });
      const size = quirks.fixedPageSize ?? Math.min(pageSize, quirks.cap ?? Number.POSITIVE_INFINITY);
      const index = quirks.ignorePageIndex ? 0 : pageIndex;
      const matching = input.prefix === undefined ? all : all.filter((r) => r.vocabulary_id.startsWith(`vocab-${input.prefix}-`));
      return matching.slice(index * size, index * size + size);
    },
    createVocabulary: () => Promise.reject(new Error('unused')),
    queryVocabulary: () => Promise.reject(new Error('unused')),
    updateVocabulary: () => Promise.reject(new Error('unused')),
    deleteVocabulary: () => Promise.reject(new Error('unused')),
  };
  return { service, calls };
}

describe('listAllVocabularies', () => {
  it('an empty account takes one call', async () => {
    const { service, calls } = fakeService([]);
    expect(await listAllVocabularies(service)).toEqual([]);
    expect(calls).toEqual([{ pageIndex: 0, pageSize: 10 }]);
  });

  it('7 lists with page size 10 take 2 calls: the short page may be a cap, so it confirms at size 7', async () => {
    const { service, calls } = fakeService(rows(7));
    expect(await listAllVocabularies(service)).toEqual(rows(7));
    expect(calls).toEqual([
      { pageIndex: 0, pageSize: 10 },
      { pageIndex: 1, pageSize: 7 },
    ]);
  });

  it('exactly one full page: the empty next page ends it', async () => {
    const { service, calls } = fakeService(rows(10));
    expect(await listAllVocabularies(service)).toHaveLength(10);
    expect(calls).toEqual([
      { pageIndex: 0, pageSize: 10 },
      { pageIndex: 1, pageSize: 10 },
    ]);
  });

  it('several full pages then a short one: the short page is the end (size proven)', async () => {
    const { service, calls } = fakeService(rows(23));
    expect(await listAllVocabularies(service)).toEqual(rows(23));
    expect(calls.map((c) => c.pageIndex)).toEqual([0, 1, 2]);
  });

  it('a server that silently caps pages at 4 still gives every list', async () => {
    const { service, calls } = fakeService(rows(11), { cap: 4 });
    expect(await listAllVocabularies(service)).toEqual(rows(11));
    expect(calls).toEqual([
      { pageIndex: 0, pageSize: 10 },
      { pageIndex: 1, pageSize: 4 },
      { pageIndex: 2, pageSize: 4 },
    ]);
  });

  it('a cap that divides the account exactly ends on an empty page', async () => {
    const { service } = fakeService(rows(12), { cap: 4 });
    expect(await listAllVocabularies(service)).toEqual(rows(12));
  });

  it('a server with its own larger page size is followed at that size', async () => {
    const { service, calls } = fakeService(rows(45), { fixedPageSize: 20 });
    expect(await listAllVocabularies(service)).toEqual(rows(45));
    expect(calls).toEqual([
      { pageIndex: 0, pageSize: 10 },
      { pageIndex: 1, pageSize: 20 },
      { pageIndex: 2, pageSize: 20 },
    ]);
  });

  it('a page size change at an offset it does not divide restarts from page 0 and dedupes', async () => {
    // Page 0 honours the size asked for; later pages are at least 15 rows, offset by that size.
    const all = rows(40);
    const calls: { pageIndex: number; pageSize: number }[] = [];
    const service: VocabularyService = {
      ...fakeService([]).service,
      async listVocabularies(input: ListVocabulariesInput = {}) {
        const pageIndex = input.pageIndex ?? 0;
        const pageSize = input.pageSize ?? 10;
        calls.push({ pageIndex, pageSize });
        const size = pageIndex === 0 ? pageSize : Math.max(pageSize, 15);
        return all.slice(pageIndex * size, pageIndex * size + size);
      },
    };
    // Page 1 at size 10 comes back as rows 15..29: rows 10..14 were skipped, and
    // 10 + 15 = 25 is no multiple of 15, so only a restart at size 15 finds them.
    expect(await listAllVocabularies(service)).toEqual([...all.slice(0, 10), ...all.slice(15, 30), ...all.slice(10, 15), ...all.slice(30)]);
    expect(calls).toEqual([
      { pageIndex: 0, pageSize: 10 },
      { pageIndex: 1, pageSize: 10 },
      { pageIndex: 0, pageSize: 15 },
      { pageIndex: 1, pageSize: 15 },
      { pageIndex: 2, pageSize: 15 },
    ]);
  });

  it('stops, and warns, when the server ignores page_index and repeats a full page', async () => {
    const { service, calls } = fakeService(rows(25), { ignorePageIndex: true });
    const warnings: string[] = [];
    const result = await listAllVocabularies(service, { onWarning: (m) => warnings.push(m) });
    expect(result).toEqual(rows(10));
    expect(calls).toHaveLength(2);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('ignore page_index');
  });

  it('stops when the server ignores page_index on a short page too', async () => {
    const { service, calls } = fakeService(rows(6), { ignorePageIndex: true });
    expect(await listAllVocabularies(service)).toEqual(rows(6));
    expect(calls).toEqual([
      { pageIndex: 0, pageSize: 10 },
      { pageIndex: 1, pageSize: 6 },
    ]);
  });

  it('dedupes rows that shift between pages while lists are created', async () => {
    const all = rows(15);
    let call = 0;
    const service: VocabularyService = {
      ...fakeService([]).service,
      async listVocabularies(input: ListVocabulariesInput = {}) {
        call += 1;
        const size = input.pageSize ?? 10;
        const index = input.pageIndex ?? 0;
        // Before the second page, two new lists appear at the top (newest first).
        const current = call === 1 ? all : [...rows(2, 'new'), ...all];
        return current.slice(index * size, index * size + size);
      },
    };
    const result = await listAllVocabularies(service);
    const ids = result.map((r) => r.vocabulary_id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const row of all) expect(ids).toContain(row.vocabulary_id);
  });

  it('passes the prefix on every page', async () => {
    const { service, calls } = fakeService([...rows(3, 'a'), ...rows(12, 'b')]);
    expect(await listAllVocabularies(service, { prefix: 'b' })).toEqual(rows(12, 'b'));
    expect(calls.every((c) => c.prefix === 'b')).toBe(true);
  });

  it('throws rather than loops forever when pages never end', async () => {
    let n = 0;
    const service: VocabularyService = {
      ...fakeService([]).service,
      async listVocabularies(input: ListVocabulariesInput = {}) {
        const size = input.pageSize ?? 10;
        return Array.from({ length: size }, () => rows(1, `x${n++}`)[0]!);
      },
    };
    const error = await listAllVocabularies(service, { maxPages: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DashScopeError);
    expect((error as DashScopeError).code).toBe('PaginationLimit');
  });
});

describe('listAllVocabularies over HTTP', () => {
  const BASE = 'https://dashscope.aliyuncs.com';
  const PATH = '/api/v1/services/audio/asr/customization';

  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('walks the pages of a server that caps page_size at 3', async () => {
    const all = rows(7);
    const bodies: unknown[] = [];
    nock(BASE)
      .post(PATH)
      .times(4)
      .reply((_uri, body) => {
        bodies.push(body);
        const input = (body as { input: { page_index: number; page_size: number } }).input;
        const size = Math.min(input.page_size, 3);
        const page = all.slice(input.page_index * size, input.page_index * size + size);
        return [200, JSON.stringify({ output: { vocabulary_list: page }, usage: { count: 1 }, request_id: 'r' })];
      });
    const clock = createFakeClock();
    const client = createHttpVocabularyService({ baseUrl: `${BASE}/api/v1`, apiKey: 'sk-x', sleep: clock.sleep, now: clock.now });
    expect(await listAllVocabularies(client)).toEqual(all);
    expect(bodies.map((b) => (b as { input: unknown }).input)).toEqual([
      { action: 'list_vocabulary', prefix: null, page_index: 0, page_size: 10 },
      { action: 'list_vocabulary', prefix: null, page_index: 1, page_size: 3 },
      { action: 'list_vocabulary', prefix: null, page_index: 2, page_size: 3 },
    ]);
    expect(nock.pendingMocks()).toHaveLength(1); // the fourth reply was never needed
  });
});
