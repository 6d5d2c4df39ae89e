/**
 * `npm run bench`: measures vocab-sync against its performance targets and prints a table.
 * Runs the built code (`dist/`, so run `npm run build` first; the npm script does) and writes
 * the figures with the machine they were measured on to `bench/results.json`.
 *
 * - plan wall time against `vocab emulator` (in-process, loopback) at injected latencies, as a
 *   ratio to the ideal ((list pages + 1) round trips) and to a sequential client (one round trip
 *   per call), through the library and through the built command as a child process;
 * - API calls of a plan, an apply of 10 creates and a no-op apply, next to the minimum;
 * - CPU time and peak memory of `vocab validate` and `vocab plan` (which validates first) on
 *   10 lists of 10,000 entries against an embedded account already holding them, and on each
 *   example of the repository;
 * - start-up of `vocab --version` and `vocab validate` against bare `node -e 0`.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFixture } from './generate-fixture.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const BIN = join(DIST, 'cli', 'bin.js');
const PROBE = join(ROOT, 'bench', 'usage-probe.mjs');
const RESULTS = join(ROOT, 'bench', 'results.json');

const { startEmulatorServer } = await import(join(DIST, 'emulator', 'server.js'));
const { createHttpVocabularyService } = await import(join(DIST, 'dashscope', 'http-client.js'));
const { createLocalVocabularyService } = await import(join(DIST, 'emulator', 'local-service.js'));
const { planEnvironment, applyPlanned } = await import(join(DIST, 'reconcile', 'pipeline.js'));

/** Targets (issue 6). */
const TARGET_PLAN_RATIO = 1.3;
const TARGET_CPU_MS = 1500;
const TARGET_MAX_RSS_BYTES = 250 * 1024 * 1024;
const TARGET_STARTUP_RATIO = 3;

const LATENCIES_MS = [50, 100, 200];
const LIST_COUNTS = [1, 5, 10];
const ENTRIES_PER_SMALL_LIST = 20;
const LARGE_LISTS = 10;
const LARGE_ENTRIES_PER_LIST = 10_000;
const PLAN_RUNS = 3;
const CPU_RUNS = 3;
const STARTUP_RUNS = 15;
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

function table(headers, rows) {
  const cells = [headers, ...rows].map((row) => row.map(String));
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [line(cells[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

/** Runs node with `args`; asynchronous, since the emulator it may talk to runs in this process. */
async function runChild(args, { cwd, env = {}, usage = false } = {}) {
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

function emulatorConfig(url) {
  return `  emu:\n    endpoint: ${url}\n    api_key_env: ${KEY_ENV}\n`;
}

/** A folder with a config pointing at `url` and `lists` small vocabulary files; returns their entries. */
function writeSmallFixture(dir, url, lists, seed) {
  return writeFixture(dir, { lists, entriesPerList: ENTRIES_PER_SMALL_LIST, seed, environmentName: 'emu', environmentYaml: emulatorConfig(url) });
}

async function seed(url, lists) {
  const client = createHttpVocabularyService({ baseUrl: url, apiKey: API_KEY });
  await Promise.all(lists.map((l) => client.createVocabulary({ prefix: l.prefix, targetModel: 'fun-asr', vocabulary: l.entries })));
}

function countCalls(log) {
  const counts = {};
  for (const entry of log.entries()) counts[entry.action ?? 'other'] = (counts[entry.action ?? 'other'] ?? 0) + 1;
  return counts;
}

const total = (counts) => Object.values(counts).reduce((a, b) => a + b, 0);

// ---------------------------------------------------------------------------------------------
async function measurePlanLatency() {
  const rows = [];
  for (const latencyMs of LATENCIES_MS) {
    for (const lists of LIST_COUNTS) {
      const server = await startEmulatorServer({ port: 0, apiKeys: [API_KEY], latencyMs, undeployedMs: 0 });
      const dir = mkdtempSync(join(os.tmpdir(), 'vocab-bench-latency-'));
      try {
        await seed(server.url, writeSmallFixture(dir, server.url, lists, SEED + lists));
        const env = { [KEY_ENV]: API_KEY };
        await planEnvironment({ cwd: dir, env }); // warm-up: module and JIT, not the network
        const library = [];
        let calls = {};
        for (let run = 0; run < PLAN_RUNS; run++) {
          server.requestLog.clear();
          const start = performance.now();
          const planned = await planEnvironment({ cwd: dir, env });
          library.push(performance.now() - start);
          await planned.service.close?.();
          calls = countCalls(server.requestLog);
        }
        // The same plan with the client's rate limiter off (service passed in): shows what the
        // limiter (600/min, burst 10) costs when a plan makes more calls than the burst.
        const unlimited = [];
        const client = createHttpVocabularyService({ baseUrl: server.url, apiKey: API_KEY, requestsPerMinute: 0 });
        for (let run = 0; run < PLAN_RUNS; run++) {
          const start = performance.now();
          await planEnvironment({ cwd: dir, env, service: client });
          unlimited.push(performance.now() - start);
        }
        const child = [];
        for (let run = 0; run < PLAN_RUNS; run++) child.push((await runChild([BIN, 'plan'], { cwd: dir, env })).wallMs);
        const pages = calls.list_vocabulary ?? 0;
        const idealMs = (pages + 1) * latencyMs;
        const sequentialMs = (pages + lists) * latencyMs;
        const libraryMs = median(library);
        const childMs = median(child);
        rows.push({
          latencyMs,
          lists,
          listPages: pages,
          queries: calls.query_vocabulary ?? 0,
          idealMs,
          sequentialMs,
          libraryMs: round(libraryMs, 0),
          libraryVsIdeal: round(libraryMs / idealMs),
          libraryVsSequential: round(libraryMs / sequentialMs),
          noRateLimitMs: round(median(unlimited), 0),
          noRateLimitVsIdeal: round(median(unlimited) / idealMs),
          commandMs: round(childMs, 0),
          commandVsIdeal: round(childMs / idealMs),
          pass: libraryMs / idealMs <= TARGET_PLAN_RATIO,
        });
      } finally {
        await server.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
async function measureCalls() {
  const lists = 10;
  const server = await startEmulatorServer({ port: 0, apiKeys: [API_KEY], undeployedMs: 0 });
  const dir = mkdtempSync(join(os.tmpdir(), 'vocab-bench-calls-'));
  const env = { [KEY_ENV]: API_KEY };
  const rows = [];
  try {
    writeSmallFixture(dir, server.url, lists, SEED);
    // An apply of 10 creates on an empty account.
    server.requestLog.clear();
    let planned = await planEnvironment({ cwd: dir, env });
    const planOnEmpty = countCalls(server.requestLog);
    await applyPlanned(planned, { sleep: () => Promise.resolve() });
    await planned.service.close?.();
    const createApply = countCalls(server.requestLog);
    // A plan and a no-op apply on the account that now holds the 10 lists.
    server.requestLog.clear();
    planned = await planEnvironment({ cwd: dir, env });
    const plan = countCalls(server.requestLog);
    await applyPlanned(planned, { sleep: () => Promise.resolve() });
    await planned.service.close?.();
    const noop = countCalls(server.requestLog);
    // Minimums: the listing needs 2 pages when the account holds lists (one short page cannot
    // tell the end from a server cap; see list-all.ts) and 1 when it is empty; every owned list
    // must be queried to diff it; every create needs one query to see status OK.
    rows.push({ scenario: `plan, ${lists} owned lists`, calls: total(plan), minimum: 2 + lists, detail: plan });
    rows.push({ scenario: `apply, ${lists} creates`, calls: total(createApply), minimum: 1 + lists + lists, detail: createApply, planCalls: total(planOnEmpty) });
    rows.push({ scenario: `apply, no-op (${lists} lists)`, calls: total(noop), minimum: 2 + lists, detail: noop });
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows.map((r) => ({ ...r, pass: r.calls <= r.minimum }));
}

// ---------------------------------------------------------------------------------------------
async function measureResources(label, dir, args, target) {
  const runs = [];
  for (let i = 0; i < CPU_RUNS; i++) runs.push((await runChild([BIN, ...args], { cwd: dir, usage: true })).resources);
  const cpuMs = median(runs.map((r) => r.userMs + r.systemMs));
  const maxRssBytes = median(runs.map((r) => r.maxRssBytes));
  const row = { case: label, command: `vocab ${args.join(' ')}`, cpuMs: round(cpuMs, 0), maxRssBytes };
  if (target) row.pass = cpuMs <= TARGET_CPU_MS && maxRssBytes <= TARGET_MAX_RSS_BYTES;
  return row;
}

async function measureLarge() {
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
    const entries = LARGE_LISTS * LARGE_ENTRIES_PER_LIST;
    const rows = [
      await measureResources(`${entries.toLocaleString('en')} entries`, dir, ['validate'], false),
      await measureResources(`${entries.toLocaleString('en')} entries`, dir, ['plan'], true),
    ];
    const planned = await runChild([BIN, 'plan', '--format', 'json'], { cwd: dir });
    const plan = JSON.parse(planned.stdout);
    rows[1].planSummary = plan.summary;
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureExamples() {
  const rows = [];
  for (const name of readdirSync(join(ROOT, 'examples')).sort()) {
    const source = join(ROOT, 'examples', name);
    let hasConfig = true;
    try {
      readFileSync(join(source, 'vocab.config.yaml'));
    } catch {
      hasConfig = false;
    }
    if (!hasConfig) continue;
    // A copy, so the embedded account's state file is not written into the repository.
    const dir = mkdtempSync(join(os.tmpdir(), 'vocab-bench-example-'));
    try {
      cpSync(source, dir, { recursive: true });
      rows.push(await measureResources(`examples/${name}`, dir, ['validate'], false));
      rows.push(await measureResources(`examples/${name}`, dir, ['plan', '--env', 'local'], true));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
async function measureStartup() {
  const time = async (args) => {
    await runChild(args, { cwd: ROOT }); // warm the file cache
    const runs = [];
    for (let i = 0; i < STARTUP_RUNS; i++) runs.push((await runChild(args, { cwd: ROOT })).wallMs);
    return median(runs);
  };
  const bare = await time(['-e', '0']);
  const version = await time([BIN, '--version']);
  const validate = await time([BIN, 'validate']);
  return [
    { command: 'node -e 0', wallMs: round(bare, 1), ratio: 1 },
    { command: 'vocab --version', wallMs: round(version, 1), ratio: round(version / bare), pass: version / bare <= TARGET_STARTUP_RATIO },
    { command: 'vocab validate (demo config)', wallMs: round(validate, 1), ratio: round(validate / bare), pass: validate / bare <= TARGET_STARTUP_RATIO },
  ];
}

// ---------------------------------------------------------------------------------------------
const machine = {
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  memoryBytes: os.totalmem(),
  platform: `${os.platform()} ${os.release()}`,
  node: process.version,
  loadAverage: os.loadavg().map((n) => round(n)),
  date: new Date().toISOString(),
};
process.stderr.write(`measuring on ${machine.cpu}, ${machine.cores} cores, ${mib(machine.memoryBytes)}, Node ${machine.node}\n`);

process.stderr.write('plan latency...\n');
const planLatency = await measurePlanLatency();
process.stderr.write('API calls...\n');
const calls = await measureCalls();
process.stderr.write('CPU and memory (100,000 entries)...\n');
const resources = [...(await measureLarge()), ...(await measureExamples())];
process.stderr.write('start-up...\n');
const startup = await measureStartup();

const results = { machine, targets: { planRatio: TARGET_PLAN_RATIO, cpuMs: TARGET_CPU_MS, maxRssBytes: TARGET_MAX_RSS_BYTES, startupRatio: TARGET_STARTUP_RATIO }, planLatency, calls, resources, startup };
writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);

const out = [];
out.push(`Machine: ${machine.cpu}, ${machine.cores} cores, ${mib(machine.memoryBytes)}, Node ${machine.node}, load ${machine.loadAverage.join(' ')}, ${machine.date}`);
out.push('', `Plan wall time against vocab emulator (target: library plan <= ${TARGET_PLAN_RATIO}x ideal; median of ${PLAN_RUNS})`);
out.push(
  table(
    ['latency', 'lists', 'calls (list+query)', 'ideal', 'sequential', 'library', 'x ideal', 'x sequential', 'no client rate limit', 'command', 'cmd x ideal', ''],
    planLatency.map((r) => [
      `${r.latencyMs} ms`, r.lists, `${r.listPages}+${r.queries}`, `${r.idealMs} ms`, `${r.sequentialMs} ms`, `${r.libraryMs} ms`,
      r.libraryVsIdeal, r.libraryVsSequential, `${r.noRateLimitMs} ms (${r.noRateLimitVsIdeal}x)`, `${r.commandMs} ms`, r.commandVsIdeal, verdict(r.pass),
    ]),
  ),
);
out.push('', 'API calls (target: no more than the minimum)');
out.push(table(['scenario', 'calls', 'minimum', 'by action', ''], calls.map((r) => [r.scenario, r.calls, r.minimum, JSON.stringify(r.detail), verdict(r.pass)])));
out.push('', `CPU (user+sys) and peak memory (maxRSS) of the command in a child process (target for plan: <= ${TARGET_CPU_MS} ms, <= ${mib(TARGET_MAX_RSS_BYTES)}; median of ${CPU_RUNS})`);
out.push(table(['case', 'command', 'CPU', 'maxRSS', ''], resources.map((r) => [r.case, r.command, `${r.cpuMs} ms`, mib(r.maxRssBytes), r.pass === undefined ? '' : verdict(r.pass)])));
out.push('', `Start-up, wall time (target: <= ${TARGET_STARTUP_RATIO}x bare node; median of ${STARTUP_RUNS})`);
out.push(table(['command', 'wall', 'x node -e 0', ''], startup.map((r) => [r.command, `${r.wallMs} ms`, r.ratio, r.pass === undefined ? '' : verdict(r.pass)])));
out.push('', `Written to ${RESULTS}`);
process.stdout.write(`${out.join('\n')}\n`);
