/**
 * The plan: what apply must do to make the account match the desired state of one environment.
 */
import type { EnvironmentConfig } from '../config/types.js';
import type { WireEntry } from '../dashscope/types.js';
import { canonicalJson, hashText } from './canonical-json.js';
import { checkPlan } from './check-plan.js';
import { PLAN_FORMAT_VERSION, REASON_DUPLICATE, REASON_NOT_DECLARED, REASON_UP_TO_DATE } from './constants.js';
import { describeEntryDiff, diffPrepared } from './diff-entries.js';
import { hashContent, hashPrepared, preparedEqual, prepareEntries, type PreparedEntries } from './normalize-entries.js';
import { scheduleChanges } from './order-changes.js';
import { markNotBefore } from './update-spacing.js';
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

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

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

function plural(count: number, singular: string, pluralForm: string): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
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
  const { environment, remote } = input;
  const owned = new Set(resolveOwnedPrefixes(input.ownedPrefixes, input.desired));
  for (const list of remote.unmanaged) {
    if (owned.has(list.prefix)) {
      // Its content was never read, so it can be neither diffed nor left alone safely.
      throw new Error(
        `remote snapshot lists ${list.vocabulary_id} as unmanaged but its prefix "${list.prefix}" is owned; read the remote with resolveOwnedPrefixes()`,
      );
    }
  }

  const desired = [...input.desired].sort(
    (a, b) => compareText(a.prefix, b.prefix) || compareText(a.target_model, b.target_model) || compareText(a.name, b.name),
  );
  const groups = new Map<string, RemoteVocabulary[]>();
  for (const list of remote.owned) {
    const key = identityKey(list.prefix, list.target_model);
    const group = groups.get(key);
    if (group) group.push(list);
    else groups.set(key, [list]);
  }
  const compareNewestFirst = newestFirstOrder(remote.owned);
  for (const group of groups.values()) group.sort(compareNewestFirst);

  const declared = new Set<string>();
  for (const d of desired) {
    const key = identityKey(d.prefix, d.target_model);
    if (declared.has(key)) throw new Error(`two declared vocabularies share the identity ${d.prefix} (${d.target_model})`);
    declared.add(key);
  }
  // Undeclared identities of a declared prefix: candidates for a replace, newest first.
  const undeclaredByPrefix = new Map<string, RemoteVocabulary[][]>();
  for (const [key, group] of groups) {
    if (declared.has(key)) continue;
    const prefix = group[0]!.prefix;
    const list = undeclaredByPrefix.get(prefix) ?? [];
    list.push(group);
    undeclaredByPrefix.set(prefix, list);
  }
  for (const list of undeclaredByPrefix.values()) list.sort((a, b) => compareNewestFirst(a[0]!, b[0]!));
  const consumed = new Set<RemoteVocabulary[]>();

  // Every list is prepared once, then compared, diffed and hashed from that (each form on first use).
  const preparedRemote = new Map<RemoteVocabulary, PreparedEntries>(remote.owned.map((r) => [r, prepareEntries(r.entries)]));
  const prepared = (r: RemoteVocabulary): PreparedEntries => preparedRemote.get(r)!;
  const desiredHashes = new Map<PlannedVocabulary, string>();
  // Content hashes of remote lists already known: a list kept unchanged holds the desired content.
  const remoteHashes = new Map<RemoteVocabulary, string>();
  const desiredEntries = new Map<PlannedVocabulary, WireEntry[]>();

  const changes: Change[] = [];
  for (const d of desired) {
    const wanted = prepareEntries(d.entries);
    const wantedHash = hashPrepared(d.target_model, wanted);
    desiredHashes.set(d, wantedHash);
    desiredEntries.set(d, wanted.normalized);
    const vocabulary = wanted.normalized;
    const group = groups.get(identityKey(d.prefix, d.target_model));
    if (group) {
      // The OLDEST list that already matches is kept (apply's tie-break between concurrent writers
      // keeps the oldest too, so the id an apply reported stays); if none matches, the newest is
      // updated. A single list is the keeper either way: skip the full comparison.
      const keeper = group.length === 1 ? group[0]! : (group.findLast((r) => preparedEqual(prepared(r), wanted)) ?? group[0]!);
      for (const other of group) if (other !== keeper) changes.push(deleteChange(other, prepared(other), REASON_DUPLICATE));
      const diff = diffPrepared(prepared(keeper), wanted);
      const same = diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
      // No difference means the same normalised entries (identity, weight and translation are all they
      // hold), and the group shares the target model: the same content hash, so it is not computed twice.
      if (same) remoteHashes.set(keeper, wantedHash);
      changes.push({
        action: same ? 'noop' : 'update',
        name: d.name,
        prefix: d.prefix,
        target_model: d.target_model,
        vocabulary_id: keeper.vocabulary_id,
        reason: same ? REASON_UP_TO_DATE : describeEntryDiff(diff),
        entries: diff,
        entry_count: { before: keeper.entries.length, after: d.entries.length },
        ...(same ? {} : { vocabulary }),
      });
      continue;
    }
    const replaced = undeclaredByPrefix.get(d.prefix)?.find((g) => !consumed.has(g));
    if (replaced) {
      consumed.add(replaced);
      const old = replaced[0]!;
      for (const other of replaced.slice(1)) changes.push(deleteChange(other, prepared(other), REASON_DUPLICATE));
      const diff = diffPrepared(prepared(old), wanted);
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
        vocabulary,
      });
      continue;
    }
    changes.push({
      action: 'create',
      name: d.name,
      prefix: d.prefix,
      target_model: d.target_model,
      vocabulary_id: null,
      reason: `new vocabulary, ${plural(vocabulary.length, 'entry', 'entries')}`,
      entries: { added: wanted.keyed.map((k) => k.entry), removed: [], changed: [] },
      entry_count: { before: 0, after: d.entries.length },
      vocabulary,
    });
  }
  for (const [key, group] of groups) {
    if (declared.has(key) || consumed.has(group)) continue;
    // Nothing of this identity is declared: every copy goes, duplicates included.
    for (const list of group) changes.push(deleteChange(list, prepared(list), REASON_NOT_DECLARED));
  }
  changes.sort(compareChanges);
  markNotBefore(changes, remote.owned, environment.apply.update_interval_seconds, input.now);

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

  const observed = observeRemote(remote, (r) => remoteHashes.get(r) ?? hashPrepared(r.target_model, prepared(r)));
  // The hashes computed above are handed on under the new objects: looking them up by the input
  // objects never matched, and every desired list was hashed a second time for the fingerprint.
  const plannedHashes = new Map<PlannedVocabulary, string | undefined>();
  const plannedDesired: PlannedVocabulary[] = desired.map((d) => {
    const planned: PlannedVocabulary = { name: d.name, prefix: d.prefix, target_model: d.target_model, entries: desiredEntries.get(d) ?? [] };
    plannedHashes.set(planned, desiredHashes.get(d));
    return planned;
  });
  return {
    format_version: PLAN_FORMAT_VERSION,
    environment: environment.name,
    fingerprint: fingerprintPlan(environment.name, observed, plannedDesired, (d) => plannedHashes.get(d)),
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
