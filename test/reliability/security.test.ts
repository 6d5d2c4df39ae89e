/**
 * Security: the API key never appears in any output, file or error. `vocab emulator` (built,
 * with random faults) serves a temporary repository; the built `vocab` runs every command
 * (validate, plan in every format and --out, apply of a saved plan and afresh, --debug, drift,
 * outputs, export, a killed apply) and the usual mistakes (a wrong key, the key in the base URL,
 * the key written where the variable name belongs, the key written into the config, a refused
 * plain-http endpoint, a refused connection). The library does the same through `apply`, with
 * its progress events and errors inspected down to their causes. Then every stdout, stderr,
 * event, error and every file under the temporary folders is scanned for the key and its tail.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectService } from '../../src/connect.js';
import { apply, validate } from '../../src/index.js';
import { configYaml, DesiredModel } from './desired-state.js';
import {
  assertBuilt,
  BASE_SEED,
  BIN,
  childEnv,
  createRng,
  LeakScanner,
  newFigures,
  newReliabilityKey,
  removeDir,
  reportFigures,
  runVocab,
  size,
  type RunResult,
} from './support.js';

const SEED = BASE_SEED ^ 0x4e;
const ROUNDS = size(1, 2);
/** Bounded runs use the distinctive key only; full runs also a key shaped like a real one. */
const KEY_SHAPES = size(1, 2);
const FAULT_RATE = size(0.05, 0.15);
const figures = newFigures('security', SEED);
afterAll(() => reportFigures(figures));
beforeAll(() => assertBuilt());

interface Emulator {
  url: string;
  child: ChildProcess;
  out: () => string;
  stop: () => Promise<void>;
}

/** Starts the built `vocab emulator` and reads its URL from the first stdout line. */
async function startCliEmulator(args: string[], env: Record<string, string>): Promise<Emulator> {
  const child = spawn(process.execPath, [BIN, 'emulator', '--port', '0', ...args], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  for (let i = 0; i < 3000 && !stdout.includes('\n'); i++) await sleep(5);
  const url = stdout.split('\n')[0]!.trim();
  if (!url.startsWith('http://')) throw new Error(`vocab emulator did not start: ${stdout} ${stderr}`);
  return {
    url,
    child,
    out: () => `${stdout}\n${stderr}`,
    stop: () =>
      new Promise((resolve) => {
        child.once('close', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

describe(`the API key never leaks (${ROUNDS} round(s), seed ${SEED})`, () => {
  it('no output, file, event or error of any command or library call holds the key', async () => {
    const started = performance.now();
    const rng = createRng(SEED);
    const work = await mkdtemp(path.join(tmpdir(), 'vocab-reliability-security-'));
    // The distinctive test key, and one shaped like a real key (sk- and 32 hex digits).
    const keys = [newReliabilityKey(), `sk-${randomBytes(16).toString('hex')}`];
    const wrongKey = newReliabilityKey();
    const leaks = new LeakScanner([...keys, wrongKey]);
    const runs: { what: string; result: RunResult }[] = [];
    const emulators: Emulator[] = [];
    const exitCodes: Record<string, number> = {};
    let libraryErrors = 0;
    let events = 0;

    const record = (what: string, result: RunResult): RunResult => {
      runs.push({ what, result });
      exitCodes[String(result.code ?? result.signal)] = (exitCodes[String(result.code ?? result.signal)] ?? 0) + 1;
      return result;
    };

    try {
      for (let round = 0; round < ROUNDS; round++) {
        for (const [k, key] of keys.slice(0, KEY_SHAPES).entries()) {
          const tag = `round ${round}, key ${k}`;
          const base = path.join(work, `r${round}k${k}`);
          const repo = path.join(base, 'repo');
          await mkdir(repo, { recursive: true });
          const emulator = await startCliEmulator(
            ['--api-key', key, '--state', path.join(base, 'emulator-state.json'), '--fault-rate', String(FAULT_RATE), '--fault-seed', String(SEED + round), '--undeployed-ms', '0', '--update-interval', '0'],
            {},
          );
          emulators.push(emulator);
          const desired = new DesiredModel(rng, 5);
          desired.mutate();
          await desired.write(repo);
          await writeFile(path.join(repo, 'vocab.config.yaml'), configYaml(emulator.url, { concurrency: 2, replace: 'create_before_destroy' }), 'utf8');
          const env = { VOCAB_RELIABILITY_KEY: key };
          const vocab = (what: string, args: string[], extraEnv: Record<string, string> = env, cwd = repo) =>
            runVocab(args, { cwd, env: extraEnv, timeoutMs: 120_000 }).then((r) => record(`${tag}: ${what}`, r));

          await vocab('validate', ['validate', '--format', rng.pick(['text', 'json'])]);
          await vocab('plan --out', ['plan', '--out', 'plan.json', '--debug']);
          await vocab('apply saved plan', ['apply', 'plan.json', '--debug']);
          for (let i = 0; i < 5; i++) {
            if ((await vocab('apply --yes --format json --debug', ['apply', '--yes', '--format', 'json', '--debug'])).code === 0) break;
          }
          desired.mutate();
          await desired.write(repo);
          for (const format of ['text', 'markdown', 'json']) await vocab(`plan ${format}`, ['plan', '--format', format]);
          // A killed apply, then one that finishes.
          await runVocab(['apply', '--yes'], {
            cwd: repo,
            env,
            timeoutMs: 120_000,
            onSpawn: (kill) => void sleep(rng.int(200, 700)).then(kill),
          }).then((r) => record(`${tag}: killed apply`, r));
          for (let i = 0; i < 5; i++) if ((await vocab('apply --yes', ['apply', '--yes', '--debug'])).code === 0) break;
          await vocab('drift', ['drift', '--debug']);
          await vocab('outputs dotenv', ['outputs', '--format', 'dotenv']);
          await vocab('outputs json', ['outputs', '--format', 'json']);
          await vocab('export', ['export', '--out-dir', 'exported']);

          // Mistakes.
          await vocab('wrong key', ['apply', '--yes', '--debug'], { VOCAB_RELIABILITY_KEY: wrongKey });
          const inUrl = emulator.url.replace('http://', `http://user:${key}@`);
          await vocab('key in DASHSCOPE_HTTP_BASE_URL', ['plan', '--debug'], { ...env, DASHSCOPE_HTTP_BASE_URL: inUrl });
          const mistakes = path.join(base, 'mistakes');
          await mkdir(path.join(mistakes, 'vocabularies'), { recursive: true });
          await desired.write(mistakes);
          const withConfig = async (what: string, environment: Record<string, unknown>, args: string[]) => {
            await writeFile(
              path.join(mistakes, 'vocab.config.yaml'),
              `vocabularies: [vocabularies/*.yaml]\ndefault_environment: test\nenvironments:\n  test: ${JSON.stringify(environment)}\nownership: { prefixes: [alpha, bravo, charlie, delta, echo, foxtrot, golf, hotel] }\n`,
              'utf8',
            );
            await vocab(what, args, env, mistakes);
            const lib = await validate({ cwd: mistakes }).catch((error: unknown) => error);
            leaks.value(`${tag}: library validate, ${what}`, lib);
          };
          await withConfig('key where the variable name belongs', { endpoint: emulator.url, api_key_env: key }, ['plan', '--debug']);
          await withConfig('key written in the config', { endpoint: emulator.url, api_key: key }, ['validate']);
          await withConfig('key written as the workspace', { endpoint: emulator.url, api_key_env: 'VOCAB_RELIABILITY_KEY', workspace: key }, ['validate']);
          await withConfig('key written as the workspace (plan)', { endpoint: emulator.url, api_key_env: 'VOCAB_RELIABILITY_KEY', workspace: key }, ['plan', '--debug']);
          await withConfig('plain http to another host', { endpoint: 'http://vocab.invalid/api/v1', api_key_env: 'VOCAB_RELIABILITY_KEY' }, ['plan', '--debug']);
          await withConfig('connection refused', { endpoint: 'http://127.0.0.1:9/api/v1', api_key_env: 'VOCAB_RELIABILITY_KEY' }, ['plan', '--debug']);

          // The library, through connectService (the key from the environment), faults included.
          const libEnv = { VOCAB_RELIABILITY_KEY: key };
          for (const [what, e] of [
            ['library apply', libEnv],
            ['library apply, wrong key', { VOCAB_RELIABILITY_KEY: wrongKey }],
          ] as const) {
            try {
              const out = await apply({ cwd: repo, env: e, onProgress: (event) => (events++, leaks.value(`${tag}: ${what} event`, event)) });
              leaks.value(`${tag}: ${what} result`, out);
            } catch (error) {
              libraryErrors++;
              leaks.value(`${tag}: ${what} error`, error);
            }
          }
          const service = connectService(
            { name: 'test', endpoint: emulator.url, api_key_env: 'VOCAB_RELIABILITY_KEY' } as Parameters<typeof connectService>[0],
            { rootDir: repo, env: libEnv },
          );
          leaks.text(`${tag}: inspect(service)`, inspect(service, { showHidden: true, depth: 6 }));
          leaks.text(`${tag}: JSON of service`, JSON.stringify(service));
          await service.close?.();

          await emulator.stop();
          leaks.text(`${tag}: vocab emulator output`, emulator.out());
          figures.trials++;
        }
      }
      for (const { what, result } of runs) {
        leaks.text(`${what}: stdout`, result.stdout);
        leaks.text(`${what}: stderr`, result.stderr);
      }
      const files = await leaks.tree(work);
      figures.extra = {
        'commands run': runs.length,
        'exit codes': Object.entries(exitCodes).sort().map(([k, v]) => `${k}: ${v}`).join(', '),
        'library errors inspected': libraryErrors,
        'progress events inspected': events,
        'files scanned': files,
        'texts scanned': leaks.scanned,
        'key shapes': KEY_SHAPES === 2 ? 'sk-reliability-<24 hex>, sk-<32 hex>' : 'sk-reliability-<24 hex>',
        'emulator fault rate': FAULT_RATE,
      };
    } finally {
      for (const e of emulators) if (e.child.exitCode === null) e.child.kill('SIGKILL');
      figures.key_leaks = leaks.leaks.length;
      figures.wall_ms = performance.now() - started;
      await removeDir(work);
    }
    // Sanity: the runs did real work (applies succeeded, mistakes were refused).
    expect(exitCodes['0'] ?? 0).toBeGreaterThan(5);
    expect(exitCodes['1'] ?? 0).toBeGreaterThan(3);
    expect([...new Set(leaks.leaks)]).toEqual([]);
  }, 900_000);
});
