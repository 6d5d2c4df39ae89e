import type { Outcome } from './exit-codes.js';

/** What a command needs from the outside world, so commands are testable and nothing else prints. */
export interface CliContext {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** A subcommand: its help text and its entry point, which says how it ended (exit-codes.ts turns that into the code). */
export interface Command {
  help: string;
  run(args: string[], ctx: CliContext): Promise<Outcome>;
}
