import pLimit from 'p-limit';
import { listAllVocabularies } from '../dashscope/list-all.js';
import { DEFAULT_BASE_DELAY_MS, DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_DELAY_MS, DEFAULT_MAX_RETRY_AFTER_MS } from '../dashscope/defaults.js';
import { DashScopeError, isVocabularyNotFound } from '../dashscope/errors.js';
import { computeBackoffDelay } from '../dashscope/retry.js';
import type { VocabularyService, WireEntry } from '../dashscope/types.js';
import type { BackupStore } from './backups.js';
import { entriesEqual } from '../plan/normalize-entries.js';
import { scheduleChanges, type Step } from '../plan/order-changes.js';
import type { ApplyResult, ApplyResultItem, Change, Plan, RemoteSnapshot, RemoteVocabulary } from '../plan/types.js';

/** First pause between two status polls while waiting for `OK`. */
export const WAIT_FIRST_DELAY_MS = 250;
/** Longest pause between two status polls. */
export const WAIT_MAX_DELAY_MS = 5_000;
/** Growth of the pause between status polls. */
export const WAIT_BACKOFF_FACTOR = 1.6;
/**
 * Attempts of one create, the first included, when earlier ones had an unknown outcome: as many
 * as the client makes of any other call, since each new attempt is made only after looking.
 */
export const MAX_CREATE_ATTEMPTS = DEFAULT_MAX_ATTEMPTS;

/** One thing apply reports while it works (the CLI prints these on stderr). */
export interface ApplyProgressEvent {
  kind: 'start' | 'wait' | 'done' | 'failed' | 'skipped' | 'note';
  change: Change;
  message: string;
}

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
  onProgress?: (event: ApplyProgressEvent) => void;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Jitter of the pause between create attempts (default Math.random). */
  random?: () => number;
}

const CREATE_RETRY_POLICY = {
  maxAttempts: MAX_CREATE_ATTEMPTS,
  baseDelayMs: DEFAULT_BASE_DELAY_MS,
  maxDelayMs: DEFAULT_MAX_DELAY_MS,
  maxRetryAfterMs: DEFAULT_MAX_RETRY_AFTER_MS,
};

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Why something failed, in one line; never the API key (the client has redacted it already). */
function describeError(error: unknown): string {
  if (error instanceof DashScopeError) {
    const code = error.code ? `${error.code}: ` : '';
    const id = error.requestId ? ` (request id ${error.requestId})` : '';
    return `${code}${error.message}${id}`;
  }
  return error instanceof Error ? error.message : String(error);
}

interface ChangeState {
  change: Change;
  item: ApplyResultItem;
  /** A step of this change failed or could not run: its later steps are skipped. */
  broken: boolean;
  /** Why the change was not carried out, when it was skipped. */
  skipReason?: string;
}

/**
 * Carries out a checked plan: waves from the quota-safe schedule, the steps of one wave
 * concurrently (bounded), one failure never stopping the others. A create whose outcome is
 * unknown is looked for before it is tried again, so no duplicate is made.
 */
export async function applyPlan(plan: Plan, options: ApplyPlanOptions): Promise<ApplyResult> {
  const { service, backups } = options;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const notify = options.onProgress ?? (() => undefined);
  const random = options.random ?? Math.random;
  const waitTimeoutMs = options.waitTimeoutMs ?? plan.settings.apply.wait_timeout_seconds * 1000;
  const byId = new Map<string, RemoteVocabulary>(options.snapshot.owned.map((v) => [v.vocabulary_id, v]));
  // Every id this apply knows about: a list found after an uncertain create is adopted only if new.
  const claimed = new Set<string>(plan.observed.map((o) => o.vocabulary_id));

  const states: ChangeState[] = plan.changes.map((change) => ({
    change,
    broken: false,
    item: {
      action: change.action,
      name: change.name,
      prefix: change.prefix,
      target_model: change.target_model,
      status: 'skipped',
      vocabulary_id: change.vocabulary_id,
    },
  }));

  const schedule = scheduleChanges(
    plan.changes,
    { limit: plan.quota.limit, used: plan.quota.used },
    plan.settings.apply.replace,
  );
  const stepsLeft = new Map<number, number>();
  for (const wave of schedule.waves) for (const step of wave) stepsLeft.set(step.changeIndex, (stepsLeft.get(step.changeIndex) ?? 0) + 1);

  // Lists on the account as apply goes: a create that would go over the quota (because a
  // delete that was to free room failed) is skipped rather than sent.
  let listCount = plan.quota.used;

  const note = (state: ChangeState, text: string): void => {
    (state.item.notes ??= []).push(text);
    notify({ kind: 'note', change: state.change, message: text });
  };

  const backup = async (state: ChangeState, id: string, reason: 'update' | 'replace' | 'delete'): Promise<void> => {
    const previous = byId.get(id);
    if (!previous) return;
    const file = await backups.save(previous, reason, new Date(now()));
    note(state, `backup: ${file}`);
  };

  const waitUntilOk = async (state: ChangeState, id: string): Promise<void> => {
    const deadline = now() + waitTimeoutMs;
    let delay = WAIT_FIRST_DELAY_MS;
    for (let polls = 0; ; polls++) {
      const detail = await service.queryVocabulary(id);
      if (detail.status === 'OK') return;
      if (polls === 0) notify({ kind: 'wait', change: state.change, message: `waiting for ${id} to be OK (status ${detail.status})` });
      if (now() + delay > deadline) {
        throw new Error(`${id} is still ${detail.status} after ${Math.round(waitTimeoutMs / 1000)} s (apply.wait_timeout_seconds)`);
      }
      await sleep(delay);
      delay = Math.min(WAIT_MAX_DELAY_MS, delay * WAIT_BACKOFF_FACTOR);
    }
  };

  /** Looks for a list that an uncertain create may have made: same prefix, model and entries, not known before. */
  const findAdoptable = async (prefix: string, targetModel: string, entries: WireEntry[]): Promise<string | null> => {
    const rows = await listAllVocabularies(service, { prefix });
    for (const row of rows) {
      if (claimed.has(row.vocabulary_id)) continue;
      try {
        const detail = await service.queryVocabulary(row.vocabulary_id);
        if (detail.target_model === targetModel && entriesEqual(detail.vocabulary, entries)) return row.vocabulary_id;
      } catch (error) {
        if (!isVocabularyNotFound(error)) throw error;
      }
    }
    return null;
  };

  const createSafely = async (state: ChangeState): Promise<string> => {
    const { prefix, target_model: targetModel } = state.change;
    const entries = state.change.vocabulary ?? [];
    for (let attempt = 1; ; attempt++) {
      try {
        const id = await service.createVocabulary({ prefix, targetModel, vocabulary: entries });
        claimed.add(id);
        return id;
      } catch (error) {
        if (!(error instanceof DashScopeError && error.outcomeUnknown)) throw error;
        note(state, `create of ${prefix} (${targetModel}) had an unknown outcome (${describeError(error)}); looking before trying again`);
        // Back off as the client does before any retry: the service may be struggling, and a
        // create that did commit has time to show in the list.
        await sleep(computeBackoffDelay(attempt - 1, CREATE_RETRY_POLICY, random));
        const adopted = await findAdoptable(prefix, targetModel, entries);
        if (adopted) {
          claimed.add(adopted);
          note(state, `adopted ${adopted}, which the uncertain create had made`);
          return adopted;
        }
        if (attempt >= MAX_CREATE_ATTEMPTS) throw error;
      }
    }
  };

  const runStep = async (step: Step): Promise<void> => {
    const state = states[step.changeIndex]!;
    const { change } = state;
    if (state.broken) return;
    try {
      if (step.operation === 'create') {
        if (listCount + 1 > plan.quota.limit) {
          state.broken = true;
          state.skipReason = `no room on the account (${listCount} of ${plan.quota.limit} lists) because a delete that was to free room did not happen`;
          return;
        }
        listCount++;
        notify({ kind: 'start', change, message: `creating ${change.prefix} (${change.target_model}, ${change.entry_count.after} entries)` });
        let id: string;
        try {
          id = await createSafely(state);
        } catch (error) {
          listCount--;
          throw error;
        }
        state.item.vocabulary_id = id;
        await waitUntilOk(state, id);
      } else if (step.operation === 'update') {
        const id = change.vocabulary_id!;
        notify({ kind: 'start', change, message: `updating ${id} (${change.reason})` });
        await backup(state, id, 'update');
        await service.updateVocabulary(id, change.vocabulary ?? []);
        await waitUntilOk(state, id);
      } else {
        const id = change.action === 'replace' ? change.replaces!.vocabulary_id : change.vocabulary_id!;
        notify({ kind: 'start', change, message: `deleting ${id}` });
        await backup(state, id, change.action === 'replace' ? 'replace' : 'delete');
        try {
          await service.deleteVocabulary(id);
        } catch (error) {
          // Already gone (deleted by an earlier, interrupted attempt): the goal is reached.
          if (!isVocabularyNotFound(error)) throw error;
          note(state, `${id} was already gone`);
        }
        listCount--;
      }
      const left = (stepsLeft.get(step.changeIndex) ?? 1) - 1;
      stepsLeft.set(step.changeIndex, left);
      if (left === 0) {
        state.item.status = 'applied';
        notify({ kind: 'done', change, message: `${change.action} ${change.prefix} (${change.target_model}) done` });
      }
    } catch (error) {
      state.broken = true;
      state.item.status = 'failed';
      state.item.error = describeError(error);
      notify({ kind: 'failed', change, message: `${change.action} ${change.prefix} (${change.target_model}) failed: ${state.item.error}` });
    }
  };

  const limit = pLimit(Math.max(1, options.concurrency ?? plan.settings.apply.concurrency));
  for (const wave of schedule.waves) {
    await Promise.all(wave.map((step) => limit(() => runStep(step))));
  }

  for (const s of states) {
    if (s.change.action !== 'noop' && s.item.status === 'skipped') {
      s.item.error = s.skipReason ?? 'not carried out';
      notify({ kind: 'skipped', change: s.change, message: `${s.change.action} ${s.change.prefix} (${s.change.target_model}) skipped: ${s.item.error}` });
    }
  }
  const results = states.filter((s) => s.change.action !== 'noop').map((s) => s.item);
  return {
    format_version: 1,
    environment: plan.environment,
    results,
    summary: {
      applied: results.filter((r) => r.status === 'applied').length,
      failed: results.filter((r) => r.status === 'failed').length,
      skipped: results.filter((r) => r.status === 'skipped').length,
    },
  };
}
