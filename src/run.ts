/**
 * The impure glue of plan, apply and drift: load the desired state, read the remote, build
 * and check the plan, carry it out. The CLI and the library API both call these.
 */
import { join, resolve } from 'node:path';
import { effectiveRegion, wordCap } from './catalog/index.js';
import { findEnvironment, loadEnvironment, loadValidState, ownedPrefixes, type ReadConfig, type ValidState } from './config/index.js';
import type { DesiredState, EnvironmentConfig, Problem } from './config/types.js';
import { connectService, resolveEndpoint, type ResolvedEndpoint } from './connect.js';
import { listAllVocabularies } from './dashscope/list-all.js';
import type { VocabularyService, VocabularySummary } from './dashscope/types.js';
import { ConfigError, PlanRefusedError, StalePlanError } from './errors.js';
import { applyPlan, type ApplyProgressEvent } from './sync/apply.js';
import { createFileBackupStore } from './sync/backups.js';
import { buildDriftReport, type DriftReport } from './plan/build-drift-report.js';
import { buildPlan } from './plan/build-plan.js';
import { isPlanRefused } from './plan/check-plan.js';
import { canonicalJson } from './plan/canonical-json.js';
import { checkSavedPlan } from './plan/check-saved-plan.js';
import { describeStaleness } from './plan/describe-staleness.js';
import { checkPlanDocument } from './sync/plan-file.js';
import { readRemote } from './sync/read-remote.js';
import type { ExportResult } from './sync/export-remote.js';
import { collectOutputs } from './plan/collect-outputs.js';
import { targetNames, targetPlan, unmatchedTargets } from './plan/target-changes.js';
import { describeEndpointOf } from './plan/describe-endpoint.js';
import { didYouMean } from './util/did-you-mean.js';
import { quoteValue } from './util/secrets.js';
import type { ApplyResult, Change, Plan, PlannedVocabulary, PlanTarget, RemoteSnapshot, VocabularyOutputs } from './plan/types.js';

/** Folder of backups, relative to the config's folder. */
export const BACKUPS_DIR = '.vocab/backups';

/** Where the desired state comes from and how to reach the account. */
export interface PlanEnvironmentOptions {
  /** Folder to search the config from. */
  cwd: string;
  /** Explicit config file (`--config`). */
  configPath?: string;
  /** Environment name (`--env`); default: the config's `default_environment`. */
  environment?: string;
  /** Environment variables (API key, DASHSCOPE_HTTP_BASE_URL). */
  env: Record<string, string | undefined>;
  /** A service to use instead of the one the environment names (tests, library users). */
  service?: VocabularyService;
  /** Clock, for reproducible plans. */
  now?: () => Date;
  /**
   * `--target`: limit the plan to these vocabularies (declared names or prefixes). The quota and
   * the safety checks still count the whole account; a target that names nothing is an error.
   */
  targets?: readonly string[];
}

/** A plan together with everything needed to show it, apply it, or check it again. */
export interface PlannedEnvironment {
  plan: Plan;
  snapshot: RemoteSnapshot;
  environment: EnvironmentConfig;
  state: DesiredState;
  warnings: Problem[];
  service: VocabularyService;
  /** For a saved plan: changes the fresh plan makes that the plan file leaves out (not applied). */
  leftOut?: Change[];
}

/** How the config says to reach an environment and the endpoint actually used, without secrets: what a saved plan records. */
function targetOf(environment: EnvironmentConfig, endpoint: ResolvedEndpoint): PlanTarget {
  return {
    ...(environment.endpoint ? { endpoint: environment.endpoint } : {}),
    ...(environment.region ? { region: environment.region } : {}),
    ...(environment.workspace ? { workspace: environment.workspace } : {}),
    api_key_env: environment.api_key_env,
    url: endpoint.url,
    url_from: endpoint.from,
  };
}

interface BuildFromOptions {
  environment: EnvironmentConfig;
  desired: PlannedVocabulary[];
  owned: string[];
  service: VocabularyService;
  /** The account's listing, if already under way. */
  listing?: Promise<VocabularySummary[]>;
  now: Date;
  settings?: Plan['settings'];
  /** How the account is reached (`targetOf`). */
  target: PlanTarget;
}

/** A plan of the whole environment, the snapshot it was made from, and the word caps it was checked with. */
interface ReadPlan {
  plan: Plan;
  snapshot: RemoteSnapshot;
  wordCap: (targetModel: string) => number;
}

async function readAndPlan(options: BuildFromOptions): Promise<ReadPlan> {
  const merged: EnvironmentConfig = options.settings ? { ...options.environment, ...options.settings } : options.environment;
  // The plan records the prefixes it treated as owned (by default those of every vocabulary
  // file, whatever its environments), so a saved plan re-reads the account with the same ownership.
  const environment: EnvironmentConfig = { ...merged, ownership: { ...merged.ownership, prefixes: options.owned } };
  const snapshot = await readRemote(options.service, { ownedPrefixes: options.owned, ...(options.listing ? { listing: options.listing } : {}) });
  const region = effectiveRegion(environment);
  const caps = (model: string): number => wordCap(model, region, environment.quota.word_caps);
  const plan = buildPlan({
    environment,
    desired: options.desired,
    remote: snapshot,
    ownedPrefixes: options.owned,
    wordCap: caps,
    target: options.target,
    now: options.now.toISOString(),
  });
  return { plan, snapshot, wordCap: caps };
}

/** Names listed in the error about a target that names nothing. */
const MAX_NAMES_SHOWN = 20;

/**
 * The plan limited to `targets` (none: the plan as it is). A target that names no vocabulary
 * and no list of the plan is a ConfigError with the closest name; `source` says where the
 * targets come from (`--target`, or the plan file).
 */
function limitToTargets(read: ReadPlan, targets: readonly string[] | undefined, source: string): Plan {
  if (!targets || targets.length === 0) return read.plan;
  const unmatched = unmatchedTargets(read.plan.changes, targets);
  if (unmatched.length > 0) {
    const names = targetNames(read.plan);
    const lines = unmatched.map((t) => `${source} ${quoteValue(t)} names no vocabulary of environment "${read.plan.environment}"${didYouMean(t, names)}`);
    const shown = names.length > MAX_NAMES_SHOWN ? `${names.slice(0, MAX_NAMES_SHOWN).join(', ')}, … (${names.length} in all)` : names.join(', ');
    const known = names.length > 0 ? `; a target is a declared name or a prefix: ${shown}` : '; the environment declares no vocabulary and owns no list';
    throw new ConfigError(`${lines.join('; ')}${known}`);
  }
  return targetPlan(read.plan, targets, { wordCap: read.wordCap });
}

/** Loads and validates the desired state of one environment, reads the remote, builds the checked plan. */
export async function planEnvironment(options: PlanEnvironmentOptions): Promise<PlannedEnvironment> {
  // The account is listed while the vocabulary files are read and validated: the listing needs
  // only the environment, and overlapping them saves a round trip of wall time per plan.
  let early: { service: VocabularyService; listing: Promise<VocabularySummary[]> } | undefined;
  const startListing = (config: ReadConfig): void => {
    const environment = findEnvironment(config.environments, options.environment ?? config.defaultEnvironment);
    if (!environment) return;
    try {
      const service = options.service ?? connectService(environment, { rootDir: config.rootDir, env: options.env });
      const listing = listAllVocabularies(service);
      listing.catch(() => undefined); // awaited (and reported) by readRemote, or dropped if the files are invalid
      early = { service, listing };
    } catch {
      // A missing key or a bad URL is reported by the connect below, after validation.
    }
  };
  let loaded: ValidState;
  try {
    loaded = await loadValidState({
      cwd: options.cwd,
      ...(options.configPath ? { configPath: options.configPath } : {}),
      ...(options.environment ? { environment: options.environment } : {}),
      onConfigRead: startListing,
    });
  } catch (error) {
    if (early && !options.service) await early.service.close?.();
    throw error;
  }
  const service = early?.service ?? options.service ?? connectService(loaded.environment, { rootDir: loaded.state.rootDir, env: options.env });
  try {
    const read = await readAndPlan({
      environment: loaded.environment,
      desired: desiredOf(loaded),
      owned: ownedPrefixes(loaded.environment, loaded.state.vocabularies),
      service,
      ...(early ? { listing: early.listing } : {}),
      now: (options.now ?? (() => new Date()))(),
      target: targetOf(loaded.environment, resolveEndpoint(loaded.environment, options.env)),
    });
    const plan = limitToTargets(read, options.targets, '--target');
    return { plan, snapshot: read.snapshot, environment: loaded.environment, state: loaded.state, warnings: loaded.warnings, service };
  } catch (error) {
    if (!options.service) await service.close?.();
    throw error;
  }
}

/**
 * Re-reads the remote for a saved plan and checks it against the plan that the current config,
 * the current vocabulary files and the account give now. The file is untrusted: its shape and
 * values are checked, its settings must be the config's, and it may leave changes out but never
 * add or widen one. Throws `StalePlanError` when the account, the files or the target are no
 * longer what the plan saw, and `PlanRefusedError` (saying why) when the file asks for more
 * than the config allows.
 */
export async function replanSaved(saved: Plan, options: PlanEnvironmentOptions): Promise<PlannedEnvironment> {
  await checkPlanDocument(saved, 'the saved plan');
  if (options.targets && options.targets.length > 0) {
    throw new ConfigError('--target cannot be used with a plan file: a plan saved with --target applies to its own targets only; make the plan with --target instead');
  }
  const loaded = await loadValidState({
    cwd: options.cwd,
    ...(options.configPath ? { configPath: options.configPath } : {}),
    environment: saved.environment,
  });
  const target = checkSavedTarget(saved, loaded.environment, options.env);
  const service = options.service ?? connectService(loaded.environment, { rootDir: loaded.state.rootDir, env: options.env });
  const read = await readAndPlan({
    environment: loaded.environment,
    desired: desiredOf(loaded),
    owned: ownedPrefixes(loaded.environment, loaded.state.vocabularies),
    service,
    now: (options.now ?? (() => new Date()))(),
    target,
  });
  const { snapshot } = read;
  if (read.plan.fingerprint !== saved.fingerprint) throw staleError(saved, read.plan);
  // A plan saved with --target is checked against the fresh plan limited the same way, so a
  // change outside its targets is refused even when the config calls for it.
  const fresh = limitToTargets(read, saved.targets, "the plan file's target");
  const checked = checkSavedPlan(saved, fresh, {
    usage: { owned: snapshot.owned.length, unmanaged: snapshot.unmanaged.length },
    wordCap: read.wordCap,
  });
  if (checked.refusals.length > 0) {
    throw new PlanRefusedError(
      `plan file refused, nothing applied: it asks for more than the config, the vocabulary files and the account allow (a saved plan may leave changes out, never add or widen one):\n${checked.refusals.map((r) => `  - ${r}`).join('\n')}`,
    );
  }
  return {
    plan: checked.plan,
    snapshot,
    environment: loaded.environment,
    state: loaded.state,
    warnings: loaded.warnings,
    service,
    leftOut: checked.left_out,
  };
}

/**
 * The target of a saved plan checked before the account is read: the endpoint it was made
 * against must be the one this apply would use (else `PlanRefusedError`), and the config's way
 * to reach the environment must be the one it recorded (else `StalePlanError`).
 */
function checkSavedTarget(saved: Plan, environment: EnvironmentConfig, env: Record<string, string | undefined>): PlanTarget {
  const target = targetOf(environment, resolveEndpoint(environment, env));
  if (saved.target.url !== target.url) {
    throw new PlanRefusedError(
      `plan file refused, nothing applied: it was made against ${describeEndpointOf(saved.target)}, but this apply would talk to ${describeEndpointOf(target)}; ` +
        'apply it where it was made (the same endpoint and DASHSCOPE_HTTP_BASE_URL), or run "vocab plan" again against this endpoint',
    );
  }
  const savedConfig = canonicalJson(configuredTarget(saved.target));
  const config = canonicalJson(configuredTarget(target));
  if (savedConfig !== config) {
    throw new StalePlanError(`plan is stale: it was made for another target of environment "${saved.environment}"`, [
      `the plan was made for ${savedConfig}, the config now says ${config}`,
    ]);
  }
  return target;
}

/** What the config says about reaching the account (the endpoint actually used aside). */
function configuredTarget(target: PlanTarget): Record<string, string | null> {
  return { endpoint: target.endpoint ?? null, region: target.region ?? null, workspace: target.workspace ?? null, api_key_env: target.api_key_env };
}

/** The declared vocabularies of a loaded environment, as a plan takes them. */
function desiredOf(loaded: ValidState): PlannedVocabulary[] {
  return loaded.vocabularies.map((v) => ({ name: v.name, prefix: v.prefix, target_model: v.target_model, entries: v.entries }));
}

/** Why a saved plan no longer matches: the account, or the vocabulary files, changed since. */
function staleError(saved: Plan, fresh: Plan): StalePlanError {
  const differences = describeStaleness(saved, fresh);
  const accountChanged = canonicalJson(saved.observed) !== canonicalJson(fresh.observed);
  const what = accountChanged ? 'the account changed since the plan was made' : 'the vocabulary files changed since the plan was made';
  return new StalePlanError(
    `plan is stale: ${what} (fingerprint ${saved.fingerprint.slice(0, 19)}… is now ${fresh.fingerprint.slice(0, 19)}…); run "vocab plan" again`,
    differences,
  );
}

/** Options of `applyPlanned`. */
export interface ApplyPlannedOptions {
  /** Overrides the safety checks (never quota or word caps). */
  force?: boolean;
  onProgress?: (event: ApplyProgressEvent) => void;
  /** Told while another apply holds the embedded account (waited ms so far), at least every 10 s. */
  onLockWait?: (waitedMs: number) => void;
  /** Once aborted, no new change starts; changes in flight finish; the result has `interrupted`. */
  signal?: AbortSignal;
  /** After a create that timed out, how long the final check waits for it to land (default 30 s). */
  settleMs?: number;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
}

/** Throws `PlanRefusedError` (nothing applied) when the plan's checks refuse it. */
function refuseBlockedPlan(plan: Plan, force: boolean): void {
  if (!isPlanRefused(plan, { force })) return;
  const blocking = plan.violations.filter((v) => !(force && v.overridable));
  const hint = blocking.every((v) => v.overridable) ? ' (--force overrides these safety checks)' : '';
  throw new PlanRefusedError(`plan refused, nothing applied${hint}:\n${blocking.map((v) => `  - ${v.rule}: ${v.message}`).join('\n')}`);
}

/**
 * Under the account's lock, reads the account again: another apply may have changed it while
 * this one waited. The same account: the plan stands. Changed, but nothing left to do (the other
 * apply did it): an empty plan. Changed otherwise: `StalePlanError`.
 */
async function recheckUnderLock(planned: PlannedEnvironment): Promise<PlannedEnvironment> {
  const { plan } = planned;
  const read = await readAndPlan({
    environment: planned.environment,
    desired: plan.desired,
    owned: plan.settings.ownership.prefixes ?? [],
    service: planned.service,
    settings: plan.settings,
    now: new Date(),
    target: plan.target,
  });
  if (read.plan.fingerprint === plan.fingerprint) return planned;
  // Limited as the plan was; a target whose list the other apply removed now selects nothing.
  const fresh = plan.targets ? targetPlan(read.plan, plan.targets, { wordCap: read.wordCap }) : read.plan;
  if (fresh.changes.every((c) => c.action === 'noop')) return { ...planned, plan: fresh, snapshot: read.snapshot };
  throw new StalePlanError(
    'plan is stale: another apply changed the account while this one waited for it; nothing was applied; run "vocab plan" again',
    describeStaleness(plan, read.plan),
  );
}

/**
 * Applies a checked plan; throws `PlanRefusedError` (nothing applied) when its checks refuse it.
 * On the embedded account the whole apply holds the account's lock, so two applies take turns.
 */
export async function applyPlanned(planned: PlannedEnvironment, options: ApplyPlannedOptions = {}): Promise<ApplyResult> {
  refuseBlockedPlan(planned.plan, options.force ?? false);
  let release: (() => Promise<void>) | undefined;
  try {
    release = await planned.service.lockAccount?.({
      ...(options.onLockWait ? { onWait: options.onLockWait } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    // Interrupted while another apply held the account: nothing starts, the report says so.
    if (!options.signal?.aborted) throw error;
  }
  try {
    const current = release && !options.signal?.aborted ? await recheckUnderLock(planned) : planned;
    return await applyPlan(current.plan, {
      service: current.service,
      snapshot: current.snapshot,
      backups: createFileBackupStore(join(current.state.rootDir, BACKUPS_DIR)),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.settleMs !== undefined ? { settleMs: options.settleMs } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
    });
  } finally {
    await release?.();
  }
}

/** The names of every environment of the config, in the order they are declared. */
export async function listEnvironments(options: Pick<PlanEnvironmentOptions, 'cwd' | 'configPath'>): Promise<string[]> {
  const loaded = await loadValidState({ cwd: options.cwd, ...(options.configPath ? { configPath: options.configPath } : {}) });
  return Object.keys(loaded.state.environments);
}

/** Plans without writing and reports drift: out-of-band changes, missing lists, lists not OK, headroom. */
export async function driftEnvironment(options: PlanEnvironmentOptions): Promise<PlannedEnvironment & { report: DriftReport }> {
  const planned = await planEnvironment(options);
  return { ...planned, report: buildDriftReport(planned.plan, planned.snapshot) };
}

/** Options of `exportEnvironment`. */
export interface ExportEnvironmentOptions extends Omit<PlanEnvironmentOptions, 'now'> {
  /** Only lists with these prefixes; every list on the account when empty or absent. */
  prefixes?: string[];
  /** Folder to write to (absolute or relative to `cwd`); default `vocabularies/` beside the config. */
  outDir?: string;
  /** Overwrite existing files. */
  force?: boolean;
  /** Clock, for the files' header comment. */
  now?: () => Date;
}

/** What `exportEnvironment` wrote, and what the config should own afterwards. */
export interface ExportedEnvironment extends ExportResult {
  environment: string;
  /** The config file, to say where the ownership block goes. */
  configFile: string;
  /** `ownership.prefixes` of the environment today (null when the config has none). */
  owned: string[] | null;
}

/** Folder of exported files, relative to the config's folder. */
export const DEFAULT_EXPORT_DIR = 'vocabularies';

/** Writes vocabulary files from the account (adopting it); needs only the config, not valid vocabulary files. */
export async function exportEnvironment(options: ExportEnvironmentOptions): Promise<ExportedEnvironment> {
  const loaded = await loadEnvironment({
    cwd: options.cwd,
    ...(options.configPath ? { configPath: options.configPath } : {}),
    ...(options.environment ? { environment: options.environment } : {}),
  });
  const outDir = options.outDir ? resolve(options.cwd, options.outDir) : resolve(loaded.state.rootDir, DEFAULT_EXPORT_DIR);
  const service = options.service ?? connectService(loaded.environment, { rootDir: loaded.state.rootDir, env: options.env });
  try {
    // Loaded here: it brings the full YAML library, which plan and apply do not need.
    const { exportRemote } = await import('./sync/export-remote.js');
    const result = await exportRemote({
      service,
      prefixes: options.prefixes ?? [],
      outDir,
      force: options.force ?? false,
      environment: loaded.environment.name,
      now: (options.now ?? (() => new Date()))(),
    });
    return { ...result, environment: loaded.environment.name, configFile: loaded.state.configFile, owned: loaded.environment.ownership.prefixes };
  } finally {
    if (!options.service) await service.close?.();
  }
}

/** The live id of every declared vocabulary of one environment (reads only). */
export async function outputsEnvironment(options: PlanEnvironmentOptions): Promise<VocabularyOutputs> {
  const planned = await planEnvironment(options);
  try {
    return collectOutputs(planned.plan, planned.snapshot);
  } finally {
    if (!options.service) await planned.service.close?.();
  }
}
