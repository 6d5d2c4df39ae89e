/**
 * The README's ```sh blocks, run as written. Every block carries a marker on the line just
 * before its fence, an HTML comment that does not show when the README is rendered:
 *
 *   <!-- example: not run (REASON) -->            never run here, for the reason given
 *   <!-- example: PROJECT[; OPTION]... -->       run in a copy of examples/PROJECT
 *   <!-- example: empty folder[; OPTION]... -->  run in an empty folder
 *
 * A block is run with `sh -e` in that folder, with the built `vocab` command on PATH and a fresh
 * `vocab emulator` (the built command, on a free loopback port) behind DASHSCOPE_HTTP_BASE_URL,
 * DASHSCOPE_API_KEY and every `api_key_env` of the project's environments. Options:
 *
 *   before: SHELL          run first, in the same shell (sets the scene, e.g. fills the account;
 *                          its output goes to .before.log, shown if the block fails)
 *   terminal: TEXT         run on a pseudo-terminal (`script`), TEXT typed as the answer to a question
 *   emulator on port N     the block's N is the port of the test's emulator
 *   free port N            the block's N is replaced by a free port (the block starts its server)
 *   stop with SIGINT       the block runs until stopped: SIGINT once it printed a line, then exit 0
 *   needs curl             skipped, saying so, where curl is not installed
 *
 * A ```sh block without a marker fails the test, so no new example goes unrun silently. Blocks in
 * the `$ command` style run their `$ ` lines; the lines after them are the output shown. Every
 * block must exit 0; what the comments of the important ones claim is checked in CLAIMS. A hang
 * fails the test: a timeout kills the block's whole process group. Nothing is measured.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { parse } from 'yaml';
import { assertBuilt, expectExit, hasScriptCommand, parseJson, ROOT, startEmulatorCommand } from './harness.js';
import { runInGroup, vocabBinFolder, type GroupRun } from './shell.js';

beforeAll(assertBuilt);

/** Generous: every block takes a few seconds at most; only a hang reaches it. */
const HANG_TIMEOUT_MS = 60_000;
/** The key `vocab emulator` accepts when given none. */
const EMULATOR_KEY = 'sk-local-emulator';

/** One ```sh block of the README and its marker. */
interface Block {
  /** Line of the opening fence (1-based). */
  line: number;
  body: string;
  /** The marker's text after `example:`, or undefined when the block has none. */
  marker: string | undefined;
}

/** What a marker asks for. */
interface Marker {
  notRun?: string;
  project?: string;
  before?: string;
  terminal?: string;
  emulatorPort?: string;
  freePort?: string;
  stopWithSigint: boolean;
  needsCurl: boolean;
}

function readmeBlocks(): Block[] {
  const lines = readFileSync(path.join(ROOT, 'README.md'), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```sh') continue;
    const end = lines.indexOf('```', i + 1);
    const marker = /^<!-- example: (.+) -->$/.exec(lines[i - 1] ?? '')?.[1];
    blocks.push({ line: i + 1, body: lines.slice(i + 1, end).join('\n') + '\n', marker });
    i = end;
  }
  return blocks;
}

/** Options that take a value, after their name and a space or ": ". */
const VALUE_OPTIONS = {
  'before: ': 'before',
  'terminal: ': 'terminal',
  'emulator on port ': 'emulatorPort',
  'free port ': 'freePort',
} as const;

function parseOption(marker: Marker, option: string): void {
  const named = Object.entries(VALUE_OPTIONS).find(([prefix]) => option.startsWith(prefix) && option.length > prefix.length);
  if (named) marker[named[1]] = option.slice(named[0].length);
  else if (option === 'stop with SIGINT') marker.stopWithSigint = true;
  else if (option === 'needs curl') marker.needsCurl = true;
  else throw new Error(`unknown option of an example marker: "${option}"`);
}

/** Parses a marker's text (options separated by "; "). */
function parseMarker(text: string): Marker {
  const marker: Marker = { stopWithSigint: false, needsCurl: false };
  const notRun = /^not run \((.+)\)$/.exec(text);
  if (notRun) return { ...marker, notRun: notRun[1] };
  const [where = '', ...options] = text.split('; ');
  if (where !== 'empty folder') {
    if (!existsSync(path.join(ROOT, 'examples', where, 'vocab.config.yaml'))) throw new Error(`no example project examples/${where}`);
    marker.project = where;
  }
  for (const option of options) parseOption(marker, option);
  return marker;
}

/** The script a block runs: its `$ ` lines when it is in that style, else the whole block. */
function scriptOf(block: Block): string {
  const lines = block.body.split('\n');
  const prompted = lines.filter((l) => l.startsWith('$ '));
  return prompted.length > 0 ? prompted.map((l) => l.slice(2)).join('\n') + '\n' : block.body;
}

function hasCurl(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v curl'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function tempDir(stem: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), stem));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Environment of the built command and of the blocks: none of the developer's own settings. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of ['DASHSCOPE_HTTP_BASE_URL', 'DASHSCOPE_API_KEY', 'FORCE_COLOR', 'GITHUB_OUTPUT', 'VOCAB_EMULATOR_ADMIN_KEY']) delete env[name];
  return env;
}


/** The API key variables a project's environments name. */
function keyVariables(projectDir: string): string[] {
  const config = parse(readFileSync(path.join(projectDir, 'vocab.config.yaml'), 'utf8')) as { environments?: Record<string, { api_key_env?: string }> };
  return Object.values(config.environments ?? {}).flatMap((e) => (e.api_key_env ? [e.api_key_env] : []));
}

/** The result of a block's run, with the folder it ran in. */
interface BlockRun extends GroupRun {
  dir: string;
}

/** How the block's process is started and stopped. */
interface Launch {
  terminal?: string;
  stopWithSigint: boolean;
}

/** Ctrl-C as a terminal sends it to the running command: SIGINT to the shell's children, not the shell. */
function interruptChildren(shell: number): void {
  for (const pid of execFileSync('pgrep', ['-P', String(shell)], { encoding: 'utf8' }).split('\n').filter(Boolean)) {
    process.kill(Number(pid), 'SIGINT');
  }
}

/** Runs `sh -e block.sh` in `dir` (on a pseudo-terminal if asked); a hang kills the process group. */
async function runScript(dir: string, env: NodeJS.ProcessEnv, launch: Launch): Promise<BlockRun> {
  const [command, args] = launch.terminal === undefined ? ['sh', ['-e', 'block.sh']] : ['script', ['-qec', 'sh -e block.sh', '/dev/null']];
  let interrupted = false;
  const run = await runInGroup(command, args, {
    cwd: dir,
    env,
    ...(launch.terminal === undefined ? {} : { input: `${launch.terminal}\n` }),
    hangTimeoutMs: HANG_TIMEOUT_MS,
    onStdout: (pid, stdout) => {
      if (launch.stopWithSigint && !interrupted && stdout.includes('\n')) {
        interrupted = true;
        interruptChildren(pid);
      }
    },
  });
  return { ...run, stdout: run.stdout.replace(/\r\n/g, '\n'), dir };
}

/** Copies the project (or makes an empty folder), starts an emulator, and runs the block. */
async function runBlock(block: Block, marker: Marker): Promise<BlockRun> {
  const dir = await tempDir('vocab-readme-');
  if (marker.project) await cp(path.join(ROOT, 'examples', marker.project), dir, { recursive: true });
  const url = await startEmulatorCommand(cleanEnv());
  let script = scriptOf(block);
  if (marker.emulatorPort) script = script.replaceAll(marker.emulatorPort, new URL(url).port);
  if (marker.freePort) script = script.replaceAll(marker.freePort, String(await freePort()));
  // The scene is set in the same shell, so its exports hold for the block: a dot script (set -e
  // holds in it, and its failure stops the block), its output kept apart.
  if (marker.before) await writeFile(path.join(dir, '.before.sh'), `${marker.before}\n`);
  await writeFile(path.join(dir, 'block.sh'), marker.before ? `. ./.before.sh > .before.log 2>&1\n${script}` : script);
  const env: NodeJS.ProcessEnv = { ...cleanEnv(), PATH: `${await vocabBinFolder()}:${process.env.PATH ?? ''}`, DASHSCOPE_HTTP_BASE_URL: url, DASHSCOPE_API_KEY: EMULATOR_KEY };
  for (const name of marker.project ? keyVariables(dir) : []) env[name] = EMULATOR_KEY;
  const run = await runScript(dir, env, { terminal: marker.terminal, stopWithSigint: marker.stopWithSigint });
  expect(run.hung, `the block hung:\n${run.stdout}\n${run.stderr}`).toBe(false);
  if (run.code !== 0 && marker.before) run.stderr += `\n--- .before.log\n${await readFile(path.join(dir, '.before.log'), 'utf8').catch(() => '')}`;
  return run;
}

const readIn = (run: BlockRun, file: string): Promise<string> => readFile(path.join(run.dir, file), 'utf8');

/** The text after the last occurrence of `marker` (where the last command's output starts). */
function after(text: string, marker: string): string {
  const at = text.lastIndexOf(marker);
  expect(at, `"${marker}" in:\n${text}`).toBeGreaterThanOrEqual(0);
  return text.slice(at);
}

/** What the important blocks claim, keyed by their first line (up to its comment). */
const CLAIMS: Record<string, (run: BlockRun) => Promise<void>> = {
  'vocab plan --env prod --target movies': async (run) => {
    expect(run.stdout).toContain('limited by --target movies');
    // The saved plan applies movies only; the last line creates the other one.
    expect(run.stderr).toContain('--target movies leaves out "create directors (fun-asr-realtime)"; it is not applied');
    expect(run.stdout).toMatch(/applied {2}create movies \(fun-asr\)[^]*applied {2}create directors \(fun-asr-realtime\)/);
    expect(run.stdout.match(/applied {2}create movies/g)).toHaveLength(1);
  },
  'vocab plan --env prod --out plan.json': async (run) => {
    expect(JSON.parse(await readIn(run, 'plan.json'))).toMatchObject({ format_version: expect.any(Number) as number });
    const markdown = await readIn(run, 'plan.md');
    expect(markdown).toMatch(/^### vocab plan: prod\n/);
    expect(markdown).toContain('| | Vocabulary | Model | ID | Entries | Why |');
  },
  'vocab apply --env prod': async (run) => {
    expect(run.stdout).toContain("Only 'yes' will be accepted");
    expect(run.stdout).toContain('Apply complete: 2 applied, 0 failed, 0 skipped.');
    expect(after(run.stdout, 'vocab apply to environment prod')).toContain('Apply: nothing to do.');
  },
  'vocab export --env prod': async (run) => {
    expect(run.stdout).toContain('wrote vocabularies/movies.yaml');
    expect(run.stdout).toContain('wrote vocabularies/prod/movies.yaml');
    expect(after(run.stdout, 'vocab plan for environment prod')).toContain('No changes.');
  },
  'vocab outputs --env prod': async (run) => {
    const shown = run.stdout.slice(0, run.stdout.indexOf('\n}\n') + 3);
    const outputs = parseJson<Record<string, Record<string, unknown>>>(shown);
    expect(outputs.movies).toEqual({ vocabulary_id: expect.stringMatching(/^vocab-movies-[0-9a-f]{32}$/) as string, prefix: 'movies', target_model: 'fun-asr', status: 'OK' });
    expect(await readIn(run, '.env.vocab')).toMatch(/^VOCAB_MOVIES_ID=vocab-movies-[0-9a-f]{32}$/m);
    expect(await readIn(run, 'github-output.txt')).toMatch(/^movies_vocabulary_id=vocab-movies-[0-9a-f]{32}$/m);
  },
  'vocab emulator --port 8787 --state .vocab/emulator.json': async (run) => {
    expect(run.stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\n/);
    expect(run.stderr).toContain('export DASHSCOPE_HTTP_BASE_URL=http://127.0.0.1:');
  },
  '# a script (sh or bash) that needs a throwaway server on a free port': async (run) => {
    expect(await readIn(run, 'emulator.url')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\n/);
  },
  'curl -X POST http://127.0.0.1:8787/api/v1/services/audio/asr/customization \\': async (run) => {
    expect(run.stdout).toMatch(/^\{"output":\{"vocabulary_id":"vocab-testpfx-[0-9a-f]{32}"\},"usage":\{"count":1\},"request_id":"[0-9a-f-]{36}"\}$/);
  },
  'vocab conformance --env prod': async (run) => {
    expect(run.stdout).toMatch(/\d+ agree, 0 differ/);
    expect(JSON.parse(await readIn(run, 'conformance.json'))).toBeTypeOf('object');
  },
  'vocab emulator --port 8787 > emulator.out &': async (run) => {
    expect(run.stdout).not.toContain('"error":');
    expect(run.stdout.match(/"api_version":1/g)).toHaveLength(4);
  },
};

/** The key of a block in CLAIMS: its first line without its comment. */
function claimKey(block: Block): string {
  const first = scriptOf(block).split('\n')[0]!;
  return first.startsWith('#') ? first : first.replace(/\s+#.*$/, '').trimEnd();
}

const blocks = readmeBlocks();
const curl = hasCurl();

describe('README.md shell examples', () => {
  it('marks every ```sh block, with a valid marker', () => {
    expect(blocks.length).toBeGreaterThan(10);
    for (const block of blocks) {
      expect(block.marker, `README.md:${block.line}: a \`\`\`sh block with no <!-- example: ... --> marker on the line before`).toBeDefined();
      expect(() => parseMarker(block.marker!), `README.md:${block.line}`).not.toThrow();
    }
  });

  it('checks a claim of every block it names', () => {
    const keys = blocks.filter((b) => b.marker !== undefined && !b.marker.startsWith('not run')).map(claimKey);
    for (const key of Object.keys(CLAIMS)) expect(keys, `a CLAIMS key that names no run block: ${key}`).toContain(key);
  });

  for (const block of blocks) {
    // A block with no marker or a bad one fails the first test.
    let marker: Marker;
    try {
      marker = parseMarker(block.marker ?? '');
    } catch {
      continue;
    }
    const name = `README.md:${block.line}: ${claimKey(block)}`;
    if (marker.notRun !== undefined) {
      it.skip(`${name} (not run: ${marker.notRun})`, () => {});
      continue;
    }
    const skip = (marker.needsCurl && !curl) || (marker.terminal !== undefined && !hasScriptCommand());
    it.skipIf(skip)(`${name}${skip ? ' (skipped: curl or script is not installed)' : ''}`, { timeout: HANG_TIMEOUT_MS + 30_000 }, async () => {
      const run = await runBlock(block, marker);
      expectExit(run, 0);
      await CLAIMS[claimKey(block)]?.(run);
    });
  }
});
