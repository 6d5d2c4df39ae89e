/**
 * Randomised fault injection with fixed seeds. Each trial changes the desired state (seeded),
 * then applies it through the library (planEnvironment + applyPlanned, the HTTP client over
 * real loopback HTTP) against an emulator that gives 20% of requests a random fault of every
 * kind, again and again until an apply reports no failure. After every attempt the account must
 * hold no duplicate; once converged, with faults off: a fresh plan shows no changes, every
 * desired entry is there with its weight and language, the unmanaged lists are untouched.
 *
 * Faults are drawn per request from the trial's seed; with apply concurrency above 1 the order
 * in which requests reach the emulator (and so which request draws which fault) can vary from
 * run to run. The desired states themselves are fully determined by the seed.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { createHttpVocabularyService, type ClientEvent } from '../../src/dashscope/http-client.js';
import { startEmulatorServer, type EmulatorServer } from '../../src/emulator/server.js';
import type { ApplyProgressEvent } from '../../src/sync/apply.js';
import { applyPlanned, planEnvironment } from '../../src/run.js';
import {
  compareAccount,
  configYaml,
  DesiredModel,
  findDuplicates,
  QUOTA,
  UNMANAGED,
  unmanagedFingerprint,
} from './desired-state.js';
import { BASE_SEED, bump, createRng, LeakScanner, newFigures, newReliabilityKey, removeDir, reportFigures, size } from './support.js';

const TRIALS = size(10, 120);
const FAULT_RATE = 0.2;
/** Applies per trial before the trial counts as not converging (each may partly fail). */
const MAX_APPLY_ATTEMPTS = 10;
const SEED = BASE_SEED ^ 0x1f;

const figures = newFigures('fault-injection', SEED);
afterAll(() => reportFigures(figures));

/** Sleeps of at most 2 ms: backoff and Retry-After still happen, just fast. */
const quickSleep = (ms: number): Promise<void> => sleep(Math.min(ms, 2)).then(() => undefined);

describe(`randomised faults (${TRIALS} trials, rate ${FAULT_RATE}, seed ${SEED})`, () => {
  it('every trial converges with no duplicate, nothing lost, unmanaged lists untouched, no key leaked', async () => {
    const started = performance.now();
    const key = newReliabilityKey();
    const leaks = new LeakScanner([key]);
    const work = await mkdtemp(path.join(tmpdir(), 'vocab-reliability-faults-'));
    const repo = path.join(work, 'repo');
    const stateFile = path.join(work, 'emulator-state.json');
    await mkdir(repo, { recursive: true });
    const rng = createRng(SEED);
    const desired = new DesiredModel(rng, 6);
    const problems: string[] = [];
    let port = 0;
    let retriesByCreate = 0;
    let plansFailed = 0;
    let partialApplies = 0;
    let maxAttempts = 0;
    let unknownOutcomes = 0;
    const applied: Record<string, number> = {};

    const start = async (faultSeed: number | null): Promise<EmulatorServer> => {
      const server = await startEmulatorServer({
        port,
        apiKeys: [key],
        stateFile,
        latencyMs: 0,
        undeployedMs: 3,
        updateIntervalMs: 0,
        maxVocabularies: QUOTA,
        ...(faultSeed === null ? {} : { faultRate: FAULT_RATE, faultSeed, requestLogSize: 100_000 }),
      });
      port = server.port;
      return server;
    };
    const client = (url: string) =>
      createHttpVocabularyService({
        baseUrl: url,
        apiKey: key,
        requestsPerMinute: 0,
        sleep: quickSleep,
        onEvent: (event: ClientEvent) => {
          leaks.value('client event', event);
          if (event.type === 'retry') {
            figures.retries++;
            if (event.action === 'create_vocabulary') retriesByCreate++;
          }
        },
      });
    const onProgress = (event: ApplyProgressEvent): void => {
      leaks.value('progress event', event);
      if (event.kind === 'note' && /^adopted /.test(event.message)) figures.adoptions++;
      if (event.kind === 'note' && /unknown outcome/.test(event.message)) unknownOutcomes++;
    };

    try {
      // The unmanaged lists, made by "another tool" before the first trial.
      let server = await start(null);
      const setup = client(server.url);
      for (const u of UNMANAGED) await setup.createVocabulary({ prefix: u.prefix, targetModel: u.target_model, vocabulary: u.entries });
      const unmanagedBefore = unmanagedFingerprint(server.accountState(key)!.vocabularies);
      await server.close();
      let previousModels = new Map<string, string>();

      for (let trial = 1; trial <= TRIALS; trial++) {
        const where = `trial ${trial} (seed ${SEED})`;
        const changes = desired.mutate();
        const replaces = [...desired.vocabularies.values()].filter((v) => previousModels.has(v.prefix) && previousModels.get(v.prefix) !== v.target_model).length;
        const roomy = UNMANAGED.length + desired.vocabularies.size + replaces <= QUOTA;
        const replace = roomy && rng.chance(0.5) ? 'create_before_destroy' : 'destroy_before_create';
        const concurrency = rng.pick([1, 2, 4]);
        server = await start((SEED + trial * 7919) >>> 0);
        await writeFile(path.join(repo, 'vocab.config.yaml'), configYaml(server.url, { concurrency, replace }), 'utf8');
        await desired.write(repo);
        const service = client(server.url);

        let converged = false;
        for (let attempt = 1; attempt <= MAX_APPLY_ATTEMPTS && !converged; attempt++) {
          maxAttempts = Math.max(maxAttempts, attempt);
          try {
            const planned = await planEnvironment({ cwd: repo, env: {}, service });
            leaks.value('plan', planned.plan);
            if (planned.plan.violations.length > 0) {
              problems.push(`${where}: plan refused: ${JSON.stringify(planned.plan.violations)} after ${changes.join('; ')}`);
              break;
            }
            const result = await applyPlanned(planned, { onProgress, sleep: quickSleep });
            leaks.value('apply result', result);
            for (const r of result.results) if (r.status === 'applied') bump(applied, r.action);
            if (result.summary.failed + result.summary.skipped === 0) converged = true;
            else partialApplies++;
          } catch (error) {
            // A plan whose reads failed five times running: allowed under faults, the next attempt must do it.
            leaks.value('thrown error', error);
            plansFailed++;
          }
          const dups = findDuplicates(server.accountState(key)?.vocabularies ?? []);
          if (dups.length) {
            figures.duplicates += dups.length;
            problems.push(`${where}, attempt ${attempt}: duplicates ${dups.join('; ')}`);
          }
        }
        for (const e of server.requestLog.entries()) if (e.fault) bump(figures.faults, e.fault);
        await server.close();
        if (!converged) {
          problems.push(`${where}: no clean apply in ${MAX_APPLY_ATTEMPTS} attempts after ${changes.join('; ')}`);
          break;
        }

        // Faults off: the account must match exactly.
        server = await start(null);
        const clean = client(server.url);
        const fresh = await planEnvironment({ cwd: repo, env: {}, service: clean });
        const pending = fresh.plan.changes.filter((c) => c.action !== 'noop');
        if (pending.length) problems.push(`${where}: fresh plan not empty: ${pending.map((c) => `${c.action} ${c.prefix}/${c.target_model} (${c.reason})`).join('; ')}`);
        const lists = server.accountState(key)?.vocabularies ?? [];
        const dups = findDuplicates(lists);
        if (dups.length) {
          figures.duplicates += dups.length;
          problems.push(`${where}: duplicates after convergence ${dups.join('; ')}`);
        }
        const { lost, extra } = compareAccount(lists, desired.vocabularies.values());
        figures.entries_lost += lost.length;
        if (lost.length || extra.length) problems.push(`${where}: ${[...lost, ...extra].slice(0, 5).join('; ')}`);
        if (unmanagedFingerprint(lists) !== unmanagedBefore) problems.push(`${where}: an unmanaged list was changed: ${unmanagedBefore} -> ${unmanagedFingerprint(lists)}`);
        await server.close();
        previousModels = new Map([...desired.vocabularies.values()].map((v) => [v.prefix, v.target_model]));
        figures.trials++;
        if (problems.length > 20) break;
      }
      await leaks.tree(work);
    } finally {
      figures.key_leaks = leaks.leaks.length;
      figures.wall_ms = performance.now() - started;
      figures.extra = {
        'fault rate': FAULT_RATE,
        'apply attempts, most in one trial': maxAttempts,
        'applies that partly failed': partialApplies,
        'plans that failed outright': plansFailed,
        'creates with unknown outcome': unknownOutcomes,
        'retries of creates (certainly not applied)': retriesByCreate,
        'changes applied': Object.entries(applied).sort().map(([k, v]) => `${k} ${v}`).join(', '),
        'texts and files scanned for the key': leaks.scanned,
      };
      await removeDir(work);
    }
    expect(problems).toEqual([]);
    expect(leaks.leaks).toEqual([]);
    expect(figures.trials).toBe(TRIALS);
    expect(Object.keys(figures.faults).sort()).toEqual(
      TRIALS >= 50 ? ['commit-then-drop', 'commit-then-fail', 'drop-connection', 'html-502', 'http-500', 'rate-limit-429'] : Object.keys(figures.faults).sort(),
    );
  }, 600_000);
});
