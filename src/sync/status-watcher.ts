/**
 * Waiting for lists to be `OK` after a create or update, for every change of an apply at once:
 * one poll answers for every list waited on (a page of `list_vocabulary` carries each list's
 * status), so eight lists waiting cost one request per round, not eight. The waits hold no
 * apply slot: writes go on while lists deploy.
 */
import type { VocabularyService } from '../dashscope/types.js';
import { isVocabularyNotFound } from '../dashscope/errors.js';

/** First pause between two status polls of a list. */
const WAIT_FIRST_DELAY_MS = 250;
/** Longest pause between two status polls. */
const WAIT_MAX_DELAY_MS = 5_000;
/** Growth of the pause between status polls. */
const WAIT_BACKOFF_FACTOR = 1.6;
/** A progress line at least this often while a list is not `OK`. */
const WAIT_NOTICE_INTERVAL_MS = 10_000;
/** Rows of the status page: the newest lists, which are the ones just created. */
const STATUS_PAGE_SIZE = 10;

/** Options of `createStatusWatcher`. */
export interface StatusWatcherOptions {
  service: VocabularyService;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** Waits for lists to be `OK`. */
export interface StatusWatcher {
  /**
   * Resolves when `id` is `OK`; rejects after `timeoutMs`, or when the list is gone or a poll
   * fails. `onWaiting` gets a progress line (what it waits for, how long so far) at least every 10 s.
   */
  waitForOk(id: string, timeoutMs: number, onWaiting: (message: string) => void): Promise<void>;
}

interface Waiter {
  id: string;
  startedAt: number;
  deadline: number;
  timeoutMs: number;
  nextPollAt: number;
  delay: number;
  polls: number;
  lastNoticeAt: number;
  onWaiting: (message: string) => void;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** A watcher whose polls serve every list waited on at the time. */
export function createStatusWatcher(options: StatusWatcherOptions): StatusWatcher {
  return new BatchedStatusWatcher(options);
}

class BatchedStatusWatcher implements StatusWatcher {
  private readonly waiters = new Set<Waiter>();
  private running = false;
  private wake: (() => void) | undefined;

  constructor(private readonly options: StatusWatcherOptions) {}

  waitForOk(id: string, timeoutMs: number, onWaiting: (message: string) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const t = this.options.now();
      // The first poll is at once: a service without a deploy delay answers OK straight away.
      this.waiters.add({ id, startedAt: t, deadline: t + timeoutMs, timeoutMs, nextPollAt: t, delay: WAIT_FIRST_DELAY_MS, polls: 0, lastNoticeAt: t, onWaiting, resolve, reject });
      if (this.running) this.wake?.();
      else this.loop().catch((error: unknown) => [...this.waiters].forEach((w) => this.settle(w, error)));
    });
  }

  /** Sleeps until the next poll is due (or a new list joins), polls, and again while lists wait. */
  private async loop(): Promise<void> {
    this.running = true;
    try {
      while (this.waiters.size > 0) {
        const pause = Math.min(...[...this.waiters].map((w) => w.nextPollAt)) - this.options.now();
        if (pause > 0) {
          const woken = new Promise<void>((resolve) => {
            this.wake = resolve;
          });
          await Promise.race([this.options.sleep(pause), woken]);
        }
        this.wake = undefined;
        await this.pollOnce([...this.waiters].filter((w) => w.nextPollAt <= this.options.now()));
      }
    } finally {
      this.running = false;
    }
  }

  /** One round: a list page answers for every list waited on; queries only for due lists it did not show. */
  private async pollOnce(due: Waiter[]): Promise<void> {
    if (due.length === 0) return;
    const all = [...this.waiters];
    let statuses: Map<string, string | null>;
    try {
      statuses = await readStatuses(this.options.service, all.map((w) => w.id), new Set(due.map((w) => w.id)));
    } catch (error) {
      for (const w of due) this.settle(w, error);
      return;
    }
    for (const w of all) {
      const status = statuses.get(w.id);
      if (status === 'OK') this.settle(w);
      else if (due.includes(w)) this.advance(w, status ?? null);
    }
  }

  private settle(w: Waiter, error?: unknown): void {
    this.waiters.delete(w);
    if (error === undefined) w.resolve();
    else w.reject(error);
  }

  /** A list not OK yet: fails it past its deadline, else tells how long so far and schedules its next poll. */
  private advance(w: Waiter, status: string | null): void {
    if (status === null) return this.settle(w, new Error(`${w.id} disappeared from the account while waiting for it to be OK`));
    const t = this.options.now();
    if (t + w.delay > w.deadline) {
      return this.settle(w, new Error(`${w.id} is still ${status} after ${Math.round(w.timeoutMs / 1000)} s (apply.wait_timeout_seconds)`));
    }
    if (w.polls === 0 || t - w.lastNoticeAt >= WAIT_NOTICE_INTERVAL_MS) {
      const waited = Math.round((t - w.startedAt) / 1000);
      w.onWaiting(`waiting for ${w.id} to be OK (status ${status}${w.polls === 0 ? '' : `, ${waited} s so far`})`);
      w.lastNoticeAt = t;
    }
    w.polls++;
    // A poll no later than the next progress line is due, so the lines come at least every 10 s.
    w.nextPollAt = Math.min(t + w.delay, w.lastNoticeAt + WAIT_NOTICE_INTERVAL_MS);
    w.delay = Math.min(WAIT_MAX_DELAY_MS, w.delay * WAIT_BACKOFF_FACTOR);
  }
}

/**
 * The status of each id: one page of `list_vocabulary` for them all (the newest lists come
 * first, and new lists are the newest), then a query for each id in `mustKnow` that the page did
 * not show. `null`: the list is gone.
 */
async function readStatuses(service: VocabularyService, ids: readonly string[], mustKnow: ReadonlySet<string>): Promise<Map<string, string | null>> {
  const statuses = new Map<string, string | null>();
  const rows = await service.listVocabularies({ pageIndex: 0, pageSize: STATUS_PAGE_SIZE });
  for (const row of rows) if (ids.includes(row.vocabulary_id)) statuses.set(row.vocabulary_id, row.status);
  const missing = [...mustKnow].filter((id) => !statuses.has(id));
  await Promise.all(
    missing.map(async (id) => {
      try {
        statuses.set(id, (await service.queryVocabulary(id)).status);
      } catch (error) {
        if (!isVocabularyNotFound(error)) throw error;
        statuses.set(id, null);
      }
    }),
  );
  return statuses;
}
