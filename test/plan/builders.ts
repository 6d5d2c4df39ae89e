/**
 * Small in-memory builders for the pure reconciler core: remote lists, declared vocabularies,
 * environments and whole plans.
 */
import type { DesiredEntry, EnvironmentConfig } from '../../src/config/types.js';
import type { WireEntry } from '../../src/dashscope/types.js';
import { buildPlan, type BuildPlanInput } from '../../src/plan/build-plan.js';
import type { Plan, PlannedVocabulary, RemoteSnapshot, RemoteVocabulary, UnmanagedVocabulary } from '../../src/plan/types.js';

/** A fixed clock for plans. */
export const NOW = '2025-01-02T03:04:05.000Z';

let counter = 0;

/** A vocabulary id of the service's shape, unique per call unless `seed` is given. */
export function vocabularyId(prefix: string, seed?: number): string {
  const n = seed ?? ++counter;
  return `vocab-${prefix}-${n.toString(16).padStart(32, '0')}`;
}

/** Entries `w0`, `w1`, … with a weight, for lists of a given size. */
export function words(count: number, options: { weight?: number; lang?: string; stem?: string } = {}): DesiredEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    text: `${options.stem ?? 'w'}${i}`,
    weight: options.weight ?? 4,
    lang: options.lang ?? 'en',
  }));
}

/** A remote list. `created` orders duplicates (newest wins). */
export function remoteList(options: {
  prefix: string;
  model?: string;
  entries?: WireEntry[];
  created?: string;
  modified?: string;
  id?: string;
  status?: string;
}): RemoteVocabulary {
  return {
    vocabulary_id: options.id ?? vocabularyId(options.prefix),
    prefix: options.prefix,
    target_model: options.model ?? 'fun-asr',
    status: options.status ?? 'OK',
    gmt_create: options.created ?? '2024-06-01 10:00:00',
    gmt_modified: options.modified ?? options.created ?? '2024-06-01 10:00:00',
    entries: options.entries ?? [],
  };
}

/** An unmanaged list (another tool's). */
export function unmanagedList(prefix: string, id?: string): UnmanagedVocabulary {
  return { vocabulary_id: id ?? vocabularyId(prefix), prefix };
}

/** A declared vocabulary. */
export function desiredVocab(options: { prefix: string; model?: string; entries?: DesiredEntry[]; name?: string }): PlannedVocabulary {
  return {
    name: options.name ?? options.prefix,
    prefix: options.prefix,
    target_model: options.model ?? 'fun-asr',
    entries: options.entries ?? [],
  };
}

/** Partial settings of `envConfig`. */
export interface EnvConfigOptions {
  name?: string;
  maxVocabularies?: number;
  wordCaps?: Record<string, number>;
  protect?: string[];
  maxRemovedRatio?: number;
  replace?: 'create_before_destroy' | 'destroy_before_create';
  ownedPrefixes?: string[] | null;
}

/** An environment with the documented defaults. */
export function envConfig(options: EnvConfigOptions = {}): EnvironmentConfig {
  return {
    name: options.name ?? 'prod',
    endpoint: 'local',
    api_key_env: 'DASHSCOPE_API_KEY',
    ownership: { prefixes: options.ownedPrefixes ?? null },
    quota: { max_vocabularies: options.maxVocabularies ?? 10, word_caps: options.wordCaps ?? {} },
    safety: { protect: options.protect ?? [], max_removed_ratio: options.maxRemovedRatio ?? 0.3 },
    apply: { concurrency: 4, replace: options.replace ?? 'create_before_destroy', wait_timeout_seconds: 300, update_interval_seconds: 300 },
  };
}

/** Built-in word caps used by the tests: 10,000 for fun-asr, 500 for everything else. */
export function testWordCap(model: string): number {
  return model === 'fun-asr' ? 10_000 : 500;
}

/** Everything `buildPlan` takes, with defaults. */
export function planInput(options: {
  desired?: PlannedVocabulary[];
  owned?: RemoteVocabulary[];
  unmanaged?: UnmanagedVocabulary[];
  ownedPrefixes?: string[];
  env?: EnvConfigOptions;
  now?: string;
}): BuildPlanInput {
  const desired = options.desired ?? [];
  const remote: RemoteSnapshot = { owned: options.owned ?? [], unmanaged: options.unmanaged ?? [] };
  return {
    environment: envConfig(options.env),
    desired,
    remote,
    ownedPrefixes: options.ownedPrefixes ?? [...new Set([...desired.map((d) => d.prefix), ...remote.owned.map((r) => r.prefix)])],
    wordCap: testWordCap,
    target: { endpoint: 'local', api_key_env: 'DASHSCOPE_API_KEY', url: 'local', url_from: 'local' },
    now: options.now ?? NOW,
  };
}

/** `buildPlan(planInput(options))`. */
export function plan(options: Parameters<typeof planInput>[0]): Plan {
  return buildPlan(planInput(options));
}
