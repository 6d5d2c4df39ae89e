import { DEFAULT_MAX_PAGE_SIZE, DEFAULT_MAX_VOCABULARIES, DEFAULT_UPDATE_INTERVAL_MS, type EmulatorRegion } from '../../emulator/constants.js';
import { execWithEmulator } from '../../emulator/exec.js';
import { FAULT_KINDS, isFaultKind, type FaultKind } from '../../emulator/faults.js';
import { chooseEmulatorApiKeys, serveEmulatorUntilSignalled } from '../../emulator/serve.js';
import type { EmulatorServerOptions } from '../../emulator/server-options.js';
import type { CliContext, Command } from '../context.js';
import { UsageError } from '../errors.js';
import type { Outcome } from '../exit-codes.js';
import { oneOf, parseCommandArgs, stringFlag, stringsFlag, type ParsedCommandArgs } from '../options.js';

const DEFAULT_UPDATE_INTERVAL_SECONDS = DEFAULT_UPDATE_INTERVAL_MS / 1000;

const RULE_OPTIONS = `  --api-key KEY           accept this key, one account per key (repeatable)
  --latency-ms N          delay every answer by N ms (default 0)
  --rpm N                 requests per minute per key before 429 Throttling.RateQuota
                          (default 0: no limit; the real service allows 600)
  --undeployed-ms N       a new or updated list is UNDEPLOYED for N ms, then OK
                          (default 0: OK at once, as the vendor's sample expects)
  --update-interval S     least seconds between two writes of one list, from its
                          gmt_modified (default ${DEFAULT_UPDATE_INTERVAL_SECONDS}, as the vendor says; 0: not enforced)
  --fault-rate R          share of requests (0..1) given a random fault (default 0)
  --fault-seed S          seed of the random faults (default 1): same seed, same faults
  --fault-kinds K,K       kinds random faults choose among (default all:
                          ${FAULT_KINDS.join(', ')})
  --max-vocabularies N    lists per account (default ${DEFAULT_MAX_VOCABULARIES})
  --max-page-size N       largest list page; larger page_size is capped (default ${DEFAULT_MAX_PAGE_SIZE})
  --region R              models and word caps of cn-beijing (default) or ap-southeast-1
                          (500 words per list)
  --admin-key KEY         let callers other than loopback use the admin API (/_vocab/)
                          when they send this key in the x-vocab-admin-key header
                          (default $VOCAB_EMULATOR_ADMIN_KEY, which keeps it out of ps)`;

const HELP = `Usage: vocab emulator [options]
       vocab emulator exec [--import FILE] [--export-on-exit FILE] [options] -- COMMAND [ARG...]

A local DashScope-compatible server for the custom vocabulary endpoint
(POST <base>/services/audio/asr/customization), with the service's limits and error
shapes. Prints its base URL on stdout when ready; stops cleanly on Ctrl-C or SIGTERM.
Beside it: an admin API under /_vocab/ (state, reset, requests, faults, clock, accounts)
and an inspector page at /_vocab/ui.

"exec" starts a throwaway emulator on a free port, runs COMMAND with
DASHSCOPE_HTTP_BASE_URL, DASHSCOPE_API_KEY (and VOCAB_EMULATOR_ADMIN_URL) set, stops the
emulator and exits with COMMAND's exit code (128+n when a signal ended it).

Options:
  --host HOST             address to bind (default 127.0.0.1; others are warned about)
  --port N                port (default 0: a free port, printed on start)
  --state FILE            keep the accounts in FILE (JSON; default: memory only)
${RULE_OPTIONS}
  -h, --help              show this help
  The key defaults to $DASHSCOPE_API_KEY, else sk-local-emulator (exec: sk-local-emulator).

exec options:
  --import FILE           start from this state (a --state file, or GET /_vocab/state's answer)
  --export-on-exit FILE   write the state to FILE when COMMAND is done

Examples:
  vocab emulator --port 8787 --state .vocab/emulator.json
  export DASHSCOPE_HTTP_BASE_URL=http://127.0.0.1:8787/api/v1 DASHSCOPE_API_KEY=sk-local-emulator
  vocab emulator --port 0 --fault-rate 0.2 --fault-seed 42 --latency-ms 200
  vocab emulator exec --export-on-exit state.json -- python3 -m pytest tests/

  # In a script (sh, bash): run it in the background, wait for its first stdout line (the
  # base URL), stop it by its process id ("URL=$(vocab emulator | head -n 1)" would wait for
  # the emulator to exit, which it never does; "kill %1" does nothing in a script run by sh).
  vocab emulator --port 0 > emulator.url &
  emulator=$!
  until [ -s emulator.url ]; do kill -0 "$emulator" || exit 1; sleep 0.1; done
  export DASHSCOPE_HTTP_BASE_URL=$(head -n 1 emulator.url) DASHSCOPE_API_KEY=sk-local-emulator
  # ... the script's commands ...
  kill "$emulator"; wait "$emulator"
`;

const RULE_FLAGS = {
  'api-key': { type: 'string', multiple: true },
  'latency-ms': { type: 'string' },
  rpm: { type: 'string' },
  'undeployed-ms': { type: 'string' },
  'update-interval': { type: 'string' },
  'fault-rate': { type: 'string' },
  'fault-seed': { type: 'string' },
  'fault-kinds': { type: 'string' },
  'max-vocabularies': { type: 'string' },
  'max-page-size': { type: 'string' },
  region: { type: 'string' },
  'admin-key': { type: 'string' },
  port: { type: 'string' },
} as const;

const FLAGS = { ...RULE_FLAGS, host: { type: 'string' }, state: { type: 'string' } } as const;

const EXEC_FLAGS = { ...RULE_FLAGS, import: { type: 'string' }, 'export-on-exit': { type: 'string' } } as const;

function integerFlag(parsed: ParsedCommandArgs, name: string, min: number): number | undefined {
  const text = stringFlag(parsed, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`--${name} must be a whole number of at least ${min}, not "${text}"`);
  }
  return value;
}

function faultRateFlag(parsed: ParsedCommandArgs): number | undefined {
  const text = stringFlag(parsed, 'fault-rate');
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !(value >= 0 && value <= 1)) throw new UsageError(`--fault-rate must be a number from 0 to 1, not "${text}"`);
  return value;
}

function faultKindsFlag(parsed: ParsedCommandArgs): FaultKind[] | undefined {
  const text = stringFlag(parsed, 'fault-kinds');
  if (text === undefined) return undefined;
  const kinds = text.split(',').map((k) => k.trim()).filter((k) => k !== '');
  const bad = kinds.filter((k) => !isFaultKind(k));
  if (kinds.length === 0 || bad.length > 0) {
    throw new UsageError(`--fault-kinds takes a comma-separated list of ${FAULT_KINDS.join(', ')}; not "${bad.join(',') || text}"`);
  }
  return kinds.filter(isFaultKind);
}

/** `--admin-key`, else $VOCAB_EMULATOR_ADMIN_KEY (kept out of the process list). */
function adminKeyFlag(parsed: ParsedCommandArgs, env: NodeJS.ProcessEnv): string | undefined {
  const key = stringFlag(parsed, 'admin-key') ?? (env.VOCAB_EMULATOR_ADMIN_KEY || undefined);
  if (key !== undefined && key.length < 8) throw new UsageError('--admin-key (or VOCAB_EMULATOR_ADMIN_KEY) must be at least 8 characters');
  return key;
}

/** The emulator options both `vocab emulator` and `vocab emulator exec` take. */
function ruleOptions(parsed: ParsedCommandArgs, env: NodeJS.ProcessEnv): EmulatorServerOptions {
  const region = stringFlag(parsed, 'region');
  const updateInterval = integerFlag(parsed, 'update-interval', 0);
  const port = integerFlag(parsed, 'port', 0);
  if (port !== undefined && port > 65_535) throw new UsageError('--port must be at most 65535');
  return {
    port,
    latencyMs: integerFlag(parsed, 'latency-ms', 0),
    rpm: integerFlag(parsed, 'rpm', 0),
    undeployedMs: integerFlag(parsed, 'undeployed-ms', 0),
    updateIntervalMs: updateInterval === undefined ? undefined : updateInterval * 1000,
    faultRate: faultRateFlag(parsed),
    faultSeed: integerFlag(parsed, 'fault-seed', 0),
    faultKinds: faultKindsFlag(parsed),
    maxVocabularies: integerFlag(parsed, 'max-vocabularies', 0),
    maxPageSize: integerFlag(parsed, 'max-page-size', 1),
    region: region === undefined ? undefined : oneOf<EmulatorRegion>('region', region, ['cn-beijing', 'ap-southeast-1'], 'cn-beijing'),
    adminKey: adminKeyFlag(parsed, env),
  };
}

/** `vocab emulator exec [flags] -- COMMAND…`: the flags before `--`, the command after. */
async function runExec(args: string[], ctx: CliContext): Promise<Outcome> {
  const split = args.indexOf('--');
  const flagArgs = split < 0 ? args : args.slice(0, split);
  const parsed = parseCommandArgs('emulator exec', flagArgs, EXEC_FLAGS, { positionals: split < 0 });
  const command = split < 0 ? parsed.positionals : args.slice(split + 1);
  if (command.length === 0) throw new UsageError('vocab emulator exec needs a command after "--", e.g. vocab emulator exec -- python3 test.py');
  const keys = stringsFlag(parsed, 'api-key');
  const { keys: apiKeys } = chooseEmulatorApiKeys(keys, undefined);
  const code = await execWithEmulator({
    command,
    server: { ...ruleOptions(parsed, ctx.env), apiKeys },
    apiKey: apiKeys[0] ?? '',
    importFile: stringFlag(parsed, 'import'),
    exportFile: stringFlag(parsed, 'export-on-exit'),
    env: ctx.env,
    cwd: ctx.cwd,
    stderr: ctx.stderr,
  });
  return { kind: 'exited', code };
}

/** `vocab emulator`: reads the flags and hands over to the emulator. */
export const emulatorCommand: Command = {
  help: HELP,
  async run(args, ctx) {
    if (args[0] === 'exec') return runExec(args.slice(1), ctx);
    const parsed = parseCommandArgs('emulator', args, FLAGS);
    const { keys, source } = chooseEmulatorApiKeys(stringsFlag(parsed, 'api-key'), ctx.env.DASHSCOPE_API_KEY);
    const options = {
      ...ruleOptions(parsed, ctx.env),
      host: stringFlag(parsed, 'host'),
      stateFile: stringFlag(parsed, 'state'),
      apiKeys: keys,
      apiKeySource: source,
    };
    return { kind: 'exited', code: await serveEmulatorUntilSignalled(options, ctx) };
  },
};
