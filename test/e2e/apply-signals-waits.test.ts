/**
 * Ctrl-C during apply, and waiting for `OK`: the first SIGINT starts no new change, lets the
 * changes in flight finish and prints the report (exit 130); a second one exits at once. Lists
 * that deploy slowly are waited for outside the write slots, with batched polls.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  assertBuilt,
  directApi,
  zh,
  expectExit,
  funAsr,
  listsOf,
  makeRepo,
  newApiKey,
  parseJson,
  spawnVocab,
  startEmulator,
  vocab,
  waitFor,
  words,
} from './harness.js';

beforeAll(assertBuilt);

const PREFIXES = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];

function vocabularies(count: number): Record<string, ReturnType<typeof funAsr>> {
  return Object.fromEntries(PREFIXES.slice(0, count).map((p) => [p, funAsr(p, words(p, 2))]));
}

interface ApplyJson {
  interrupted?: boolean;
  results: { prefix: string; status: string; vocabulary_id: string | null; error?: string; retry_after?: string }[];
  summary: { applied: number; failed: number; skipped: number };
}

describe('signals during apply', () => {
  it('the first SIGINT starts nothing new, finishes what is in flight, reports, and exits 130', async () => {
    const key = newApiKey();
    const server = await startEmulator({ apiKeys: [key], latencyMs: 300 });
    const repo = await makeRepo({
      environments: { test: { url: server.url } },
      vocabularies: vocabularies(6),
      config: { ownership: { prefixes: PREFIXES }, apply: { concurrency: 2, wait_timeout_seconds: 20 } },
    });
    const run = spawnVocab(repo, ['apply', '--yes', '--format', 'json'], { key });
    await waitFor('the first create to be answered', () => server.requestLog.entries().some((e) => e.action === 'create_vocabulary' && e.status === 200), 30_000);
    run.child.kill('SIGINT');
    const result = await run.done;
    expectExit(result, 130);
    expect(result.stderr).toContain('SIGINT: no new change will start');
    const report = parseJson<ApplyJson>(result.stdout);
    expect(report.interrupted).toBe(true);
    const applied = report.results.filter((r) => r.status === 'applied');
    const skipped = report.results.filter((r) => r.status === 'skipped');
    expect(applied.length).toBeGreaterThanOrEqual(1);
    expect(skipped.length).toBeGreaterThanOrEqual(1);
    expect(applied.length + skipped.length).toBe(6);
    for (const s of skipped) expect(s.error).toMatch(/interrupted/);
    // The account holds exactly what the report says was applied.
    expect(listsOf(server, key).map((l) => l.vocabulary_id).sort()).toStrictEqual(applied.map((r) => r.vocabulary_id).sort());
    // The next apply finishes the rest.
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    expect(listsOf(server, key).map((l) => l.prefix).sort()).toStrictEqual(PREFIXES.slice(0, 6).sort());
  });

  it('a second SIGINT exits at once with 130', async () => {
    const key = newApiKey();
    const server = await startEmulator({ apiKeys: [key], latencyMs: 2_000 });
    const repo = await makeRepo({
      environments: { test: { url: server.url } },
      vocabularies: vocabularies(4),
      config: { ownership: { prefixes: PREFIXES }, apply: { concurrency: 2, wait_timeout_seconds: 20 } },
    });
    const run = spawnVocab(repo, ['apply', '--yes', '--format', 'json'], { key });
    let stderr = '';
    run.child.stderr!.on('data', (chunk: Buffer | string) => (stderr += String(chunk)));
    await waitFor('the first create to be sent', () => stderr.includes('creating'), 30_000);
    run.child.kill('SIGINT');
    await waitFor('the first signal to be taken', () => stderr.includes('no new change will start'), 30_000);
    run.child.kill('SIGINT');
    const result = await run.done;
    expectExit(result, 130);
    expect(result.stderr).toContain('SIGINT again: exiting now');
    // It did not wait for the creates in flight to be answered (2 s each): no report was printed.
    expect(result.stdout).toBe('');
  });
});

describe('waiting for OK', () => {
  it('does not hold a write slot: all 8 creates are sent before the first list is OK, and polls are batched', async () => {
    const key = newApiKey();
    const deployMs = 4_000;
    const server = await startEmulator({ apiKeys: [key], undeployedMs: deployMs });
    const repo = await makeRepo({
      environments: { test: { url: server.url } },
      vocabularies: vocabularies(8),
      config: { ownership: { prefixes: PREFIXES }, apply: { concurrency: 4, wait_timeout_seconds: 30 } },
    });
    const result = await vocab(repo, ['apply', '--yes'], { key });
    expectExit(result, 0);
    expect(result.stderr).toMatch(/waiting for vocab-\w+-[0-9a-f]+ to be OK \(status UNDEPLOYED/);
    const log = server.requestLog.entries();
    const creates = log.filter((e) => e.action === 'create_vocabulary');
    expect(creates).toHaveLength(8);
    // With a slot held through each wait, creates 5-8 could only start once creates 1-4 were OK.
    const firstOk = Date.parse(creates[0]!.time) + deployMs;
    for (const create of creates) expect(Date.parse(create.time)).toBeLessThan(firstOk);
    // Eight lists waited on at once: one list call per poll round answers for all of them,
    // where one query per list per round would be at least 8 per round.
    const queries = log.filter((e) => e.action === 'query_vocabulary' && Date.parse(e.time) >= Date.parse(creates[0]!.time));
    expect(queries.length).toBeLessThan(8);
  });
});

describe('update spacing (not_before) end to end', () => {
  async function modifiedJustNow(intervalSeconds: number, waitTimeoutSeconds: number) {
    const key = newApiKey();
    const server = await startEmulator({ apiKeys: [key], updateIntervalMs: intervalSeconds * 1000 });
    await directApi(server, key).create('alpha', 'fun-asr', zh(['旧词']));
    const repo = await makeRepo({
      environments: { test: { url: server.url, apply: { update_interval_seconds: intervalSeconds } } },
      vocabularies: vocabularies(1),
      config: { ownership: { prefixes: PREFIXES }, apply: { concurrency: 4, wait_timeout_seconds: waitTimeoutSeconds } },
    });
    return { key, server, repo };
  }

  it('waits for not_before when it fits in wait_timeout_seconds, saying so, then updates', async () => {
    const { key, server, repo } = await modifiedJustNow(8, 25);
    const result = await vocab(repo, ['apply', '--yes', '--format', 'json'], { key });
    expectExit(result, 0);
    expect(result.stderr).toMatch(/waiting until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ to update alpha \(fun-asr\) \(the service's update spacing\): \d+ s to go/);
    expect(parseJson<ApplyJson>(result.stdout).summary).toStrictEqual({ applied: 1, failed: 0, skipped: 0 });
    expect(listsOf(server, key)[0]?.vocabulary.map((e) => e.text).sort()).toStrictEqual(words('alpha', 2).sort());
  });

  it('skips a change whose not_before is beyond wait_timeout_seconds: reported with the time to retry, exit 1, others go ahead', async () => {
    const { key, server, repo } = await modifiedJustNow(600, 5);
    await repo.writeVocabulary('bravo', funAsr('bravo', words('bravo', 2)));
    const result = await vocab(repo, ['apply', '--yes', '--format', 'json'], { key });
    expectExit(result, 1);
    const report = parseJson<ApplyJson>(result.stdout);
    const alpha = report.results.find((r) => r.prefix === 'alpha')!;
    expect(alpha.status).toBe('skipped');
    expect(alpha.retry_after).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(alpha.error).toContain(`apply again after ${alpha.retry_after}`);
    expect(report.results.find((r) => r.prefix === 'bravo')?.status).toBe('applied');
    // The service was never asked for the update it would refuse.
    expect(server.requestLog.entries().filter((e) => e.action === 'update_vocabulary')).toHaveLength(0);
  });
});
