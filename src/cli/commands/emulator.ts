import { DEFAULT_MAX_PAGE_SIZE, DEFAULT_MAX_VOCABULARIES, DEFAULT_SERVER_UNDEPLOYED_MS, type EmulatorRegion } from '../../emulator/constants.js';
import { FAULT_KINDS, isFaultKind, type FaultKind } from '../../emulator/faults.js';
import { chooseEmulatorApiKeys, serveEmulatorUntilSignalled } from '../../emulator/serve.js';
import type { Command } from '../context.js';
import { UsageError } from '../errors.js';
import { oneOf, parseCommandArgs, stringFlag, stringsFlag, type ParsedCommandArgs } from '../options.js';

const HELP = `Usage: vocab emulator [options]

A local DashScope-compatible server for the custom vocabulary endpoint
(POST <base>/services/audio/asr/customization), with the service's limits and error
shapes. Prints its base URL on stdout when ready; stops cleanly on Ctrl-C or SIGTERM.

Options:
  --host HOST             address to bind (default 127.0.0.1; others are warned about)
  --port N                port (default 0: a free port, printed on start)
  --state FILE            keep the accounts in FILE (JSON; default: memory only)
  --api-key KEY           accept this key, one account per key (repeatable;
                          default $DASHSCOPE_API_KEY, else sk-local-emulator)
  --latency-ms N          delay every answer by N ms (default 0)
  --rpm N                 requests per minute per key before 429 Throttling.RateQuota
                          (default 0: no limit; the real service allows 600)
  --undeployed-ms N       a new or updated list is UNDEPLOYED for N ms (default ${DEFAULT_SERVER_UNDEPLOYED_MS})
  --fault-rate R          share of requests (0..1) given a random fault (default 0)
  --fault-seed S          seed of the random faults (default 1): same seed, same faults
  --fault-kinds K,K       kinds random faults choose among (default all:
                          ${FAULT_KINDS.join(', ')})
  --max-vocabularies N    lists per account (default ${DEFAULT_MAX_VOCABULARIES})
  --max-page-size N       largest list page; larger page_size is capped (default ${DEFAULT_MAX_PAGE_SIZE})
  --region R              model list: cn-beijing (default) or ap-southeast-1
  -h, --help              show this help

Examples:
  vocab emulator --port 8787 --state .vocab/emulator.json
  export DASHSCOPE_HTTP_BASE_URL=http://127.0.0.1:8787/api/v1 DASHSCOPE_API_KEY=sk-local-emulator
  vocab emulator --port 0 --fault-rate 0.2 --fault-seed 42 --latency-ms 200
  URL=$(vocab emulator --port 0 | head -n 1)   # scripts read the first stdout line
`;

const FLAGS = {
  host: { type: 'string' },
  port: { type: 'string' },
  state: { type: 'string' },
  'api-key': { type: 'string', multiple: true },
  'latency-ms': { type: 'string' },
  rpm: { type: 'string' },
  'undeployed-ms': { type: 'string' },
  'fault-rate': { type: 'string' },
  'fault-seed': { type: 'string' },
  'fault-kinds': { type: 'string' },
  'max-vocabularies': { type: 'string' },
  'max-page-size': { type: 'string' },
  region: { type: 'string' },
} as const;

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

/** `vocab emulator`: reads the flags and hands over to the emulator. */
export const emulatorCommand: Command = {
  summary: 'run a local DashScope-compatible vocabulary server',
  help: HELP,
  async run(args, ctx) {
    const parsed = parseCommandArgs('emulator', args, FLAGS);
    const { keys, source } = chooseEmulatorApiKeys(stringsFlag(parsed, 'api-key'), ctx.env.DASHSCOPE_API_KEY);
    const region = stringFlag(parsed, 'region');
    const options = {
      host: stringFlag(parsed, 'host'),
      port: integerFlag(parsed, 'port', 0),
      stateFile: stringFlag(parsed, 'state'),
      apiKeys: keys,
      apiKeySource: source,
      latencyMs: integerFlag(parsed, 'latency-ms', 0),
      rpm: integerFlag(parsed, 'rpm', 0),
      undeployedMs: integerFlag(parsed, 'undeployed-ms', 0),
      faultRate: faultRateFlag(parsed),
      faultSeed: integerFlag(parsed, 'fault-seed', 0),
      faultKinds: faultKindsFlag(parsed),
      maxVocabularies: integerFlag(parsed, 'max-vocabularies', 0),
      maxPageSize: integerFlag(parsed, 'max-page-size', 1),
      region: region === undefined ? undefined : oneOf<EmulatorRegion>('region', region, ['cn-beijing', 'ap-southeast-1'], 'cn-beijing'),
    };
    if (options.port !== undefined && options.port > 65_535) throw new UsageError('--port must be at most 65535');
    return serveEmulatorUntilSignalled(options, ctx);
  },
};
