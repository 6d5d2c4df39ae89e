/**
 * Crashes: the BUILT `vocab apply --yes` is killed with SIGKILL at a seeded moment (after a
 * chosen number of write requests reached the emulator, or after a chosen delay), against an
 * in-process emulator with latency. The next `vocab apply --yes` must converge: no duplicate,
 * nothing lost, unmanaged lists untouched; and every list that the two runs overwrote or deleted
 * has a backup under `.vocab/backups/` holding its previous entries. Every backup file parses.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulatorServer, type EmulatorServer } from '../../src/emulator/server.js';
import type { StoredVocabulary } from '../../src/emulator/state.js';
import {
  compareAccount,
  configYaml,
  DesiredModel,
  entriesFingerprint,
  findDuplicates,
  OWNED_PREFIXES,
  QUOTA,
  UNMANAGED,
  unmanagedFingerprint,
} from './desired-state.js';
import {
  assertBuilt,
  BASE_SEED,
  bump,
  createRng,
  LeakScanner,
  newFigures,
  FULL,
  newReliabilityKey,
  removeDir,
  reportFigures,
  runVocab,
  size,
  type RunResult,
} from './support.js';

const TRIALS = size(4, 36);
const SEED = BASE_SEED ^ 0x2c;
const WRITE_ACTIONS = new Set(['create_vocabulary', 'update_vocabulary', 'delete_vocabulary']);
/** Converging applies allowed after a kill (the first must do it; more would be a finding). */
const MAX_CONVERGE_RUNS = 3;

const figures = newFigures('crashes', SEED);
afterAll(() => reportFigures(figures));
beforeAll(() => assertBuilt());

interface BackupDoc {
  vocabulary_id: string;
  target_model: string;
  entries: StoredVocabulary['vocabulary'];
}

async function readBackups(repo: string, problems: string[], where: string): Promise<BackupDoc[]> {
  const dir = path.join(repo, '.vocab/backups');
  if (!existsSync(dir)) return [];
  const docs: BackupDoc[] = [];
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.json')) continue;
    try {
      docs.push(JSON.parse(await readFile(path.join(dir, name), 'utf8')) as BackupDoc);
    } catch (error) {
      problems.push(`${where}: backup ${name} does not parse: ${String(error)}`);
    }
  }
  return docs;
}

describe(`apply killed with SIGKILL (${TRIALS} trials, seed ${SEED})`, () => {
  it('the next apply converges, nothing duplicated or lost, every overwritten list backed up', async () => {
    const started = performance.now();
    const key = newReliabilityKey();
    const leaks = new LeakScanner([key]);
    const work = await mkdtemp(path.join(tmpdir(), 'vocab-reliability-crash-'));
    const repo = path.join(work, 'repo');
    await mkdir(repo, { recursive: true });
    const rng = createRng(SEED);
    const desired = new DesiredModel(rng, 6);
    const problems: string[] = [];
    const env = { VOCAB_RELIABILITY_KEY: key };
    const outputs: RunResult[] = [];
    let killedMidWrite = 0;
    let killedBeforeWrites = 0;
    let finishedBeforeKill = 0;
    let writesBeforeKill = 0;
    let backupsChecked = 0;
    let convergeRuns = 0;
    const killModes: Record<string, number> = {};

    const server: EmulatorServer = await startEmulatorServer({
      apiKeys: [key],
      stateFile: path.join(work, 'emulator-state.json'),
      latencyMs: 25,
      undeployedMs: 0,
      updateIntervalMs: 0,
      maxVocabularies: QUOTA,
      requestLogSize: 1_000_000,
    });
    const account = (): StoredVocabulary[] => server.accountState(key)?.vocabularies ?? [];
    const writesSoFar = (): number => server.requestLog.entries().filter((e) => e.action !== null && WRITE_ACTIONS.has(e.action)).length;

    try {
      for (const u of UNMANAGED) {
        const res = await fetch(`${server.url}/services/audio/asr/customization`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'speech-biasing', input: { action: 'create_vocabulary', prefix: u.prefix, target_model: u.target_model, vocabulary: u.entries } }),
        });
        expect(res.status).toBe(200);
      }
      const unmanagedBefore = unmanagedFingerprint(account());
      let previousModels = new Map<string, string>();

      for (let trial = 1; trial <= TRIALS; trial++) {
        const where = `trial ${trial} (seed ${SEED})`;
        const changes = desired.mutate();
        // Bigger changes now and then, so a kill has more to interrupt.
        if (rng.chance(0.4)) changes.push(...desired.mutate());
        const replaces = [...desired.vocabularies.values()].filter((v) => previousModels.has(v.prefix) && previousModels.get(v.prefix) !== v.target_model).length;
        const roomy = UNMANAGED.length + desired.vocabularies.size + replaces <= QUOTA;
        const replace = roomy && rng.chance(0.5) ? 'create_before_destroy' : 'destroy_before_create';
        await writeFile(path.join(repo, 'vocab.config.yaml'), configYaml(server.url, { concurrency: rng.pick([1, 2, 4]), replace }), 'utf8');
        await desired.write(repo);

        const before = account();
        const writesAtStart = writesSoFar();
        const requestsAtStart = server.requestLog.entries().length;
        // The bounded run (few trials, on a busy CI machine) kills on the first write every time,
        // so it always interrupts an apply mid-way; the full run draws the kill point.
        const drawnByWrites = rng.chance(0.6);
        const drawnWrites = rng.int(1, 4);
        const killAfterMs = rng.int(0, 400);
        const byWrites = FULL ? drawnByWrites : true;
        const killAfterWrites = FULL ? drawnWrites : 1;
        bump(killModes, byWrites ? `after ${killAfterWrites} writes` : 'after a delay');
        let exited = false;
        const run = await runVocab(['apply', '--yes'], {
          cwd: repo,
          env,
          timeoutMs: 120_000,
          onSpawn: (kill) => {
            void (async () => {
              // By writes seen; or a delay counted from the first answer (not from the slow process start).
              let t0: number | null = null;
              for (;;) {
                if (exited) return;
                if (byWrites) {
                  if (writesSoFar() - writesAtStart >= killAfterWrites) break;
                } else {
                  if (t0 === null && server.requestLog.entries().length > requestsAtStart) t0 = performance.now();
                  if (t0 !== null && performance.now() - t0 >= killAfterMs) break;
                }
                await sleep(1);
              }
              kill();
            })();
          },
        });
        exited = true;
        outputs.push(run);
        if (run.signal === 'SIGKILL') {
          const writes = writesSoFar() - writesAtStart;
          writesBeforeKill += writes;
          if (writes === 0) killedBeforeWrites++;
          else killedMidWrite++;
        } else {
          finishedBeforeKill++;
          if (run.code !== 0) problems.push(`${where}: apply (not killed) exited ${run.code}: ${run.stderr.slice(-400)}`);
        }
        // Let requests the dead process left in flight finish on the emulator.
        await sleep(60);
        const middle = account();
        const middleDups = findDuplicates(middle);
        if (middleDups.length) {
          figures.duplicates += middleDups.length;
          problems.push(`${where}: duplicates after the kill: ${middleDups.join('; ')}`);
        }

        let converged = false;
        for (let n = 1; n <= MAX_CONVERGE_RUNS && !converged; n++) {
          convergeRuns++;
          const again = await runVocab(['apply', '--yes', ...(rng.chance(0.3) ? ['--format', 'json'] : [])], { cwd: repo, env, timeoutMs: 120_000 });
          outputs.push(again);
          if (again.code === 0) converged = true;
          else problems.push(`${where}: apply after the kill exited ${again.code} (run ${n}): ${(again.stdout + again.stderr).slice(-600)}`);
        }
        const plan = await runVocab(['plan', '--detailed-exitcode'], { cwd: repo, env, timeoutMs: 120_000 });
        outputs.push(plan);
        if (plan.code !== 0) problems.push(`${where}: plan after convergence exited ${plan.code}: ${plan.stdout.slice(-600)}`);

        const after = account();
        const dups = findDuplicates(after);
        if (dups.length) {
          figures.duplicates += dups.length;
          problems.push(`${where}: duplicates after convergence ${dups.join('; ')}`);
        }
        const { lost, extra } = compareAccount(after, desired.vocabularies.values());
        figures.entries_lost += lost.length;
        if (lost.length || extra.length) problems.push(`${where}: ${[...lost, ...extra].slice(0, 5).join('; ')} after ${changes.join('; ')}`);
        if (unmanagedFingerprint(after) !== unmanagedBefore) problems.push(`${where}: an unmanaged list was changed`);

        // Every owned list that was overwritten or deleted since `before` has a backup of its previous entries.
        const backups = await readBackups(repo, problems, where);
        for (const old of before) {
          if (!OWNED_PREFIXES.includes(old.prefix)) continue;
          const now = after.find((l) => l.vocabulary_id === old.vocabulary_id);
          if (now && entriesFingerprint(now.vocabulary) === entriesFingerprint(old.vocabulary)) continue;
          backupsChecked++;
          const saved = backups.some(
            (b) => b.vocabulary_id === old.vocabulary_id && b.target_model === old.target_model && entriesFingerprint(b.entries) === entriesFingerprint(old.vocabulary),
          );
          if (!saved) {
            figures.entries_lost += old.vocabulary.length;
            problems.push(`${where}: ${old.vocabulary_id} was ${now ? 'overwritten' : 'deleted'} with no backup of its ${old.vocabulary.length} entries`);
          }
        }
        previousModels = new Map([...desired.vocabularies.values()].map((v) => [v.prefix, v.target_model]));
        figures.trials++;
        if (problems.length > 20) break;
      }
      for (const e of server.requestLog.entries()) if (e.fault) bump(figures.faults, e.fault);
      await server.close();
      for (const [i, o] of outputs.entries()) {
        leaks.text(`run ${i} stdout`, o.stdout);
        leaks.text(`run ${i} stderr`, o.stderr);
      }
      await leaks.tree(work);
    } finally {
      await server.close().catch(() => undefined);
      figures.key_leaks = leaks.leaks.length;
      figures.wall_ms = performance.now() - started;
      figures.extra = {
        'killed after some writes': killedMidWrite,
        'killed before any write': killedBeforeWrites,
        'finished before the kill': finishedBeforeKill,
        'writes seen before kills': writesBeforeKill,
        'kill moments': Object.entries(killModes).sort().map(([k, v]) => `${k}: ${v}`).join(', '),
        'converging applies run': convergeRuns,
        'overwritten or deleted lists checked for a backup': backupsChecked,
        'commands run': outputs.length,
      };
      await removeDir(work);
    }
    expect(problems).toEqual([]);
    expect(leaks.leaks).toEqual([]);
    expect(figures.trials).toBe(TRIALS);
    // The seeds must actually interrupt applies mid-way, or the suite proves nothing.
    expect(killedMidWrite).toBeGreaterThan(0);
  }, 900_000);
});
