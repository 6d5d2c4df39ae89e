/** What the runner tells a JavaScript action about the run: inputs, event, repository, files. */
import { readFileSync } from 'node:fs';

/** The action's inputs, read from `INPUT_*` variables. */
export interface ActionInputs {
  command: 'validate' | 'plan' | 'apply' | 'drift' | 'outputs';
  environment: string;
  allEnvironments: boolean;
  config: string;
  comment: boolean;
  force: boolean;
  args: string[];
  token: string;
}

/** The run's facts from `GITHUB_*` variables and the event payload. */
export interface RunFacts {
  eventName: string;
  /** owner/name */
  repository: string;
  apiUrl: string;
  runUrl: string;
  sha: string;
  ref: string;
  pullRequest: { number: number; headSha: string } | undefined;
}

const COMMANDS = ['validate', 'plan', 'apply', 'drift', 'outputs'] as const;

/** An input as the runner passes it: `INPUT_<NAME upper-cased, spaces as _>`, trimmed. */
export function input(env: NodeJS.ProcessEnv, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

function booleanInput(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const value = input(env, name).toLowerCase();
  if (value === '') return fallback;
  if (['true', 'yes', 'on', '1'].includes(value)) return true;
  if (['false', 'no', 'off', '0'].includes(value)) return false;
  throw new Error(`input "${name}" must be true or false, not "${value}"`);
}

/** Splits the `args` input into words: whitespace separates, single or double quotes group. */
export function splitArgs(text: string): string[] {
  const words = text.match(/"[^"]*"|'[^']*'|[^\s"']+/g) ?? [];
  return words.map((w) => (/^(["']).*\1$/.test(w) ? w.slice(1, -1) : w));
}

/** Reads and checks the inputs. */
export function readInputs(env: NodeJS.ProcessEnv): ActionInputs {
  const command = input(env, 'command') || 'plan';
  if (!(COMMANDS as readonly string[]).includes(command)) {
    throw new Error(`input "command" must be one of ${COMMANDS.join(', ')}, not "${command}"`);
  }
  return {
    command: command as ActionInputs['command'],
    environment: input(env, 'environment'),
    allEnvironments: booleanInput(env, 'all-environments', false),
    config: input(env, 'config'),
    comment: booleanInput(env, 'comment', true),
    force: booleanInput(env, 'force', false),
    args: splitArgs(input(env, 'args')),
    token: input(env, 'github-token'),
  };
}

interface EventPayload {
  pull_request?: { number?: unknown; head?: { sha?: unknown } };
}

function readEvent(path: string | undefined): EventPayload {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as EventPayload;
  } catch {
    return {};
  }
}

/** The run's facts; the event payload is read from `GITHUB_EVENT_PATH`. */
export function readRunFacts(env: NodeJS.ProcessEnv): RunFacts {
  const event = readEvent(env.GITHUB_EVENT_PATH);
  const pr = event.pull_request;
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const repository = env.GITHUB_REPOSITORY ?? '';
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    repository,
    apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, ''),
    runUrl: `${server}/${repository}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`,
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    pullRequest:
      typeof pr?.number === 'number'
        ? { number: pr.number, headSha: typeof pr.head?.sha === 'string' ? pr.head.sha : (env.GITHUB_SHA ?? '') }
        : undefined,
  };
}
