import { createInterface } from 'node:readline';
import type { CliContext } from './context.js';
import { booleanFlag, type ParsedCommandArgs } from './options.js';

/**
 * Colour only on a terminal (or with FORCE_COLOR), and never with `--no-color` or NO_COLOR set
 * (https://no-color.org).
 */
export function wantsColor(ctx: Pick<CliContext, 'env'>, stream: { isTTY?: boolean }, noColorFlag = false): boolean {
  if (noColorFlag) return false;
  const noColor = ctx.env.NO_COLOR;
  if (noColor !== undefined && noColor !== '') return false;
  if (ctx.env.FORCE_COLOR !== undefined && ctx.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

/** Whether text written to `stream` is coloured, given the command's `--no-color`. */
export function colorFor(ctx: Pick<CliContext, 'env'>, parsed: ParsedCommandArgs, stream: { isTTY?: boolean }): boolean {
  return wantsColor(ctx, stream, booleanFlag(parsed, 'no-color'));
}

/** Asks a yes/no question on the terminal; only "yes" is a yes, as in Terraform. */
export async function confirm(ctx: CliContext, question: string): Promise<boolean> {
  const rl = createInterface({ input: ctx.stdin, output: ctx.stderr, terminal: false });
  try {
    const answer = await new Promise<string>((resolve) => {
      rl.question(`${question}\n  Only 'yes' will be accepted: `, resolve);
      rl.once('close', () => resolve(''));
    });
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}

/** Writes a line to stderr (progress, hints). */
export function log(ctx: Pick<CliContext, 'stderr'>, line: string): void {
  ctx.stderr.write(line.endsWith('\n') ? line : `${line}\n`);
}
