import { DashScopeError } from '../dashscope/errors.js';
import { ConfigError, PlanRefusedError, StalePlanError } from '../errors.js';
import { escapeTerminalBlock } from '../report/escape-terminal.js';
import type { CliContext } from './context.js';

/** A wrong command line (unknown flag, missing argument): exit 1 with the message, no trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Prints an error the way a user should see it and returns the exit code (always 1). */
export function reportError(error: unknown, ctx: Pick<CliContext, 'stderr'>, debug: boolean): number {
  // Messages quote files, flags and the service's answers: nothing in them may act on the terminal.
  const write = (raw: string): void => {
    const text = escapeTerminalBlock(raw);
    ctx.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  };
  if (error instanceof ConfigError) {
    write(`error: ${error.message}`);
    for (const p of error.problems) write(`${p.file}:${p.line}:${p.column}: ${p.message}`);
  } else if (error instanceof StalePlanError) {
    write(`error: ${error.message}`);
    for (const d of error.differences) write(`  - ${d}`);
  } else if (error instanceof PlanRefusedError || error instanceof UsageError) {
    write(`error: ${error.message}`);
  } else if (error instanceof DashScopeError) {
    const id = error.requestId ? ` (request id ${error.requestId})` : '';
    write(`error: ${error.action} failed: ${error.message}${id}`);
  } else if (error instanceof Error) {
    write(`error: ${error.message}`);
  } else {
    write(`error: ${String(error)}`);
  }
  if (debug && error instanceof Error && error.stack) write(error.stack);
  else if (!(error instanceof ConfigError || error instanceof UsageError || error instanceof StalePlanError || error instanceof PlanRefusedError || error instanceof DashScopeError)) {
    write('(run with --debug for details)');
  }
  return 1;
}
