/**
 * `vocab emulator exec -- COMMAND…` (the built command): the command runs against a throwaway
 * emulator, its exit code (or 128 + signal) comes back, state is imported and exported; and the
 * Python example drives the admin API with urllib.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, assertBuilt } from '../e2e/harness.js';
import { makeTempDir, removeDir } from './helpers.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function vocab(args: string[], cwd = ROOT, extraEnv: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...extraEnv };
    delete env.DASHSCOPE_HTTP_BASE_URL;
    delete env.DASHSCOPE_API_KEY;
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const PYTHON = spawnSync('python3', ['--version'], { encoding: 'utf8' });
const HAS_PYTHON = PYTHON.status === 0;
const PYTHON_NOTE = HAS_PYTHON ? '' : ' (SKIPPED: python3 is not installed on this machine)';

let dir = '';
beforeAll(() => assertBuilt());
afterEach(async () => {
  if (dir) await removeDir(dir);
  dir = '';
});

/** A Node script run as the command: creates a list, or prints the account's lists. */
const CREATE_SCRIPT = `
const res = await fetch(process.env.DASHSCOPE_HTTP_BASE_URL + '/services/audio/asr/customization', {
  method: 'POST',
  headers: { authorization: 'Bearer ' + process.env.DASHSCOPE_API_KEY, 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'speech-biasing', input: { action: process.argv[2] ?? 'list_vocabulary', target_model: 'fun-asr', prefix: 'kept', vocabulary: [{ text: 'Speech Lab', weight: 4 }] } }),
});
console.log(JSON.stringify({ status: res.status, body: await res.json(), url: process.env.DASHSCOPE_HTTP_BASE_URL, key: process.env.DASHSCOPE_API_KEY }));
`;

describe('vocab emulator exec', () => {
  it('runs the command with DASHSCOPE_HTTP_BASE_URL and DASHSCOPE_API_KEY set, then stops the emulator', async () => {
    dir = await makeTempDir();
    await writeFile(path.join(dir, 'call.mjs'), CREATE_SCRIPT);
    const run = await vocab(['emulator', 'exec', '--', process.execPath, 'call.mjs', 'list_vocabulary'], dir);
    expect(run.code, run.stderr).toBe(0);
    const seen = JSON.parse(run.stdout) as { status: number; url: string; key: string; body: { output: unknown } };
    expect(seen.status).toBe(200);
    expect(seen.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    expect(seen.key).toBe('sk-local-emulator');
    expect(seen.body.output).toEqual({ vocabulary_list: [] });
    // the emulator is gone once exec has returned
    await expect(fetch(`${seen.url}/services/audio/asr/customization`, { method: 'POST' })).rejects.toThrow();
  });

  it("exits with the command's exit code", async () => {
    const run = await vocab(['emulator', 'exec', '--', process.execPath, '-e', 'process.exit(7)']);
    expect(run.code).toBe(7);
  });

  it('exits 128 + n when a signal ended the command', async () => {
    const run = await vocab(['emulator', 'exec', '--', 'sh', '-c', 'kill -TERM $$']);
    expect(run.code).toBe(128 + 15);
  });

  it('answers 127 with a message when the command cannot be run, and a usage error without a command', async () => {
    const missing = await vocab(['emulator', 'exec', '--', 'no-such-command-for-vocab']);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain('cannot run no-such-command-for-vocab');
    const none = await vocab(['emulator', 'exec']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('needs a command after "--"');
  });

  it('exports the state on exit and imports it into the next run', async () => {
    dir = await makeTempDir();
    await writeFile(path.join(dir, 'call.mjs'), CREATE_SCRIPT);
    const first = await vocab(['emulator', 'exec', '--export-on-exit', 'state.json', '--', process.execPath, 'call.mjs', 'create_vocabulary'], dir);
    expect(first.code, first.stderr).toBe(0);
    const id = (JSON.parse(first.stdout) as { body: { output: { vocabulary_id: string } } }).body.output.vocabulary_id;
    expect(await readFile(path.join(dir, 'state.json'), 'utf8')).toContain(id);
    const second = await vocab(['emulator', 'exec', '--import', 'state.json', '--', process.execPath, 'call.mjs', 'list_vocabulary'], dir);
    expect(second.code, second.stderr).toBe(0);
    const lists = (JSON.parse(second.stdout) as { body: { output: { vocabulary_list: { vocabulary_id: string }[] } } }).body.output.vocabulary_list;
    expect(lists.map((v) => v.vocabulary_id)).toEqual([id]);
    // the imported file is read, never written
    expect(JSON.parse(await readFile(path.join(dir, 'state.json'), 'utf8'))).toMatchObject({ format_version: 1 });
  });

  it('hands the emulator flags on: --update-interval, --region; refuses a short --admin-key', async () => {
    dir = await makeTempDir();
    const script = `
const call = async (input) => (await fetch(process.env.DASHSCOPE_HTTP_BASE_URL + '/services/audio/asr/customization', {
  method: 'POST', headers: { authorization: 'Bearer ' + process.env.DASHSCOPE_API_KEY },
  body: JSON.stringify({ model: 'speech-biasing', input }) })).json();
const words = (n) => Array.from({ length: n }, (_, i) => ({ text: 'w' + i, weight: 4 }));
const made = await call({ action: 'create_vocabulary', target_model: 'fun-asr', prefix: 'f', vocabulary: words(501) });
const id = made.output?.vocabulary_id ?? (await call({ action: 'create_vocabulary', target_model: 'fun-asr', prefix: 'f', vocabulary: words(1) })).output.vocabulary_id;
const update = await call({ action: 'update_vocabulary', vocabulary_id: id, vocabulary: words(2) });
console.log(JSON.stringify({ big: made.code ?? 'OK', update: update.code ?? 'OK' }));
`;
    await writeFile(path.join(dir, 'flags.mjs'), script);
    const defaults = await vocab(['emulator', 'exec', '--', process.execPath, 'flags.mjs'], dir);
    expect(JSON.parse(defaults.stdout)).toEqual({ big: 'OK', update: 'InvalidParameter.UpdateInterval' });
    const tuned = await vocab(['emulator', 'exec', '--update-interval', '0', '--region', 'ap-southeast-1', '--', process.execPath, 'flags.mjs'], dir);
    expect(JSON.parse(tuned.stdout)).toEqual({ big: 'InvalidParameter', update: 'OK' });
    const short = await vocab(['emulator', 'exec', '--admin-key', 'short', '--', process.execPath, '-e', '0'], dir);
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('--admin-key (or VOCAB_EMULATOR_ADMIN_KEY) must be at least 8 characters');
    const fromEnv = await vocab(['emulator', 'exec', '--', process.execPath, '-e', '0'], dir, { VOCAB_EMULATOR_ADMIN_KEY: 'short' });
    expect(fromEnv.code).toBe(1);
  });

  it('refuses an import file that is not a state, with the reason, exit 1', async () => {
    dir = await makeTempDir();
    await writeFile(path.join(dir, 'bad.json'), '{"format_version": 7, "accounts": {}}');
    const run = await vocab(['emulator', 'exec', '--import', 'bad.json', '--', process.execPath, '-e', '0'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('bad.json');
    expect(run.stderr).toContain('format_version');
    expect(run.stderr).not.toContain('    at ');
  });
});

describe(`the Python example (examples/python/emulator_admin.py)${PYTHON_NOTE}`, () => {
  it.skipIf(!HAS_PYTHON)('drives faults, clock and reset through the admin API under vocab emulator exec, exit 0', async () => {
    const run = await vocab(['emulator', 'exec', '--', 'python3', 'examples/python/emulator_admin.py']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('ok: the next create fails with 500 InternalError');
    expect(run.stdout).toContain('ok: the update is accepted 5 minutes later');
    expect(run.stdout).toContain('ok: reset leaves the account empty');
  });

  it.skipIf(!HAS_PYTHON)("passes a failing Python command's exit code through", async () => {
    const run = await vocab(['emulator', 'exec', '--', 'python3', '-c', 'import sys; sys.exit(3)']);
    expect(run.code).toBe(3);
  });
});
