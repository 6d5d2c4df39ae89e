#!/usr/bin/env node
import type { CliContext } from './context.js';
import { reportError } from './errors.js';
import { main } from './main.js';

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
