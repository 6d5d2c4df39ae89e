import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closestMatch } from '../util/did-you-mean.js';
import { isCredentialShaped, looksLikeSecret, quoteValue } from '../util/secrets.js';
import { UsageError } from './errors.js';

type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Options every command takes. */
export const COMMON_OPTIONS = {
  config: { type: 'string' },
  env: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
  'no-color': { type: 'boolean' },
} as const satisfies OptionSpec;

/** Parsed flags: string options as strings (arrays when `multiple`), boolean ones as booleans. */
export interface ParsedCommandArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/** What else a command's command line may hold. */
export interface ParseSettings {
  /** Arguments besides flags (a plan file, the command of `emulator exec`). */
  positionals?: boolean;
  /** The formats `--format` takes, named when its value is missing. */
  formats?: readonly string[];
}

/**
 * parseArgs with the common options added; a wrong command line (an unknown flag, a long flag
 * written with one dash, a missing value) is a UsageError in our words that suggests the right flag.
 */
export function parseCommandArgs(command: string, args: string[], options: OptionSpec, settings: ParseSettings = {}): ParsedCommandArgs {
  const all = { ...COMMON_OPTIONS, ...options };
  refuseSingleDashLongFlags(command, args, all);
  let parsed: ParsedCommandArgs;
  try {
    parsed = parseArgs({ args, options: all, allowPositionals: settings.positionals ?? false, strict: true });
  } catch (error) {
    throw usageErrorOf(error, command, args, all, settings.formats ?? []);
  }
  refuseCredentials(parsed, command);
  return parsed;
}

/** Whether `arg` names a string option, so the next argument is its value. */
function takesValue(arg: string, all: OptionSpec): boolean {
  if (arg.startsWith('--')) return !arg.includes('=') && all[arg.slice(2)]?.type === 'string';
  return arg.length === 2 && Object.values(all).some((o) => o.short === arg[1] && o.type === 'string');
}

/**
 * `-detailed-exitcode`, `-env prod`, `-format=json` (Terraform's and Go's habit) would be read
 * by parseArgs as a group of one-letter flags; they are answered with the right flag instead.
 * Real short flags (`-h`, `-y`, or a group of them) and option values are left alone.
 */
function refuseSingleDashLongFlags(command: string, args: readonly string[], all: OptionSpec): void {
  const shorts = new Set(Object.values(all).flatMap((o) => (o.short === undefined ? [] : [o.short])));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return;
    if (takesValue(arg, all)) {
      i++;
      continue;
    }
    if (!/^-[^-]/.test(arg) || arg.length <= 2 || [...arg.slice(1)].every((c) => shorts.has(c))) continue;
    const flag = arg.split('=')[0]!;
    throw unknownOption(flag, command, all, `-${flag}`);
  }
}

/**
 * `unknown option -formt for "vocab plan" (did you mean --format?)`: `asLong` (the flag, or
 * the flag with the dash it lacks) is suggested when it is one of the command's flags, else the
 * closest one; a flag that looks like a secret is neither repeated nor matched.
 */
function unknownOption(flag: string, command: string, all: OptionSpec, asLong = flag): UsageError {
  const secret = looksLikeSecret(flag);
  const exact = Object.hasOwn(all, asLong.slice(2)) ? asLong : undefined;
  const guess = secret ? undefined : (exact ?? closestMatch(asLong, Object.keys(all).map((n) => `--${n}`)));
  return new UsageError(`unknown option ${secret ? quoteValue(flag) : flag} for "vocab ${command}"${guess ? ` (did you mean ${guess}?)` : ''}; see "vocab ${command} --help"`);
}

/**
 * An API key or bearer token given as a flag value or an argument (pasted in the wrong place)
 * is refused before anything uses it, saying which flag, never the value.
 */
function refuseCredentials(parsed: ParsedCommandArgs, command: string): void {
  const advice = `API keys are read only from the environment variable named by api_key_env; see "vocab ${command} --help"`;
  for (const [name, value] of Object.entries(parsed.values)) {
    if (TAKES_SECRETS.test(name)) continue; // e.g. `vocab emulator --api-key`
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === 'string' && isCredentialShaped(v))) {
      throw new UsageError(`the value of --${name} looks like an API key or token (not shown), not ${OPTION_KINDS[name] ?? 'a value for this option'}; ${advice}`);
    }
  }
  // The emulator's arguments may be a command line of its own (`vocab emulator exec -- curl -H ...`).
  if (!command.startsWith('emulator') && parsed.positionals.some(isCredentialShaped)) {
    throw new UsageError(`an argument of "vocab ${command}" looks like an API key or token (not shown); ${advice}`);
  }
}

/** Flags whose value is meant to be a key (the emulator's accepted keys). */
const TAKES_SECRETS = /(^|-)(api-key|key|token|secret)s?$/;

/** What each flag takes, for the messages above and below. */
const OPTION_KINDS: Record<string, string> = {
  env: 'an environment name',
  config: 'a config file path',
  out: 'a file path',
  'out-dir': 'a folder path',
  format: 'a format name',
  target: 'a vocabulary name or prefix',
  prefix: 'a vocabulary prefix',
  record: 'a file path',
  state: 'a file path',
  import: 'a file path',
  'export-on-exit': 'a file path',
  host: 'a host name or address',
  port: 'a port number',
  region: 'a region (cn-beijing or ap-southeast-1)',
};

/** `a, b or c`. */
function alternatives(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)!}`;
}

/** Whether `--name` is followed by one of the command's flags (a forgotten value), not by a value starting with "-". */
function followedByFlag(name: string, args: readonly string[], all: OptionSpec): boolean {
  const next = args[args.indexOf(`--${name}`) + 1] ?? '';
  if (next.startsWith('--')) return Object.hasOwn(all, next.slice(2).split('=')[0]!);
  return next.length === 2 && Object.values(all).some((o) => o.short === next[1]);
}

/** `--format needs a value (a format name: text, markdown or json); see "vocab plan --help"`. */
function missingValue(name: string, command: string, formats: readonly string[], dashed: boolean): UsageError {
  const kind = OPTION_KINDS[name];
  const what = kind === undefined ? '' : name === 'format' && formats.length > 0 ? ` (${kind}: ${alternatives(formats)})` : ` (${kind})`;
  const dash = dashed ? `; a value that starts with "-" is written --${name}=VALUE` : '';
  return new UsageError(`--${name} needs a value${what}${dash}; see "vocab ${command} --help"`);
}

/** parseArgs' error as a UsageError: unknown flags get a suggestion; no value that looks like a secret is repeated. */
function usageErrorOf(error: unknown, command: string, args: readonly string[], all: OptionSpec, formats: readonly string[]): UsageError {
  const message = error instanceof Error ? error.message : String(error);
  const missing = /^Option '(?:-\w, )?--([\w-]+)(?: <value>)?' argument (missing|is ambiguous)/.exec(message);
  if (missing) return missingValue(missing[1]!, command, formats, missing[2] === 'is ambiguous' && !followedByFlag(missing[1]!, args, all));
  const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message);
  if (unknown) return unknownOption(unknown[1]!, command, all);
  const positional = /Unexpected argument '([^']+)'/.exec(message);
  if (positional) {
    return new UsageError(`unexpected argument ${quoteValue(positional[1]!)} for "vocab ${command}"; see "vocab ${command} --help"`);
  }
  // parseArgs quotes what it was given (e.g. a value that looks like an option): never a secret.
  const quoted = args.some((a) => looksLikeSecret(a) && message.includes(a));
  return new UsageError(`${quoted ? 'a command-line value that looks like a secret was misplaced (not shown)' : message}; see "vocab ${command} --help"`);
}

/** Where the desired state is (`--config`) and which environment to reach (`--env`). */
export interface TargetFlags {
  cwd: string;
  /** Environment variables: API keys and DASHSCOPE_HTTP_BASE_URL are read from here. */
  env: NodeJS.ProcessEnv;
  configPath?: string;
  environment?: string;
}

/** The common `--config` and `--env` flags with the context's folder and variables, as library options. */
export function targetFlags(parsed: ParsedCommandArgs, ctx: { cwd: string; env: NodeJS.ProcessEnv }): TargetFlags {
  const configPath = stringFlag(parsed, 'config');
  const environment = stringFlag(parsed, 'env');
  return { cwd: ctx.cwd, env: ctx.env, ...(configPath ? { configPath } : {}), ...(environment ? { environment } : {}) };
}

/** A string flag's value, or undefined. */
export function stringFlag(parsed: ParsedCommandArgs, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A repeatable string flag's values (empty when absent). */
export function stringsFlag(parsed: ParsedCommandArgs, name: string): string[] {
  const value = parsed.values[name];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

/** A boolean flag's value. */
export function booleanFlag(parsed: ParsedCommandArgs, name: string): boolean {
  return parsed.values[name] === true;
}

/** Checks an enumerated option value such as --format. */
export function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const guess = looksLikeSecret(value) ? undefined : closestMatch(value, allowed);
  throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, not ${quoteValue(value)}${guess ? ` (did you mean ${guess}?)` : ''}`);
}
