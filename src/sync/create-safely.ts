/**
 * Creating a list without ever leaving a duplicate behind: an uncertain create is looked for
 * before it is tried again, a create refused because the account is full (another writer's
 * lists) is looked for and retried, and after the creates one look at the account (see
 * create-looks.ts) shows every list of each identity: the oldest wins, and the loser deletes its
 * own new list and adopts the winner.
 */
import { DEFAULT_BASE_DELAY_MS, DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_DELAY_MS, DEFAULT_MAX_RETRY_AFTER_MS } from '../dashscope/defaults.js';
import { DashScopeError, isVocabularyNotFound } from '../dashscope/errors.js';
import { ALLOCATION_QUOTA_CODE, computeBackoffDelay } from '../dashscope/retry.js';
import { describeError, identityOf, note, startWrite, type ApplyRun, type ChangeState } from './apply-run.js';
import type { VocabularySummary } from '../dashscope/types.js';
import { findAdoptable, identityRows } from './identity-lists.js';

/**
 * Attempts of one create, the first included, when earlier ones had an unknown outcome or met a
 * full account: as many as the client makes of any other call, since each is made after looking.
 */
const MAX_CREATE_ATTEMPTS = DEFAULT_MAX_ATTEMPTS;

const CREATE_RETRY_POLICY = {
  maxAttempts: MAX_CREATE_ATTEMPTS,
  baseDelayMs: DEFAULT_BASE_DELAY_MS,
  maxDelayMs: DEFAULT_MAX_DELAY_MS,
  maxRetryAfterMs: DEFAULT_MAX_RETRY_AFTER_MS,
};

/** Why a create attempt is worth repeating after a look, or null when it is not. */
function retryReason(error: unknown): 'uncertain' | 'full' | null {
  if (!(error instanceof DashScopeError)) return null;
  if (error.outcomeUnknown) return 'uncertain';
  return error.code === ALLOCATION_QUOTA_CODE ? 'full' : null;
}

/** Sends the create (in an apply slot); after an uncertain or full-account failure, looks, then tries again. */
export async function createSafely(run: ApplyRun, state: ChangeState): Promise<string> {
  const { prefix, target_model: targetModel } = state.change;
  const entries = state.change.vocabulary ?? [];
  for (let attempt = 1; ; attempt++) {
    try {
      const id = await run.looks.track(() => startWrite(run, () => run.service.createVocabulary({ prefix, targetModel, vocabulary: entries })));
      run.known.add(id);
      return id;
    } catch (error) {
      const reason = retryReason(error);
      if (reason === null) throw error;
      if (reason === 'uncertain' && error instanceof DashScopeError) recordUncertain(run, state, error);
      note(run, state, `create of ${prefix} (${targetModel}) ${reason === 'uncertain' ? 'had an unknown outcome' : 'found the account full'} (${describeError(error)}); looking before trying again`);
      // Back off as the client does before any retry: the service may be struggling, a create that
      // did commit has time to show in the list, and another writer time to delete its duplicate.
      await run.clock.sleep(computeBackoffDelay(attempt - 1, CREATE_RETRY_POLICY, run.clock.random));
      const adopted = await findAdoptable(run, run.known, { prefix, targetModel, entries });
      if (adopted) {
        run.known.add(adopted);
        note(run, state, `adopted ${adopted}, which ${reason === 'uncertain' ? 'the uncertain create' : 'another writer'} had made`);
        return adopted;
      }
      if (attempt >= MAX_CREATE_ATTEMPTS) throw error;
    }
  }
}

function recordUncertain(run: ApplyRun, state: ChangeState, error: DashScopeError): void {
  run.uncertain.set(identityOf(state.change.prefix, state.change.target_model), {
    state,
    givenUpAt: run.clock.now(),
    mayLandLate: error.code === 'Timeout',
  });
}

/**
 * The tie-break after a create, on `rows` (every list of the prefix, from a look taken after the
 * create): when an older list of the identity exists (made by another writer at the same time),
 * deletes our own new one and returns the older one.
 */
export async function keepOldest(run: ApplyRun, state: ChangeState, ownId: string, rows: readonly VocabularySummary[]): Promise<VocabularySummary | undefined> {
  const { prefix, target_model: targetModel } = state.change;
  const lists = await identityRows(run, rows, targetModel);
  const oldest = lists[0];
  // Not shown yet, or ours is the oldest: ours stands.
  if (oldest === undefined || oldest.vocabulary_id === ownId) return oldest;
  const kept = oldest.vocabulary_id;
  note(run, state, `${kept} of ${prefix} (${targetModel}) is older than ${ownId} (another apply made both at once): ${ownId} is deleted and ${kept} kept`);
  await deleteIfPresent(run, ownId);
  run.listCount--;
  run.known.add(kept);
  return oldest;
}

/** Deletes a list (in an apply slot); "not found" means another writer did it already. */
export async function deleteIfPresent(run: ApplyRun, id: string): Promise<boolean> {
  try {
    await run.slots(() => run.service.deleteVocabulary(id));
    return true;
  } catch (error) {
    if (isVocabularyNotFound(error)) return false;
    throw error;
  }
}
