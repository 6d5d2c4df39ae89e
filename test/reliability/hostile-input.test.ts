/**
 * Hostile input, as an attacker would write it (issue "Trust nothing from outside", families 1
 * and 5), in four generated families:
 *
 * - `hostile-files`: file-system shapes under the vocabularies glob and where the config, the
 *   state file or `--out` are expected (folders, FIFOs, devices, link loops, dangling links,
 *   unreadable folders, files that vanish, exploding globs), through the BUILT command;
 * - `prototype-names`: JavaScript prototype names in every map of the config and the vocabulary
 *   files and on the command line, through the library and a sample through the command;
 * - `invisible-text`: lone surrogates, invisible and control characters in entry texts,
 *   translations and config values, against valid look-alikes (emoji sequences, accents);
 * - `misplaced-keys`: ten shapes of API key given as flag values, arguments, commands, config
 *   values and names, and vocabulary values, through the command.
 *
 * Every trial has an expected verdict. Handled: the command (or library) gave it, with located
 * problems on exit 1, no stack trace, no hang, no key repeated. Failed: anything else. Each
 * family prints tried / handled / failed.
 */
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validate } from '../../src/index.js';
import { assertBuilt, BASE_SEED, bump, createRng, mapLimit, newFigures, reportFigures, runVocab, size, type Figures, type Rng, type RunResult } from './support.js';

/** Ownership is required: every config written here owns the prefixes its vocabulary files use. */
const owned = (text: string): string =>
  /^ownership:/m.test(text) ? text : `${text.endsWith('\n') ? text : `${text}\n`}ownership: { prefixes: [movies, films] }\n`;


const POSIX = process.platform !== 'win32';
const AS_ROOT = POSIX && process.getuid?.() === 0;
/** A hang detector, not a speed check. */
const HANG_MS = 30_000;
const CRASH_SIGNS = /^\s+at |TypeError|RangeError|ReferenceError|Maximum call stack|heap out of memory|\[object Object\]|is not a function/m;
const LOCATED = /^[^\s:][^:\n]*:\d+:\d+: \S/m;

beforeAll(() => assertBuilt());
const work = { dir: '' };
beforeAll(async () => {
  work.dir = await mkdtemp(path.join(tmpdir(), 'vocab-reliability-hostile-'));
  await chmod(work.dir, 0o755);
});
afterAll(async () => {
  await rm(work.dir, { recursive: true, force: true });
});

const MOVIES = 'prefix: movies\ntarget_model: fun-asr\ndefaults: { weight: 4, lang: zh }\nentries:\n  - abc\n  - 赛德克巴莱\n';
const CONFIG = 'vocabularies: [vocabularies/**/*.yaml]\ndefault_environment: local\nenvironments:\n  local: { endpoint: local }\n';

let repoCount = 0;
/** A fresh repository (with .git, so the config search stops there). */
async function newRepo(config = CONFIG, vocabulary = MOVIES): Promise<string> {
  const dir = path.join(work.dir, `r${repoCount++}`);
  await mkdir(path.join(dir, '.git'), { recursive: true });
  await mkdir(path.join(dir, 'vocabularies'));
  await chmod(dir, 0o755);
  await chmod(path.join(dir, 'vocabularies'), 0o755);
  if (config !== '') await writeFile(path.join(dir, 'vocab.config.yaml'), owned(config));
  await writeFile(path.join(dir, 'vocabularies', 'movies.yaml'), vocabulary);
  return dir;
}

/** One family's tally. */
interface Tally {
  figures: Figures;
  tried: Record<string, number>;
  handled: number;
  failures: string[];
}

function tally(suite: string, seed: number): Tally {
  return { figures: newFigures(suite, seed), tried: {}, handled: 0, failures: [] };
}

async function finish(t: Tally, started: number, extra: Record<string, number | string> = {}): Promise<void> {
  t.figures.trials = Object.values(t.tried).reduce((a, b) => a + b, 0);
  t.figures.wall_ms = performance.now() - started;
  t.figures.extra = {
    tried: t.figures.trials,
    handled: t.handled,
    failed: t.failures.length,
    'tried, by kind': Object.entries(t.tried).sort().map(([k, v]) => `${k} ${v}`).join(', '),
    ...extra,
  };
  await reportFigures(t.figures);
}

/** What a CLI run must look like: the exit code, a message on stderr, no crash, no hang. */
interface Expectation {
  code: 0 | 1 | 'either';
  /** A pattern stderr must match on exit 1 (default: a FILE:LINE:COL line or an `error:` line). */
  message?: RegExp;
}

function judge(run: RunResult, expected: Expectation, what: string): string | undefined {
  const out = `${run.stdout}\n${run.stderr}`;
  if (run.timedOut) return `hang: ${what}`;
  if (CRASH_SIGNS.test(out)) return `crash signs: ${what}: ${out.slice(0, 300)}`;
  if (run.code !== 0 && run.code !== 1) return `exit ${run.code}: ${what}: ${out.slice(0, 300)}`;
  if (expected.code !== 'either' && run.code !== expected.code) return `exit ${run.code}, expected ${expected.code}: ${what}: ${out.slice(0, 300)}`;
  if (run.code === 1) {
    const pattern = expected.message ?? /(^[^\s:][^:\n]*:\d+:\d+: \S|^error: \S|^vocab: \S)/m;
    if (!pattern.test(run.stderr)) return `unclear message: ${what}: ${run.stderr.slice(0, 300)}`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// hostile-files

type Shape = { kind: string; setup: (dir: string, rng: Rng) => Promise<{ args?: string[]; expected: Expectation; unprivileged?: boolean }> };

const mkfifo = (file: string): void => {
  execFileSync('mkfifo', [file]);
};

const SHAPES: Shape[] = [
  { kind: 'folder matching the glob', setup: async (dir, rng) => {
    await mkdir(path.join(dir, 'vocabularies', ...(rng.chance(0.5) ? ['sub'] : []), `f${rng.int(0, 99)}.yaml`), { recursive: true });
    return { expected: { code: 1, message: /but is a directory, expected a vocabulary file/ } };
  } },
  { kind: 'FIFO under the glob', setup: async (dir, rng) => {
    mkfifo(path.join(dir, 'vocabularies', `p${rng.int(0, 99)}.yaml`));
    return { expected: { code: 1, message: /is not a regular file \(a FIFO, socket or device\)/ } };
  } },
  { kind: 'symbolic link loop', setup: async (dir, rng) => {
    const a = path.join(dir, 'vocabularies', 'a.yaml');
    if (rng.chance(0.5)) await symlink('a.yaml', a);
    else {
      await symlink('b.yaml', a);
      await symlink('a.yaml', path.join(dir, 'vocabularies', 'b.yaml'));
    }
    return { expected: { code: 1, message: /is a symbolic link that loops/ } };
  } },
  { kind: 'folder link loop', setup: async (dir, rng) => {
    await mkdir(path.join(dir, 'vocabularies', 'sub'));
    await symlink(rng.pick(['..', '../..', '.']), path.join(dir, 'vocabularies', 'sub', 'up'));
    return { expected: { code: 'either' } };
  } },
  { kind: 'dangling link', setup: async (dir) => {
    await symlink('gone.yaml', path.join(dir, 'vocabularies', 'dangling.yaml'));
    return { expected: { code: 1, message: /dangling\.yaml:1:1: file not found/ } };
  } },
  { kind: 'unreadable folder', setup: async (dir) => {
    const locked = path.join(dir, 'vocabularies', 'locked');
    await mkdir(locked);
    await chmod(locked, 0o000);
    return { expected: { code: 1, message: /cannot read folder "vocabularies\/locked"/ }, unprivileged: true };
  } },
  { kind: 'exploding glob', setup: async (dir, rng) => {
    const pattern = rng.pick(['{a,b,c,d}'.repeat(rng.int(9, 14)), `${'**/'.repeat(rng.int(5, 40))}*.yaml`, `v/${'*a'.repeat(rng.int(4, 12))}*.yaml`, `v/${'{a,'.repeat(rng.int(4, 30))}b${'}'.repeat(30)}`, `${'x'.repeat(rng.int(1025, 5000))}/*.yaml`]);
    await writeFile(path.join(dir, 'vocab.config.yaml'), owned(`vocabularies: ${JSON.stringify([pattern])}\nenvironments:\n  local: { endpoint: local }\n`));
    return { expected: { code: 1, message: /is refused: / } };
  } },
  { kind: 'FIFO as the config', setup: async (dir, rng) => {
    await unlink(path.join(dir, 'vocab.config.yaml'));
    const name = rng.pick(['vocab.config.yaml', 'vocab.config.json', '.vocabrc', 'vocab.config.mjs', 'vocab.config.cjs', 'package.json']);
    mkfifo(path.join(dir, name));
    return { expected: { code: 1, message: /is not a regular file/ } };
  } },
  { kind: 'FIFO or device given with --config', setup: async (dir, rng) => {
    const fifo = path.join(dir, rng.pick(['c.yaml', 'c.mjs', 'c.cjs', 'c.json']));
    mkfifo(fifo);
    return { args: ['validate', '--config', rng.pick([fifo, '/dev/zero', '/dev/null', '/dev/tty'].filter((f) => f !== '/dev/tty' || rng.chance(0.3)))], expected: { code: 1, message: /is not a regular file|file not found/ } };
  } },
  { kind: 'FIFO or device as state file', setup: async (dir, rng) => {
    const stateFile = rng.chance(0.5) ? 'state.json' : rng.pick(['/dev/zero', '/dev/null', '/dev/urandom']);
    if (stateFile === 'state.json') mkfifo(path.join(dir, stateFile));
    await writeFile(path.join(dir, 'vocab.config.yaml'), owned(`vocabularies: [vocabularies/*.yaml]\nenvironments:\n  local: { endpoint: local, state_file: ${stateFile} }\n`));
    return { args: ['plan'], expected: { code: 1, message: /state_file is not a regular file/ } };
  } },
  { kind: '--out at a link, folder, device, FIFO or nothing', setup: async (dir, rng) => {
    const kind = rng.pick(['link', 'folder', 'device', 'fifo', 'empty', 'through a file']);
    let out = '';
    if (kind === 'link') {
      await writeFile(path.join(dir, 'target.json'), 'keep');
      await symlink('target.json', path.join(dir, 'link.json'));
      out = 'link.json';
    } else if (kind === 'folder') {
      await mkdir(path.join(dir, 'plans'));
      out = 'plans';
    } else if (kind === 'device') {
      // A device of our own where possible (a copy of /dev/null): a regression must not replace the real one.
      if (AS_ROOT) execFileSync('mknod', ['-m', '666', path.join(dir, 'null'), 'c', '1', '3']);
      else mkfifo(path.join(dir, 'null'));
      out = 'null';
    }
    else if (kind === 'fifo') {
      mkfifo(path.join(dir, 'p.json'));
      out = 'p.json';
    } else if (kind === 'through a file') {
      await writeFile(path.join(dir, 'file'), 'x');
      out = 'file/plan.json';
    }
    return { args: ['plan', '--out', out], expected: { code: 1, message: /^error: cannot save the plan: --out / } };
  } },
];

async function runShape(shape: Shape, rng: Rng, t: Tally, index: number): Promise<void> {
  const dir = await newRepo();
  const { args = ['validate'], expected, unprivileged = false } = await shape.setup(dir, rng);
  // Unprivileged runs get the repository as HOME, as a user without access to root's home would.
  const run = await runVocab(args, { cwd: dir, timeoutMs: HANG_MS, unprivileged, ...(unprivileged ? { env: { HOME: dir } } : {}) });
  const failure = judge(run, expected, `${shape.kind} (trial ${index})`);
  bump(t.tried, shape.kind);
  if (failure) t.failures.push(failure);
  else t.handled++;
  await chmod(path.join(dir, 'vocabularies', 'locked'), 0o755).catch(() => undefined);
}

/** A file deleted while `vocab validate` runs: found and read (exit 0), or reported (exit 1), never a crash. */
async function runVanishing(rng: Rng, t: Tally, index: number): Promise<void> {
  const dir = await newRepo();
  const extra = path.join(dir, 'vocabularies', 'vanishing.yaml');
  // An owned prefix: a file read whole before it vanishes is valid (exit 0).
  await writeFile(extra, MOVIES.replace('movies', 'films'));
  const delay = rng.int(0, 400);
  const running = runVocab(['validate'], { cwd: dir, timeoutMs: HANG_MS });
  await new Promise((r) => setTimeout(r, delay));
  await unlink(extra);
  const failure = judge(await running, { code: 'either', message: /vanishing\.yaml:1:1: file not found/ }, `vanishing file after ${delay} ms (trial ${index})`);
  bump(t.tried, 'file that vanishes while read');
  if (failure) t.failures.push(failure);
  else t.handled++;
}

describe.runIf(POSIX)('hostile-files', () => {
  const TRIALS = size(SHAPES.length + 1, 150);
  const SEED = BASE_SEED ^ 0x51;
  it(`${TRIALS} file-system shapes through the built command: exit 1 with a clear message, no hang (seed ${SEED})`, async () => {
    const started = performance.now();
    const rng = createRng(SEED);
    const t = tally('hostile-files', SEED);
    // Every shape once, then seeded picks; one trial in 12 is a file that vanishes mid-run.
    const plan = Array.from({ length: TRIALS }, (_, i) => (i < SHAPES.length ? SHAPES[i]! : i === SHAPES.length || rng.chance(1 / 12) ? null : rng.pick(SHAPES)));
    const seeds = plan.map(() => rng.int(0, 2 ** 31));
    await mapLimit(plan, 4, async (shape, i) => {
      const trialRng = createRng(seeds[i]!);
      if (shape === null) await runVanishing(trialRng, t, i);
      else await runShape(shape, trialRng, t, i);
    });
    await finish(t, started);
    expect({ failed: t.failures.length, first: t.failures.slice(0, 10) }).toStrictEqual({ failed: 0, first: [] });
    expect(t.handled).toBe(TRIALS);
  }, 900_000);
});

// ---------------------------------------------------------------------------------------------
// prototype-names

const PROTOTYPE_NAMES = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__lookupSetter__', '__proto__'];

/** A config or vocabulary file with a prototype name in one map, and the verdict it must get. */
interface NameCase {
  kind: string;
  config: string;
  vocabulary: string;
  /** `validate --env NAME` when set. */
  env?: string;
  valid: boolean;
}

function nameCase(rng: Rng): NameCase {
  const name = rng.pick(PROTOTYPE_NAMES);
  const ordinary = name !== '__proto__' && !name.startsWith('__'); // names the environment rules allow
  const env = (extra = ''): string => `vocabularies: [vocabularies/*.yaml]\ndefault_environment: local\nenvironments:\n  local: { endpoint: local${extra} }\n`;
  const pick = rng.int(0, 8);
  switch (pick) {
    case 0:
      return { kind: 'environment name', config: `vocabularies: [vocabularies/*.yaml]\ndefault_environment: ${JSON.stringify(name)}\nenvironments:\n  ${JSON.stringify(name)}: { endpoint: local }\n`, vocabulary: MOVIES, env: name, valid: ordinary };
    case 1:
      return { kind: '--env of an undeclared name', config: env(), vocabulary: MOVIES, env: name, valid: false };
    case 2:
      return { kind: 'word_caps key', config: `${env()}quota: { word_caps: { ${JSON.stringify(name)}: 5 } }\n`, vocabulary: MOVIES, valid: false };
    case 3:
      return { kind: 'environment override word_caps key', config: env(`, quota: { word_caps: { ${JSON.stringify(name)}: 5 } }`), vocabulary: MOVIES, valid: false };
    case 4:
      return { kind: 'environment override key', config: env(`, ${JSON.stringify(name)}: 1`), vocabulary: MOVIES, valid: false };
    case 5:
      return { kind: 'top-level config key', config: `${env()}${JSON.stringify(name)}: { a: 1 }\n`, vocabulary: MOVIES, valid: false };
    case 6:
      return { kind: 'vocabulary file key', config: env(), vocabulary: `${MOVIES}${name}: x\n`, valid: false };
    case 7:
      return { kind: 'entry or defaults key', config: env(), vocabulary: MOVIES.replace(rng.chance(0.5) ? '- abc' : 'lang: zh', (m) => (m === '- abc' ? `- { text: abc, ${name}: x }` : `lang: zh, ${name}: 3`)), valid: false };
    default:
      return { kind: 'vocabulary environments item', config: env(), vocabulary: MOVIES.replace('entries:', `environments: [${name}]\nentries:`), valid: false };
  }
}

describe('prototype-names', () => {
  const TRIALS = size(40, 400);
  const CLI_SAMPLE = size(4, 40);
  const SEED = BASE_SEED ^ 0x52;
  it(`${TRIALS} prototype names in every map, ${CLI_SAMPLE} through the command: ordinary names or clear errors, no crash, no pollution (seed ${SEED})`, async () => {
    const started = performance.now();
    const rng = createRng(SEED);
    const t = tally('prototype-names', SEED);
    const cases = Array.from({ length: TRIALS }, () => nameCase(rng));
    const sample = new Set(rng.sample(cases.map((_, i) => i), CLI_SAMPLE));
    let cliRuns = 0;
    await mapLimit(cases, 4, async (c, i) => {
      const dir = await newRepo(c.config, c.vocabulary);
      bump(t.tried, c.kind);
      const failure = await checkNameCase(c, dir, sample.has(i) ? () => cliRuns++ : undefined);
      if (failure) t.failures.push(`${c.kind} (trial ${i}): ${failure}`);
      else t.handled++;
    });
    const polluted = Object.getOwnPropertyNames(Object.prototype).filter((n) => !BUILTIN_PROTOTYPE.has(n));
    if (polluted.length > 0) t.failures.push(`Object.prototype was polluted: ${polluted.join(', ')}`);
    await finish(t, started, { 'runs of the built command': cliRuns });
    expect({ failed: t.failures.length, first: t.failures.slice(0, 10) }).toStrictEqual({ failed: 0, first: [] });
  }, 900_000);
});

const BUILTIN_PROTOTYPE = new Set(Object.getOwnPropertyNames(Object.prototype));

/** The library's verdict must be the expected one; a sampled case also goes through the command. */
async function checkNameCase(c: NameCase, dir: string, viaCli?: () => void): Promise<string | undefined> {
  let errors: number;
  try {
    const problems = await validate({ cwd: dir, ...(c.env === undefined ? {} : { environment: c.env }) });
    errors = problems.filter((p) => p.severity !== 'warning').length;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!/^unknown environment /.test(message)) return `validate() threw: ${message}`;
    errors = 1;
  }
  if ((errors === 0) !== c.valid) return `the library found ${errors} errors, expected ${c.valid ? 'none' : 'some'}`;
  if (viaCli === undefined) return undefined;
  viaCli();
  const run = await runVocab(['validate', ...(c.env === undefined ? [] : ['--env', c.env])], { cwd: dir, timeoutMs: HANG_MS });
  return judge(run, { code: c.valid ? 0 : 1 }, 'vocab validate');
}

// ---------------------------------------------------------------------------------------------
// invisible-text

const INVISIBLE = ['\\u200b', '\\u200c', '\\u200d', '\\u2060', '\\ufeff', '\\u00ad', '\\u200e', '\\u200f', '\\u202e', '\\u2066', '\\u034f', '\\u180e', '\\u0301', '\\u0302', '\\u20dd', '\\u3000', '\\u00a0', '\\u2009'];
const CONTROLS = ['\\x01', '\\x07', '\\x1b', '\\x7f', '\\x85', '\\x9f', '\\u2028', '\\u2029', '\\t', '\\n', '\\r'];
const SURROGATES = ['\\ud800', '\\udbff', '\\udc00', '\\udfff', '\\ud83d'];
/** Valid texts that use the same characters: zero-width joiners in emoji, accents, a BOM-free Arabic ZWNJ. */
const LOOK_ALIKES = ['👨\\u200d👩\\u200d👧', 'e\\u0301', 'ab\\u200cc', '\\ud83d\\ude00', 'caf\\u00e9', '赛德克\\u00a0巴莱', 'x\\u20dd'];

interface TextCase {
  kind: string;
  config: string;
  vocabulary: string;
  valid: boolean;
}

function textCase(rng: Rng): TextCase {
  const several = (pool: readonly string[]): string => Array.from({ length: rng.int(1, 4) }, () => rng.pick(pool)).join('');
  const roll = rng.int(0, 4);
  let kind: string;
  let text: string;
  let valid = false;
  if (roll === 0) [kind, text] = ['lone surrogate', `${rng.chance(0.5) ? 'a' : ''}${rng.pick(SURROGATES)}${rng.chance(0.5) ? 'b' : ''}`];
  else if (roll === 1) [kind, text] = ['only invisible characters', several(INVISIBLE)];
  else if (roll === 2) [kind, text] = ['control character', `a${rng.pick(CONTROLS)}b`];
  else if (roll === 3) [kind, text, valid] = ['valid look-alike', rng.pick(LOOK_ALIKES), true];
  else [kind, text] = ['invisible around nothing', `${rng.pick(INVISIBLE)} ${rng.pick(INVISIBLE)}`];
  const where = rng.int(0, 2);
  const quoted = `"${text}"`;
  if (where === 0) return { kind: `${kind} (entry text)`, config: CONFIG, vocabulary: `${MOVIES}  - ${quoted}\n`, valid };
  if (where === 1) {
    const gummy = `prefix: films\ntarget_model: gummy-realtime-v1\ndefaults: { lang: zh, target_lang: en }\nentries:\n  - { text: 你好, translation: ${quoted} }\n`;
    return { kind: `${kind} (translation)`, config: CONFIG, vocabulary: gummy, valid };
  }
  // In the config, only controls and lone surrogates are refused (a workspace may be any text).
  const configValid = kind === 'valid look-alike' || kind.startsWith('only invisible') || kind.startsWith('invisible around');
  return { kind: `${kind} (config value)`, config: CONFIG.replace('endpoint: local', `endpoint: local, workspace: ${quoted}`), vocabulary: MOVIES, valid: configValid };
}

describe('invisible-text', () => {
  const TRIALS = size(60, 600);
  const CLI_SAMPLE = size(4, 40);
  const SEED = BASE_SEED ^ 0x53;
  it(`${TRIALS} surrogates, invisible and control characters (and valid look-alikes), ${CLI_SAMPLE} through the command (seed ${SEED})`, async () => {
    const started = performance.now();
    const rng = createRng(SEED);
    const t = tally('invisible-text', SEED);
    const cases = Array.from({ length: TRIALS }, () => textCase(rng));
    const sample = new Set(rng.sample(cases.map((_, i) => i), CLI_SAMPLE));
    let cliRuns = 0;
    let reachedService = 0;
    await mapLimit(cases, 4, async (c, i) => {
      const dir = await newRepo(c.config, c.vocabulary);
      bump(t.tried, c.kind);
      let failure: string | undefined;
      const problems = await validate({ cwd: dir }).catch((error: unknown) => error);
      if (!Array.isArray(problems)) failure = `validate() threw: ${String(problems)}`;
      else {
        const errors = problems.filter((p: { severity?: string }) => p.severity !== 'warning');
        if ((errors.length === 0) !== c.valid) failure = `the library found ${errors.length} errors, expected ${c.valid ? 'none' : 'some'}: ${JSON.stringify(errors.map((e: { message: string }) => e.message))}`;
      }
      if (failure === undefined && sample.has(i)) {
        cliRuns++;
        // plan against the embedded account: an invalid text must never reach it.
        const run = await runVocab(['plan'], { cwd: dir, timeoutMs: HANG_MS });
        failure = judge(run, { code: c.valid ? 0 : 1, ...(c.valid ? {} : { message: LOCATED }) }, 'vocab plan');
        if (!c.valid && run.stdout.includes('create')) reachedService++;
      }
      if (failure) t.failures.push(`${c.kind} (trial ${i}): ${failure}`);
      else t.handled++;
    });
    if (reachedService > 0) t.failures.push(`${reachedService} invalid texts were planned for the service`);
    await finish(t, started, { 'runs of the built vocab plan': cliRuns });
    expect({ failed: t.failures.length, first: t.failures.slice(0, 10) }).toStrictEqual({ failed: 0, first: [] });
  }, 900_000);
});

// ---------------------------------------------------------------------------------------------
// misplaced-keys

/** Ten shapes of secret: DashScope keys, bearer tokens, and other vendors' high-entropy keys. */
function keyShapes(rng: Rng): string[] {
  const hex = (n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[rng.int(0, 15)]).join('');
  const alnum = (n: number, chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'): string => Array.from({ length: n }, () => chars[rng.int(0, chars.length - 1)]).join('');
  return [
    `sk-${hex(32)}`,
    `sk-${alnum(48)}`,
    `sk-reliability-${hex(24)}`,
    `Bearer sk-${hex(32)}`,
    `sk-proj-${alnum(20)}_${alnum(20)}`,
    `AKIA${alnum(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
    `${alnum(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')}`,
    `ghp_${alnum(36)}`,
    `eyJ${alnum(30)}.eyJ${alnum(40)}.${alnum(43)}`,
    hex(40),
  ];
}

type Placement = { place: string; apply: (dir: string, key: string) => Promise<string[]> };

const configWith = (dir: string, text: string): Promise<void> => writeFile(path.join(dir, 'vocab.config.yaml'), owned(text));
const PLACEMENTS: Placement[] = [
  { place: '--env', apply: async (_, key) => ['validate', '--env', key] },
  { place: '--env (plan)', apply: async (_, key) => ['plan', '--env', key] },
  { place: '--config', apply: async (_, key) => ['validate', '--config', key] },
  { place: '--config=', apply: async (_, key) => ['plan', `--config=${key}`] },
  { place: '--out', apply: async (_, key) => ['plan', '--out', `${key}/plan.json`] },
  { place: '--format', apply: async (_, key) => ['plan', '--format', key] },
  { place: 'an argument', apply: async (_, key) => ['apply', key] },
  { place: 'a command', apply: async (_, key) => [key] },
  { place: 'an unknown flag', apply: async (_, key) => ['validate', `--${key}`] },
  { place: 'region', apply: async (dir, key) => (await configWith(dir, CONFIG.replace('endpoint: local', `region: ${JSON.stringify(key)}`)), ['validate']) },
  { place: 'endpoint', apply: async (dir, key) => (await configWith(dir, CONFIG.replace('endpoint: local', `endpoint: ${JSON.stringify(key)}`)), ['plan']) },
  { place: 'endpoint URL', apply: async (dir, key) => (await configWith(dir, CONFIG.replace('endpoint: local', `endpoint: ${JSON.stringify(`https://${key}@example.com/api`)}`)), ['validate']) },
  { place: 'state_file', apply: async (dir, key) => (await configWith(dir, CONFIG.replace('endpoint: local', `endpoint: local, state_file: ${JSON.stringify(key)}`)), ['validate']) },
  { place: 'api_key_env', apply: async (dir, key) => (await configWith(dir, CONFIG.replace('endpoint: local', `region: cn-beijing, api_key_env: ${JSON.stringify(key)}`)), ['plan']) },
  { place: 'workspace', apply: async (dir, key) => (await configWith(dir, CONFIG.replace('endpoint: local', `endpoint: local, workspace: ${JSON.stringify(key)}`)), ['validate']) },
  { place: 'vocabularies glob', apply: async (dir, key) => (await configWith(dir, CONFIG.replace('[vocabularies/**/*.yaml]', JSON.stringify([key]))), ['validate']) },
  { place: 'default_environment', apply: async (dir, key) => (await configWith(dir, CONFIG.replace('default_environment: local', `default_environment: ${JSON.stringify(key)}`)), ['validate']) },
  { place: 'environment name', apply: async (dir, key) => (await configWith(dir, `${CONFIG}  ${JSON.stringify(key)}: { endpoint: local }\n`), ['validate']) },
  { place: 'word_caps model', apply: async (dir, key) => (await configWith(dir, `${CONFIG}quota: { word_caps: { ${JSON.stringify(key)}: 5 } }\n`), ['validate']) },
  { place: 'vocabulary prefix', apply: async (dir, key) => (await writeFile(path.join(dir, 'vocabularies', 'movies.yaml'), MOVIES.replace('prefix: movies', `prefix: ${JSON.stringify(key)}`)), ['validate']) },
  { place: 'vocabulary target_model', apply: async (dir, key) => (await writeFile(path.join(dir, 'vocabularies', 'movies.yaml'), MOVIES.replace('fun-asr', JSON.stringify(key))), ['validate']) },
  { place: 'vocabulary environments', apply: async (dir, key) => (await writeFile(path.join(dir, 'vocabularies', 'movies.yaml'), MOVIES.replace('entries:', `environments: [${JSON.stringify(key)}]\nentries:`)), ['validate']) },
  { place: 'entry lang', apply: async (dir, key) => (await writeFile(path.join(dir, 'vocabularies', 'movies.yaml'), MOVIES.replace('lang: zh', `lang: ${JSON.stringify(key)}`)), ['validate']) },
  { place: 'entry text', apply: async (dir, key) => (await writeFile(path.join(dir, 'vocabularies', 'movies.yaml'), `${MOVIES}  - ${JSON.stringify(key)}\n`), ['validate']) },
];

describe('misplaced-keys', () => {
  const SEED = BASE_SEED ^ 0x54;
  const TRIALS = size(10, 240);
  it(`${TRIALS} keys (10 shapes) pasted as flag values, arguments, config and vocabulary values, through the command: never repeated (seed ${SEED})`, async () => {
    const started = performance.now();
    const rng = createRng(SEED);
    const t = tally('misplaced-keys', SEED);
    const shapes = keyShapes(rng);
    // Bounded: each shape once, at a seeded place; full: every shape at every place, then seeded picks.
    const trials = Array.from({ length: TRIALS }, (_, i) => ({
      key: shapes[i % shapes.length]!,
      shape: i % shapes.length,
      placement: TRIALS >= shapes.length * PLACEMENTS.length ? PLACEMENTS[Math.floor(i / shapes.length) % PLACEMENTS.length]! : rng.pick(PLACEMENTS),
    }));
    let leaks = 0;
    await mapLimit(trials, 4, async ({ key, shape, placement }, i) => {
      const dir = await newRepo();
      const args = await placement.apply(dir, key);
      const run = await runVocab(args, { cwd: dir, timeoutMs: HANG_MS });
      bump(t.tried, placement.place);
      const tail = key.replace(/^(Bearer )?(sk-(reliability-|proj-)?)?/, '').slice(-16);
      const out = `${run.stdout}\n${run.stderr}`;
      let failure = judge(run, { code: 'either' }, `key shape ${shape} as ${placement.place} (trial ${i})`);
      if (out.includes(key) || out.includes(tail)) {
        leaks++;
        failure = `key shape ${shape} as ${placement.place} (trial ${i}) was repeated: ${out.slice(0, 300)}`;
      }
      if (failure) t.failures.push(failure);
      else t.handled++;
    });
    t.figures.key_leaks = leaks;
    await finish(t, started, { 'key shapes': shapes.length, places: PLACEMENTS.length });
    expect({ failed: t.failures.length, first: t.failures.slice(0, 10) }).toStrictEqual({ failed: 0, first: [] });
  }, 900_000);
});
