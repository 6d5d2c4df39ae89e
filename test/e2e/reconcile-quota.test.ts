/**
 * The reconciler end to end against the account quota (10 lists, shared with other tools):
 * replace create-before-destroy and destroy-before-create, refused plans with their
 * arithmetic, deletes ordered first, and duplicate lists of one identity.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  actionsSeen,
  assertBuilt,
  directApi,
  entryKeys,
  expectExit,
  funAsr,
  identities,
  listsOf,
  makeRepo,
  newApiKey,
  parseJson,
  startEmulator,
  vocab,
  zh,
  type EmulatorServer,
} from './harness.js';

beforeAll(assertBuilt);

/** Fills the account with `count` lists of another tool (prefix `other`, never owned here). */
async function seedUnmanaged(server: EmulatorServer, key: string, count: number): Promise<string[]> {
  const api = directApi(server, key);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(await api.create('other', 'fun-asr', zh([`别的${i}`])));
  return ids;
}

const MOVIES = funAsr('movies', ['赛德克巴莱', '夏洛特烦恼']);
const NEW_MODEL = 'fun-asr-2025-11-07';

async function setup(config: Record<string, unknown> = {}) {
  const key = newApiKey();
  const server = await startEmulator({ apiKeys: [key] });
  const repo = await makeRepo({ environments: { test: { url: server.url } }, vocabularies: { movies: MOVIES }, config });
  return { key, server, repo, api: directApi(server, key) };
}

describe('replace (same prefix, new target_model)', () => {
  it('with 9 of 10 lists used: creates the new list before deleting the old one (peak 10), id changes, old one backed up', async () => {
    const { key, server, repo } = await setup();
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    const unmanaged = await seedUnmanaged(server, key, 8);
    const old = listsOf(server, key).find((v) => v.prefix === 'movies')!;

    await repo.writeVocabulary('movies', { ...MOVIES, target_model: NEW_MODEL });
    const plan = await vocab(repo, ['plan', '--format', 'json'], { key });
    expectExit(plan, 0);
    const document = parseJson<{ quota: unknown; changes: Record<string, unknown>[]; unmanaged: unknown[] }>(plan.stdout);
    expect(document.quota).toEqual({ limit: 10, used: 9, after: 9, peak: 10 });
    expect(document.changes).toHaveLength(1);
    expect(document.changes[0]).toMatchObject({
      action: 'replace',
      target_model: NEW_MODEL,
      vocabulary_id: old.vocabulary_id,
      replaces: { vocabulary_id: old.vocabulary_id, target_model: 'fun-asr' },
    });
    expect(document.unmanaged).toHaveLength(8);
    const text = await vocab(repo, ['plan'], { key });
    expect(text.stdout).toContain(`-/+ replace  movies (fun-asr → ${NEW_MODEL})  ${old.vocabulary_id}`);
    expect(text.stdout).toContain(`target_model changes from fun-asr to ${NEW_MODEL}; same entries`);
    expect(text.stdout).toContain('Quota: 9 of 10 lists now (1 owned + 8 unmanaged), 9 after the apply, peak 10.');

    server.requestLog.clear();
    const apply = await vocab(repo, ['apply', '--yes'], { key });
    expectExit(apply, 0);
    expect(apply.stdout).toContain('Apply complete: 1 applied, 0 failed, 0 skipped.');
    expect(actionsSeen(server, 'writes')).toEqual(['create_vocabulary', 'delete_vocabulary']);

    const movies = listsOf(server, key).filter((v) => v.prefix === 'movies');
    expect(movies).toHaveLength(1);
    expect(movies[0]!.target_model).toBe(NEW_MODEL);
    expect(movies[0]!.vocabulary_id).not.toBe(old.vocabulary_id);
    expect(entryKeys(movies[0]!.vocabulary)).toEqual(entryKeys(old.vocabulary));
    // The other tool's lists are untouched.
    expect(listsOf(server, key).filter((v) => v.prefix === 'other').map((v) => v.vocabulary_id)).toEqual(unmanaged);

    const backups = await repo.backups();
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatchObject({ reason: 'replace', vocabulary_id: old.vocabulary_id, target_model: 'fun-asr', prefix: 'movies' });
    expect(entryKeys(backups[0]!.entries)).toEqual(entryKeys(old.vocabulary));
    expectExit(await vocab(repo, ['plan', '--detailed-exitcode'], { key }), 0);
  });

  it('with 10 of 10 used and create_before_destroy: refused with the arithmetic, nothing written; destroy_before_create succeeds', async () => {
    const { key, server, repo } = await setup({ apply: { replace: 'create_before_destroy', wait_timeout_seconds: 20 } });
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    await seedUnmanaged(server, key, 9);
    const old = listsOf(server, key).find((v) => v.prefix === 'movies')!;
    await repo.writeVocabulary('movies', { ...MOVIES, target_model: NEW_MODEL });
    const before = server.snapshotState();

    const plan = await vocab(repo, ['plan'], { key });
    expectExit(plan, 1);
    expect(plan.stdout).toContain(
      'the apply needs 11 lists at its peak (10 now: 1 owned + 9 unmanaged; +1 for a replace created before its old list is deleted) but the account allows 10; apply.replace: destroy_before_create would fit',
    );

    server.requestLog.clear();
    const refused = await vocab(repo, ['apply', '--yes'], { key });
    expectExit(refused, 1);
    expect(refused.stderr).toContain('plan refused, nothing applied');
    expect(refused.stderr).toContain('quota: the apply needs 11 lists at its peak');
    expect(actionsSeen(server, 'writes')).toEqual([]);
    expect(server.snapshotState()).toEqual(before);
    expect(await repo.backups()).toEqual([]);

    // --force never overrides the quota.
    const forced = await vocab(repo, ['apply', '--yes', '--force'], { key });
    expectExit(forced, 1);
    expect(forced.stderr).toContain('quota: the apply needs 11 lists');
    expect(server.snapshotState()).toEqual(before);

    await repo.writeConfig({ apply: { replace: 'destroy_before_create', wait_timeout_seconds: 20 } });
    server.requestLog.clear();
    const apply = await vocab(repo, ['apply', '--yes'], { key });
    expectExit(apply, 0);
    expect(actionsSeen(server, 'writes')).toEqual(['delete_vocabulary', 'create_vocabulary']);
    const movies = listsOf(server, key).filter((v) => v.prefix === 'movies');
    expect(movies.map((v) => v.target_model)).toEqual([NEW_MODEL]);
    expect(movies[0]!.vocabulary_id).not.toBe(old.vocabulary_id);
    expect(listsOf(server, key)).toHaveLength(10);
    const backups = await repo.backups();
    expect(backups.map((b) => [b.reason, b.vocabulary_id])).toEqual([['replace', old.vocabulary_id]]);
    expect(entryKeys(backups[0]!.entries)).toEqual(entryKeys(old.vocabulary));
  });
});

describe('quota', () => {
  it('creates that would exceed 10 lists counting unmanaged ones are refused with the arithmetic', async () => {
    const { key, server, repo } = await setup();
    await seedUnmanaged(server, key, 8);
    await repo.writeVocabulary('a', funAsr('alpha', ['甲']));
    await repo.writeVocabulary('b', funAsr('beta', ['乙']));
    const before = server.snapshotState();

    const plan = await vocab(repo, ['plan', '--format', 'json'], { key });
    expectExit(plan, 1);
    const document = parseJson<{ quota: unknown; violations: Record<string, unknown>[] }>(plan.stdout);
    expect(document.quota).toEqual({ limit: 10, used: 8, after: 11, peak: 11 });
    expect(document.violations).toEqual([
      expect.objectContaining({
        rule: 'quota',
        message: 'the apply needs 11 lists at its peak (8 now: 0 owned + 8 unmanaged; +3 creates) but the account allows 10; delete lists or raise quota.max_vocabularies if the account allows more',
      }),
    ]);

    const apply = await vocab(repo, ['apply', '--yes', '--force'], { key });
    expectExit(apply, 1);
    expect(apply.stderr).toContain('8 now: 0 owned + 8 unmanaged; +3 creates');
    expect(actionsSeen(server, 'writes')).toEqual(['create_vocabulary', 'create_vocabulary', 'create_vocabulary', 'create_vocabulary', 'create_vocabulary', 'create_vocabulary', 'create_vocabulary', 'create_vocabulary']);
    expect(server.snapshotState()).toEqual(before);
  });

  it('at 10 of 10, a plan that deletes 2 and creates 2 orders the deletes first and succeeds', async () => {
    const { key, server, repo } = await setup({ ownership: { prefixes: ['movies', 'alpha', 'beta', 'gamma', 'delta'] } });
    await repo.writeVocabulary('a', funAsr('alpha', ['甲']));
    await repo.writeVocabulary('b', funAsr('beta', ['乙']));
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    await seedUnmanaged(server, key, 7);
    expect(listsOf(server, key)).toHaveLength(10);
    const gone = listsOf(server, key).filter((v) => v.prefix === 'alpha' || v.prefix === 'beta');

    await repo.removeVocabulary('a');
    await repo.removeVocabulary('b');
    await repo.writeVocabulary('c', funAsr('gamma', ['丙']));
    await repo.writeVocabulary('d', funAsr('delta', ['丁']));
    const plan = await vocab(repo, ['plan', '--format', 'json'], { key });
    expectExit(plan, 0);
    const document = parseJson<{ quota: unknown; summary: unknown }>(plan.stdout);
    expect(document.quota).toEqual({ limit: 10, used: 10, after: 10, peak: 10 });
    expect(document.summary).toMatchObject({ create: 2, delete: 2, noop: 1 });

    server.requestLog.clear();
    const apply = await vocab(repo, ['apply', '--yes'], { key });
    expectExit(apply, 0);
    expect(actionsSeen(server, 'writes')).toEqual(['delete_vocabulary', 'delete_vocabulary', 'create_vocabulary', 'create_vocabulary']);
    expect(identities(server, key)).toEqual([
      'delta/fun-asr',
      'gamma/fun-asr',
      'movies/fun-asr',
      ...Array<string>(7).fill('other/fun-asr'),
    ]);
    const backups = await repo.backups();
    expect(backups.map((b) => [b.reason, b.vocabulary_id]).sort()).toEqual(gone.map((v) => ['delete', v.vocabulary_id]).sort());
  });
});

describe('duplicates of one identity on the remote', () => {
  it('keeps the list that matches and deletes the other with reason "duplicate"', async () => {
    const { key, server, repo, api } = await setup();
    const matching = await api.create('movies', 'fun-asr', zh(['赛德克巴莱', '夏洛特烦恼']));
    const stray = await api.create('movies', 'fun-asr', zh(['别的']));

    const plan = await vocab(repo, ['plan', '--format', 'json'], { key });
    expectExit(plan, 0);
    const changes = parseJson<{ changes: Record<string, unknown>[] }>(plan.stdout).changes;
    expect(changes).toHaveLength(2);
    expect(changes).toContainEqual(expect.objectContaining({ action: 'delete', vocabulary_id: stray, reason: 'duplicate' }));
    expect(changes).toContainEqual(expect.objectContaining({ action: 'noop', vocabulary_id: matching }));

    const apply = await vocab(repo, ['apply', '--yes'], { key });
    expectExit(apply, 0);
    expect(listsOf(server, key).map((v) => v.vocabulary_id)).toEqual([matching]);
    expect((await repo.backups()).map((b) => [b.reason, b.vocabulary_id])).toEqual([['delete', stray]]);
    expectExit(await vocab(repo, ['plan', '--detailed-exitcode'], { key }), 0);
  });

  it('when none matches, keeps the newest (updated in place) and deletes the older one', async () => {
    const { key, server, repo, api } = await setup();
    const older = await api.create('movies', 'fun-asr', zh(['旧的']));
    const newer = await api.create('movies', 'fun-asr', zh(['新的']));

    const plan = await vocab(repo, ['plan', '--format', 'json'], { key });
    const changes = parseJson<{ changes: Record<string, unknown>[] }>(plan.stdout).changes;
    expect(changes).toHaveLength(2);
    expect(changes).toContainEqual(expect.objectContaining({ action: 'delete', vocabulary_id: older, reason: 'duplicate' }));
    expect(changes).toContainEqual(expect.objectContaining({ action: 'update', vocabulary_id: newer }));

    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    const lists = listsOf(server, key);
    expect(lists.map((v) => v.vocabulary_id)).toEqual([newer]);
    expect(entryKeys(lists[0]!.vocabulary)).toEqual(entryKeys(zh(['赛德克巴莱', '夏洛特烦恼'])));
  });
});
