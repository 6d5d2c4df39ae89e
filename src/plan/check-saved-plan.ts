/**
 * A saved plan is untrusted input: anyone who can write the file can edit it. It may narrow
 * what apply does (leave changes out), never widen it. These checks compare it with the plan
 * that the current config, the current vocabulary files and the account give now: the settings
 * must be the config's, the quota figures the account's, and every change it holds must be one
 * that the fresh plan makes, exactly. Pure: the caller builds both plans.
 */
import { canonicalJson } from './canonical-json.js';
import { checkPlan } from './check-plan.js';
import { scheduleChanges } from './order-changes.js';
import { isTargeted } from './target-changes.js';
import type { Change, ChangeAction, Plan } from './types.js';
import { isRecord } from '../util/is-record.js';

/** The saved plan compared with the fresh one: why it is refused (empty: it is not), and the plan to apply. */
export interface SavedPlanCheck {
  /** Each reason the saved plan is refused, one line each. */
  refusals: string[];
  /** The fresh plan, narrowed to the changes the saved plan holds. */
  plan: Plan;
  /** Changes of the fresh plan that the saved plan left out (not applied). */
  left_out: Change[];
}

/** What the checks of the narrowed plan need besides the plans. */
export interface SavedPlanCheckOptions {
  /** Lists on the account now, by kind. */
  usage: { owned: number; unmanaged: number };
  /** The built-in word cap of a model in the environment's region. */
  wordCap: (targetModel: string) => number;
}

/** `a.b.c` paths of the leaves of a settings object (arrays are leaves), with their canonical JSON. */
function flatten(value: unknown, path: string, into: Map<string, string>): Map<string, string> {
  if (isRecord(value)) {
    for (const [key, member] of Object.entries(value)) flatten(member, path === '' ? key : `${path}.${key}`, into);
  } else {
    into.set(path, canonicalJson(value ?? null));
  }
  return into;
}

/** Each setting whose value in the saved plan is not the config's, e.g. `safety.protect is [] in the plan file but ["movies"] in the config`. */
export function describeSettingsChanges(saved: Plan['settings'], current: Plan['settings']): string[] {
  const before = flatten(saved, '', new Map());
  const now = flatten(current, '', new Map());
  const lines: string[] = [];
  for (const path of [...new Set([...before.keys(), ...now.keys()])].sort()) {
    const was = before.get(path) ?? '(absent)';
    const is = now.get(path) ?? '(absent)';
    if (was !== is) lines.push(`${path} is ${was} in the plan file but ${is} in the config`);
  }
  return lines;
}

/** What makes two changes the same operation on the account. */
function changeKey(change: Change): string {
  return canonicalJson({
    action: change.action,
    name: change.name,
    prefix: change.prefix,
    target_model: change.target_model,
    vocabulary_id: change.vocabulary_id,
    replaces: change.replaces ?? null,
    vocabulary: change.vocabulary ?? null,
    entry_count: change.entry_count,
  });
}

/** `update movies (fun-asr) vocab-movies-…`. */
function describeChange(change: Change): string {
  const id = change.vocabulary_id === null ? '' : ` ${change.vocabulary_id}`;
  return `${change.action} ${change.name ?? change.prefix} (${change.target_model})${id}`;
}

/** Why a change of the plan file is refused: outside the plan's targets, or not called for at all. */
function describeUnwanted(change: Change, fresh: Plan): string {
  if (fresh.targets && !isTargeted(change, fresh.targets, fresh.changes)) {
    return `the plan file holds "${describeChange(change)}", outside its targets (${fresh.targets.join(', ')}): a plan made with --target applies only to those vocabularies`;
  }
  return `the plan file holds "${describeChange(change)}", which the config, the vocabulary files and the account do not call for`;
}

/** The saved plan's changes matched with the fresh plan's: those it may keep, and those that widen it. */
function matchChanges(saved: Plan, fresh: Plan): { refusals: string[]; kept: Set<Change> } {
  const available = new Map<string, Change[]>();
  for (const change of fresh.changes) {
    if (change.action === 'noop') continue;
    const key = changeKey(change);
    available.set(key, [...(available.get(key) ?? []), change]);
  }
  const refusals: string[] = [];
  const kept = new Set<Change>();
  for (const change of saved.changes) {
    if (change.action === 'noop') continue;
    const match = available.get(changeKey(change))?.shift();
    if (match) kept.add(match);
    else refusals.push(describeUnwanted(change, fresh));
  }
  return { refusals, kept };
}

/** The fresh plan with only the kept changes (and every noop), its quota, summary and checks recomputed. */
function narrow(fresh: Plan, kept: Set<Change>, options: SavedPlanCheckOptions): Plan {
  const changes = fresh.changes.filter((c) => c.action === 'noop' || kept.has(c));
  if (changes.length === fresh.changes.length) return fresh;
  const summary: Record<ChangeAction, number> = { create: 0, update: 0, replace: 0, delete: 0, noop: 0 };
  for (const change of changes) summary[change.action]++;
  const { limit, used } = fresh.quota;
  const schedule = scheduleChanges(changes, { limit, used }, fresh.settings.apply.replace);
  const checked = checkPlan({ changes, usage: options.usage, settings: fresh.settings, wordCap: options.wordCap, schedule });
  // The delete-all guard is about what the files declare, so it is judged on the whole plan:
  // a change left out does not make a declared vocabulary undeclared.
  const violations = [
    ...checked.filter((v) => v.rule !== 'delete_all'),
    ...(summary.delete > 0 ? fresh.violations.filter((v) => v.rule === 'delete_all') : []),
  ];
  return { ...fresh, changes, summary, violations, quota: { limit, used, after: used + summary.create - summary.delete, peak: schedule.peak } };
}

/**
 * Checks a saved plan against the fresh plan of the same environment (same fingerprint: the
 * caller refuses a stale plan first), limited by the saved plan's targets when it has any
 * (`targetPlan`). Refuses other settings, other quota figures, other targets and any change the
 * fresh plan does not make (outside the targets included); changes left out of the saved plan
 * are not applied.
 */
export function checkSavedPlan(saved: Plan, fresh: Plan, options: SavedPlanCheckOptions): SavedPlanCheck {
  const refusals = describeSettingsChanges(saved.settings, fresh.settings);
  if (canonicalJson(saved.targets ?? null) !== canonicalJson(fresh.targets ?? null)) {
    refusals.push(`the plan file's targets ${canonicalJson(saved.targets ?? null)} are not the ones it is checked with ${canonicalJson(fresh.targets ?? null)}`);
  }
  const matched = matchChanges(saved, fresh);
  const plan = narrow(fresh, matched.kept, options);
  // The figures of the whole plan, or of the narrowed one when the file was made narrow.
  const quota = canonicalJson(saved.quota);
  if (quota !== canonicalJson(fresh.quota) && quota !== canonicalJson(plan.quota)) {
    refusals.push(`the quota figures of the plan file ${quota} are not the account's and the config's ${canonicalJson(fresh.quota)}`);
  }
  refusals.push(...matched.refusals);
  const left_out = fresh.changes.filter((c) => c.action !== 'noop' && !matched.kept.has(c));
  return { refusals, plan, left_out };
}
