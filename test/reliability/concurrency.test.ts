/**
 * Two writers and signals, generated: seeded desired states applied by two built `vocab apply
 * --yes` at once, over HTTP (through a proxy that holds every create until both applies sent
 * theirs, so both planned before either wrote) and on the embedded `local` account (both plan
 * while the test holds the account's apply lock); and applies interrupted by SIGINT or SIGTERM
 * at a seeded moment. Each family reports tried / handled / failed.
 *
 * Handled means: exactly one list per identity, every declared vocabulary with its entries, the
 * account never over its quota (replayed from the emulator's answered writes), exit codes as
 * documented (0, or 1 with a reason; 130 after a signal with a report whose applied ids are
 * exactly the new lists), and a follow-up apply that converges.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LOCAL_API_KEY } from '../../src/emulator/constants.js';
import { loadStateFile } from '../../src/emulator/persistence.js';
import { startEmulatorServer, type EmulatorServer } from '../../src/emulator/server.js';
import { fingerprintApiKey, type StoredVocabulary } from '../../src/emulator/state.js';
import { holdApplyLock, peakCount, startRace, twoAtOnce } from '../e2e/two-writers.js';
import { compareAccount, configYaml, DesiredModel, findDuplicates, QUOTA } from './desired-state.js';
import { assertBuilt, BASE_SEED, createRng, newFigures, newReliabilityKey, removeDir, reportFigures, runVocab, size, type Figures, type RunResult } from './support.js';

const TRIALS = size(2, 20);
const KEY_ENV = 'VOCAB_RELIABILITY_KEY';

beforeAll(() => assertBuilt());

/** Tried / handled / failed of one family, with the first failures kept for the message. */
interface Tally {
  figures: Figures;
  failures: string[];
}

function newTally(family: string, seed: number): Tally {
  const figures = newFigures(family, seed);
  figures.extra = { tried: 0, handled: 0, failed: 0 };
  return { figures, failures: [] };
}

function record(tally: Tally, trial: number, problems: string[]): void {
  const extra = tally.figures.extra as { tried: number; handled: number; failed: number };
  extra.tried++;
  tally.figures.trials++;
  if (problems.length === 0) extra.handled++;
  else {
    extra.failed++;
    tally.failures.push(`trial ${trial}: ${problems.join('; ')}`);
  }
}

async function finish(tally: Tally): Promise<void> {
  const { tried, handled, failed } = tally.figures.extra as Record<string, number>;
  console.log(`${tally.figures.suite}: tried ${tried} / handled ${handled} / failed ${failed}`);
  await reportFigures(tally.figures);
}

/** A fresh repository with a seeded desired state (one to eight vocabularies). */
async function newRepo(seed: number, url: string): Promise<{ dir: string; desired: DesiredModel }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vocab-concurrency-'));
  const desired = new DesiredModel(createRng(seed), QUOTA - 2);
  for (let i = 0, n = createRng(seed ^ 0x55).int(0, 3); i <= n; i++) desired.mutate();
  await desired.write(dir);
  await writeFile(path.join(dir, 'vocab.config.yaml'), configYaml(url, { concurrency: 4, replace: 'create_before_destroy' }, KEY_ENV), 'utf8');
  return { dir, desired };
}

/** One list per identity and the declared content; messages for what is wrong. */
function checkAccount(lists: readonly StoredVocabulary[], desired: DesiredModel): string[] {
  const problems = findDuplicates(lists).map((d) => `duplicate ${d}`);
  const { lost, extra } = compareAccount(lists, desired.vocabularies.values());
  if (lost.length) problems.push(`lost: ${lost.slice(0, 3).join(', ')}`);
  if (extra.length) problems.push(`extra: ${extra.slice(0, 3).join(', ')}`);
  if (lists.length > QUOTA) problems.push(`${lists.length} lists, over the quota of ${QUOTA}`);
  return problems;
}

/** Exit 0, or 1 with a reason on stderr; never a crash or a hang. */
function checkExit(name: string, run: RunResult): string[] {
  if (run.timedOut) return [`${name} hung`];
  if (run.code === 0) return [];
  if (run.code === 1 && /plan is stale|failed|skipped|refused/.test(run.stderr)) return [];
  return [`${name} exited ${String(run.code)}: ${run.stderr.split('\n').slice(-3).join(' | ')}`];
}

async function httpTrial(seed: number): Promise<string[]> {
  const key = newReliabilityKey();
  const { dir, desired } = await newRepo(seed, 'http://placeholder/api/v1');
  // The first creates of both applies (4 at a time each) are held until both sent theirs.
  const { server, proxy } = await startRace({ key, quota: QUOTA, latencyMs: 10, gateCreates: 2 * Math.min(desired.vocabularies.size, 4), gateTimeoutMs: 10_000 });
  await writeFile(path.join(dir, 'vocab.config.yaml'), configYaml(proxy.url, { concurrency: 4, replace: 'create_before_destroy' }, KEY_ENV), 'utf8');
  try {
    const env = { [KEY_ENV]: key };
    const runs = await twoAtOnce(() => runVocab(['apply', '--yes'], { cwd: dir, env, timeoutMs: 120_000 }));
    const problems = [...checkExit('first apply', runs[0]), ...checkExit('second apply', runs[1])];
    problems.push(...checkAccount(server.accountState(key)?.vocabularies ?? [], desired));
    if (peakCount(server) > QUOTA) problems.push(`peak of ${peakCount(server)} lists, over the quota`);
    const plan = await runVocab(['plan', '--detailed-exitcode'], { cwd: dir, env, timeoutMs: 60_000 });
    if (plan.code !== 0) problems.push(`the next plan exited ${String(plan.code)}`);
    return problems;
  } finally {
    await server.close();
    await removeDir(dir);
  }
}

async function localTrial(seed: number, holdLock: boolean): Promise<string[]> {
  const { dir, desired } = await newRepo(seed, 'local');
  const stateFile = path.join(dir, '.vocab/local-account.json');
  try {
    const release = holdLock ? await holdApplyLock(stateFile) : undefined;
    const running = twoAtOnce(() => runVocab(['apply', '--yes'], { cwd: dir, timeoutMs: 120_000 }));
    // Both plan the account as it is, then wait for the lock the test holds.
    if (release) setTimeout(() => void release(), 1_500);
    const runs = await running;
    const problems = [...checkExit('first apply', runs[0]), ...checkExit('second apply', runs[1])];
    const state = await loadStateFile(stateFile);
    problems.push(...checkAccount(state.accounts[fingerprintApiKey(DEFAULT_LOCAL_API_KEY)]?.vocabularies ?? [], desired));
    const plan = await runVocab(['plan', '--detailed-exitcode'], { cwd: dir, timeoutMs: 60_000 });
    if (plan.code !== 0) problems.push(`the next plan exited ${String(plan.code)}`);
    return problems;
  } finally {
    await removeDir(dir);
  }
}

async function signalTrial(seed: number, tally: Tally): Promise<string[]> {
  const rng = createRng(seed);
  const key = newReliabilityKey();
  const server = await startEmulatorServer({ port: 0, apiKeys: [key], maxVocabularies: QUOTA, undeployedMs: rng.int(0, 400), updateIntervalMs: 0, latencyMs: rng.int(50, 250) });
  const { dir, desired } = await newRepo(seed, server.url);
  const env = { [KEY_ENV]: key };
  const signal = rng.pick(['SIGINT', 'SIGTERM'] as const);
  const afterWrites = rng.int(0, 3);
  try {
    let killer: NodeJS.Timeout | undefined;
    const run = await runVocab(['apply', '--yes', '--format', 'json'], {
      cwd: dir,
      env,
      timeoutMs: 120_000,
      onSignal: (send) => {
        killer = setInterval(() => {
          const writes = server.requestLog.entries().filter((e) => e.status === 200 && /create|update|delete/.test(e.action ?? '')).length;
          if (writes >= afterWrites) {
            clearInterval(killer);
            send(signal);
          }
        }, 5);
      },
    });
    clearInterval(killer);
    const outcome = run.code === 130 ? 'stopped with 130 and a report' : run.code === 0 ? 'finished before the signal' : 'ended by the signal while planning';
    tally.figures.extra[outcome] = Number(tally.figures.extra[outcome] ?? 0) + 1;
    return [...(await checkInterrupted(run, server, key)), ...(await converge(dir, env, server, key, desired))];
  } finally {
    await server.close();
    await removeDir(dir);
  }
}

/** After a signal: 130 and a report whose new lists are exactly the account's (or 0 if it had finished). */
async function checkInterrupted(run: RunResult, server: EmulatorServer, key: string): Promise<string[]> {
  if (run.timedOut) return ['the interrupted apply hung'];
  const writes = server.requestLog.entries().filter((e) => /create|update|delete/.test(e.action ?? '')).length;
  // A signal during planning (before apply takes over signals) ends the process the usual way: fine if nothing was written.
  if (run.code === null && run.signal !== null) return writes === 0 ? [] : [`killed by ${run.signal} after ${writes} writes`];
  if (run.code !== 130 && run.code !== 0) return [`the interrupted apply exited ${String(run.code)}`];
  let report: { interrupted?: boolean; results: { action: string; status: string; vocabulary_id: string | null }[] };
  try {
    report = JSON.parse(run.stdout) as typeof report;
  } catch {
    return [`no report after the signal: ${run.stdout.slice(0, 80)}`];
  }
  if (run.code === 130 && report.interrupted !== true) return ['exit 130 without "interrupted" in the report'];
  const live = new Set((server.accountState(key)?.vocabularies ?? []).map((v) => v.vocabulary_id));
  const missing = report.results.filter((r) => r.status === 'applied' && r.action === 'create' && !live.has(r.vocabulary_id ?? ''));
  return missing.length ? [`reported created but not on the account: ${missing.map((r) => r.vocabulary_id).join(', ')}`] : [];
}

async function converge(dir: string, env: Record<string, string>, server: EmulatorServer, key: string, desired: DesiredModel): Promise<string[]> {
  const again = await runVocab(['apply', '--yes'], { cwd: dir, env, timeoutMs: 120_000 });
  if (again.code !== 0) return [`the follow-up apply exited ${String(again.code)}: ${again.stderr.split('\n').slice(-2).join(' | ')}`];
  return checkAccount(server.accountState(key)?.vocabularies ?? [], desired);
}

describe('reliability: two writers and signals', () => {
  const http = newTally('concurrent applies over HTTP', BASE_SEED ^ 0x71);
  const local = newTally('concurrent applies on the embedded account', BASE_SEED ^ 0x72);
  const signals = newTally('signals during apply', BASE_SEED ^ 0x73);
  afterAll(async () => {
    for (const tally of [http, local, signals]) await finish(tally);
  });
  /** Runs a family's trials, timing them. */
  async function trials(tally: Tally, trial: (seed: number, i: number) => Promise<string[]>): Promise<void> {
    const started = Date.now();
    for (let i = 0; i < TRIALS; i++) record(tally, i, await trial(tally.figures.seed + i, i));
    tally.figures.wall_ms = Date.now() - started;
  }

  it(`${TRIALS} pairs of applies over HTTP converge`, async () => {
    await trials(http, (seed) => httpTrial(seed));
    expect(http.failures).toStrictEqual([]);
  });

  it(`${TRIALS} pairs of applies on the embedded account converge`, async () => {
    await trials(local, (seed, i) => localTrial(seed, i % 2 === 0));
    expect(local.failures).toStrictEqual([]);
  });

  it(`${TRIALS} applies interrupted by a signal report what they did and converge`, async () => {
    await trials(signals, (seed) => signalTrial(seed, signals));
    expect(signals.failures).toStrictEqual([]);
  });
});
