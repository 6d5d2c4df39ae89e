/**
 * Shared pieces of the reliability suites: run sizes (bounded by default, full with
 * VOCAB_RELIABILITY=full), a seeded PRNG, the figures each suite reports (a table on stdout and,
 * in full mode, bench/reliability.json), a scanner for leaked API keys, and a runner for the
 * BUILT `vocab` command.
 */
import { createSeededRandom } from '../../src/emulator/faults.js';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = path.join(ROOT, 'dist/cli/bin.js');
export const FIGURES_FILE = path.join(ROOT, 'bench/reliability.json');

/** `full` runs the sizes of `npm run test:reliability`; anything else the bounded sizes of `npm test`. */
export const FULL = process.env.VOCAB_RELIABILITY === 'full';

/** Picks the bounded or the full size. */
export function size(bounded: number, full: number): number {
  return FULL ? full : bounded;
}

/** Base seed of every suite; override with VOCAB_RELIABILITY_SEED to explore other runs. */
export const BASE_SEED = Number(process.env.VOCAB_RELIABILITY_SEED ?? 20_261_121) >>> 0;

/** Fails loudly when the command has not been built (`npm test` builds before vitest runs). */
export function assertBuilt(): void {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "npm run build" first`);
}

// ---------------------------------------------------------------------------------------------
// Seeded randomness

/** A seeded PRNG (mulberry32) with the helpers the generators need. */
export interface Rng {
  /** In [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  /** A few distinct items, in random order. */
  sample<T>(items: readonly T[], count: number): T[];
}

/** A PRNG for `seed`; the same seed always gives the same sequence. */
export function createRng(seed: number): Rng {
  const next = createSeededRandom(seed);
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
    sample(items, count) {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = int(0, i);
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy.slice(0, count);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Figures

/** What every suite reports. */
export interface Figures {
  suite: string;
  mode: 'bounded' | 'full';
  seed: number;
  trials: number;
  faults: Record<string, number>;
  retries: number;
  adoptions: number;
  duplicates: number;
  entries_lost: number;
  key_leaks: number;
  wall_ms: number;
  /** Suite-specific counts. */
  extra: Record<string, number | string>;
}

/** An empty set of figures for a suite. */
export function newFigures(suite: string, seed: number): Figures {
  return {
    suite,
    mode: FULL ? 'full' : 'bounded',
    seed,
    trials: 0,
    faults: {},
    retries: 0,
    adoptions: 0,
    duplicates: 0,
    entries_lost: 0,
    key_leaks: 0,
    wall_ms: 0,
    extra: {},
  };
}

/** Adds `n` to a counter of a record. */
export function bump(record: Record<string, number>, key: string, n = 1): void {
  record[key] = (record[key] ?? 0) + n;
}

function faultText(faults: Record<string, number>): string {
  const parts = Object.entries(faults)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${v}`);
  return parts.length ? parts.join(', ') : '-';
}

/** A two-column table of one suite's figures. */
export function renderFigures(f: Figures): string {
  const total = Object.values(f.faults).reduce((a, b) => a + b, 0);
  const rows: [string, string][] = [
    ['mode / seed', `${f.mode} / ${f.seed}`],
    ['trials', String(f.trials)],
    ['faults injected', `${total}${total ? ` (${faultText(f.faults)})` : ''}`],
    ['retries', String(f.retries)],
    ['adoptions', String(f.adoptions)],
    ['duplicates found', String(f.duplicates)],
    ['entries lost', String(f.entries_lost)],
    ['key leaks', String(f.key_leaks)],
    ...Object.entries(f.extra).map(([k, v]): [string, string] => [k, String(v)]),
    ['wall time', `${(f.wall_ms / 1000).toFixed(1)} s`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const line = `+${'-'.repeat(width + 2)}+${'-'.repeat(Math.max(...rows.map(([, v]) => v.length)) + 2)}+`;
  const body = rows.map(([k, v]) => `| ${k.padEnd(width)} | ${v.padEnd(line.length - width - 7)} |`);
  return [`reliability: ${f.suite}`, line, ...body, line].join('\n');
}

/**
 * Prints a suite's figures and, in full mode, merges them into bench/reliability.json
 * (suites run in parallel workers, so the merge takes a small directory lock).
 */
export async function reportFigures(f: Figures): Promise<void> {
  console.log(`\n${renderFigures(f)}\n`);
  if (!FULL) return;
  const lock = `${FIGURES_FILE}.lock`;
  await mkdir(path.dirname(FIGURES_FILE), { recursive: true });
  for (let i = 0; ; i++) {
    try {
      await mkdir(lock);
      break;
    } catch {
      if (i > 500) throw new Error(`could not take ${lock}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  try {
    let doc: { format_version: 1; suites: Record<string, Figures> } = { format_version: 1, suites: {} };
    if (existsSync(FIGURES_FILE)) {
      try {
        doc = JSON.parse(await readFile(FIGURES_FILE, 'utf8')) as typeof doc;
      } catch {
        // A damaged file is rewritten.
      }
    }
    doc.suites[f.suite] = { ...f, ...{ recorded_at: new Date().toISOString(), node: process.version } };
    await writeFile(FIGURES_FILE, `${JSON.stringify(doc, null, 2)}\n`, 'utf8');
  } finally {
    await rmdir(lock);
  }
}

// ---------------------------------------------------------------------------------------------
// Key leaks

/** A distinctive API key: `sk-reliability-` and 24 random hex digits. */
export function newReliabilityKey(): string {
  return `sk-reliability-${randomBytes(12).toString('hex')}`;
}

/** Looks for keys (and their random tails, in case of half-done redaction) in texts, errors and files. */
export class LeakScanner {
  readonly leaks: string[] = [];
  /** Texts and files scanned. */
  scanned = 0;
  private readonly needles: string[] = [];

  constructor(keys: readonly string[] = []) {
    for (const key of keys) this.addKey(key);
  }

  addKey(key: string): void {
    this.needles.push(key);
    // The random part alone: catches `sk-***`-style partial redaction that keeps the tail.
    const tail = key.slice(key.lastIndexOf('-') + 1);
    if (tail.length >= 16 && tail !== key) this.needles.push(tail);
  }

  /** Scans one text; `where` says what it was (for the failure message). */
  text(where: string, text: string | Buffer | undefined | null): void {
    if (text === undefined || text === null) return;
    this.scanned++;
    const s = typeof text === 'string' ? text : text.toString('latin1');
    for (const needle of this.needles) {
      if (s.includes(needle)) this.leaks.push(`${where}: contains ${needle === this.needles[0] ? 'the key' : 'part of a key'}`);
    }
  }

  /** Scans any value: JSON, inspect (hidden fields, causes, stacks) and the cause chain by hand. */
  value(where: string, value: unknown): void {
    try {
      this.text(`${where} (json)`, JSON.stringify(value));
    } catch {
      // cyclic: inspect covers it
    }
    this.text(`${where} (inspect)`, inspect(value, { depth: 8, showHidden: true, getters: false }));
    let current: unknown = value;
    for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
      this.text(`${where} (message, depth ${depth})`, current.message);
      this.text(`${where} (stack, depth ${depth})`, current.stack ?? '');
      current = current.cause;
    }
  }

  /** Scans every file under `dir`, recursively (binary-safe). */
  async tree(dir: string): Promise<number> {
    let files = 0;
    if (!existsSync(dir)) return 0;
    for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
      if (!entry.isFile()) continue;
      const file = path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
      this.text(`file ${path.relative(dir, file)}`, await readFile(file));
      files++;
    }
    return files;
  }
}

// ---------------------------------------------------------------------------------------------
// The built command

/** What a run of the command produced. */
export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Options of `runVocab`. */
export interface RunOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** A hang detector, not a speed check: the run is killed and reported as timed out. */
  timeoutMs?: number;
  /** Called with the child once it started (to kill it at a chosen moment). */
  onSpawn?: (kill: () => void) => void;
  /** Called once the child started, with a function that sends it a signal (SIGINT, SIGTERM…). */
  onSignal?: (send: (signal: NodeJS.Signals) => void) => void;
  /** Without the capabilities that bypass file permissions (`withoutReadOverride`): "permission denied" even as root. */
  unprivileged?: boolean;
}

/** The environment a child gets: PATH and friends, never a DashScope variable of the caller. */
export function childEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^DASHSCOPE_|^VOCAB_/.test(k)) continue;
    env[k] = v;
  }
  env.NO_COLOR = '1';
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

/**
 * Runs `node dist/cli/bin.js ARGS` and collects its output; hang-safe: a run that outlives
 * `timeoutMs` is killed and reported as `timedOut`. The one runner of the built command in the
 * reliability and hostile-input tests.
 */
export function runVocab(args: string[], options: RunOptions): Promise<RunResult> {
  const command = options.unprivileged ? withoutReadOverride([BIN, ...args]) : { file: process.execPath, args: [BIN, ...args] };
  return new Promise((resolve, reject) => {
    const child = spawn(command.file, command.args, { cwd: options.cwd, env: childEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 60_000);
    options.onSpawn?.(() => child.kill('SIGKILL'));
    options.onSignal?.((signal) => child.kill(signal));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** Runs `fn` over `items` with at most `limit` at a time, results in order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(workers);
  return out;
}

/** Removes a folder (temporary repositories). */
export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/**
 * The command line that runs node with `args` so that it meets "permission denied": as root
 * every folder is readable, so the command then runs without the two capabilities that bypass
 * file permissions (setpriv drops them from the bounding set). It stays root, so the checkout
 * and its dependencies stay readable wherever they are.
 */
export function withoutReadOverride(args: string[]): { file: string; args: string[] } {
  const asRoot = process.platform !== 'win32' && process.getuid?.() === 0;
  if (!asRoot) return { file: process.execPath, args };
  return { file: 'setpriv', args: ['--bounding-set', '-dac_override,-dac_read_search', '--', process.execPath, ...args] };
}
