/**
 * The reconciler end to end against a misbehaving service: transient faults (500, 429 with
 * Retry-After, HTML 502, dropped connections), creates that commit and then fail or drop
 * (adopted, never duplicated), and lists that stay UNDEPLOYED for a while.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
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
} from './harness.js';
import type { EmulatorServerOptions } from '../../src/emulator/server.js';

beforeAll(assertBuilt);

const MOVIES = funAsr('movies', ['赛德克巴莱', '夏洛特烦恼']);
const SUPPORT = funAsr('support', ['退款', '发票']);
const NEWS = funAsr('news', ['新闻联播']);

async function setup(emulator: EmulatorServerOptions = {}, config: Record<string, unknown> = {}) {
  const key = newApiKey();
  const server = await startEmulator({ apiKeys: [key], ...emulator });
  const repo = await makeRepo({
    environments: { test: { url: server.url } },
    vocabularies: { movies: MOVIES, support: SUPPORT, news: NEWS },
    config,
  });
  return { key, server, repo, api: directApi(server, key) };
}

/** Sorted entry keys per identity: the whole account's content. */
function contentOf(server: Awaited<ReturnType<typeof setup>>['server'], key: string): Record<string, string[]> {
  return Object.fromEntries(listsOf(server, key).map((v) => [`${v.prefix}/${v.target_model}`, entryKeys(v.vocabulary)]));
}

describe('transient faults during apply', () => {
  it('500, 429 with Retry-After, HTML 502 and dropped connections: apply succeeds, no duplicates', async () => {
    const { key, server, repo, api } = await setup();
    // Something to update and something to delete as well as creates.
    const stale = await api.create('movies', 'fun-asr', zh(['旧的']));
    const extra = await api.create('old', 'fun-asr', zh(['没用']));
    await repo.writeConfig({ ownership: { prefixes: ['movies', 'support', 'news', 'old'] } });

    server.scriptFaults(
      { action: 'list_vocabulary', fault: 'http-500' },
      { action: 'query_vocabulary', fault: 'rate-limit-429' },
      { action: 'query_vocabulary', fault: 'html-502' },
      { action: 'create_vocabulary', fault: 'http-500' },
      { action: 'create_vocabulary', fault: 'rate-limit-429' },
      { action: 'create_vocabulary', fault: 'html-502' },
      { action: 'create_vocabulary', fault: 'drop-connection' },
      { action: 'update_vocabulary', fault: 'http-500' },
      { action: 'update_vocabulary', fault: 'drop-connection' },
      { action: 'delete_vocabulary', fault: 'html-502' },
      { action: 'delete_vocabulary', fault: 'drop-connection' },
    );
    const apply = await vocab(repo, ['apply', '--yes', '--format', 'json'], { key });
    expectExit(apply, 0);
    expect(server.pendingFaults()).toEqual([]);
    const result = parseJson<{ results: { action: string; status: string }[]; summary: unknown }>(apply.stdout);
    expect(result.summary).toEqual({ applied: 4, failed: 0, skipped: 0 });
    expect(result.results.map((r) => `${r.action}:${r.status}`).sort()).toEqual([
      'create:applied',
      'create:applied',
      'delete:applied',
      'update:applied',
    ]);

    // Every scripted fault was met on the wire, and each action eventually succeeded.
    const faults = server.requestLog.entries().filter((e) => e.fault !== null).map((e) => `${e.action}:${e.fault}`);
    expect(faults).toHaveLength(11);

    expect(identities(server, key)).toEqual(['movies/fun-asr', 'news/fun-asr', 'support/fun-asr']);
    expect(listsOf(server, key).find((v) => v.prefix === 'movies')!.vocabulary_id).toBe(stale);
    expect(listsOf(server, key).some((v) => v.vocabulary_id === extra)).toBe(false);
    expect(contentOf(server, key)).toEqual({
      'movies/fun-asr': entryKeys(zh(['赛德克巴莱', '夏洛特烦恼'])),
      'support/fun-asr': entryKeys(zh(['退款', '发票'])),
      'news/fun-asr': entryKeys(zh(['新闻联播'])),
    });
    expectExit(await vocab(repo, ['plan', '--detailed-exitcode'], { key }), 0);
  });

  it('random faults of every kind at a fixed seed: repeated applies converge without duplicates', async () => {
    const { key, server, repo } = await setup({ faultRate: 0.25, faultSeed: 7 });
    let last = await vocab(repo, ['apply', '--yes'], { key });
    for (let run = 0; run < 5 && last.code !== 0; run++) last = await vocab(repo, ['apply', '--yes'], { key });
    expectExit(last, 0);
    expect(server.requestLog.entries().filter((e) => e.fault !== null).length).toBeGreaterThan(0);
    expect(identities(server, key)).toEqual(['movies/fun-asr', 'news/fun-asr', 'support/fun-asr']);
    expectExit(await vocab(repo, ['plan', '--detailed-exitcode'], { key }), 0);
  });
});

describe('creates that commit, then fail or drop', () => {
  it.each(['commit-then-fail', 'commit-then-drop'] as const)('%s on create_vocabulary: apply adopts the list it made, one list per identity', async (fault) => {
    const { key, server, repo } = await setup();
    server.scriptFaults({ action: 'create_vocabulary', fault }, { action: 'create_vocabulary', fault });
    const apply = await vocab(repo, ['apply', '--yes'], { key });
    expectExit(apply, 0);
    expect(apply.stdout).toContain('Apply complete: 3 applied, 0 failed, 0 skipped.');
    expect(apply.stdout.match(/adopted vocab-\w+-[0-9a-f]{32}, which the uncertain create had made/g)).toHaveLength(2);
    expect(apply.stderr).toContain('had an unknown outcome');

    expect(identities(server, key)).toEqual(['movies/fun-asr', 'news/fun-asr', 'support/fun-asr']);
    // Three creates reached the service and no more: the adopted ones were not sent again.
    const creates = server.requestLog.entries().filter((e) => e.action === 'create_vocabulary');
    expect(creates).toHaveLength(3);
    for (const list of listsOf(server, key)) expect(apply.stdout).toContain(list.vocabulary_id);
    expectExit(await vocab(repo, ['plan', '--detailed-exitcode'], { key }), 0);
  });

  it('commit-then-fail on a replace: the new list is adopted, the old one still deleted', async () => {
    const { key, server, repo } = await setup();
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    const old = listsOf(server, key).find((v) => v.prefix === 'movies')!;
    await repo.writeVocabulary('movies', { ...MOVIES, target_model: 'fun-asr-2025-11-07' });
    server.scriptFaults({ action: 'create_vocabulary', fault: 'commit-then-fail' });
    const apply = await vocab(repo, ['apply', '--yes'], { key });
    expectExit(apply, 0);
    expect(apply.stdout).toContain('adopted vocab-movies-');
    expect(identities(server, key)).toEqual(['movies/fun-asr-2025-11-07', 'news/fun-asr', 'support/fun-asr']);
    expect(listsOf(server, key).some((v) => v.vocabulary_id === old.vocabulary_id)).toBe(false);
  });
});

describe('UNDEPLOYED lists', () => {
  it('apply waits until each created or updated list is OK, saying so on stderr', async () => {
    const { key, server, repo } = await setup({ undeployedMs: 300 });
    const apply = await vocab(repo, ['apply', '--yes'], { key });
    expectExit(apply, 0);
    expect(apply.stderr).toMatch(/waiting for vocab-movies-[0-9a-f]{32} to be OK \(status UNDEPLOYED\)/);
    // Apply polled the lists' status until they were OK: one list call per round answers for all
    // the lists waited on, so the polls are list calls made after the first create.
    const log = server.requestLog.entries();
    const firstCreate = log.findIndex((e) => e.action === 'create_vocabulary');
    const polls = log.slice(firstCreate).filter((e) => e.action === 'list_vocabulary' || e.action === 'query_vocabulary');
    expect(polls.length).toBeGreaterThan(3);

    const drift = await vocab(repo, ['drift', '--format', 'json'], { key });
    expectExit(drift, 0);
    expect(parseJson<{ in_sync: boolean }>(drift.stdout).in_sync).toBe(true);
  });

  it('a list still UNDEPLOYED after wait_timeout_seconds fails that change with a clear message, exit 1; a re-run converges', async () => {
    const { key, server, repo } = await setup({ undeployedMs: 2_500 }, { apply: { wait_timeout_seconds: 1, concurrency: 4 } });
    const apply = await vocab(repo, ['apply', '--yes', '--format', 'json'], { key });
    expectExit(apply, 1);
    const result = parseJson<{ results: { prefix: string; status: string; error?: string; vocabulary_id: string }[]; summary: unknown }>(apply.stdout);
    expect(result.summary).toEqual({ applied: 0, failed: 3, skipped: 0 });
    for (const item of result.results) {
      expect(item.status).toBe('failed');
      expect(item.error).toBe(`${item.vocabulary_id} is still UNDEPLOYED after 1 s (apply.wait_timeout_seconds)`);
    }
    expect(apply.stderr).toContain('is still UNDEPLOYED after 1 s (apply.wait_timeout_seconds)');
    expect(identities(server, key)).toEqual(['movies/fun-asr', 'news/fun-asr', 'support/fun-asr']);

    // The lists exist with the right entries: a re-run has nothing to create and converges.
    const again = await vocab(repo, ['apply', '--yes'], { key });
    expectExit(again, 0);
    expect(identities(server, key)).toEqual(['movies/fun-asr', 'news/fun-asr', 'support/fun-asr']);
    expectExit(await vocab(repo, ['plan', '--detailed-exitcode'], { key }), 0);
  });
});

describe('partial applies', () => {
  it('a change the service rejects fails alone: the others are applied, the report says which, exit 1', async () => {
    // The service caps fun-asr lists at 1 entry here: two of the three creates are rejected.
    const { key, server, repo } = await setup({ wordCaps: { 'fun-asr': 1 } });
    const apply = await vocab(repo, ['apply', '--yes', '--format', 'json'], { key });
    expectExit(apply, 1);
    const result = parseJson<{ results: { prefix: string; status: string; error?: string }[]; summary: unknown }>(apply.stdout);
    expect(result.summary).toEqual({ applied: 1, failed: 2, skipped: 0 });
    expect(result.results.find((r) => r.prefix === 'news')!.status).toBe('applied');
    for (const prefix of ['movies', 'support']) {
      const item = result.results.find((r) => r.prefix === prefix)!;
      expect(item.status).toBe('failed');
      expect(item.error).toMatch(/\S/);
    }
    expect(identities(server, key)).toEqual(['news/fun-asr']);
    // A 4xx is not retried: one create per list.
    expect(server.requestLog.entries().filter((e) => e.action === 'create_vocabulary')).toHaveLength(3);

    const text = await vocab(repo, ['apply', '--yes'], { key });
    expectExit(text, 1);
    expect(text.stdout).toContain('Apply incomplete: 0 applied, 2 failed, 0 skipped.');
    expect(text.stdout).toContain('✗ failed  create movies (fun-asr)');
  });

  it('a delete that was to free room fails: the create that needed the room is skipped, not sent', async () => {
    const { key, server, repo, api } = await setup({}, { ownership: { prefixes: ['movies', 'support', 'news', 'old'] } });
    await repo.removeVocabulary('support');
    await repo.removeVocabulary('news');
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    const old = await api.create('old', 'fun-asr', zh(['旧的']));
    for (let i = 0; i < 8; i++) await api.create('other', 'fun-asr', zh([`别的${i}`]));
    expect(listsOf(server, key)).toHaveLength(10);
    await repo.writeVocabulary('news', NEWS);
    // 10 of 10: delete old first, then create news. Every attempt of the delete fails.
    server.scriptFaults(...Array.from({ length: 5 }, () => ({ action: 'delete_vocabulary', fault: 'http-500' as const })));
    const before = identities(server, key);
    server.requestLog.clear();

    const apply = await vocab(repo, ['apply', '--yes', '--format', 'json'], { key });
    expectExit(apply, 1);
    const result = parseJson<{ results: { action: string; status: string; error?: string }[]; summary: unknown }>(apply.stdout);
    expect(result.summary, apply.stdout + apply.stderr).toEqual({ applied: 0, failed: 1, skipped: 1 });
    const failedDelete = result.results.find((r) => r.action === 'delete');
    expect(failedDelete?.status).toBe('failed');
    expect(failedDelete?.error).toContain('InternalError');
    expect(result.results.find((r) => r.action === 'create')).toMatchObject({
      status: 'skipped',
      error: 'no room on the account (10 of 10 lists) because a delete that was to free room did not happen',
    });
    expect(server.requestLog.entries().filter((e) => e.action === 'create_vocabulary')).toEqual([]);
    expect(identities(server, key)).toEqual(before);
    expect(listsOf(server, key).some((v) => v.vocabulary_id === old)).toBe(true);

    // Once the service recovers, a re-run finishes the job.
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    expect(identities(server, key).filter((i) => !i.startsWith('other/'))).toEqual(['movies/fun-asr', 'news/fun-asr']);
  });
});

describe('credentials', () => {
  it('a key the service rejects: exit 1 with the service error, the key never shown', async () => {
    const { server, repo } = await setup();
    const wrong = newApiKey();
    const result = await vocab(repo, ['plan'], { key: wrong });
    expectExit(result, 1);
    expect(result.stderr).toMatch(/401|InvalidApiKey/);
    expect(server.requestLog.entries().length).toBeGreaterThan(0);
  });

  it('a missing key variable: exit 1 naming the variable, nothing sent', async () => {
    const { server, repo } = await setup();
    const result = await vocab(repo, ['apply', '--yes']);
    expectExit(result, 1);
    expect(result.stderr).toContain('needs an API key in the environment variable VOCAB_TEST_KEY, which is not set');
    expect(server.requestLog.entries()).toEqual([]);
  });
});

