/**
 * Carries out a checked plan: waves from the quota-safe schedule; within a wave, writes bounded
 * by `apply.concurrency` while the waits for `OK` run outside those slots; one failure never
 * stopping the others; a signal starting nothing new. See create-safely.ts for how creates stay
 * single even with an uncertain outcome or a second writer at work.
 */
import pLimit from 'p-limit';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { DEFAULT_TIMEOUT_MS } from '../dashscope/defaults.js';
import type { VocabularyService } from '../dashscope/types.js';
import { scheduleChanges, type Step } from '../plan/order-changes.js';
import type { ApplyResult, Plan, RemoteSnapshot } from '../plan/types.js';
import {
  backUp,
  describeError,
  initialStates,
  interruptedReason,
  labelOf,
  note,
  NotStarted,
  resultOf,
  skip,
  startWrite,
  type ApplyProgressEvent,
  type ApplyRun,
  type ChangeState,
} from './apply-run.js';
import { passNotBefore, settleUncertainCreates } from './apply-waits.js';
import type { BackupStore } from './backups.js';
import { createSafely, keepOldest } from './create-safely.js';
import { isVocabularyNotFound } from '../dashscope/errors.js';
import { CreateLooks } from './create-looks.js';
import { createStatusWatcher } from './status-watcher.js';

export type { ApplyProgressEvent } from './apply-run.js';

/**
 * After a create that timed out, how long the final check waits for the lost request to land:
 * as long again as the client waited for it, so a request held by the network for up to twice
 * the client's timeout is caught.
 */
const DEFAULT_SETTLE_MS = DEFAULT_TIMEOUT_MS;

/** Options of `applyPlan`. */
export interface ApplyPlanOptions {
  service: VocabularyService;
  /** The remote read that the plan was built from: source of the backups. */
  snapshot: RemoteSnapshot;
  backups: BackupStore;
  /** Overrides `plan.settings.apply.concurrency`. */
  concurrency?: number;
  /** Overrides `plan.settings.apply.wait_timeout_seconds` (in ms). */
  waitTimeoutMs?: number;
  /** After a create that timed out, how long the final check waits for it to land (default 30 s). */
  settleMs?: number;
  /** Once aborted, no new change starts; changes in flight finish; the result has `interrupted`. */
  signal?: AbortSignal;
  onProgress?: (event: ApplyProgressEvent) => void;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Jitter of the pause between create attempts (default Math.random). */
  random?: () => number;
}

/**
 * Carries out a checked plan and reports what did and did not happen. A create whose outcome is
 * unknown is looked for before it is tried again, and every create ends with a tie-break against
 * other writers, so no duplicate is left.
 */
export async function applyPlan(plan: Plan, options: ApplyPlanOptions): Promise<ApplyResult> {
  const schedule = scheduleChanges(plan.changes, { limit: plan.quota.limit, used: plan.quota.used }, plan.settings.apply.replace);
  const stepsPerChange = new Map<number, number>();
  for (const wave of schedule.waves) for (const step of wave) stepsPerChange.set(step.changeIndex, (stepsPerChange.get(step.changeIndex) ?? 0) + 1);
  const run = startRun(plan, options);
  const states = initialStates(plan, stepsPerChange);
  for (const wave of schedule.waves) {
    if (run.signal?.aborted) break;
    await Promise.all(wave.map((step) => runStep(run, states[step.changeIndex]!, step)));
  }
  await settleUncertainCreates(run);
  if (run.signal?.aborted) for (const state of states) if (state.stepsLeft > 0) skip(state, interruptedReason(state));
  return resultOf(run, states);
}

function startRun(plan: Plan, options: ApplyPlanOptions): ApplyRun {
  const signal = options.signal;
  // The default sleep ends early at a signal, so an interrupted apply exits without waiting out a timer.
  const sleep = options.sleep ?? ((ms: number) => sleepFor(ms, undefined, signal ? { signal } : {}).catch(() => undefined));
  const now = options.now ?? Date.now;
  const planned = new Set(plan.observed.map((o) => o.vocabulary_id));
  const run: ApplyRun = {
    plan,
    service: options.service,
    backups: options.backups,
    clock: { now, sleep, random: options.random ?? Math.random },
    signal,
    notify: options.onProgress ?? (() => undefined),
    waitTimeoutMs: options.waitTimeoutMs ?? plan.settings.apply.wait_timeout_seconds * 1000,
    settleMs: options.settleMs ?? DEFAULT_SETTLE_MS,
    slots: pLimit(Math.max(1, options.concurrency ?? plan.settings.apply.concurrency)),
    // Waits for OK are not cut short by a signal: a change in flight finishes.
    watcher: createStatusWatcher({ service: options.service, now, sleep: options.sleep ?? ((ms: number) => sleepFor(ms).then(() => undefined)) }),
    byId: new Map(options.snapshot.owned.map((v) => [v.vocabulary_id, v])),
    known: new Set(planned),
    planned,
    models: new Map(options.snapshot.owned.map((v) => [v.vocabulary_id, v.target_model])),
    uncertain: new Map(),
    listCount: plan.quota.used,
    looks: new CreateLooks(options.service, () => run.listCount),
  };
  return run;
}

async function runStep(run: ApplyRun, state: ChangeState, step: Step): Promise<void> {
  if (state.broken) return;
  if (run.signal?.aborted) return skip(state, interruptedReason(state));
  if (!state.started && !(await passNotBefore(run, state))) return;
  state.started = true;
  try {
    if (step.operation === 'create') await runCreate(run, state);
    else if (step.operation === 'update') await runUpdate(run, state);
    else await runDelete(run, state);
    finishStep(run, state);
  } catch (error) {
    if (error instanceof NotStarted) return skip(state, run.signal?.aborted ? interruptedReason(state) : error.message);
    state.broken = true;
    state.item.status = 'failed';
    state.item.error = describeError(error);
    run.notify({ kind: 'failed', change: state.change, message: `${state.change.action} ${labelOf(state.change)} failed: ${state.item.error}` });
  }
}

function finishStep(run: ApplyRun, state: ChangeState): void {
  state.stepsLeft--;
  if (state.stepsLeft > 0) return;
  state.item.status = 'applied';
  run.notify({ kind: 'done', change: state.change, message: `${state.change.action} ${labelOf(state.change)} done` });
}

async function runCreate(run: ApplyRun, state: ChangeState): Promise<void> {
  const { change } = state;
  if (run.listCount + 1 > run.plan.quota.limit) {
    throw new NotStarted(`no room on the account (${run.listCount} of ${run.plan.quota.limit} lists) because a delete that was to free room did not happen`);
  }
  run.listCount++;
  run.notify({ kind: 'start', change, message: `creating ${change.prefix} (${change.target_model}, ${change.entry_count.after} entries)` });
  let id: string;
  try {
    id = await createSafely(run, state);
  } catch (error) {
    run.listCount--;
    throw error;
  }
  run.models.set(id, change.target_model);
  const kept = await keepOldest(run, state, id, await run.looks.lookAfterCreate(change.prefix));
  id = kept?.vocabulary_id ?? id;
  state.item.vocabulary_id = id;
  // The look shows the status too: a list already OK needs no wait.
  if (kept?.status === 'OK') return;
  await run.watcher.waitForOk(id, run.waitTimeoutMs, (message) => run.notify({ kind: 'wait', change, message }));
}

async function runUpdate(run: ApplyRun, state: ChangeState): Promise<void> {
  const { change } = state;
  const id = change.vocabulary_id!;
  run.notify({ kind: 'start', change, message: `updating ${id} (${change.reason})` });
  await startWrite(run, async () => {
    await backUp(run, state, id, 'update');
    await run.service.updateVocabulary(id, change.vocabulary ?? []);
  });
  await run.watcher.waitForOk(id, run.waitTimeoutMs, (message) => run.notify({ kind: 'wait', change, message }));
}

async function runDelete(run: ApplyRun, state: ChangeState): Promise<void> {
  const { change } = state;
  const id = change.action === 'replace' ? change.replaces!.vocabulary_id : change.vocabulary_id!;
  run.notify({ kind: 'start', change, message: `deleting ${id}` });
  const deleted = await startWrite(run, async () => {
    await backUp(run, state, id, change.action === 'replace' ? 'replace' : 'delete');
    try {
      await run.service.deleteVocabulary(id);
      return true;
    } catch (error) {
      // Already gone (deleted by an earlier, interrupted attempt, or another apply): the goal is reached.
      if (!isVocabularyNotFound(error)) throw error;
      return false;
    }
  });
  if (!deleted) note(run, state, `${id} was already gone`);
  run.listCount--;
}
