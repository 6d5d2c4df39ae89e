/**
 * The reconciler end to end when apply is killed in the middle (SIGKILL: no cleanup at all):
 * a second `apply --yes` converges, makes no duplicate, and every list that was overwritten or
 * deleted by either run has its backup.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  WRITE_ACTIONS,
  assertBuilt,
  directApi,
  entryKeys,
  expectExit,
  funAsr,
  identities,
  listsOf,
  makeRepo,
  newApiKey,
  spawnVocab,
  startEmulator,
  vocab,
  waitFor,
  zh,
} from './harness.js';

beforeAll(assertBuilt);

const NEW_MODEL = 'fun-asr-2025-11-07';

/** The desired state after the change: one update, one delete, one replace, two creates, one noop. */
const DESIRED = {
  alpha: funAsr('alpha', ['甲一', '甲二', '甲三']),
  gamma: funAsr('gamma', ['丙一', '丙二'], { target_model: NEW_MODEL }),
  delta: funAsr('delta', ['丁一']),
  eps: funAsr('eps', ['戊一', '戊二']),
  zeta: funAsr('zeta', ['己一']),
};

const EXPECTED: Record<string, string[]> = {
  'alpha/fun-asr': entryKeys(zh(['甲一', '甲二', '甲三'])),
  [`gamma/${NEW_MODEL}`]: entryKeys(zh(['丙一', '丙二'])),
  'delta/fun-asr': entryKeys(zh(['丁一'])),
  'eps/fun-asr': entryKeys(zh(['戊一', '戊二'])),
  'zeta/fun-asr': entryKeys(zh(['己一'])),
};

describe('apply killed in the middle', () => {
  it.each([1, 2, 3, 4])('SIGKILL after write %i: a second apply converges with no duplicate and every backup', async (killAfter) => {
    const key = newApiKey();
    const server = await startEmulator({ apiKeys: [key], latencyMs: 150, undeployedMs: 100 });
    const api = directApi(server, key);
    // The account before: alpha (to update), beta (to delete), gamma on fun-asr (to replace), zeta (unchanged).
    const original = {
      alpha: { id: await api.create('alpha', 'fun-asr', zh(['甲一', '旧'])), entries: zh(['甲一', '旧']) },
      beta: { id: await api.create('beta', 'fun-asr', zh(['乙一'])), entries: zh(['乙一']) },
      gamma: { id: await api.create('gamma', 'fun-asr', zh(['丙一', '丙二'])), entries: zh(['丙一', '丙二']) },
    };
    await api.create('zeta', 'fun-asr', zh(['己一']));
    const repo = await makeRepo({
      environments: { test: { url: server.url } },
      vocabularies: DESIRED,
      config: {
        ownership: { prefixes: ['alpha', 'beta', 'gamma', 'delta', 'eps', 'zeta'] },
        apply: { concurrency: 2, wait_timeout_seconds: 20 },
      },
    });
    server.requestLog.clear();

    const first = spawnVocab(repo, ['apply', '--yes'], { key });
    const writesDone = (): number => server.requestLog.entries().filter((e) => WRITE_ACTIONS.has(e.action ?? '')).length;
    // Kill once the emulator has answered `killAfter` writes (of the 6 the apply needs).
    await waitFor(`write ${killAfter}`, () => writesDone() >= killAfter || first.child.exitCode !== null);
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.signal, `the first apply ended (exit ${String(killed.code)}) before it could be killed:\n${killed.stdout}\n${killed.stderr}`).toBe('SIGKILL');
    expect(killed.stdout).toBe('');
    const writesBefore = writesDone();
    expect(writesBefore).toBeLessThan(6);

    const second = await vocab(repo, ['apply', '--yes'], { key });
    expectExit(second, 0);
    expect(second.stdout).toMatch(/Apply complete: \d+ applied, 0 failed, 0 skipped\./);

    const plan = await vocab(repo, ['plan', '--detailed-exitcode'], { key });
    expectExit(plan, 0);
    expect(plan.stdout).toContain('No changes');

    // One list per identity, each with exactly the desired entries.
    expect(identities(server, key)).toEqual(Object.keys(EXPECTED).sort());
    for (const list of listsOf(server, key)) {
      expect(entryKeys(list.vocabulary), `${list.prefix}/${list.target_model}`).toEqual(EXPECTED[`${list.prefix}/${list.target_model}`]);
    }
    expect(listsOf(server, key).find((v) => v.prefix === 'alpha')!.vocabulary_id).toBe(original.alpha.id);

    // Whatever run overwrote or deleted a list saved it first.
    const backups = await repo.backups();
    for (const [name, { id, entries }] of Object.entries(original)) {
      const saved = backups.filter((b) => b.vocabulary_id === id);
      expect(saved.length, `a backup of ${name} (${id})`).toBeGreaterThanOrEqual(1);
      for (const b of saved) expect(entryKeys(b.entries)).toEqual(entryKeys(entries));
    }
    // No backup is half written.
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(repo.path('.vocab/backups'))).filter((f) => !f.endsWith('.json'))).toEqual([]);
  });
});
