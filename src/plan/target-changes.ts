/**
 * `--target NAME`: a plan limited to some vocabularies, as Terraform's -target. The changes of
 * the other vocabularies are left out of the plan, but the checks still see the whole account:
 * the lists left out stay as they are, so they count against the quota and keep the delete-all
 * guard from firing on a plan that deletes one list. Pure.
 */
import { checkPlan } from './check-plan.js';
import { scheduleChanges } from './order-changes.js';
import type { Change, ChangeAction, LeftOutChange, Plan } from './types.js';

/** The changes a target selects, those left out, and what the checks must look at. */
export interface TargetedChanges {
  /** Changes of the targeted vocabularies (noops included). */
  selected: Change[];
  /** Changes of other vocabularies, which this plan does not make. */
  leftOut: LeftOutChange[];
  /** The selected changes, and every other list as it is on the account (a noop). */
  forChecks: Change[];
}

/**
 * True when a target names the change's vocabulary: its declared name or its prefix. A copy of
 * a named vocabulary (same prefix and model, deleted as a `duplicate`) goes with it: `all` is
 * the plan's changes, where the named one is found.
 */
export function isTargeted(change: Pick<Change, 'name' | 'prefix' | 'target_model'>, targets: readonly string[], all: readonly Change[]): boolean {
  return targets.some(
    (t) =>
      t === change.name ||
      t === change.prefix ||
      // Declared identities are unique, so only an undeclared copy can share a named one's.
      all.some((c) => c.name === t && c.prefix === change.prefix && c.target_model === change.target_model),
  );
}

/** A change as the plan lists it when `--target` leaves it out. */
function leftOutOf(change: Change & { action: LeftOutChange['action'] }): LeftOutChange {
  return {
    action: change.action,
    name: change.name,
    prefix: change.prefix,
    target_model: change.target_model,
    vocabulary_id: change.vocabulary_id,
    reason: change.reason,
  };
}

/** Splits the changes by the targets; with no targets everything is selected. */
export function targetChanges(changes: readonly Change[], targets: readonly string[] | undefined): TargetedChanges {
  if (!targets || targets.length === 0) return { selected: [...changes], leftOut: [], forChecks: [...changes] };
  const selected: Change[] = [];
  const leftOut: LeftOutChange[] = [];
  const forChecks: Change[] = [];
  for (const change of changes) {
    if (isTargeted(change, targets, changes)) {
      selected.push(change);
      forChecks.push(change);
      continue;
    }
    if (change.action === 'noop') {
      forChecks.push(change);
      continue;
    }
    leftOut.push(leftOutOf({ ...change, action: change.action }));
    // A create left out adds nothing; anything else left out is a list that stays as it is.
    if (change.action !== 'create') {
      forChecks.push({ ...change, action: 'noop', entries: { added: [], removed: [], changed: [] } });
    }
  }
  return { selected, leftOut, forChecks };
}

/** Targets that name no vocabulary and no list of the plan (its changes before any targeting). */
export function unmatchedTargets(changes: readonly Change[], targets: readonly string[]): string[] {
  return targets.filter((t) => !changes.some((c) => isTargeted(c, [t], changes)));
}

/** Every name a target may give: the declared names and the prefixes of the plan, sorted and unique. */
export function targetNames(plan: Pick<Plan, 'changes' | 'desired'>): string[] {
  // Every declared name is in `desired`; the changes add the prefixes of lists nothing declares.
  const names = [...plan.desired.map((d) => d.name), ...plan.changes.map((c) => c.prefix)];
  return [...new Set(names)].sort();
}

function countActions(changes: readonly Change[]): Record<ChangeAction, number> {
  const summary: Record<ChangeAction, number> = { create: 0, update: 0, replace: 0, delete: 0, noop: 0 };
  for (const change of changes) summary[change.action]++;
  return summary;
}

/** What `targetPlan` needs besides the plan. */
export interface TargetPlanOptions {
  /** The built-in word cap of a model in the environment's region (`quota.word_caps` wins over it). */
  wordCap: (targetModel: string) => number;
}

/**
 * The plan limited to the changes of the targeted vocabularies (`targets` and `left_out` set),
 * its quota and checks computed over the whole account: the lists left out count as they are.
 * The delete-all guard fires only when the whole plan declares nothing and this one would leave
 * no owned list. Unmatched targets are the caller's to refuse (`unmatchedTargets`) first.
 */
export function targetPlan(plan: Plan, targets: readonly string[], options: TargetPlanOptions): Plan {
  const wanted = [...new Set(targets)];
  if (wanted.length === 0) return plan;
  const { selected, leftOut, forChecks } = targetChanges(plan.changes, wanted);
  const summary = countActions(selected);
  const { limit, used } = plan.quota;
  const unmanaged = plan.unmanaged.length;
  const schedule = scheduleChanges(forChecks, { limit, used }, plan.settings.apply.replace);
  const checked = checkPlan({ changes: forChecks, usage: { owned: used - unmanaged, unmanaged }, settings: plan.settings, wordCap: options.wordCap, schedule });
  const declaresNone = plan.violations.some((v) => v.rule === 'delete_all');
  return {
    ...plan,
    changes: selected,
    summary,
    quota: { limit, used, after: used + summary.create - summary.delete, peak: schedule.peak },
    violations: checked.filter((v) => v.rule !== 'delete_all' || declaresNone),
    targets: wanted,
    left_out: leftOut,
  };
}
