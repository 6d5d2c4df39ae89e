import { PassThrough } from 'node:stream';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';
import { wantsColor } from '../../src/cli/terminal.js';

function fakeContext(env: NodeJS.ProcessEnv = {}): { ctx: CliContext; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const ctx: CliContext = { stdout, stderr, stdin: new PassThrough(), env, cwd: process.cwd() };
  return { ctx, out: () => out, err: () => err };
}

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('vocab (the command line)', () => {
  it('prints the version', async () => {
    const { ctx, out } = fakeContext();
    expect(await main(['--version'], ctx)).toBe(0);
    expect(out()).toBe(`${version}\n`);
  });

  it('lists every command with examples in --help', async () => {
    const { ctx, out } = fakeContext();
    expect(await main(['--help'], ctx)).toBe(0);
    for (const command of ['validate', 'plan', 'apply', 'show', 'drift', 'export', 'outputs', 'emulator', 'conformance']) expect(out()).toContain(`  ${command}`);
    expect(out()).toContain('Examples:');
  });

  it.each(['validate', 'plan', 'apply', 'show', 'drift', 'export', 'outputs', 'emulator', 'conformance'])('vocab %s --help shows usage and examples', async (command) => {
    const { ctx, out } = fakeContext();
    expect(await main([command, '--help'], ctx)).toBe(0);
    expect(out()).toContain(`vocab ${command}`);
    expect(out()).toContain('Examples:');
    expect(out()).toContain('Every command also takes: --config PATH, --env NAME, --no-color');
  });

  it('answers an unknown command with the closest one', async () => {
    const { ctx, err } = fakeContext();
    expect(await main(['aply'], ctx)).toBe(1);
    expect(err()).toContain('unknown command "aply" (did you mean "apply"?)');
  });

  it('answers an unknown flag with the closest one, without a stack trace', async () => {
    const { ctx, err } = fakeContext();
    expect(await main(['plan', '--detailed-exit-code'], ctx)).toBe(1);
    expect(err()).toContain('unknown option --detailed-exit-code for "vocab plan" (did you mean --detailed-exitcode?)');
    expect(err()).not.toMatch(/\n\s+at /);
  });

  it('colours only a terminal, never with NO_COLOR', () => {
    expect(wantsColor({ env: {} }, { isTTY: true })).toBe(true);
    expect(wantsColor({ env: {} }, { isTTY: false })).toBe(false);
    expect(wantsColor({ env: { NO_COLOR: '1' } }, { isTTY: true })).toBe(false);
    expect(wantsColor({ env: { FORCE_COLOR: '1' } }, { isTTY: false })).toBe(true);
    expect(wantsColor({ env: { FORCE_COLOR: '1' } }, { isTTY: true }, true)).toBe(false);
  });
});
