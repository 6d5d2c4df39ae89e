/**
 * `vocab emulator` stops on SIGTERM / SIGINT whatever its clients do (a client that never
 * finishes its request, a request held by latency), and leaves no temporary state file behind,
 * removing those a killed emulator left.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { temporaryFilePrefix } from '../../src/util/atomic-write.js';
import { createList, listPage, makeTempDir, removeDir } from './helpers.js';

const bin = resolve(fileURLToPath(new URL('../../', import.meta.url)), 'dist/cli/bin.js');
/** A hang detector, not a speed check: the emulator's grace period is 2 s. */
const EXIT_DEADLINE_MS = 20_000;

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeDir(dir);
});

interface Running {
  child: ChildProcess;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
}

async function startChild(args: string[]): Promise<Running> {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run "npm run build" first (npm test does)`);
  const child = spawn(process.execPath, [bin, 'emulator', '--port', '0', ...args], {
    env: { ...process.env, DASHSCOPE_API_KEY: 'sk-test-0123456789abcdef', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('close', (code, signal) => done({ code, signal })));
  const url = await new Promise<string>((done, fail) => {
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      const newline = stdout.indexOf('\n');
      if (newline >= 0) done(stdout.slice(0, newline));
    });
    void exited.then(({ code }) => fail(new Error(`emulator exited early (${code}): ${stderr}`)));
  });
  return { child, url, exited, stderr: () => stderr };
}

/** Resolves with the exit, or with 'hung' (after killing it) when the emulator does not stop. */
async function exitOrHang(running: Running): Promise<{ code: number | null; signal: NodeJS.Signals | null } | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((done) => {
    timer = setTimeout(() => {
      running.child.kill('SIGKILL');
      done('hung');
    }, EXIT_DEADLINE_MS);
  });
  const result = await Promise.race([running.exited, hung]);
  clearTimeout(timer);
  return result;
}

/** A client that opens a connection, sends half a request and then nothing. */
function slowClient(url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((done, fail) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`POST /api/v1/services/audio/asr/customization HTTP/1.1\r\nHost: ${hostname}\r\nContent-Length: 1000\r\n\r\n{"mod`);
      done();
    });
    socket.on('error', () => undefined);
    socket.once('error', fail);
  });
}

async function temporaryFiles(stateFile: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.startsWith(temporaryFilePrefix(stateFile)));
}

describe('vocab emulator stops whatever its clients do', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s with a slow client and a request held by latency: exits 0, no temporary file left', async (signal) => {
    const stateFile = join(dir, 'state.json');
    const running = await startChild(['--state', stateFile, '--latency-ms', '60000', '--undeployed-ms', '0']);
    await slowClient(running.url);
    // A create held by the 60 s latency: in flight when the signal comes.
    const held = createList(running.url).catch(() => 'dropped');
    await new Promise((r) => setTimeout(r, 200));
    running.child.kill(signal);
    const exit = await exitOrHang(running);
    expect(exit).toStrictEqual({ code: 0, signal: null });
    expect(running.stderr()).toContain('closing every connection');
    expect(await held).toBe('dropped');
    expect(await temporaryFiles(stateFile)).toStrictEqual([]);
  });

  it('removes the temporary state files a killed emulator left, and keeps the state', async () => {
    const stateFile = join(dir, 'state.json');
    const first = await startChild(['--state', stateFile, '--undeployed-ms', '0']);
    await createList(first.url, 'kept');
    first.child.kill('SIGKILL');
    await first.exited;
    // What a write cut short by SIGKILL leaves: a temporary file named after a process now gone.
    const leftover = `${temporaryFilePrefix(stateFile)}${first.child.pid}.0123456789ab.tmp`;
    await writeFile(join(dir, leftover), '{"partial', 'utf8');
    const second = await startChild(['--state', stateFile, '--undeployed-ms', '0']);
    expect(await temporaryFiles(stateFile)).toStrictEqual([]);
    expect((await listPage(second.url)).map((r) => String(r.vocabulary_id).split('-')[1])).toStrictEqual(['kept']);
    second.child.kill('SIGTERM');
    expect(await exitOrHang(second)).toStrictEqual({ code: 0, signal: null });
    expect(await temporaryFiles(stateFile)).toStrictEqual([]);
  });
});
