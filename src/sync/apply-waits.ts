/**
 * The waits of an apply that are not waits for `OK`: for a change's `not_before` (the service's
 * update spacing), and, after a create that timed out, for the lost request to land (or not)
 * before the final check of its identity. Both print progress and stop at a signal.
 */
import { describeError, INTERRUPTED, labelOf, note, skip, type ApplyRun, type ChangeState, type UncertainCreate } from './apply-run.js';
import { deleteIfPresent } from './create-safely.js';
import { listIdentity } from './identity-lists.js';

/** Resolution of the service's times (`gmt_modified` has whole seconds). */
const SERVICE_TIME_RESOLUTION_MS = 1_000;

/** A progress line at least this often during a wait. */
const PROGRESS_INTERVAL_MS = 10_000;

/** Sleeps `ms`, or less when the apply is interrupted meanwhile. */
async function sleepUnlessInterrupted(run: ApplyRun, ms: number): Promise<void> {
  const { signal } = run;
  if (!signal) return run.clock.sleep(ms);
  if (signal.aborted) return;
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve;
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([run.clock.sleep(ms), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Waits until the epoch time `at`, telling `progress` the seconds left at the start and at least
 * every 10 s. Returns false when the apply was interrupted first.
 */
async function waitUntil(run: ApplyRun, at: number, progress: (secondsLeft: number) => void): Promise<boolean> {
  for (;;) {
    if (run.signal?.aborted) return false;
    const left = at - run.clock.now();
    if (left <= 0) return true;
    progress(Math.ceil(left / 1000));
    await sleepUnlessInterrupted(run, Math.min(left, PROGRESS_INTERVAL_MS));
  }
}

/** ISO 8601 UTC to the second: 2026-12-01T06:05:10Z. */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The gate of a change with `not_before`: waits for it when the wait fits in
 * `apply.wait_timeout_seconds`, else skips the change with the time to retry. True: go ahead.
 */
export async function passNotBefore(run: ApplyRun, state: ChangeState): Promise<boolean> {
  const notBefore = state.change.not_before;
  if (notBefore === undefined) return true;
  const at = Date.parse(notBefore);
  if (Number.isNaN(at)) {
    skip(state, `not applied: its not_before (${JSON.stringify(notBefore).slice(0, 40)}) is not a time; plan again`);
    return false;
  }
  // The service's times have whole seconds, so the list may have changed up to 1 s after the
  // gmt_modified that not_before was counted from: wait that much longer.
  const left = at + SERVICE_TIME_RESOLUTION_MS - run.clock.now();
  if (left <= 0) return true;
  const when = isoSeconds(at + SERVICE_TIME_RESOLUTION_MS);
  if (left > run.waitTimeoutMs) {
    state.item.retry_after = when;
    skip(
      state,
      `not yet applied: the service's update spacing allows this change from ${when} (in ${Math.ceil(left / 1000)} s), later than apply.wait_timeout_seconds (${Math.round(run.waitTimeoutMs / 1000)} s); apply again after ${when}`,
    );
    return false;
  }
  const reached = await waitUntil(run, at + SERVICE_TIME_RESOLUTION_MS, (seconds) =>
    run.notify({ kind: 'wait', change: state.change, message: `waiting until ${when} to ${state.change.action} ${labelOf(state.change)} (the service's update spacing): ${seconds} s to go` }),
  );
  if (!reached) skip(state, INTERRUPTED);
  return reached;
}

/**
 * The final check of every identity whose create had an unknown outcome: after a timeout, waits
 * until the lost request has had `settleMs` more to land; then lists the identity, keeps the
 * oldest list, deletes the later copies and reports the id that stays.
 */
export async function settleUncertainCreates(run: ApplyRun): Promise<void> {
  await Promise.all([...run.uncertain.values()].map((u) => settleOne(run, u)));
}

async function settleOne(run: ApplyRun, uncertain: UncertainCreate): Promise<void> {
  const { state } = uncertain;
  if (uncertain.mayLandLate) {
    await waitUntil(run, uncertain.givenUpAt + run.settleMs, (seconds) =>
      run.notify({ kind: 'wait', change: state.change, message: `waiting ${seconds} s in case the create of ${labelOf(state.change)} that timed out lands late` }),
    );
  }
  try {
    await keepOnlyOldest(run, state);
  } catch (error) {
    note(run, state, `could not check ${labelOf(state.change)} for a late copy (${describeError(error)}); "vocab plan" shows any duplicate`);
  }
}

async function keepOnlyOldest(run: ApplyRun, state: ChangeState): Promise<void> {
  const { prefix, target_model: targetModel } = state.change;
  const [oldest, ...later] = await listIdentity(run, prefix, targetModel);
  if (!oldest) return;
  for (const copy of later) {
    // Only lists made since the plan: the plan saw no list of this identity, or it would not create one.
    if (run.planned.has(copy.vocabulary_id)) continue;
    if (await deleteIfPresent(run, copy.vocabulary_id)) {
      run.listCount--;
      note(run, state, `deleted ${copy.vocabulary_id}, a later copy of ${labelOf(state.change)} (a create whose outcome was unknown landed after all)`);
    }
  }
  if (state.item.vocabulary_id !== oldest.vocabulary_id) {
    note(run, state, `${oldest.vocabulary_id} is the list of ${labelOf(state.change)} that stays`);
    state.item.vocabulary_id = oldest.vocabulary_id;
  }
}
