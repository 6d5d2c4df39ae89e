/**
 * `vocab drift`: the plan read as a list of differences between the account and the files.
 */
import { DRIFT_FORMAT_VERSION, REASON_DUPLICATE, STATUS_OK } from './constants.js';
import type { Change, ChangeAction, DriftCounts, DriftItem, DriftKind, DriftReport, Plan, RemoteSnapshot } from './types.js';
import { compareText } from '../util/text.js';
import { countEntries } from '../util/text.js';

export type { DriftItem, DriftKind, DriftReport } from './types.js';

/** The drift each action of the plan stands for; a noop stands for none. */
const DRIFT_OF: Readonly<Record<Exclude<ChangeAction, 'delete'>, DriftKind | null>> = {
  update: 'changed',
  create: 'missing',
  replace: 'wrong_model',
  noop: null,
};

function kindOf(change: Change): DriftKind | null {
  if (change.action === 'delete') return change.reason === REASON_DUPLICATE ? 'duplicate' : 'extra';
  return DRIFT_OF[change.action];
}

/** What happened on the account: the plan's diff read the other way round (its adds were removed there). */
function outOfBand(change: Change): DriftCounts {
  return { added: change.entries.removed.length, removed: change.entries.added.length, changed: change.entries.changed.length };
}

/** `4 entries removed out of band (apply would add them back); 1 entry added out of band (apply would remove it)`. */
function describeOutOfBand(counts: DriftCounts): string {
  const them = (n: number): string => (n === 1 ? 'it' : 'them');
  const parts: string[] = [];
  if (counts.removed > 0) parts.push(`${countEntries(counts.removed)} removed out of band (apply would add ${them(counts.removed)} back)`);
  if (counts.added > 0) parts.push(`${countEntries(counts.added)} added out of band (apply would remove ${them(counts.added)})`);
  if (counts.changed > 0) parts.push(`${countEntries(counts.changed)} changed out of band (apply would change ${them(counts.changed)} back)`);
  return parts.join('; ');
}

function messageOf(change: Change, kind: DriftKind): string {
  switch (kind) {
    case 'changed':
      return describeOutOfBand(outOfBand(change));
    case 'missing':
      return `declared but missing from the account (${countEntries(change.entry_count.after)}; apply would create it)`;
    case 'wrong_model':
      return `exists only with target_model ${change.replaces?.target_model ?? '?'} (declared ${change.target_model}; apply would replace it)`;
    case 'duplicate':
      return `a second list with this identity (${countEntries(change.entry_count.before)}; apply would delete it)`;
    default:
      return `owned but not declared (${countEntries(change.entry_count.before)}; apply would delete it)`;
  }
}

/** The counts of a `changed` item in both directions, clearly named. */
function directions(change: Change, kind: DriftKind): Pick<DriftItem, 'out_of_band' | 'apply_would'> {
  if (kind !== 'changed') return {};
  const counts = outOfBand(change);
  return { out_of_band: counts, apply_would: { add: counts.removed, remove: counts.added, change: counts.changed } };
}

/** The drift of an account: every change the plan would make, every owned list not `OK`, and quota headroom. */
export function buildDriftReport(plan: Plan, remote: RemoteSnapshot): DriftReport {
  const items: DriftItem[] = [];
  for (const change of plan.changes) {
    const kind = kindOf(change);
    if (!kind) continue;
    items.push({
      kind,
      name: change.name,
      prefix: change.prefix,
      target_model: change.target_model,
      vocabulary_id: change.vocabulary_id,
      message: messageOf(change, kind),
      ...directions(change, kind),
    });
  }
  const names = new Map(plan.changes.filter((c) => c.vocabulary_id !== null).map((c) => [c.vocabulary_id, c.name]));
  const notOk = remote.owned
    .filter((r) => r.status !== STATUS_OK)
    .sort((a, b) => compareText(a.vocabulary_id, b.vocabulary_id));
  for (const r of notOk) {
    items.push({
      kind: 'not_ok',
      name: names.get(r.vocabulary_id) ?? null,
      prefix: r.prefix,
      target_model: r.target_model,
      vocabulary_id: r.vocabulary_id,
      message: `status ${r.status}: not usable by recognition until it is ${STATUS_OK}`,
      status: r.status,
    });
  }
  return {
    format_version: DRIFT_FORMAT_VERSION,
    environment: plan.environment,
    checked_at: plan.created_at,
    in_sync: items.length === 0,
    items,
    quota: {
      limit: plan.quota.limit,
      used: plan.quota.used,
      unmanaged: plan.unmanaged.length,
      headroom: plan.quota.limit - plan.quota.used,
    },
    violations: plan.violations,
  };
}
