/**
 * Shell scripts run as a user runs them: `vocab` on PATH as npm installs it, the script in a
 * process group of its own, a hang ending the whole group (reported, not measured).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import { BIN, type RunResult } from './harness.js';

/**
 * A folder holding a `vocab` command (removed when the test ends), as npm links it: `exec` of the
 * built command, so `$!` of `vocab … &` is the command's own process id.
 */
export async function vocabBinFolder(): Promise<string> {
  const bin = await mkdtemp(path.join(tmpdir(), 'vocab-bin-'));
  onTestFinished(() => rm(bin, { recursive: true, force: true }));
  await writeFile(path.join(bin, 'vocab'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`, { mode: 0o755 });
  return bin;
}

/** How `runInGroup` starts and watches the script. */
export interface GroupRunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed. */
  input?: string;
  /** After this long the process group is killed and the run reported as hung. */
  hangTimeoutMs: number;
  /** Called with the child's process id and all stdout so far, after each chunk. */
  onStdout?: (pid: number, stdout: string) => void;
}

/** A script's run; `hung` when it had to be killed. */
export interface GroupRun extends RunResult {
  hung: boolean;
}

/**
 * Runs `command args` in a process group of its own. A hang kills the group (SIGKILL); when the
 * command ends, whatever it left running in the background is ended with SIGTERM.
 */
export function runInGroup(command: string, args: readonly string[], options: GroupRunOptions): Promise<GroupRun> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end(options.input ?? '');
  const group = -child.pid!;
  let stdout = '';
  let stderr = '';
  let hung = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    options.onStdout?.(child.pid!, stdout);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => {
    hung = true;
    process.kill(group, 'SIGKILL');
  }, options.hangTimeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      try {
        process.kill(group, 'SIGTERM');
      } catch {
        // the group is gone already
      }
      child.once('close', () => resolve({ code, signal, stdout, stderr, hung }));
    });
  });
}
