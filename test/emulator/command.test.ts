import { main } from '../../src/cli/main.js';
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emulatorCommand } from '../../src/cli/commands/emulator.js';
import type { CliContext } from '../../src/cli/context.js';
import { UsageError } from '../../src/cli/errors.js';
import { chooseEmulatorApiKeys, serveEmulatorUntilSignalled } from '../../src/emulator/serve.js';
import { isLoopbackHost } from '../../src/util/loopback.js';
import { fingerprintApiKey } from '../../src/emulator/state.js';
import { callAction, createList, listPage, makeTempDir, removeDir } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeDir(dir);
});

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

function fakeContext(env: NodeJS.ProcessEnv = {}): { ctx: CliContext; stdout: () => string; stderr: () => string } {
  const out = collect();
  const err = collect();
  return { ctx: { stdout: out.stream, stderr: err.stream, stdin: new PassThrough(), env, cwd: dir }, stdout: out.text, stderr: err.text };
}

async function waitFor(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setImmediate(r));
}

describe('vocab emulator (in process)', () => {
  it('prints help with examples', async () => {
    const { ctx, stdout } = fakeContext();
    expect(await main(['emulator', '--help'], ctx)).toBe(0);
    expect(stdout()).toContain('Examples:');
    expect(stdout()).toContain('--fault-seed');
    expect(stdout()).toContain('DASHSCOPE_HTTP_BASE_URL');
  });

  it('refuses bad flag values with a usage error', async () => {
    for (const args of [['--port', 'x'], ['--port', '70000'], ['--fault-rate', '2'], ['--fault-kinds', 'boom'], ['--rpm', '-1'], ['--region', 'mars'], ['--prot', '1']]) {
      const { ctx } = fakeContext();
      await expect(emulatorCommand.run(args, ctx)).rejects.toBeInstanceOf(UsageError);
    }
  });

  it('serves until a signal, prints the URL line first, then shuts down with 0', async () => {
    const signals = new EventEmitter();
    const out = collect();
    const err = collect();
    const stateFile = join(dir, 'state.json');
    const running = serveEmulatorUntilSignalled(
      { port: 0, stateFile, apiKeys: ['sk-cmd'], apiKeySource: 'flag', undeployedMs: 0 },
      { stdout: out.stream, stderr: err.stream, signals },
    );
    await waitFor(() => out.text().includes('\n'));
    const url = out.text().trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    expect(err.text()).toContain(`export DASHSCOPE_HTTP_BASE_URL=${url}`);
    expect(err.text()).toContain(`admin API: ${url.replace('/api/v1', '/_vocab')}/ (inspector page: ${url.replace('/api/v1', '/_vocab')}/ui)`);
    expect(err.text()).not.toContain('sk-cmd');
    await createList(url, 'cmd', undefined, 'fun-asr', 'sk-cmd');
    signals.emit('SIGTERM');
    expect(await running).toBe(0);
    expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
    expect(await readFile(stateFile, 'utf8')).toContain('vocab-cmd-');
    await expect(fetch(url)).rejects.toThrow();
  });

  it('warns when binding beyond loopback', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
    expect(isLoopbackHost('192.168.1.5')).toBe(false);
  });

  it('takes keys from the flags, else DASHSCOPE_API_KEY, else the public default', () => {
    expect(chooseEmulatorApiKeys(['a', 'b'], 'env')).toEqual({ keys: ['a', 'b'], source: 'flag' });
    expect(chooseEmulatorApiKeys([], 'env')).toEqual({ keys: ['env'], source: 'environment' });
    expect(chooseEmulatorApiKeys([], undefined)).toEqual({ keys: ['sk-local-emulator'], source: 'default' });
  });
});

describe('vocab emulator (child process)', () => {
  const bin = resolve('dist/cli/bin.js');

  it('starts on a random port, answers, and on SIGTERM finishes, flushes state and exits 0', async () => {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run "npm run build" first (npm test does)`);
    const stateFile = join(dir, 'emulator-state.json');
    const child = spawn(process.execPath, [bin, 'emulator', '--port', '0', '--state', stateFile, '--undeployed-ms', '0'], {
      env: { ...process.env, DASHSCOPE_API_KEY: 'sk-from-env', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    const url = await new Promise<string>((done, fail) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        const newline = stdout.indexOf('\n');
        if (newline >= 0) done(stdout.slice(0, newline));
      });
      void exited.then((code) => fail(new Error(`emulator exited early (${code}): ${stderr}`)));
    });
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
      const id = await createList(url, 'child', undefined, 'fun-asr', 'sk-from-env');
      expect((await listPage(url, {}, 'sk-from-env')).map((r) => r.vocabulary_id)).toEqual([id]);
      expect((await callAction(url, { action: 'list_vocabulary' }, 'sk-local-emulator')).status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toContain(`export DASHSCOPE_HTTP_BASE_URL=${url}`);
    expect(stderr).not.toContain('sk-from-env');
    expect(stdout.trim()).toBe(url);
    const saved = await readFile(stateFile, 'utf8');
    expect(saved).toContain('vocab-child-');
    expect(saved).not.toContain('sk-from-env');
    expect(saved).toContain(fingerprintApiKey('sk-from-env'));
  });
});
