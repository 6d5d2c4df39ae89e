import { createRequire } from 'node:module';
import type { CliContext, Command } from './context.js';
import { reportError } from './errors.js';
import { exitCodeOf } from './exit-codes.js';
import { closestMatch } from '../util/did-you-mean.js';
import { looksLikeSecret, quoteValue } from '../util/secrets.js';

/** Commands are loaded lazily so that `vocab --version` and `vocab validate` start fast. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  validate: async () => (await import('./commands/validate.js')).validateCommand,
  plan: async () => (await import('./commands/plan.js')).planCommand,
  apply: async () => (await import('./commands/apply.js')).applyCommand,
  show: async () => (await import('./commands/show.js')).showCommand,
  drift: async () => (await import('./commands/drift.js')).driftCommand,
  export: async () => (await import('./commands/export.js')).exportCommand,
  outputs: async () => (await import('./commands/outputs.js')).outputsCommand,
  emulator: async () => (await import('./commands/emulator.js')).emulatorCommand,
  conformance: async () => (await import('./commands/conformance.js')).conformanceCommand,
};

/** One line per command for `vocab --help`; kept here so the help needs no command module loaded. */
const SUMMARIES: Record<keyof typeof COMMANDS, string> = {
  validate: 'check the config and vocabulary files',
  plan: 'show what apply would change (reads only)',
  apply: 'make the account match the desired state',
  show: 'print a saved plan file in any format (no config, no network)',
  drift: 'report out-of-band changes (exit 2 on drift)',
  export: 'write vocabulary files from the account (adopt an existing account)',
  outputs: 'print the live vocabulary ids for applications',
  emulator: 'run a local DashScope-compatible server',
  conformance: 'check the emulator against a real account (one throwaway list)',
};

/** Printed under every command's own help: what every command takes besides its own flags. */
const COMMON_HELP = `Every command also takes: --config PATH, --env NAME, --no-color (no ANSI colour, as NO_COLOR=1
does), --debug (stack traces of unexpected errors), --help.
`;

function usage(): string {
  const width = Math.max(...Object.keys(SUMMARIES).map((n) => n.length));
  const lines = Object.entries(SUMMARIES).map(([name, summary]) => `  ${name.padEnd(width)}  ${summary}`);
  return `vocab ${version()}: declarative DashScope hotword vocabularies

Usage: vocab <command> [options]

Commands:
${lines.join('\n')}

Common options: --config PATH, --env NAME, --help, --debug, --no-color
Run "vocab <command> --help" for a command's options and examples.

Examples:
  vocab validate
  vocab plan --env prod --format markdown
  vocab apply --yes
  vocab plan --out plan.json && vocab show plan.json --format markdown
`;
}

function version(): string {
  const require = createRequire(import.meta.url);
  return (require('../../package.json') as { version: string }).version;
}

/** Runs the command line and returns the exit code. */
export async function main(argv: string[], ctx: CliContext): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    ctx.stdout.write(usage());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    ctx.stdout.write(`${version()}\n`);
    return 0;
  }
  // An own-property lookup: `constructor` or `toString` is an unknown command, not Object's.
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    const guess = looksLikeSecret(name) ? undefined : closestMatch(name, Object.keys(COMMANDS));
    const hint = guess ? ` (did you mean "${guess}"?)` : '';
    ctx.stderr.write(`error: unknown command ${quoteValue(name)}${hint}; run "vocab --help" for the list\n`);
    return 1;
  }
  const debug = rest.includes('--debug');
  try {
    const command = await load();
    // Help is answered here for every command, before its flags are checked.
    // Arguments after "--" belong to another program (`vocab emulator exec -- cmd --help`).
    const own = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
    if (own.includes('--help') || own.includes('-h')) {
      ctx.stdout.write(`${command.help.trimEnd()}\n\n${COMMON_HELP}`);
      return 0;
    }
    return exitCodeOf(await command.run(rest, ctx));
  } catch (error) {
    return reportError(error, ctx, debug);
  }
}

