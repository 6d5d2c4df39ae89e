#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import type { CliContext } from './context.js';
import { reportError } from './errors.js';
import { main } from './main.js';

// The command's data (the vocabulary files' entries, the account's lists) lives until the plan
// is made, so a young generation grown to its full size only holds garbage longer: kept at its
// initial size, a plan of 100,000 entries peaks about 30 MiB lower for the same CPU (bench,
// README "Performance"). A heap-sizing heuristic, read each time the young generation would grow.
setFlagsFromString('--semi-space-growth-factor=1');

const ctx: CliContext = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
};
main(process.argv.slice(2), ctx).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = reportError(error, ctx, process.argv.includes('--debug'));
  },
);
