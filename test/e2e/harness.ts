/**
 * Shared helpers of the reconciler's end-to-end tests: a temporary repository (config and
 * vocabulary files), an emulator on a free loopback port, the BUILT `vocab` command run as a
 * child process, direct HTTP calls that change the account out of band, and the check that no
 * API key ever leaks into output or files.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import { stringify } from 'yaml';
import { startEmulatorServer, type EmulatorServer, type EmulatorServerOptions } from '../../src/emulator/server.js';
import type { StoredVocabulary } from '../../src/emulator/state.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = path.join(ROOT, 'dist/cli/bin.js');

/** Fails loudly when the command has not been built (`npm test` builds before vitest runs). */
export function assertBuilt(): void {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "npm run build" first (npm test runs tsc before vitest)`);
}

/** Every API key handed out, so every run can check that none of them leaked. */
const KEYS = new Set<string>();

/** A fresh, recognisable API key (long enough that a chance match in output is impossible). */
export function newApiKey(): string {
  const key = `sk-e2e-${randomBytes(12).toString('hex')}`;
  KEYS.add(key);
  return key;
}

/** One entry of a vocabulary file. */
export type EntrySpec = string | { text: string; weight?: number; lang?: string; target_lang?: string; translation?: string };

/** One vocabulary file. */
export interface VocabularySpec {
  prefix: string;
  target_model: string;
  name?: string;
  environments?: string[];
  defaults?: { weight?: number; lang?: string };
  entries: EntrySpec[];
}

/** A fun-asr vocabulary of `count` distinct Chinese entries, weight 4 (`${prefix}` keeps lists apart). */
export function funAsr(prefix: string, texts: EntrySpec[], extra: Partial<VocabularySpec> = {}): VocabularySpec {
  return { prefix, target_model: 'fun-asr', defaults: { weight: 4, lang: 'zh' }, entries: texts, ...extra };
}

/** `count` distinct pure-ASCII words: word1, word2, ... (with a stem so lists differ). */
export function words(stem: string, count: number, from = 1): string[] {
  return Array.from({ length: count }, (_, i) => `${stem}${from + i}`);
}

/** An environment of the config pointing at an emulator. */
export interface EnvironmentSpec {
  url: string;
  /** Variable holding the key (default VOCAB_TEST_KEY). */
  api_key_env?: string;
  [key: string]: unknown;
}

/** A temporary repository. */
export interface Repo {
  dir: string;
  /** Writes (or overwrites) `vocabularies/<file>.yaml`. */
  writeVocabulary(file: string, spec: VocabularySpec): Promise<void>;
  removeVocabulary(file: string): Promise<void>;
  /** Rewrites the config with extra top-level keys (merged over the ones given at creation). */
  writeConfig(extra?: Record<string, unknown>): Promise<void>;
  /** Backup documents under `.vocab/backups/`, with their file names. */
  backups(): Promise<(BackupFile & { file: string })[]>;
  path(...parts: string[]): string;
}

/** A backup document as apply writes it. */
export interface BackupFile {
  format_version: number;
  saved_at: string;
  reason: string;
  vocabulary_id: string;
  prefix: string;
  target_model: string;
  entries: { text: string; weight?: number; lang?: string }[];
}

/** Options of `makeRepo`. */
export interface MakeRepoOptions {
  /** Environments by name (the first is the default). */
  environments: Record<string, EnvironmentSpec>;
  vocabularies?: Record<string, VocabularySpec>;
  /**
   * Extra top-level config keys (safety, apply, quota, ownership...). Without `ownership`, the
   * config owns the prefix of every vocabulary file written so far (removed ones included).
   */
  config?: Record<string, unknown>;
}

/** Makes a repository in a temporary folder, removed when the test finishes. */
export async function makeRepo(options: MakeRepoOptions): Promise<Repo> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vocab-e2e-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  let extra = options.config ?? {};
  // Ownership is required: unless a test sets `ownership` (even to undefined, to leave it out),
  // the repository owns every prefix it has ever had a file for, as a team's config would.
  const written = new Set<string>(Object.values(options.vocabularies ?? {}).map((v) => v.prefix));
  const ownership = (): Record<string, unknown> =>
    'ownership' in extra ? {} : { ownership: { prefixes: [...written].sort() } };
  const writeConfig = async (more: Record<string, unknown> = {}): Promise<void> => {
    extra = { ...extra, ...more };
    const environments = Object.fromEntries(
      Object.entries(options.environments).map(([name, { url, api_key_env, ...rest }]) => [
        name,
        // The update spacing (5 minutes on the service) is off unless a test sets it: most tests
        // update a list seconds after creating it.
        { endpoint: url, api_key_env: api_key_env ?? 'VOCAB_TEST_KEY', apply: { update_interval_seconds: 0 }, ...rest },
      ]),
    );
    const config = {
      vocabularies: ['vocabularies/*.yaml'],
      default_environment: Object.keys(options.environments)[0],
      environments,
      apply: { concurrency: 4, wait_timeout_seconds: 20 },
      ...ownership(),
      ...extra,
    };
    await writeFile(path.join(dir, 'vocab.config.yaml'), stringify(config), 'utf8');
  };
  const repo: Repo = {
    dir,
    path: (...parts) => path.join(dir, ...parts),
    async writeVocabulary(file, spec) {
      await mkdir(path.join(dir, 'vocabularies'), { recursive: true });
      if (!written.has(spec.prefix)) {
        written.add(spec.prefix);
        if (!('ownership' in extra)) await writeConfig();
      }
      await writeFile(path.join(dir, 'vocabularies', `${file}.yaml`), stringify(spec), 'utf8');
    },
    async removeVocabulary(file) {
      await rm(path.join(dir, 'vocabularies', `${file}.yaml`));
    },
    writeConfig,
    async backups() {
      const folder = path.join(dir, '.vocab/backups');
      if (!existsSync(folder)) return [];
      const names = (await readdir(folder)).filter((n) => n.endsWith('.json')).sort();
      return Promise.all(
        names.map(async (file) => ({ file, ...(JSON.parse(await readFile(path.join(folder, file), 'utf8')) as BackupFile) })),
      );
    },
  };
  await mkdir(path.join(dir, 'vocabularies'), { recursive: true });
  await writeConfig();
  for (const [file, spec] of Object.entries(options.vocabularies ?? {})) await repo.writeVocabulary(file, spec);
  return repo;
}

/** What a run of the command produced. */
export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Options of `vocab()`. */
export interface RunOptions {
  /** The key in VOCAB_TEST_KEY. */
  key?: string;
  /** More environment variables (other keys). */
  env?: Record<string, string>;
}

function childEnv(options: RunOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  // The developer's own settings must not leak into the runs (a test may set them in `env`).
  delete env.DASHSCOPE_HTTP_BASE_URL;
  delete env.DASHSCOPE_API_KEY;
  delete env.FORCE_COLOR;
  Object.assign(env, options.env);
  if (options.key !== undefined) env.VOCAB_TEST_KEY = options.key;
  return env;
}

/** Starts the built command in the repository (stdin a closed pipe: never a terminal). */
export function spawnVocab(repo: Repo, args: string[], options: RunOptions = {}): { child: ChildProcess; done: Promise<RunResult> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: repo.dir, env: childEnv(options), stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<RunResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done: done.then(async (result) => {
    await assertNoSecrets(repo, result);
    return result;
  }) };
}

/** Runs the built command to completion, then checks that no API key leaked anywhere. */
export async function vocab(repo: Repo, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return spawnVocab(repo, args, options).done;
}

/** Whether `script` (util-linux) is there to run the command on a pseudo-terminal. */
export function hasScriptCommand(): boolean {
  return ['/usr/bin/script', '/bin/script'].some((p) => existsSync(p));
}

/**
 * Runs the built command on a pseudo-terminal (through `script`), typing `input`: how the
 * confirmation prompt is exercised. Output comes back as one stream (stdout and stderr merged).
 */
export async function vocabOnTerminal(repo: Repo, args: string[], input: string, options: RunOptions = {}): Promise<RunResult> {
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, BIN, ...args].map(quote).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: repo.dir, env: childEnv(options), stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end(input);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const result = await new Promise<RunResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout: stdout.replace(/\r\n/g, '\n'), stderr }));
  });
  await assertNoSecrets(repo, result);
  return result;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** No key appears in the output, nor in any file of the repository (plans, backups, state). */
export async function assertNoSecrets(repo: Repo, result: RunResult): Promise<void> {
  for (const key of KEYS) {
    if (result.stdout.includes(key)) throw new Error(`an API key appeared on stdout:\n${result.stdout}`);
    if (result.stderr.includes(key)) throw new Error(`an API key appeared on stderr:\n${result.stderr}`);
  }
  for (const file of await filesUnder(repo.dir)) {
    const text = await readFile(file, 'utf8');
    for (const key of KEYS) {
      if (text.includes(key)) throw new Error(`an API key appeared in ${path.relative(repo.dir, file)}`);
    }
  }
}

/** Starts an emulator for the test (closed when it finishes); fast defaults: no UNDEPLOYED wait, no latency. */
export async function startEmulator(options: EmulatorServerOptions = {}): Promise<EmulatorServer> {
  const server = await startEmulatorServer({ port: 0, undeployedMs: 0, updateIntervalMs: 0, latencyMs: 0, ...options });
  onTestFinished(() => server.close());
  return server;
}

/**
 * Starts the BUILT `vocab emulator --port 0` as a process with `env`, stopped with SIGTERM when
 * the test ends; resolves to the base URL it prints on its first line.
 */
export async function startEmulatorCommand(env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(process.execPath, [BIN, 'emulator', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
  onTestFinished(async () => {
    child.kill('SIGTERM');
    await closed;
  });
  let out = '';
  child.stdout.setEncoding('utf8');
  return new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    void closed.then((code) => reject(new Error(`vocab emulator exited with ${String(code)} before printing its URL: ${out}`)));
  });
}

/** The lists of an account, as the emulator holds them (oldest first). */
export function listsOf(server: EmulatorServer, key: string): StoredVocabulary[] {
  return server.accountState(key)?.vocabularies ?? [];
}

/** An entry as a comparable string. */
export function entryKey(e: { text: string; weight?: number; lang?: string }): string {
  return `${e.text}|${e.lang ?? ''}|${e.weight ?? ''}`;
}

/** Sorted entry keys of a list. */
export function entryKeys(entries: readonly { text: string; weight?: number; lang?: string }[]): string[] {
  return entries.map(entryKey).sort();
}

/** The account's lists as `prefix/model` strings, sorted: handy to compare whole accounts. */
export function identities(server: EmulatorServer, key: string): string[] {
  return listsOf(server, key).map((v) => `${v.prefix}/${v.target_model}`).sort();
}

/** Actions the emulator was asked for, in order (optionally only writes). */
export function actionsSeen(server: EmulatorServer, only: 'writes' | 'all' = 'all'): string[] {
  const actions = server.requestLog.entries().map((e) => e.action ?? '(none)');
  return only === 'writes' ? actions.filter((a) => WRITE_ACTIONS.has(a)) : actions;
}

export const WRITE_ACTIONS = new Set(['create_vocabulary', 'update_vocabulary', 'delete_vocabulary']);

/** Direct calls to the emulator's HTTP endpoint, as another tool would make them. */
export function directApi(server: EmulatorServer, key: string) {
  const call = async (input: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const res = await fetch(`${server.url}/services/audio/asr/customization`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'speech-biasing', input }),
    });
    const body = (await res.json()) as { output?: Record<string, unknown>; message?: string };
    if (res.status !== 200) throw new Error(`${String(input.action)} answered ${res.status}: ${body.message ?? ''}`);
    return body.output ?? {};
  };
  return {
    async create(prefix: string, targetModel: string, entries: { text: string; weight?: number; lang?: string }[]): Promise<string> {
      const out = await call({ action: 'create_vocabulary', target_model: targetModel, prefix, vocabulary: entries });
      return String(out.vocabulary_id);
    },
    async update(id: string, entries: { text: string; weight?: number; lang?: string }[]): Promise<void> {
      await call({ action: 'update_vocabulary', vocabulary_id: id, vocabulary: entries });
    },
    async remove(id: string): Promise<void> {
      await call({ action: 'delete_vocabulary', vocabulary_id: id });
    },
  };
}

/** Entries as they would be sent for a fun-asr list (`zh`, weight 4 unless given). */
export function zh(texts: string[], weight = 4): { text: string; weight: number; lang: string }[] {
  return texts.map((text) => ({ text, weight, lang: 'zh' }));
}

/** Polls until `predicate` holds (or fails after `timeoutMs`, saying what it waited for). */
export async function waitFor(what: string, predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Asserts the exit code, showing the output when it is not the one expected. */
export function expectExit(result: RunResult, code: number): void {
  if (result.code !== code) {
    throw new Error(`expected exit ${code}, got ${String(result.code)}${result.signal ? ` (${result.signal})` : ''}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  }
}

/** Parses JSON output, failing with the text when it is not JSON. */
export function parseJson<T = Record<string, unknown>>(text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`expected JSON, got:\n${text}`);
  }
}

export type { EmulatorServer };
