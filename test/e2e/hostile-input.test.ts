/**
 * The built `vocab` command on hostile input (issue "Trust nothing from outside", families 1
 * and 5): `--out` at a link, a device, a folder or nothing; FIFOs as the config or the state
 * file; an unreadable vocabulary folder; prototype names on the command line; an API key pasted
 * as a flag value. Every case exits 1 with a clear message, within the hang timeout, and no key
 * is repeated.
 */
import { execFileSync } from 'node:child_process';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from './harness.js';
import { runVocab, type RunResult } from '../reliability/support.js';

/** Ownership is required: every config written here owns the prefixes its vocabulary files use. */
const owned = (text: string): string =>
  /^ownership:/m.test(text) ? text : `${text.endsWith('\n') ? text : `${text}\n`}ownership: { prefixes: [movies, films] }\n`;


const POSIX = process.platform !== 'win32';
/** A hang detector, not a speed check. */
const HANG_MS = 20_000;
const KEY = 'sk-0123456789abcdef0123456789abcdef';

/** The built command, hang-safe, with the repository as HOME (the one runner: reliability/support.ts). */
function vocab(args: string[], cwd: string, options: { unprivileged?: boolean } = {}): Promise<RunResult> {
  return runVocab(args, { cwd, timeoutMs: HANG_MS, unprivileged: options.unprivileged ?? false, env: { HOME: cwd } });
}

const temporary: string[] = [];
async function repo(config = 'vocabularies: [vocabularies/*.yaml]\nenvironments:\n  local: { endpoint: local }\n'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vocab-e2e-hostile-'));
  temporary.push(dir);
  await chmod(dir, 0o755);
  await mkdir(path.join(dir, '.git'));
  await mkdir(path.join(dir, 'vocabularies'));
  await writeFile(path.join(dir, 'vocab.config.yaml'), owned(config));
  await writeFile(path.join(dir, 'vocabularies', 'movies.yaml'), 'prefix: movies\ntarget_model: fun-asr\ndefaults: { weight: 4, lang: zh }\nentries:\n  - abc\n');
  return dir;
}

beforeAll(() => assertBuilt());
afterAll(async () => {
  await Promise.all(temporary.map((d) => rm(d, { recursive: true, force: true })));
});

/** Exit 1, an `error:` line, no stack trace, no hang. */
function expectRefused(result: RunResult, message: RegExp): void {
  expect(result.timedOut).toBe(false);
  expect(result.code, result.stderr).toBe(1);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at |TypeError|RangeError/);
}

describe('vocab plan --out', () => {
  it('refuses a symbolic link and leaves the link and its target untouched', async () => {
    const dir = await repo();
    await writeFile(path.join(dir, 'target.json'), 'keep me');
    await symlink('target.json', path.join(dir, 'link.json'));
    const result = await vocab(['plan', '--out', 'link.json'], dir);
    expectRefused(result, /^error: cannot save the plan: --out "link\.json" is a symbolic link/);
    expect(result.stdout).toBe(''); // refused before the account was read
    expect(await readFile(path.join(dir, 'target.json'), 'utf8')).toBe('keep me');
    expect(await readlink(path.join(dir, 'link.json'))).toBe('target.json');
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toStrictEqual([]);
  });

  it('refuses a folder and an empty string', async () => {
    const dir = await repo();
    await mkdir(path.join(dir, 'plans'));
    expectRefused(await vocab(['plan', '--out', 'plans'], dir), /^error: cannot save the plan: --out "plans" is a directory; give a file name\n$/);
    expectRefused(await vocab(['plan', '--out', ''], dir), /^error: cannot save the plan: --out is empty; give a file name\n$/);
    expect((await lstat(path.join(dir, 'plans'))).isDirectory()).toBe(true);
    expect((await readdir(dir)).sort()).toStrictEqual(['.git', 'plans', 'vocab.config.yaml', 'vocabularies']);
  });

  it.runIf(POSIX)('refuses a device and a FIFO without writing or waiting', async () => {
    const dir = await repo();
    // A device of our own (a copy of /dev/null), so that a regression cannot replace the real one.
    if (process.getuid?.() === 0) {
      execFileSync('mknod', ['-m', '666', path.join(dir, 'null'), 'c', '1', '3']);
      expectRefused(await vocab(['plan', '--out', 'null'], dir), /--out "null" is not a regular file/);
      expect((await lstat(path.join(dir, 'null'))).isCharacterDevice()).toBe(true);
    }
    execFileSync('mkfifo', [path.join(dir, 'pipe.json')]);
    expectRefused(await vocab(['plan', '--out', 'pipe.json'], dir), /--out "pipe\.json" is not a regular file/);
  });

  it('writes a regular file and leaves no temporary file', async () => {
    const dir = await repo();
    const result = await vocab(['plan', '--out', 'plans/plan.json'], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(await readFile(path.join(dir, 'plans', 'plan.json'), 'utf8'))).toMatchObject({ format_version: 1, environment: 'local' });
    expect(await readdir(path.join(dir, 'plans'))).toStrictEqual(['plan.json']);
  });
});

describe.runIf(POSIX)('FIFOs as the config or the state file', () => {
  it('refuses a FIFO found as the config, and one given with --config, without hanging', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vocab-e2e-hostile-'));
    temporary.push(dir);
    await mkdir(path.join(dir, '.git'));
    execFileSync('mkfifo', [path.join(dir, 'vocab.config.yaml')]);
    expectRefused(await vocab(['validate'], dir), /^vocab\.config\.yaml:1:1: is not a regular file \(a FIFO, socket or device\), expected a config file$/m);
    execFileSync('mkfifo', [path.join(dir, 'other.mjs')]);
    expectRefused(await vocab(['validate', '--config', 'other.mjs'], dir), /^error: config file other\.mjs is not a regular file$/m);
  });

  it('refuses a FIFO as the embedded account state file in plan, without hanging', async () => {
    const dir = await repo('vocabularies: [vocabularies/*.yaml]\nenvironments:\n  local: { endpoint: local, state_file: state.json }\n');
    execFileSync('mkfifo', [path.join(dir, 'state.json')]);
    expectRefused(await vocab(['plan'], dir), /^vocab\.config\.yaml:3:41: state_file is not a regular file/m);
  });
});

describe.runIf(POSIX)('a saved plan that is not a regular file', () => {
  it('is refused without waiting on a FIFO', async () => {
    const dir = await repo();
    execFileSync('mkfifo', [path.join(dir, 'plan.json')]);
    expectRefused(await vocab(['apply', 'plan.json'], dir), /^error: the plan file .*plan\.json is not a regular file \(a FIFO, socket or device\)$/m);
  });
});

describe('an unreadable vocabulary folder', () => {
  it.runIf(POSIX)('is an error (exit 1), not a warning', async () => {
    const dir = await repo('vocabularies: [vocabularies/**/*.yaml]\nenvironments:\n  local: { endpoint: local }\n');
    await chmod(path.join(dir, 'vocabularies'), 0o755);
    await mkdir(path.join(dir, 'vocabularies', 'locked'));
    await chmod(path.join(dir, 'vocabularies', 'locked'), 0o000);
    try {
      const result = await vocab(['validate'], dir, { unprivileged: true });
      expectRefused(result, /^vocab\.config\.yaml:1:16: cannot read folder "vocabularies\/locked" while expanding "vocabularies\/\*\*\/\*\.yaml" \(permission denied\)$/m);
    } finally {
      await chmod(path.join(dir, 'vocabularies', 'locked'), 0o755);
    }
  });
});

describe('prototype names on the command line', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('%s is an unknown environment and an unknown command', async (name) => {
    const dir = await repo();
    expectRefused(await vocab(['validate', '--env', name], dir), new RegExp(`^error: unknown environment "${name}"; environments: local\\n$`));
    expectRefused(await vocab(['plan', '--env', name], dir), new RegExp(`^error: unknown environment "${name}"; environments: local\\n$`));
    const command = await vocab([name], dir);
    expect(command.code).toBe(1);
    expect(command.stderr).toBe(`error: unknown command "${name}"; run "vocab --help" for the list\n`);
  });
});

describe('an API key pasted as a flag value', () => {
  const cases: [string, string[], RegExp][] = [
    ['--env', ['validate', '--env', KEY], /^error: the value of --env looks like an API key or token \(not shown\), not an environment name/],
    ['--config', ['plan', '--config', KEY], /^error: the value of --config looks like an API key or token \(not shown\), not a config file path/],
    ['--out', ['plan', '--out', `${KEY}.json`], /^error: the value of --out looks like an API key or token \(not shown\)/],
    ['--format', ['validate', '--format', `Bearer ${KEY}`], /^error: the value of --format looks like an API key or token \(not shown\)/],
    ['an argument', ['apply', KEY], /^error: an argument of "vocab apply" looks like an API key or token \(not shown\)/],
    ['an unknown flag', ['validate', `--${KEY}`], /^error: unknown option \(a value that looks like a secret such as an API key; not shown\)/],
    ['a command', [KEY], /^error: unknown command \(a value that looks like a secret such as an API key; not shown\)/],
  ];
  it.each(cases)('%s: refused without repeating the key', async (_, args, message) => {
    const dir = await repo();
    const result = await vocab(args, dir);
    expectRefused(result, message);
    expect(`${result.stdout}${result.stderr}`).not.toContain('0123456789abcdef');
    expect(await readdir(dir)).not.toContain(`${KEY}.json`);
  });

  it.each([
    ['a saved plan path', ['apply', 'ghp_1234567890abcdefghijABCDEFGHIJ123456'], /^error: cannot read the plan file \(a value that looks like a secret such as an API key; not shown\): file not found$/m],
    ['--env', ['validate', '--env', 'AKIAIOSFODNN7EXAMPLE'], /^error: unknown environment \(a value that looks like a secret such as an API key; not shown\)/m],
  ])('a high-entropy key as %s: not refused as a flag, but never repeated', async (_, args, message) => {
    const dir = await repo();
    const result = await vocab(args, dir);
    expectRefused(result, message);
    expect(`${result.stdout}${result.stderr}`).not.toContain(args[args.length - 1]!.slice(4, 20));
  });

  it('as api_key_env: an error that does not repeat it', async () => {
    const dir = await repo('vocabularies: [vocabularies/*.yaml]\nenvironments:\n  prod: { region: cn-beijing, api_key_env: AKIAIOSFODNN7EXAMPLE }\n');
    const result = await vocab(['plan'], dir);
    expectRefused(result, /^vocab\.config\.yaml:3:44: api_key_env looks like a secret such as an API key \(not shown\)/m);
    expect(`${result.stdout}${result.stderr}`).not.toContain('IOSFODNN7');
  });

  it('in the config (region, endpoint, state_file, vocabularies, an environment name): never repeated', async () => {
    const config = [
      `vocabularies: [vocabularies/*.yaml, "${KEY}/*.yaml"]`,
      'default_environment: a',
      'environments:',
      `  a: { region: ${KEY} }`,
      `  b: { endpoint: "${KEY}" }`,
      `  c: { endpoint: local, state_file: ${KEY} }`,
      `  ${KEY}: { endpoint: local }`,
      '',
    ].join('\n');
    const dir = await repo(config);
    const result = await vocab(['validate'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/looks like a DashScope API key/);
    expect(`${result.stdout}${result.stderr}`).not.toContain('0123456789abcdef');
  });
});
