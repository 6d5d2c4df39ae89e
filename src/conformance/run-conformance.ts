/**
 * `vocab conformance`: the emulator's contract run against a real account and against an
 * emulator started here with the same region, side by side. One throwaway prefix, at most one
 * list created and always deleted, no other list touched.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { effectiveRegion } from '../catalog/index.js';
import type { EnvironmentConfig } from '../config/types.js';
import { resolveBaseUrl } from '../dashscope/base-url.js';
import { redactUrl } from '../dashscope/redact.js';
import { ConfigError } from '../errors.js';
import { startEmulatorServer } from '../emulator/server.js';
import type { EmulatorRegion } from '../emulator/constants.js';
import { CONTRACT_RULES, deleteOrRemember, sweepThrowawayLists, type ContractRule, type Observation, type ProbeSession } from './contract.js';
import { createWireTransport, type RecordedExchange, type WireTransport } from './transport.js';

/** One rule's result: what the service did, what the emulator does, and whether they agree. */
export interface ConformanceResult {
  rule: string;
  description: string;
  source: string;
  service: string;
  emulator: string;
  /** null when the probe did not run on the service (e.g. no list to probe). */
  agrees: boolean | null;
}

/** The report of one run (`--format json` prints it as is). */
export interface ConformanceReport {
  format_version: 1;
  environment: string;
  base_url: string;
  prefix: string;
  results: ConformanceResult[];
  /** Lists conformance made and the service would not delete (normally empty): delete them by hand. */
  left_on_account: string[];
  summary: { agree: number; disagree: number; skipped: number };
}

/** What a run needs: the account's transport and the facts that shape the reference emulator. */
export interface ConformanceOptions {
  environment: string;
  /** Shown in the report (no credentials). */
  baseUrl: string;
  target: WireTransport;
  /** The region of the account, for the emulator's model list and caps (default cn-beijing). */
  region?: EmulatorRegion | undefined;
  /** The account's list quota: a full account is refused. */
  maxVocabularies: number;
  /** The throwaway prefix (default: `vc` and 7 random characters). */
  prefix?: string;
}

/** The most list pages read to count the account (a misbehaving server cannot loop the count). */
const MAX_COUNT_PAGES = 100;
const PAGE_SIZE = 10;
const REFERENCE_KEY = 'sk-conformance-reference';
/** A model every region offers. */
const PROBE_MODEL = 'fun-asr';

/** Lists every id on the account (read only, page by page until a page brings nothing new); throws a ConfigError when the account cannot be read. */
export async function listAccountIds(target: WireTransport): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 0; page < MAX_COUNT_PAGES; page++) {
    const answer = await target.send('count lists', { action: 'list_vocabulary', prefix: null, page_index: page, page_size: PAGE_SIZE });
    const output = answer.status === 200 && answer.body !== null && typeof answer.body === 'object' ? (answer.body as Record<string, unknown>)['output'] : undefined;
    const rows = output !== null && typeof output === 'object' ? (output as Record<string, unknown>)['vocabulary_list'] : undefined;
    if (!Array.isArray(rows)) {
      throw new ConfigError(`conformance cannot list the account: HTTP ${answer.status}${answer.network ? ` (${answer.network})` : ''}; check the key and the endpoint`);
    }
    const fresh = rows.map((r) => (r !== null && typeof r === 'object' ? String((r as Record<string, unknown>)['vocabulary_id']) : '')).filter((id) => !ids.includes(id));
    ids.push(...fresh);
    // Only an empty page (or one with nothing new) ends the count: a server may cap pages silently.
    if (fresh.length === 0) break;
  }
  return ids;
}

/** A prefix no list on the account uses: `vc` and 7 random lowercase letters or digits. */
export function throwawayPrefix(ids: readonly string[]): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  for (;;) {
    const prefix = `vc${[...randomBytes(7)].map((b) => alphabet[b % alphabet.length]).join('')}`;
    if (!ids.some((id) => id.startsWith(`vocab-${prefix}-`))) return prefix;
  }
}

/** Runs every rule in order on one account; the one list is deleted even when a probe throws. */
async function runRules(transport: WireTransport, prefix: string): Promise<{ observations: Observation[]; leftOver: string[] }> {
  const session: ProbeSession = { transport, prefix, model: PROBE_MODEL, listId: null, createsLeft: 1, deletedId: null, leftOver: [] };
  const observations: Observation[] = [];
  try {
    for (const rule of CONTRACT_RULES) observations.push(await rule.probe(session));
  } finally {
    if (session.listId !== null) await deleteOrRemember(session, 'cleanup', session.listId);
    await sweepThrowawayLists(session);
  }
  return { observations, leftOver: session.leftOver };
}

/** The same rules against a fresh emulator with the account's region: what the emulator does. */
async function observeEmulator(region: EmulatorRegion | undefined, prefix: string): Promise<Observation[]> {
  const server = await startEmulatorServer({ apiKeys: [REFERENCE_KEY], ...(region ? { region } : {}) });
  try {
    return (await runRules(createWireTransport({ baseUrl: server.url, apiKey: REFERENCE_KEY }), prefix)).observations;
  } finally {
    await server.close();
  }
}

function compare(rule: ContractRule, service: Observation, emulator: Observation): ConformanceResult {
  const shown = (o: Observation): string => ('seen' in o ? o.seen : `skipped: ${o.skipped}`);
  const agrees = 'skipped' in service ? null : 'seen' in emulator && service.seen === emulator.seen;
  return { rule: rule.id, description: rule.description, source: rule.source, service: shown(service), emulator: shown(emulator), agrees };
}

/**
 * Counts the account (refusing when the quota has no room for the one list), runs the contract
 * on it and on the emulator, and compares them rule by rule.
 */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const ids = await listAccountIds(options.target);
  if (ids.length >= options.maxVocabularies) {
    throw new ConfigError(
      `conformance refused: the account has ${ids.length} of ${options.maxVocabularies} lists (quota.max_vocabularies), no room for the one throwaway list it creates; delete a list or run it on another account`,
    );
  }
  const prefix = options.prefix ?? throwawayPrefix(ids);
  const { observations: service, leftOver } = await runRules(options.target, prefix);
  const emulator = await observeEmulator(options.region, prefix);
  const results = CONTRACT_RULES.map((rule, i) => compare(rule, service[i]!, emulator[i]!));
  return {
    format_version: 1,
    environment: options.environment,
    base_url: options.baseUrl,
    prefix,
    results,
    left_on_account: leftOver,
    summary: {
      agree: results.filter((r) => r.agrees === true).length,
      disagree: results.filter((r) => r.agrees === false).length,
      skipped: results.filter((r) => r.agrees === null).length,
    },
  };
}

/** The sanitised exchanges with the account, for `--record FILE` (no key, no header). */
export function recordingOf(report: ConformanceReport, exchanges: readonly RecordedExchange[], now: Date): Record<string, unknown> {
  return { format_version: 1, environment: report.environment, base_url: report.base_url, prefix: report.prefix, recorded_at: now.toISOString(), exchanges };
}

/** The account an environment names, as conformance reaches it: its base URL and a recording transport. */
export function connectConformance(
  environment: EnvironmentConfig,
  env: Record<string, string | undefined>,
  fetchImpl?: typeof globalThis.fetch,
): { baseUrl: string; transport: WireTransport; region: EmulatorRegion | undefined } {
  if (environment.endpoint === 'local') {
    throw new ConfigError(`environment "${environment.name}" is the embedded local account (endpoint: local): conformance needs a service over HTTP`);
  }
  const apiKey = env[environment.api_key_env];
  if (!apiKey) {
    throw new ConfigError(`environment "${environment.name}" needs an API key in the environment variable ${environment.api_key_env}, which is not set`);
  }
  const baseUrl = resolveBaseUrl({ endpoint: environment.endpoint, region: environment.region }, env);
  const transport = createWireTransport({ baseUrl, apiKey, workspace: environment.workspace, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  return { baseUrl: redactUrl(baseUrl), transport, region: effectiveRegion(environment) };
}

/** Writes the recording as JSON (temporary file, then rename). */
export async function writeRecording(file: string, recording: Record<string, unknown>): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(recording, null, 2)}\n`, 'utf8');
  await rename(temporary, file);
}
