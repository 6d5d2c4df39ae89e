/**
 * The waits of apply under a fake clock: a change's `not_before` (the service's update spacing)
 * waited for when it fits in `apply.wait_timeout_seconds`, else the change is skipped with the
 * time to retry; and a progress line at least every 10 s while a list deploys.
 */
import { describe, expect, it } from 'vitest';
import type { VocabularyService } from '../../src/dashscope/types.js';
import { createLocalVocabularyService } from '../../src/emulator/local-service.js';
import { planEnvironment } from '../../src/run.js';
import { applyPlan, type ApplyProgressEvent } from '../../src/sync/apply.js';
import type { BackupStore } from '../../src/sync/backups.js';
import { funAsr, makeRepo, words } from '../e2e/harness.js';

const START = Date.UTC(2026, 11, 1, 6, 0, 0);

function fakeClock(): { now: () => number; sleep: (ms: number) => Promise<void> } {
  let t = START;
  return {
    now: () => t,
    sleep: async (ms) => {
      t += ms;
      await Promise.resolve();
    },
  };
}

const noBackups: BackupStore = { save: () => Promise.resolve('(backup)') };

async function setup(options: { undeployedMs: number; existing?: string[]; waitTimeoutSeconds: number }) {
  const clock = fakeClock();
  const repo = await makeRepo({
    environments: { test: { url: 'local' } },
    vocabularies: { movies: funAsr('movies', words('movie', 2)), news: funAsr('news', words('news', 2)) },
    config: { ownership: { prefixes: ['movies', 'news'] }, apply: { concurrency: 4, wait_timeout_seconds: options.waitTimeoutSeconds } },
  });
  const local = createLocalVocabularyService({ stateFile: repo.path('.vocab/state.json'), now: clock.now, undeployedMs: options.undeployedMs });
  const updates: { id: string; at: number }[] = [];
  const service: VocabularyService = {
    ...local,
    updateVocabulary: async (id, vocabulary) => {
      updates.push({ id, at: clock.now() });
      await local.updateVocabulary(id, vocabulary);
    },
  };
  for (const prefix of options.existing ?? []) {
    await local.createVocabulary({ prefix, targetModel: 'fun-asr', vocabulary: [{ text: 'old', weight: 4, lang: 'zh' }] });
  }
  const planned = await planEnvironment({ cwd: repo.dir, env: {}, service, now: () => new Date(clock.now()) });
  return { clock, service, planned, updates };
}

describe('not_before', () => {
  it('waits for a not_before within the wait timeout, and skips one beyond it with the time to retry', async () => {
    const { clock, service, planned, updates } = await setup({ undeployedMs: 0, existing: ['movies', 'news'], waitTimeoutSeconds: 120 });
    const plan = structuredClone(planned.plan);
    const movies = plan.changes.find((c) => c.prefix === 'movies')!;
    const news = plan.changes.find((c) => c.prefix === 'news')!;
    expect([movies.action, news.action]).toStrictEqual(['update', 'update']);
    movies.not_before = new Date(START + 65_000).toISOString();
    news.not_before = '2026-12-01T07:00:00Z';
    const events: ApplyProgressEvent[] = [];
    const result = await applyPlan(plan, { service, snapshot: planned.snapshot, backups: noBackups, ...clock, onProgress: (e) => events.push(e) });

    // movies: waited for, then updated no earlier than its not_before.
    expect(updates.map((u) => u.id)).toStrictEqual([movies.vocabulary_id]);
    expect(updates[0]!.at).toBeGreaterThanOrEqual(START + 65_000);
    // A second more than not_before: the service's times have whole seconds.
    const spacing = events.filter((e) => e.kind === 'wait' && e.change.prefix === 'movies');
    expect(spacing[0]?.message).toBe("waiting until 2026-12-01T06:01:06Z to update movies (fun-asr) (the service's update spacing): 66 s to go");
    expect(spacing.length).toBeGreaterThanOrEqual(7);
    // news: an hour away, beyond the 120 s wait timeout: not applied, with the time to retry.
    const skipped = result.results.find((r) => r.prefix === 'news')!;
    expect(skipped.status).toBe('skipped');
    expect(skipped.retry_after).toBe('2026-12-01T07:00:01Z');
    expect(skipped.error).toMatch(/not yet applied: the service's update spacing allows this change from 2026-12-01T07:00:01Z .*apply again after 2026-12-01T07:00:01Z/);
    expect(result.summary).toStrictEqual({ applied: 1, failed: 0, skipped: 1 });
  });

  it('a not_before already past is no wait at all; one that is not a time is refused', async () => {
    const { clock, service, planned, updates } = await setup({ undeployedMs: 0, existing: ['movies', 'news'], waitTimeoutSeconds: 120 });
    const plan = structuredClone(planned.plan);
    plan.changes.find((c) => c.prefix === 'movies')!.not_before = new Date(START - 1_001).toISOString();
    plan.changes.find((c) => c.prefix === 'news')!.not_before = 'soon';
    const result = await applyPlan(plan, { service, snapshot: planned.snapshot, backups: noBackups, ...clock });
    expect(updates[0]?.at).toBe(START);
    expect(result.results.find((r) => r.prefix === 'news')?.error).toMatch(/its not_before \("soon"\) is not a time/);
  });
});

describe('waiting for OK', () => {
  it('prints a progress line at least every 10 s, saying what it waits for and for how long', async () => {
    const { clock, service, planned } = await setup({ undeployedMs: 35_000, waitTimeoutSeconds: 120 });
    const times: number[] = [];
    const messages: string[] = [];
    const result = await applyPlan(planned.plan, {
      service,
      snapshot: planned.snapshot,
      backups: noBackups,
      ...clock,
      concurrency: 1,
      onProgress: (e) => {
        if (e.kind !== 'wait' || e.change.prefix !== 'movies') return;
        times.push(clock.now());
        messages.push(e.message);
      },
    });
    expect(result.summary).toStrictEqual({ applied: 2, failed: 0, skipped: 0 });
    expect(messages[0]).toMatch(/^waiting for vocab-movies-[0-9a-f]{32} to be OK \(status UNDEPLOYED\)$/);
    expect(messages[1]).toMatch(/^waiting for vocab-movies-[0-9a-f]{32} to be OK \(status UNDEPLOYED, 10 s so far\)$/);
    expect(times.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeLessThanOrEqual(10_000);
  });
});
