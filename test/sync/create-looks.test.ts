/**
 * The batched look after creates: one look for every create that ended before it, complete for
 * the prefixes asked about even when the account changes between its two reads.
 */
import { describe, expect, it } from 'vitest';
import type { ListVocabulariesInput, VocabularyService, VocabularySummary } from '../../src/dashscope/types.js';
import { CreateLooks } from '../../src/sync/create-looks.js';

const hex = (n: number): string => n.toString(16).padStart(32, '0');

/** An account of lists (newest first) answering list_vocabulary by page; `beforeList` may change it between reads. */
function fakeAccount(prefixes: string[]) {
  let serial = 0;
  const rows: VocabularySummary[] = [];
  const add = (prefix: string): string => {
    const id = `vocab-${prefix}-${hex(++serial)}`;
    rows.unshift({ vocabulary_id: id, gmt_create: '2026-12-01 08:00:00', gmt_modified: '2026-12-01 08:00:00', status: 'OK' });
    return id;
  };
  prefixes.forEach(add);
  const calls: ListVocabulariesInput[] = [];
  const hooks = { beforeList: (_input: ListVocabulariesInput): void => undefined };
  const service = {
    async createVocabulary(input: { prefix: string }) {
      return add(input.prefix);
    },
    async listVocabularies(input: ListVocabulariesInput = {}) {
      calls.push(input);
      hooks.beforeList(input);
      const matching = input.prefix === undefined ? rows : rows.filter((r) => r.vocabulary_id.startsWith(`vocab-${input.prefix}-`));
      const size = input.pageSize ?? 10;
      const index = input.pageIndex ?? 0;
      return matching.slice(index * size, index * size + size).map((r) => ({ ...r }));
    },
  } as unknown as VocabularyService;
  return { service, rows, calls, hooks, add };
}

const ids = (rows: readonly VocabularySummary[]): string[] => rows.map((r) => r.vocabulary_id);

describe('looks after creates', () => {
  it('one look answers for every create in flight at once: a short first page is the whole account', async () => {
    const account = fakeAccount(['other']);
    const looks = new CreateLooks(account.service, () => account.rows.length);
    const made = await Promise.all(
      ['movies', 'news', 'sports'].map(async (prefix) => {
        const id = await looks.track(() => account.service.createVocabulary({ prefix, targetModel: 'fun-asr', vocabulary: [] }));
        return { id, rows: await looks.lookAfterCreate(prefix) };
      }),
    );
    expect(account.calls).toEqual([{ pageIndex: 0, pageSize: 10 }]);
    for (const { id, rows } of made) expect(ids(rows)).toEqual([id]);
  });

  it('an account of 10 lists or more: the first two pages read at once, overlapping by one row', async () => {
    const account = fakeAccount(['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9', 'a10', 'a11', 'movies']);
    const looks = new CreateLooks(account.service, () => account.rows.length);
    const rows = await looks.lookAfterCreate('a1');
    expect(account.calls).toEqual([
      { pageIndex: 1, pageSize: 9 },
      { pageIndex: 0, pageSize: 10 },
    ]);
    // a1 is the oldest list: offset 11, in the second read.
    expect(ids(rows)).toEqual([account.rows[11]!.vocabulary_id]);
  });

  it('a list deleted between the two reads: the look lists the prefix instead of joining them', async () => {
    const account = fakeAccount(['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9', 'a10', 'a11']);
    const oldest = account.rows[10]!.vocabulary_id;
    let reads = 0;
    // The second page is read first, then a newer list is deleted before the first page is read:
    // every row moves up by one, so the reads disagree at offset 9 and cannot be joined.
    account.hooks.beforeList = () => {
      if (++reads === 2) account.rows.splice(0, 1);
    };
    const looks = new CreateLooks(account.service, () => account.rows.length);
    const rows = await looks.lookAfterCreate('a1');
    expect(ids(rows)).toEqual([oldest]);
    expect(account.calls.at(-1)).toEqual({ prefix: 'a1', pageIndex: 0, pageSize: 10 });
  });

  it('more lists than two reads hold: one listing per prefix asked about', async () => {
    const account = fakeAccount(Array.from({ length: 20 }, (_, i) => `p${i}`));
    const looks = new CreateLooks(account.service, () => account.rows.length);
    const [first, last] = await Promise.all([looks.lookAfterCreate('p0'), looks.lookAfterCreate('p19')]);
    expect(ids(first)).toEqual([account.rows[19]!.vocabulary_id]);
    expect(ids(last)).toEqual([account.rows[0]!.vocabulary_id]);
    expect(account.calls.filter((c) => c.prefix !== undefined).map((c) => c.prefix).sort()).toEqual(['p0', 'p19']);
  });

  it('a look starts only once no create request is in flight, and a failed create does not hold it', async () => {
    const account = fakeAccount([]);
    const looks = new CreateLooks(account.service, () => account.rows.length);
    let release: () => void = () => undefined;
    const slow = looks.track(() => new Promise<string>((resolve) => (release = () => resolve(account.rows[0]?.vocabulary_id ?? ''))));
    const failed = looks.track(() => Promise.reject(new Error('refused'))).catch((error: unknown) => error);
    const early = looks.lookAfterCreate('movies');
    await failed;
    await new Promise((resolve) => setImmediate(resolve));
    expect(account.calls).toEqual([]);
    await account.service.createVocabulary({ prefix: 'movies', targetModel: 'fun-asr', vocabulary: [] });
    release();
    await slow;
    expect(ids(await early)).toEqual([account.rows[0]!.vocabulary_id]);
    expect(account.calls).toHaveLength(1);
  });
});
