import { createRequire } from 'node:module';
import type { CliContext, Command } from './context.js';
import { reportError } from './errors.js';

/** Commands are loaded lazily so that `vocab --version` and `vocab validate` start fast. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  validate: async () => (await import('./commands/validate.js')).validateCommand,
  plan: async () => (await import('./commands/plan.js')).planCommand,
  apply: async () => (await import('./commands/apply.js')).applyCommand,
  drift: async () => (await import('./commands/drift.js')).driftCommand,
  export: async () => (await import('./commands/export.js')).exportCommand,
  outputs: async () => (await import('./commands/outputs.js')).outputsCommand,
  emulator: async () => (await import('./commands/emulator.js')).emulatorCommand,
};

function version(): string {
  const require = createRequire(import.meta.url);
  return (require('../../package.json') as { version: string }).version;
}

/** Runs the command line and returns the exit code. */
export async function main(argv: string[], ctx: CliContext): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    ctx.stdout.write(`vocab ${version()}\n`);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    ctx.stdout.write(`${version()}\n`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    ctx.stderr.write(`vocab: unknown command "${name}"\n`);
    return 1;
  }
  const debug = rest.includes('--debug');
  try {
    const command = await load();
    return await command.run(rest, ctx);
  } catch (error) {
    return reportError(error, ctx, debug);
  }
}

