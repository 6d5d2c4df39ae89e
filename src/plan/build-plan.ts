/**
 * The plan: what apply must do to make the account match the desired state of one environment.
 */
import type { EnvironmentConfig } from '../config/types.js';
import type { WireEntry } from '../dashscope/types.js';
import { canonicalJson, hashText } from './canonical-json.js';
import { checkPlan } from './check-plan.js';
import { PLAN_FORMAT_VERSION, REASON_DUPLICATE, REASON_NOT_DECLARED, REASON_UP_TO_DATE } from './constants.js';
import { describeEntryDiff, diffPrepared, isEmptyDiff } from './diff-entries.js';
import { hashContent, hashPrepared, preparedEqual, prepareEntries, type PreparedEntries } from './normalize-entries.js';
import { scheduleChanges } from './order-changes.js';
import { markNotBefore } from './update-spacing.js';
import { compareText, plural } from '../util/text.js';
import type {
  Change,
  ChangeAction,
  ObservedVocabulary,
  Plan,
  PlannedVocabulary,
  PlanTarget,
  RemoteSnapshot,
  RemoteVocabulary,
} from './types.js';

/** What `buildPlan` needs: everything is given, nothing is read. */
export interface BuildPlanInput {
  /** The environment, its settings merged. */
  environment: EnvironmentConfig;
  /** The vocabularies declared for this environment. */
  desired: PlannedVocabulary[];
  /** The account as read (owned lists in full, unmanaged ones by id). */
  remote: RemoteSnapshot;
  /** Prefixes this repository owns; the desired prefixes are owned whatever this says. */
  ownedPrefixes: string[];
  /** The built-in word cap of a model in the environment's region. */
  wordCap: (targetModel: string) => number;
  /** How to reach the account (recorded in saved plans; no secrets). */
  target: PlanTarget;
  /** Creation time of the plan (ISO 8601); also "now" for the update spacing (`not_before`). */
  now: string;
}

/** The owned prefixes: the configured ones and every declared prefix, sorted and unique. */
export function resolveOwnedPrefixes(ownedPrefixes: readonly string[], desired: readonly Pick<PlannedVocabulary, 'prefix'>[]): string[] {
  return [...new Set([...ownedPrefixes, ...desired.map((d) => d.prefix)])].sort();
}

const ACTION_RANK: Record<ChangeAction, number> = { replace: 0, create: 1, update: 2, noop: 3, delete: 4 };

/** Deterministic order of changes: by prefix, target_model, action, vocabulary_id. */
export function compareChanges(a: Change, b: Change): number {
  return (
    compareText(a.prefix, b.prefix) ||
    compareText(a.target_model, b.target_model) ||
    ACTION_RANK[a.action] - ACTION_RANK[b.action] ||
    compareText(a.vocabulary_id ?? '', b.vocabulary_id ?? '')
  );
}

/**
 * Newest first: by gmt_create, then by the service's own list order (newest first, so earlier is
 * newer; gmt_create has whole seconds and duplicates are often made within one), then by id.
 * The plan and `vocab export` both use it, so export writes the list a plan keeps.
 */
export function newestFirstOrder(listed: readonly RemoteVocabulary[]): (a: RemoteVocabulary, b: RemoteVocabulary) => number {
  const position = new Map(listed.map((r, i) => [r, i]));
  return (a, b) =>
    compareText(b.gmt_create, a.gmt_create) ||
    (position.get(a) ?? 0) - (position.get(b) ?? 0) ||
    compareText(b.vocabulary_id, a.vocabulary_id);
}

function identityKey(prefix: string, targetModel: string): string {
  return `${prefix}\u0000${targetModel}`;
}

function deleteChange(remote: RemoteVocabulary, prepared: PreparedEntries, reason: string): Change {
  return {
    action: 'delete',
    name: null,
    prefix: remote.prefix,
    target_model: remote.target_model,
    vocabulary_id: remote.vocabulary_id,
    reason,
    entries: { added: [], removed: prepared.keyed.map((k) => k.entry), changed: [] },
    entry_count: { before: remote.entries.length, after: 0 },
  };
}

/**
 * Builds the plan of one environment: diffs every declared vocabulary against the remote
 * lists with its identity (prefix, target_model), decides create / update / replace / delete /
 * noop, checks the result and fingerprints what it saw. Pure and deterministic: the same
 * inputs in any order give the same plan.
 */
export function buildPlan(input: BuildPlanInput): Plan {
  assertUnmanagedNotOwned(input);
  // By identity; two declared vocabularies never share one (declaredIdentities refuses it).
  const desired = [...input.desired].sort((a, b) => compareText(a.prefix, b.prefix) || compareText(a.target_model, b.target_model));
  const index = indexRemote(input.remote.owned, declaredIdentities(desired));
  const work: PlanWork = { changes: [], desiredHashes: new Map(), remoteHashes: new Map(), desiredEntries: new Map() };
  for (const d of desired) planVocabulary(d, index, work);
  for (const [key, group] of index.groups) {
    if (index.declared.has(key) || index.consumed.has(group)) continue;
    // Nothing of this identity is declared: every copy goes, duplicates included.
    for (const list of group) work.changes.push(deleteChange(list, index.prepared(list), REASON_NOT_DECLARED));
  }
  work.changes.sort(compareChanges);
  markNotBefore(work.changes, input.remote.owned, input.environment.apply.update_interval_seconds, input.now);
  return assemblePlan(input, desired, index, work);
}

/** An unmanaged list of an owned prefix was never read, so it can be neither diffed nor left alone safely. */
function assertUnmanagedNotOwned(input: BuildPlanInput): void {
  const owned = new Set(resolveOwnedPrefixes(input.ownedPrefixes, input.desired));
  for (const list of input.remote.unmanaged) {
    if (owned.has(list.prefix)) {
      throw new Error(
        `remote snapshot lists ${list.vocabulary_id} as unmanaged but its prefix "${list.prefix}" is owned; read the remote with resolveOwnedPrefixes()`,
      );
    }
  }
}

/** The identities declared, each once. */
function declaredIdentities(desired: readonly PlannedVocabulary[]): Set<string> {
  const declared = new Set<string>();
  for (const d of desired) {
    const key = identityKey(d.prefix, d.target_model);
    if (declared.has(key)) throw new Error(`two declared vocabularies share the identity ${d.prefix} (${d.target_model})`);
    declared.add(key);
  }
  return declared;
}

/** The owned remote lists grouped by identity, newest first, each prepared once. */
interface RemoteIndex {
  groups: Map<string, RemoteVocabulary[]>;
  declared: Set<string>;
  /** Undeclared identities of a declared prefix: candidates for a replace, newest first. */
  undeclaredByPrefix: Map<string, RemoteVocabulary[][]>;
  /** Undeclared groups already taken by a replace. */
  consumed: Set<RemoteVocabulary[]>;
  prepared: (list: RemoteVocabulary) => PreparedEntries;
}

function indexRemote(owned: readonly RemoteVocabulary[], declared: Set<string>): RemoteIndex {
  const groups = new Map<string, RemoteVocabulary[]>();
  for (const list of owned) {
    const key = identityKey(list.prefix, list.target_model);
    const group = groups.get(key);
    if (group) group.push(list);
    else groups.set(key, [list]);
  }
  const compareNewestFirst = newestFirstOrder(owned);
  for (const group of groups.values()) group.sort(compareNewestFirst);
  const undeclaredByPrefix = new Map<string, RemoteVocabulary[][]>();
  for (const [key, group] of groups) {
    if (declared.has(key)) continue;
    const prefix = group[0]!.prefix;
    const list = undeclaredByPrefix.get(prefix) ?? [];
    list.push(group);
    undeclaredByPrefix.set(prefix, list);
  }
  for (const list of undeclaredByPrefix.values()) list.sort((a, b) => compareNewestFirst(a[0]!, b[0]!));
  // Every list is prepared once, then compared, diffed and hashed from that (each form on first use).
  const preparedRemote = new Map<RemoteVocabulary, PreparedEntries>(owned.map((r) => [r, prepareEntries(r.entries)]));
  return { groups, declared, undeclaredByPrefix, consumed: new Set(), prepared: (r) => preparedRemote.get(r)! };
}

/** What the planning of the declared vocabularies produces besides the changes. */
interface PlanWork {
  changes: Change[];
  desiredHashes: Map<PlannedVocabulary, string>;
  /** Content hashes of remote lists already known: a list kept unchanged holds the desired content. */
  remoteHashes: Map<RemoteVocabulary, string>;
  desiredEntries: Map<PlannedVocabulary, WireEntry[]>;
}

/** The change (and duplicate deletes) for one declared vocabulary: update or noop, replace, or create. */
function planVocabulary(d: PlannedVocabulary, index: RemoteIndex, work: PlanWork): void {
  const wanted = prepareEntries(d.entries);
  const wantedHash = hashPrepared(d.target_model, wanted);
  work.desiredHashes.set(d, wantedHash);
  work.desiredEntries.set(d, wanted.normalized);
  const group = index.groups.get(identityKey(d.prefix, d.target_model));
  if (group) {
    work.changes.push(...planKeep(d, group, wanted, wantedHash, index, work));
    return;
  }
  const replaced = index.undeclaredByPrefix.get(d.prefix)?.find((g) => !index.consumed.has(g));
  if (replaced) {
    index.consumed.add(replaced);
    work.changes.push(...planReplace(d, replaced, wanted, index));
    return;
  }
  work.changes.push({
    action: 'create',
    name: d.name,
    prefix: d.prefix,
    target_model: d.target_model,
    vocabulary_id: null,
    reason: `new vocabulary, ${plural(wanted.normalized.length, 'entry', 'entries')}`,
    entries: { added: wanted.keyed.map((k) => k.entry), removed: [], changed: [] },
    entry_count: { before: 0, after: d.entries.length },
    vocabulary: wanted.normalized,
  });
}

/** Lists of the declared identity: the oldest that already matches is kept, else the newest is updated; the rest are deleted. */
function planKeep(
  d: PlannedVocabulary,
  group: readonly RemoteVocabulary[],
  wanted: PreparedEntries,
  wantedHash: string,
  index: RemoteIndex,
  work: PlanWork,
): Change[] {
  // The OLDEST list that already matches is kept (apply's tie-break between concurrent writers
  // keeps the oldest too, so the id an apply reported stays); if none matches, the newest is
  // updated. A single list is the keeper either way: skip the full comparison.
  // Stryker disable next-line ConditionalExpression: the shortcut gives what findLast would
  const keeper = group.length === 1 ? group[0]! : (group.findLast((r) => preparedEqual(index.prepared(r), wanted)) ?? group[0]!);
  const changes = group.filter((other) => other !== keeper).map((other) => deleteChange(other, index.prepared(other), REASON_DUPLICATE));
  const diff = diffPrepared(index.prepared(keeper), wanted);
  const same = isEmptyDiff(diff);
  // No difference means the same normalised entries (identity, weight and translation are all they
  // hold), and the group shares the target model: the same content hash, so it is not computed twice.
  // Stryker disable next-line ConditionalExpression: without it the same hash is computed again from the remote list
  if (same) work.remoteHashes.set(keeper, wantedHash);
  changes.push({
    action: same ? 'noop' : 'update',
    name: d.name,
    prefix: d.prefix,
    target_model: d.target_model,
    vocabulary_id: keeper.vocabulary_id,
    reason: same ? REASON_UP_TO_DATE : describeEntryDiff(diff),
    entries: diff,
    entry_count: { before: keeper.entries.length, after: d.entries.length },
    ...(same ? {} : { vocabulary: wanted.normalized }),
  });
  return changes;
}

/** The newest list of another model with the same prefix becomes this one; its duplicates are deleted. */
function planReplace(d: PlannedVocabulary, replaced: readonly RemoteVocabulary[], wanted: PreparedEntries, index: RemoteIndex): Change[] {
  const old = replaced[0]!;
  const changes = replaced.slice(1).map((other) => deleteChange(other, index.prepared(other), REASON_DUPLICATE));
  const diff = diffPrepared(index.prepared(old), wanted);
  const detail = describeEntryDiff(diff);
  changes.push({
    action: 'replace',
    name: d.name,
    prefix: d.prefix,
    target_model: d.target_model,
    vocabulary_id: old.vocabulary_id,
    reason: `target_model changes from ${old.target_model} to ${d.target_model}${detail ? `; ${detail}` : '; same entries'}`,
    entries: diff,
    entry_count: { before: old.entries.length, after: d.entries.length },
    replaces: { vocabulary_id: old.vocabulary_id, target_model: old.target_model },
    vocabulary: wanted.normalized,
  });
  return changes;
}

/** The plan document around the changes: quota, schedule, checks, fingerprint, what was seen. */
function assemblePlan(input: BuildPlanInput, desired: readonly PlannedVocabulary[], index: RemoteIndex, work: PlanWork): Plan {
  const { environment, remote } = input;
  const { changes } = work;
  const summary: Record<ChangeAction, number> = { create: 0, update: 0, replace: 0, delete: 0, noop: 0 };
  for (const change of changes) summary[change.action]++;
  const settings = copySettings(environment);
  const limit = settings.quota.max_vocabularies;
  const used = remote.owned.length + remote.unmanaged.length;
  const schedule = scheduleChanges(changes, { limit, used }, settings.apply.replace);
  const violations = checkPlan({
    changes,
    usage: { owned: remote.owned.length, unmanaged: remote.unmanaged.length },
    settings,
    wordCap: input.wordCap,
    schedule,
  });
  const observed = observeRemote(remote, (r) => work.remoteHashes.get(r) ?? hashPrepared(r.target_model, index.prepared(r)));
  const { plannedDesired, hashOf } = plannedVocabularies(desired, work);
  return {
    format_version: PLAN_FORMAT_VERSION,
    environment: environment.name,
    fingerprint: fingerprintPlan(environment.name, observed, plannedDesired, hashOf),
    created_at: input.now,
    changes,
    unmanaged: [...remote.unmanaged]
      .sort((a, b) => compareText(a.prefix, b.prefix) || compareText(a.vocabulary_id, b.vocabulary_id))
      .map((u) => ({ vocabulary_id: u.vocabulary_id, prefix: u.prefix })),
    quota: { limit, used, after: used + summary.create - summary.delete, peak: schedule.peak },
    violations,
    summary,
    target: { ...input.target },
    settings,
    desired: plannedDesired,
    observed,
  };
}

/**
 * The desired vocabularies as the plan records them (entries normalised), with their hashes.
 * The hashes computed while planning are handed on under the new objects: looking them up by the
 * input objects never matched, and every desired list was hashed a second time for the fingerprint.
 */
function plannedVocabularies(
  desired: readonly PlannedVocabulary[],
  work: PlanWork,
): { plannedDesired: PlannedVocabulary[]; hashOf: (d: PlannedVocabulary) => string | undefined } {
  const plannedHashes = new Map<PlannedVocabulary, string | undefined>();
  const plannedDesired: PlannedVocabulary[] = desired.map((d) => {
    const planned: PlannedVocabulary = { name: d.name, prefix: d.prefix, target_model: d.target_model, entries: work.desiredEntries.get(d)! };
    plannedHashes.set(planned, work.desiredHashes.get(d));
    return planned;
  });
  // Stryker disable next-line ArrowFunction: without the hashes at hand canonicalDesired computes the same ones again
  return { plannedDesired, hashOf: (d) => plannedHashes.get(d) };
}

/** The settings a saved plan carries, copied field by field so the document has exactly the documented shape. */
function copySettings(environment: EnvironmentConfig): Plan['settings'] {
  return {
    ownership: { prefixes: environment.ownership.prefixes === null ? null : [...environment.ownership.prefixes] },
    quota: { max_vocabularies: environment.quota.max_vocabularies, word_caps: { ...environment.quota.word_caps } },
    safety: { protect: [...environment.safety.protect], max_removed_ratio: environment.safety.max_removed_ratio },
    apply: {
      concurrency: environment.apply.concurrency,
      replace: environment.apply.replace,
      wait_timeout_seconds: environment.apply.wait_timeout_seconds,
      update_interval_seconds: environment.apply.update_interval_seconds,
    },
  };
}

/** Every remote list as a saved plan remembers it, sorted by id. */
export function observeRemote(
  remote: RemoteSnapshot,
  hashOf: (list: RemoteVocabulary) => string = (r) => hashContent(r.target_model, r.entries),
): ObservedVocabulary[] {
  const observed: ObservedVocabulary[] = [
    ...remote.owned.map((r) => ({
      vocabulary_id: r.vocabulary_id,
      prefix: r.prefix,
      gmt_modified: r.gmt_modified,
      content_hash: hashOf(r),
    })),
    // Unmanaged lists matter only by their existence (the quota), not by their edits.
    ...remote.unmanaged.map((u) => ({ vocabulary_id: u.vocabulary_id, prefix: u.prefix, gmt_modified: null, content_hash: null })),
  ];
  return observed.sort((a, b) => compareText(a.vocabulary_id, b.vocabulary_id));
}

/** The desired state in order-free form: what the fingerprint and staleness compare. */
export function canonicalDesired(
  desired: readonly PlannedVocabulary[],
  hashOf: (vocabulary: PlannedVocabulary) => string | undefined = () => undefined,
): string {
  const sorted = [...desired]
    .map((d) => ({ name: d.name, prefix: d.prefix, target_model: d.target_model, content_hash: hashOf(d) ?? hashContent(d.target_model, d.entries) }))
    .sort((a, b) => compareText(a.prefix, b.prefix) || compareText(a.target_model, b.target_model) || compareText(a.name, b.name));
  return canonicalJson(sorted);
}

/** `sha256:` over the environment name, the observed remote (ids, gmt_modified, content hashes) and the desired state. */
export function fingerprintPlan(
  environment: string,
  observed: readonly ObservedVocabulary[],
  desired: readonly PlannedVocabulary[],
  hashOf?: (vocabulary: PlannedVocabulary) => string | undefined,
): string {
  const sortedObserved = [...observed].sort((a, b) => compareText(a.vocabulary_id, b.vocabulary_id));
  return hashText(canonicalJson({ environment, observed: sortedObserved, desired: canonicalDesired(desired, hashOf) }));
}
