/**
 * Two writers at once: two `vocab apply --yes` started together against one emulator over HTTP,
 * against the embedded `local` account, and two applies of one saved plan. Each trial must end
 * with exactly one list per identity, every declared vocabulary present, and the account never
 * over its quota (counted from the emulator's request log, in the order the writes were answered).
 */
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { DEFAULT_LOCAL_API_KEY } from '../../src/emulator/constants.js';
import { loadStateFile } from '../../src/emulator/persistence.js';
import { fingerprintApiKey } from '../../src/emulator/state.js';
import { holdApplyLock, peakCount, startRace, twoAtOnce } from './two-writers.js';
import {
  assertBuilt,
  waitFor,
  directApi,
  expectExit,
  funAsr,
  identities,
  makeRepo,
  newApiKey,
  spawnVocab,
  vocab,
  words,
  zh,
  type RunResult,
} from './harness.js';

beforeAll(assertBuilt);

/** Trials per scenario: a bounded number, each a real race between two processes. */
const TRIALS = 2;
const QUOTA = 5;
const DECLARED = ['movies', 'support', 'news', 'sports'];

function vocabularies(): Record<string, ReturnType<typeof funAsr>> {
  return Object.fromEntries(DECLARED.map((p) => [p, funAsr(p, words(p, 3))]));
}

/** An emulator with the quota behind a gate proxy for all the creates of both applies; closed with the test. */
async function race(key: string): Promise<Awaited<ReturnType<typeof startRace>>> {
  const started = await startRace({ key, quota: QUOTA, latencyMs: 20, gateCreates: 2 * DECLARED.length });
  onTestFinished(() => started.server.close());
  return started;
}

/** Both runs ended well: applied (0), or found the work done or the plan stale (1, with a reason). */
function expectSettled(result: RunResult): void {
  if (result.code === 0) return;
  expectExit(result, 1);
  expect(result.stderr).toMatch(/plan is stale|failed|skipped/);
}

describe('two applies at once over HTTP', () => {
  it.each(Array.from({ length: TRIALS }, (_, i) => i + 1))('trial %i: one list per identity, never over the quota', async () => {
    const key = newApiKey();
    // The creates of both applies are held until all 8 arrived: both planned before either wrote.
    const { server, proxy } = await race(key);
    await directApi(server, key).create('other', 'fun-asr', zh(['别人的']));
    const repo = await makeRepo({
      environments: { test: { url: proxy.url } },
      vocabularies: vocabularies(),
      config: { quota: { max_vocabularies: QUOTA }, ownership: { prefixes: DECLARED } },
    });
    const [a, b] = await twoAtOnce(() => vocab(repo, ['apply', '--yes'], { key }));
    expectSettled(a);
    expectSettled(b);
    expect(identities(server, key)).toStrictEqual([...DECLARED.map((p) => `${p}/fun-asr`), 'other/fun-asr'].sort());
    expect(peakCount(server)).toBeLessThanOrEqual(QUOTA);
    // The account is what the files say: a fresh plan has nothing to do.
    expectExit(await vocab(repo, ['plan', '--detailed-exitcode'], { key }), 0);
  });

  it('two applies of one saved plan: one list per identity, and the ids both report are the ones that stay', async () => {
    const key = newApiKey();
    const { server, proxy } = await race(key);
    const repo = await makeRepo({
      environments: { test: { url: proxy.url } },
      vocabularies: vocabularies(),
      config: { quota: { max_vocabularies: QUOTA }, ownership: { prefixes: DECLARED } },
    });
    expectExit(await vocab(repo, ['plan', '--out', 'plan.json'], { key }), 0);
    const runs = await twoAtOnce(() => vocab(repo, ['apply', 'plan.json', '--format', 'json'], { key }));
    const live = new Set(server.accountState(key)?.vocabularies.map((v) => v.vocabulary_id));
    expect(identities(server, key)).toStrictEqual(DECLARED.map((p) => `${p}/fun-asr`).sort());
    expect(peakCount(server)).toBeLessThanOrEqual(QUOTA);
    for (const run of runs) {
      expectSettled(run);
      if (run.code !== 0 || run.stdout === '') continue;
      const result = JSON.parse(run.stdout) as { results: { status: string; vocabulary_id: string | null }[] };
      for (const item of result.results) if (item.status === 'applied') expect(live.has(item.vocabulary_id ?? '')).toBe(true);
    }
  });
});

describe('two applies at once on the embedded local account', () => {
  it.each(Array.from({ length: TRIALS }, (_, i) => i + 1))('trial %i: the apply lock makes them take turns: one list per identity', async () => {
    const repo = await makeRepo({
      environments: { test: { url: 'local' } },
      vocabularies: vocabularies(),
      config: { quota: { max_vocabularies: QUOTA }, ownership: { prefixes: DECLARED } },
    });
    // Hold the account's apply lock, so both applies plan the empty account and then wait for it.
    const release = await holdApplyLock(repo.path('.vocab/local-account.json'));
    const runs = [spawnVocab(repo, ['apply', '--yes']), spawnVocab(repo, ['apply', '--yes'])];
    const stderr: string[] = ['', ''];
    runs.forEach((r, i) => r.child.stderr!.on('data', (chunk: Buffer | string) => (stderr[i] += String(chunk))));
    await waitFor('both applies to wait for the lock', () => stderr.every((s) => s.includes('waiting for another vocab apply')), 30_000);
    await release();
    const [a, b] = (await Promise.all(runs.map((r) => r.done))) as [RunResult, RunResult];
    expectSettled(a);
    expectSettled(b);
    const state = await loadStateFile(repo.path('.vocab/local-account.json'));
    const lists = state.accounts[fingerprintApiKey(DEFAULT_LOCAL_API_KEY)]?.vocabularies ?? [];
    expect(lists.map((v) => `${v.prefix}/${v.target_model}`).sort()).toStrictEqual(DECLARED.map((p) => `${p}/fun-asr`).sort());
    // Both planned the empty account; the one that went second found the work done under the lock.
    expectExit(a, 0);
    expectExit(b, 0);
    expect([a, b].filter((r) => r.stdout.includes('nothing to do')).length).toBe(1);
    expectExit(await vocab(repo, ['plan', '--detailed-exitcode']), 0);
    await expect(readFile(repo.path('.vocab/local-account.json.apply.lock'))).rejects.toThrow();
  });
});
