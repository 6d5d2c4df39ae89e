/**
 * Runs a `vocab` command in-process, as the command line would, and keeps what it printed.
 * The action bundles the command itself, so a workflow needs no package.json or npm install.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { main } from '../cli/main.js';

/** What one command printed and returned. */
export interface VocabRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** How the output reaches the job log. */
export type Echo = 'commands' | 'plain';

class Capture extends Writable {
  text = '';

  constructor(private readonly echo: NodeJS.WritableStream) {
    super();
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    const text = chunk.toString();
    this.text += text;
    this.echo.write(text);
    done();
  }
}

/**
 * Runs `vocab ARGS` in `cwd` with the process's environment. Output is copied to the log;
 * with `echo: 'plain'` (the default) workflow commands are switched off around it, so a line
 * of a vocabulary file can never be read by the runner as `::set-output` or `::add-mask`.
 */
export async function runVocab(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; echo?: Echo }): Promise<VocabRun> {
  const plain = (options.echo ?? 'plain') === 'plain';
  const token = randomUUID();
  if (plain) process.stdout.write(`::stop-commands::${token}\n`);
  const stdout = new Capture(process.stdout);
  const stderr = new Capture(process.stderr);
  try {
    const code = await main(args, { stdout, stderr, stdin: process.stdin, env: options.env, cwd: options.cwd });
    return { code, stdout: stdout.text, stderr: stderr.text };
  } finally {
    if (plain) process.stdout.write(`\n::${token}::\n`);
  }
}
