/**
 * The checks a plan must pass before apply: the account quota through the whole ordered apply,
 * per-model word caps, and the safety rules (`protect`, `max_removed_ratio`, delete-all).
 */
import type { EnvironmentConfig } from '../config/types.js';
import { MIN_ENTRIES_FOR_REMOVED_RATIO } from './constants.js';
import { countChanges, minimumPeak, replaceOverhead, scheduleChanges, type Schedule } from './order-changes.js';
import type { Change, Plan, Violation } from './types.js';
import { plural } from '../util/text.js';

/** What `checkPlan` looks at. */
export interface CheckPlanInput {
  /** Every planned change, noops included (the delete-all guard tells "nothing declared" from them). */
  changes: readonly Change[];
  /** Lists on the account now, by kind (both count against the quota). */
  usage: { owned: number; unmanaged: number };
  settings: Pick<EnvironmentConfig, 'quota' | 'safety' | 'apply'>;
  /** The built-in word cap of a model in the environment's region (`quota.word_caps` wins over it). */
  wordCap: (targetModel: string) => number;
  /** The ordered apply, when the caller has it already. */
  schedule?: Schedule;
}

function percent(ratio: number): string {
  return `${Math.round(ratio * 1000) / 10}%`;
}

function label(change: Change): string {
  return `${change.name ?? change.prefix} (${change.target_model})`;
}

/** Every violated check of a plan, each with its arithmetic. Empty when the plan may be applied. */
export function checkPlan(input: CheckPlanInput): Violation[] {
  return [...checkQuota(input), ...checkWordCaps(input), ...checkProtect(input), ...checkRemovedRatio(input), ...checkDeleteAll(input)];
}

function checkQuota(input: CheckPlanInput): Violation[] {
  const limit = input.settings.quota.max_vocabularies;
  const used = input.usage.owned + input.usage.unmanaged;
  const strategy = input.settings.apply.replace;
  const schedule = input.schedule ?? scheduleChanges(input.changes, { limit, used }, strategy);
  if (schedule.feasible) return [];
  const counts = countChanges(input.changes);
  const needed = minimumPeak(counts, used, strategy);
  if (needed <= limit) {
    // Not a matter of arithmetic (should not happen): say what the ordering found.
    return [{ rule: 'quota', message: `the apply cannot be ordered within the quota of ${limit} lists: ${schedule.reason ?? 'no room'}`, overridable: false }];
  }
  const terms = [`${used} now: ${input.usage.owned} owned + ${input.usage.unmanaged} unmanaged`];
  if (counts.deletes > 0) terms.push(`-${counts.deletes} deleted first`);
  if (counts.creates > 0) terms.push(`+${plural(counts.creates, 'create')}`);
  if (replaceOverhead(counts, strategy) > 0) {
    terms.push(`+1 for ${counts.replaces === 1 ? 'a replace' : 'each replace, one at a time,'} created before its old list is deleted`);
  }
  const advice =
    replaceOverhead(counts, strategy) > 0 && needed - 1 <= limit
      ? '; apply.replace: destroy_before_create would fit'
      : '; delete lists or raise quota.max_vocabularies if the account allows more';
  return [
    {
      rule: 'quota',
      message: `the apply needs ${needed} lists at its peak (${terms.join('; ')}) but the account allows ${limit}${advice}`,
      overridable: false,
    },
  ];
}

function checkWordCaps(input: CheckPlanInput): Violation[] {
  const violations: Violation[] = [];
  for (const change of input.changes) {
    if (change.action !== 'create' && change.action !== 'update' && change.action !== 'replace') continue;
    const override = input.settings.quota.word_caps[change.target_model];
    const cap = override ?? input.wordCap(change.target_model);
    if (!Number.isFinite(cap) || change.entry_count.after <= cap) continue;
    violations.push({
      rule: 'word_cap',
      message: `${label(change)} would hold ${change.entry_count.after} entries but ${change.target_model} allows ${cap} per list (${change.entry_count.after - cap} too many)`,
      overridable: false,
      prefix: change.prefix,
      target_model: change.target_model,
    });
  }
  return violations;
}

function checkProtect(input: CheckPlanInput): Violation[] {
  const protectedPrefixes = new Set(input.settings.safety.protect);
  const violations: Violation[] = [];
  for (const change of input.changes) {
    if (!protectedPrefixes.has(change.prefix)) continue;
    if (change.action === 'delete') {
      violations.push({
        rule: 'protect',
        message: `${change.prefix} is protected (safety.protect) but the plan deletes ${change.vocabulary_id ?? 'it'} (${change.target_model}, ${plural(change.entry_count.before, 'entry', 'entries')}; ${change.reason})`,
        overridable: true,
        prefix: change.prefix,
        target_model: change.target_model,
      });
    } else if (change.action === 'replace') {
      violations.push({
        rule: 'protect',
        message: `${change.prefix} is protected (safety.protect) but the plan replaces ${change.replaces?.vocabulary_id ?? 'it'} (${change.replaces?.target_model ?? '?'} -> ${change.target_model}): its vocabulary_id changes`,
        overridable: true,
        prefix: change.prefix,
        target_model: change.target_model,
      });
    }
  }
  return violations;
}

function checkRemovedRatio(input: CheckPlanInput): Violation[] {
  const maxRatio = input.settings.safety.max_removed_ratio;
  const violations: Violation[] = [];
  for (const change of input.changes) {
    // A replace rewrites the same prefix's list, so losing entries there is the same risk.
    if (change.action !== 'update' && change.action !== 'replace') continue;
    const before = change.entry_count.before;
    if (before < MIN_ENTRIES_FOR_REMOVED_RATIO) continue;
    const removed = change.entries.removed.length;
    const ratio = removed / before;
    if (ratio <= maxRatio) continue;
    violations.push({
      rule: 'max_removed_ratio',
      message: `${label(change)} would lose ${removed} of ${before} entries (${percent(ratio)}), more than safety.max_removed_ratio ${maxRatio} (${percent(maxRatio)})`,
      overridable: true,
      prefix: change.prefix,
      target_model: change.target_model,
    });
  }
  return violations;
}

function checkDeleteAll(input: CheckPlanInput): Violation[] {
  const deletes = input.changes.filter((c) => c.action === 'delete');
  // Something is still declared (create, update, replace or noop): not everything goes.
  if (deletes.length === 0 || deletes.length !== input.changes.length) return [];
  return [
    {
      rule: 'delete_all',
      message: `this would delete every owned vocabulary (${plural(deletes.length, 'list')}: ${deletes.map((c) => c.prefix).filter((p, i, all) => all.indexOf(p) === i).join(', ')}) and declares none; check the vocabularies glob and the environments of the vocabulary files`,
      overridable: true,
    },
  ];
}

/** True when the plan must not be applied: any violation that `force` does not override. */
export function isPlanRefused(plan: Pick<Plan, 'violations'>, options: { force: boolean }): boolean {
  return plan.violations.some((v) => !v.overridable || !options.force);
}
