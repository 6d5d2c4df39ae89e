/**
 * `npm run bench`: measures the built `vocab` command as users run it (a fresh process each
 * time) and prints every figure as a ratio to a floor measured in the same run:
 *
 * - `vocab plan` wall time, 10 lists, against `vocab emulator` with 200 ms per request; floor:
 *   the round trips the plan cannot avoid (list pages, then one wave of queries) plus the
 *   start of a bare `node -e 0`. Next to it, what users do today: a sequential script (list,
 *   then query each list one by one), measured for real, not computed.
 * - `vocab apply --yes`, 10 creates, 200 ms per request; floor: the listing, the creates in
 *   waves of `apply.concurrency`, one status check, plus a bare node start.
 * - CPU time and peak memory of `vocab plan` on 100,000 entries (10 lists of 10,000) with no
 *   change, against the embedded account; floor: a process that reads and `JSON.parse`s the
 *   same entries and the account file.
 * - start-up of `vocab --version` and `vocab validate` (demo config) against `node -e 0`,
 *   measured in interleaved pairs (A, B, A, B…) so machine load falls on both alike.
 * - API calls of a plan, an apply and a no-op apply, against the minimum.
 *
 * Writes the figures, the machine and its load average to `bench/results.json`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFixture } from './generate-fixture.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const BIN = join(DIST, 'cli', 'bin.js');
const PROBE = join(ROOT, 'bench', 'usage-probe.mjs');
const SEQUENTIAL = join(ROOT, 'bench', 'sequential-script.mjs');
const JSON_FLOOR = join(ROOT, 'bench', 'json-floor.mjs');
const RESULTS = join(ROOT, 'bench', 'results.json');

const { startEmulatorServer } = await import(join(DIST, 'emulator', 'server.js'));
const { createHttpVocabularyService } = await import(join(DIST, 'dashscope', 'http-client.js'));
const { createLocalVocabularyService } = await import(join(DIST, 'emulator', 'local-service.js'));

/** Targets: each a ratio to the floor measured in the same run. */
const TARGETS = { planWall: 1.25, applyWall: 1.25, planCpu: 2.5, planMemory: 1.5, validateStartup: 1.5 };

const LATENCY_MS = 200;
const LISTS = 10;
const ENTRIES_PER_SMALL_LIST = 20;
const LARGE_LISTS = 10;
const LARGE_ENTRIES_PER_LIST = 10_000;
const APPLY_CONCURRENCY = 4;
const WALL_RUNS = 5;
const CPU_RUNS = 5;
const STARTUP_PAIRS = 20;
const SEED = 6;
const API_KEY = 'sk-bench-emulator-key';
const KEY_ENV = 'VOCAB_BENCH_API_KEY';

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (n, digits = 2) => Number(n.toFixed(digits));
const verdict = (ok) => (ok ? 'PASS' : 'MISS');
const mib = (bytes) => `${(bytes / (1024 * 1024)).toFixed(0)} MiB`;
const ms = (n) => `${Math.round(n)} ms`;

function table(headers, rows) {
  const cells = [headers, ...rows].map((row) => row.map(String));
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [line(cells[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

/** Runs `node ARGS` in a fresh process; asynchronous, since the emulator runs in this one. */
async function runNode(args, { cwd = ROOT, env = {}, usage = false } = {}) {
  const usageFile = usage ? join(os.tmpdir(), `vocab-bench-usage-${process.pid}-${Date.now()}.json`) : undefined;
  const start = performance.now();
  const child = spawn(process.execPath, usage ? ['--import', PROBE, ...args] : args, {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env, ...(usageFile ? { BENCH_USAGE_FILE: usageFile } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const status = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const wallMs = performance.now() - start;
  if (status !== 0 && status !== 2) throw new Error(`node ${args.join(' ')} exited ${status}:\n${stdout}\n${stderr}`);
  let resources;
  if (usageFile) {
    resources = JSON.parse(readFileSync(usageFile, 'utf8'));
    rmSync(usageFile, { force: true });
  }
  return { wallMs, resources, stdout };
}

/** Wall times of A and B measured in alternation, so load drifts hit both alike. */
async function interleaved(runs, a, b) {
  await a();
  await b(); // warm the file cache for both
  const aTimes = [];
  const bTimes = [];
  for (let i = 0; i < runs; i++) {
    aTimes.push(await a());
    bTimes.push(await b());
  }
  return { a: median(aTimes), b: median(bTimes) };
}

const bareNode = async () => (await runNode(['-e', '0'])).wallMs;

function countCalls(log) {
  const counts = {};
  for (const entry of log.entries()) counts[entry.action ?? 'other'] = (counts[entry.action ?? 'other'] ?? 0) + 1;
  return counts;
}
const total = (counts) => Object.values(counts).reduce((a, b) => a + b, 0);

/** A folder with `lists` small vocabulary files and a config pointing at `url`. */
function smallFixture(url, lists, seed) {
  const dir = mkdtempSync(join(os.tmpdir(), 'vocab-bench-'));
  const environmentYaml = `  emu:\n    endpoint: ${url}\n    api_key_env: ${KEY_ENV}\n    apply:\n      concurrency: ${APPLY_CONCURRENCY}\n`;
  const written = writeFixture(dir, { lists, entriesPerList: ENTRIES_PER_SMALL_LIST, seed, environmentName: 'emu', environmentYaml });
  return { dir, lists: written, env: { [KEY_ENV]: API_KEY } };
}

async function seedAccount(url, lists) {
  const client = createHttpVocabularyService({ baseUrl: url, apiKey: API_KEY });
  await Promise.all(lists.map((l) => client.createVocabulary({ prefix: l.prefix, targetModel: 'fun-asr', vocabulary: l.entries })));
}

async function startEmulator(latencyMs) {
  return startEmulatorServer({ port: 0, apiKeys: [API_KEY], latencyMs, undeployedMs: 0, updateIntervalMs: 0 });
}

// ---------------------------------------------------------------------------------------------
/** `vocab plan` and the sequential script against 10 lists, each paired with a bare node start. */
async function measurePlanWall() {
  const server = await startEmulator(LATENCY_MS);
  const fixture = smallFixture(server.url, LISTS, SEED);
  try {
    await seedAccount(server.url, fixture.lists);
    server.requestLog.clear();
    await runNode([BIN, 'plan'], { cwd: fixture.dir, env: fixture.env });
    const calls = countCalls(server.requestLog);
    const plan = await interleaved(WALL_RUNS, async () => (await runNode([BIN, 'plan'], { cwd: fixture.dir, env: fixture.env })).wallMs, bareNode);
    const scriptEnv = { ...fixture.env, BENCH_BASE_URL: server.url, BENCH_API_KEY: API_KEY };
    const sequential = await interleaved(WALL_RUNS, async () => (await runNode([SEQUENTIAL], { env: scriptEnv })).wallMs, bareNode);
    const roundTrips = (calls.list_vocabulary ?? 0) + 1;
    const floorMs = roundTrips * LATENCY_MS + plan.b;
    return { calls, roundTrips, bareNodeMs: round(plan.b, 1), floorMs: round(floorMs, 0), planMs: round(plan.a, 0), ratio: round(plan.a / floorMs), sequentialMs: round(sequential.a, 0), planVsSequential: round(plan.a / sequential.a), pass: plan.a / floorMs <= TARGETS.planWall };
  } finally {
    await server.close();
    rmSync(fixture.dir, { recursive: true, force: true });
  }
}

/** `vocab apply --yes` of 10 creates on an empty account, a fresh emulator per run. */
async function measureApplyWall() {
  const applies = [];
  const bares = [];
  let calls = {};
  for (let run = 0; run <= WALL_RUNS; run++) {
    const server = await startEmulator(LATENCY_MS);
    const fixture = smallFixture(server.url, LISTS, SEED);
    try {
      const wall = (await runNode([BIN, 'apply', '--yes'], { cwd: fixture.dir, env: fixture.env })).wallMs;
      bares.push(await bareNode());
      if (run === 0) continue; // warm-up
      applies.push(wall);
      calls = countCalls(server.requestLog);
    } finally {
      await server.close();
      rmSync(fixture.dir, { recursive: true, force: true });
    }
  }
  const bare = median(bares.slice(1));
  const roundTrips = 1 + Math.ceil(LISTS / APPLY_CONCURRENCY) + 1;
  const floorMs = roundTrips * LATENCY_MS + bare;
  const applyMs = median(applies);
  return { calls, roundTrips, bareNodeMs: round(bare, 1), floorMs: round(floorMs, 0), applyMs: round(applyMs, 0), ratio: round(applyMs / floorMs), pass: applyMs / floorMs <= TARGETS.applyWall };
}

// ---------------------------------------------------------------------------------------------
/** CPU and peak memory of `vocab plan` on 100,000 unchanged entries, and of the JSON floor. */
async function measureLargePlan() {
  const dir = mkdtempSync(join(os.tmpdir(), 'vocab-bench-large-'));
  try {
    const lists = writeFixture(dir, {
      lists: LARGE_LISTS,
      entriesPerList: LARGE_ENTRIES_PER_LIST,
      seed: SEED,
      environmentYaml: '  bench:\n    endpoint: local\n    state_file: account.json',
    });
    const account = createLocalVocabularyService({ stateFile: join(dir, 'account.json'), undeployedMs: 0 });
    for (const list of lists) await account.createVocabulary({ prefix: list.prefix, targetModel: 'fun-asr', vocabulary: list.entries });
    await account.close?.();
    writeFileSync(join(dir, 'desired.json'), JSON.stringify(lists));
    const plans = [];
    const floors = [];
    for (let i = 0; i < CPU_RUNS; i++) {
      plans.push((await runNode([BIN, 'plan'], { cwd: dir, usage: true })).resources);
      floors.push((await runNode([JSON_FLOOR, 'desired.json', 'account.json'], { cwd: dir, usage: true })).resources);
    }
    const cpu = (r) => r.userMs + r.systemMs;
    const planCpu = median(plans.map(cpu));
    const floorCpu = median(floors.map(cpu));
    const planRss = median(plans.map((r) => r.maxRssBytes));
    const floorRss = median(floors.map((r) => r.maxRssBytes));
    const summary = JSON.parse((await runNode([BIN, 'plan', '--format', 'json'], { cwd: dir })).stdout).summary;
    return {
      entries: LARGE_LISTS * LARGE_ENTRIES_PER_LIST,
      summary,
      cpu: { planMs: round(planCpu, 0), floorMs: round(floorCpu, 0), ratio: round(planCpu / floorCpu), pass: planCpu / floorCpu <= TARGETS.planCpu },
      memory: { planBytes: planRss, floorBytes: floorRss, ratio: round(planRss / floorRss), pass: planRss / floorRss <= TARGETS.planMemory },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `vocab --version` and `vocab validate` on the demo config, each paired with `node -e 0`. */
async function measureStartup() {
  const version = await interleaved(STARTUP_PAIRS, async () => (await runNode([BIN, '--version'])).wallMs, bareNode);
  const validate = await interleaved(STARTUP_PAIRS, async () => (await runNode([BIN, 'validate'])).wallMs, bareNode);
  return {
    version: { ms: round(version.a, 1), bareMs: round(version.b, 1), ratio: round(version.a / version.b) },
    validate: { ms: round(validate.a, 1), bareMs: round(validate.b, 1), ratio: round(validate.a / validate.b), pass: validate.a / validate.b <= TARGETS.validateStartup },
  };
}

/** API calls of a plan, an apply of 10 creates and a no-op apply, through the command. */
async function measureCalls() {
  const server = await startEmulator(0);
  const fixture = smallFixture(server.url, LISTS, SEED);
  const run = async (args) => {
    server.requestLog.clear();
    await runNode([BIN, ...args], { cwd: fixture.dir, env: fixture.env });
    return countCalls(server.requestLog);
  };
  try {
    const apply = await run(['apply', '--yes']);
    const plan = await run(['plan']);
    const noop = await run(['apply', '--yes']);
    // Minimums: two list pages when the account holds lists (one short page cannot tell the end
    // from a server cap), one when it is empty; a query per owned list to diff it; a create per
    // new list and one listing to see them all `OK`.
    return [
      { scenario: `plan, ${LISTS} owned lists`, calls: total(plan), minimum: 2 + LISTS, detail: plan },
      { scenario: `apply, ${LISTS} creates`, calls: total(apply), minimum: 1 + LISTS + 1, detail: apply },
      { scenario: `apply, no-op (${LISTS} lists)`, calls: total(noop), minimum: 2 + LISTS, detail: noop },
    ].map((r) => ({ ...r, pass: r.calls <= r.minimum }));
  } finally {
    await server.close();
    rmSync(fixture.dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
function machineNow() {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryBytes: os.totalmem(),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
    loadAverage: os.loadavg().map((n) => round(n)),
    date: new Date().toISOString(),
  };
}

function report(results) {
  const { machine, planWall: p, applyWall: a, largePlan: l, startup: s, calls } = results;
  const rows = [
    [`vocab plan wall, ${LISTS} lists, ${LATENCY_MS} ms/request`, ms(p.planMs), `${p.roundTrips} round trips + node start = ${ms(p.floorMs)}`, `${p.ratio}x`, `<= ${TARGETS.planWall}x`, verdict(p.pass)],
    [`sequential script (list, then query one by one)`, ms(p.sequentialMs), `plan is ${p.planVsSequential}x its time`, '', '', ''],
    [`vocab apply, ${LISTS} creates, ${LATENCY_MS} ms/request`, ms(a.applyMs), `${a.roundTrips} round trips + node start = ${ms(a.floorMs)}`, `${a.ratio}x`, `<= ${TARGETS.applyWall}x`, verdict(a.pass)],
    [`vocab plan CPU, ${l.entries.toLocaleString('en')} entries, no change`, ms(l.cpu.planMs), `JSON.parse of the same data + account = ${ms(l.cpu.floorMs)}`, `${l.cpu.ratio}x`, `<= ${TARGETS.planCpu}x`, verdict(l.cpu.pass)],
    [`same, peak memory`, mib(l.memory.planBytes), `same floor = ${mib(l.memory.floorBytes)}`, `${l.memory.ratio}x`, `<= ${TARGETS.planMemory}x`, verdict(l.memory.pass)],
    [`vocab validate start-up, demo`, ms(s.validate.ms), `node -e 0 = ${ms(s.validate.bareMs)}`, `${s.validate.ratio}x`, `<= ${TARGETS.validateStartup}x`, verdict(s.validate.pass)],
    [`vocab --version start-up`, ms(s.version.ms), `node -e 0 = ${ms(s.version.bareMs)}`, `${s.version.ratio}x`, '', ''],
  ];
  const out = [
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${mib(machine.memoryBytes)}, Node ${machine.node}, load average ${machine.loadAverage.join(' ')} (before) / ${results.loadAfter.join(' ')} (after), ${machine.date}`,
    '',
    table(['measure', 'figure', 'floor (same run)', 'ratio', 'target', ''], rows),
    '',
    'API calls (target: no more than the minimum)',
    table(['scenario', 'calls', 'minimum', 'by action', ''], calls.map((r) => [r.scenario, r.calls, r.minimum, JSON.stringify(r.detail), verdict(r.pass)])),
    '',
    `Written to ${RESULTS}`,
  ];
  return `${out.join('\n')}\n`;
}

const machine = machineNow();
process.stderr.write(`measuring on ${machine.cpu}, ${machine.cores} cores, ${mib(machine.memoryBytes)}, Node ${machine.node}, load ${machine.loadAverage.join(' ')}\n`);
process.stderr.write('plan wall time...\n');
const planWall = await measurePlanWall();
process.stderr.write('apply wall time...\n');
const applyWall = await measureApplyWall();
process.stderr.write('CPU and memory, 100,000 entries...\n');
const largePlan = await measureLargePlan();
process.stderr.write('start-up...\n');
const startup = await measureStartup();
process.stderr.write('API calls...\n');
const calls = await measureCalls();
const results = { machine, loadAfter: os.loadavg().map((n) => round(n)), targets: TARGETS, planWall, applyWall, largePlan, startup, calls };
writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(report(results));
