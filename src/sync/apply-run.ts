/**
 * What the steps of one apply share: the service, the clock, the slots that bound writes, the
 * ids known to the plan, and one record per change of what happened to it.
 */
import type { LimitFunction } from 'p-limit';
import { DashScopeError } from '../dashscope/errors.js';
import type { VocabularyService } from '../dashscope/types.js';
import type { ApplyResult, ApplyResultItem, Change, Plan, RemoteVocabulary } from '../plan/types.js';
import type { BackupStore } from './backups.js';
import type { CreateLooks } from './create-looks.js';
import type { StatusWatcher } from './status-watcher.js';

/** One thing apply reports while it works (the CLI prints these on stderr). */
export interface ApplyProgressEvent {
  kind: 'start' | 'wait' | 'done' | 'failed' | 'skipped' | 'note';
  change: Change;
  message: string;
}

/** What happened to one change so far. */
export interface ChangeState {
  change: Change;
  item: ApplyResultItem;
  /** A step of this change failed or could not run: its later steps are skipped. */
  broken: boolean;
  /** Why the change was not carried out, when it was skipped. */
  skipReason?: string;
  /** Steps of the change (a replace has two), and those still to run. */
  totalSteps: number;
  stepsLeft: number;
  /** Its first step has begun (its `not_before` gate is passed). */
  started: boolean;
}

/** A create whose outcome was unknown: checked once more at the end of the apply. */
export interface UncertainCreate {
  state: ChangeState;
  /** When the last uncertain attempt was given up (epoch ms). */
  givenUpAt: number;
  /** The client gave up waiting (a timeout): the request may still land later. */
  mayLandLate: boolean;
}

/** Clock and waits of an apply (injectable for tests). */
export interface ApplyClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

/** Everything the steps of one apply share. */
export interface ApplyRun {
  plan: Plan;
  service: VocabularyService;
  backups: BackupStore;
  clock: ApplyClock;
  signal: AbortSignal | undefined;
  notify: (event: ApplyProgressEvent) => void;
  waitTimeoutMs: number;
  /** How long after a create that timed out the final check waits for it to land (or not). */
  settleMs: number;
  /** Bounds the writes in flight (`apply.concurrency`); waits run outside it. */
  slots: LimitFunction;
  watcher: StatusWatcher;
  /** The tie-break looks after creates, one for every create that finished before it. */
  looks: CreateLooks;
  /** Owned lists as read at plan time, by id (the source of backups). */
  byId: Map<string, RemoteVocabulary>;
  /** Ids on the account at plan time, and those this apply made or adopted. */
  known: Set<string>;
  /** Ids on the account at plan time only. */
  planned: ReadonlySet<string>;
  /** target_model of lists seen while applying (it never changes for an id). */
  models: Map<string, string>;
  /** Creates with an unknown outcome, by identity. */
  uncertain: Map<string, UncertainCreate>;
  /** Lists on the account as apply goes (a create that would go over the quota is skipped). */
  listCount: number;
}

/** The key of an identity (prefix, target_model). */
export function identityOf(prefix: string, targetModel: string): string {
  return `${prefix}\u0000${targetModel}`;
}

/** Why something failed, in one line; never the API key (the client has redacted it already). */
export function describeError(error: unknown): string {
  if (error instanceof DashScopeError) {
    const code = error.code ? `${error.code}: ` : '';
    const id = error.requestId ? ` (request id ${error.requestId})` : '';
    return `${code}${error.message}${id}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Adds a note to a change's result and reports it. */
export function note(run: ApplyRun, state: ChangeState, text: string): void {
  (state.item.notes ??= []).push(text);
  run.notify({ kind: 'note', change: state.change, message: text });
}

/** `prefix (model)`: how a change is named in messages. */
export function labelOf(change: Change): string {
  return `${change.prefix} (${change.target_model})`;
}

/** One record per change, every change `skipped` until it runs. */
export function initialStates(plan: Plan, stepsPerChange: ReadonlyMap<number, number>): ChangeState[] {
  return plan.changes.map((change, index) => ({
    change,
    broken: false,
    totalSteps: stepsPerChange.get(index) ?? 0,
    stepsLeft: stepsPerChange.get(index) ?? 0,
    started: false,
    item: {
      action: change.action,
      name: change.name,
      prefix: change.prefix,
      target_model: change.target_model,
      status: 'skipped',
      vocabulary_id: change.vocabulary_id,
    },
  }));
}

/** Why a change that did not start was skipped after a signal. */
export const INTERRUPTED = 'not started: the apply was interrupted';

/** Thrown by a step that finds it must not start (interrupted, or no room): the change is skipped. */
export class NotStarted extends Error {}

/** Runs a write in an apply slot, unless the apply was interrupted while it waited for the slot. */
export function startWrite<T>(run: ApplyRun, write: () => Promise<T>): Promise<T> {
  return run.slots(() => {
    if (run.signal?.aborted) throw new NotStarted(INTERRUPTED);
    return write();
  });
}

/** Why a change was skipped after a signal: not started, or stopped between its steps. */
export function interruptedReason(state: ChangeState): string {
  const done = state.totalSteps - state.stepsLeft;
  return done > 0 ? `interrupted after ${done} of its ${state.totalSteps} steps; the next apply finishes it` : INTERRUPTED;
}

/** Marks a change skipped (its remaining steps do not run) with the reason. */
export function skip(state: ChangeState, reason: string): void {
  state.broken = true;
  state.skipReason ??= reason;
}

/** Saves the previous content of a list before it is overwritten or deleted. */
export async function backUp(run: ApplyRun, state: ChangeState, id: string, reason: 'update' | 'replace' | 'delete'): Promise<void> {
  const previous = run.byId.get(id);
  if (!previous) return;
  const file = await run.backups.save(previous, reason, new Date(run.clock.now()));
  note(run, state, `backup: ${file}`);
}

/** The report: every change but the no-ops, with the counts. */
export function resultOf(run: ApplyRun, states: readonly ChangeState[]): ApplyResult {
  for (const s of states) {
    if (s.change.action !== 'noop' && s.item.status === 'skipped') {
      s.item.error = s.skipReason ?? 'not carried out';
      run.notify({ kind: 'skipped', change: s.change, message: `${s.change.action} ${labelOf(s.change)} skipped: ${s.item.error}` });
    }
  }
  const results = states.filter((s) => s.change.action !== 'noop').map((s) => s.item);
  return {
    format_version: 1,
    environment: run.plan.environment,
    results,
    summary: {
      applied: results.filter((r) => r.status === 'applied').length,
      failed: results.filter((r) => r.status === 'failed').length,
      skipped: results.filter((r) => r.status === 'skipped').length,
    },
    ...(run.signal?.aborted ? { interrupted: true } : {}),
  };
}
