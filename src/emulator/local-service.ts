/**
 * The embedded `local` account: the emulator's account rules run in-process on a JSON state
 * file, no port and no network. Writes are read-modify-write under an exclusive lock file and
 * land atomically, so concurrent `vocab` runs on one file lose nothing.
 */
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { DashScopeError } from '../dashscope/errors.js';
import type {
  CreateVocabularyInput,
  ListVocabulariesInput,
  VocabularyAction,
  VocabularyDetail,
  VocabularyService,
  VocabularySummary,
  WireEntry,
} from '../dashscope/types.js';
import {
  executeRequest,
  generateRandomHexId,
  resolveAccountRules,
  type AccountEnvironment,
  type AccountRulesOptions,
} from './account.js';
import {
  DEFAULT_APPLY_LOCK_TIMEOUT_MS,
  DEFAULT_LOCAL_API_KEY,
  DEFAULT_LOCAL_UNDEPLOYED_MS,
  DEFAULT_LOCAL_UPDATE_INTERVAL_MS,
  SPEECH_BIASING_MODEL,
} from './constants.js';
import { acquireFileLock, withFileLock, type FileLockOptions } from './lock-file.js';
import { loadStateFile, saveStateFile } from './persistence.js';
import type { EmulatorState } from './state.js';
import { ServiceRejection } from './service-rejection.js';
import { createEmptyAccount, ensureAccount, fingerprintApiKey } from './state.js';

/** Options of `createLocalVocabularyService`. */
export interface LocalVocabularyServiceOptions extends AccountRulesOptions {
  /** The state file (created with its folder on first write). */
  stateFile: string;
  /** Names the account inside the file (only its fingerprint is stored); default `sk-local-emulator`. */
  apiKey?: string;
  /** UNDEPLOYED period after a create or update, ms (default 0: the demo is instant). */
  undeployedMs?: number;
  /** Least time between writes of one list, ms (default 0: the demo can be edited and re-applied at once). */
  updateIntervalMs?: number;
  /** Lock file tuning (stale lock age, wait timeout). */
  lock?: FileLockOptions;
  /** Clock, epoch ms (default `Date.now`). */
  now?: () => number;
  /** Source of the 32 hex characters of new ids (default random). */
  generateId?: () => string;
}

/** The lock guarding each write to a state file. */
export function lockPathFor(stateFile: string): string {
  return `${stateFile}.lock`;
}

/** The lock held by an apply for its whole length, so two applies to one state file take turns. */
export function applyLockPathFor(stateFile: string): string {
  return `${stateFile}.apply.lock`;
}

/**
 * Reads the state for list and query. A plan lists the account and then queries every owned
 * list: without this, each of those reads would parse the whole state file again (12 parses of
 * 12 MB for 10 lists of 10,000 entries). Writes replace the file by rename, so (inode, size,
 * mtime) names one version, and list and query only read the state (query copies the entries
 * it returns).
 */
function createCachedStateReader(stateFile: string): () => Promise<EmulatorState> {
  let cachedRead: { version: string; state: Promise<EmulatorState> } | undefined;
  return async () => {
    let version: string;
    try {
      const info = await stat(stateFile);
      version = `${info.ino}:${info.size}:${info.mtimeMs}`;
    } catch {
      return loadStateFile(stateFile); // missing file: an empty state, nothing to cache
    }
    if (cachedRead?.version !== version) cachedRead = { version, state: loadStateFile(stateFile) };
    return cachedRead.state;
  };
}

/** A rejection of the account rules as the error a client of the real service would get. */
function asDashScopeError(error: unknown, action: VocabularyAction): unknown {
  if (!(error instanceof ServiceRejection)) return error;
  return new DashScopeError({
    message: error.message,
    status: error.status,
    code: error.code,
    requestId: randomUUID(),
    action,
    outcomeUnknown: false,
  });
}

type LocalRun = (action: VocabularyAction, input: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** Runs one action on the state file: reads without a lock, writes under the lock. */
function createLocalRunner(options: LocalVocabularyServiceOptions): LocalRun {
  const apiKey = options.apiKey ?? DEFAULT_LOCAL_API_KEY;
  const env: AccountEnvironment = {
    rules: resolveAccountRules(options, { undeployedMs: DEFAULT_LOCAL_UNDEPLOYED_MS, updateIntervalMs: DEFAULT_LOCAL_UPDATE_INTERVAL_MS }),
    now: options.now ?? Date.now,
    generateId: options.generateId ?? generateRandomHexId,
  };
  const readStateForQuery = createCachedStateReader(options.stateFile);
  return async (action, input) => {
    const body = { model: SPEECH_BIASING_MODEL, input: { action, ...input } };
    try {
      if (action === 'list_vocabulary' || action === 'query_vocabulary') {
        // Reads need no lock: writes replace the file by rename, so a reader sees a whole state.
        const state = await readStateForQuery();
        const account = state.accounts[fingerprintApiKey(apiKey)] ?? createEmptyAccount();
        return executeRequest(account, body, env).output;
      }
      return await withFileLock(
        lockPathFor(options.stateFile),
        async () => {
          const state = await loadStateFile(options.stateFile);
          const result = executeRequest(ensureAccount(state, apiKey), body, env);
          if (result.wrote) await saveStateFile(options.stateFile, state);
          return result.output;
        },
        options.lock,
      );
    } catch (error) {
      throw asDashScopeError(error, action);
    }
  };
}

/** A `VocabularyService` backed by the embedded account in `options.stateFile`. */
export function createLocalVocabularyService(options: LocalVocabularyServiceOptions): VocabularyService {
  const run = createLocalRunner(options);
  return {
    async createVocabulary(input: CreateVocabularyInput): Promise<string> {
      const output = await run('create_vocabulary', {
        target_model: input.targetModel,
        prefix: input.prefix,
        vocabulary: input.vocabulary,
      });
      return String(output.vocabulary_id);
    },
    async listVocabularies(input: ListVocabulariesInput = {}): Promise<VocabularySummary[]> {
      const output = await run('list_vocabulary', {
        prefix: input.prefix ?? null,
        page_index: input.pageIndex,
        page_size: input.pageSize,
      });
      return output.vocabulary_list as VocabularySummary[];
    },
    async queryVocabulary(vocabularyId: string): Promise<VocabularyDetail> {
      const output = await run('query_vocabulary', { vocabulary_id: vocabularyId });
      return { ...(output as Omit<VocabularyDetail, 'vocabulary_id'>), vocabulary_id: vocabularyId };
    },
    async updateVocabulary(vocabularyId: string, vocabulary: WireEntry[]): Promise<void> {
      await run('update_vocabulary', { vocabulary_id: vocabularyId, vocabulary });
    },
    async deleteVocabulary(vocabularyId: string): Promise<void> {
      await run('delete_vocabulary', { vocabulary_id: vocabularyId });
    },
    async lockAccount(lockOptions = {}) {
      return acquireFileLock(applyLockPathFor(options.stateFile), {
        ...(options.lock?.staleMs !== undefined ? { staleMs: options.lock.staleMs } : {}),
        timeoutMs: DEFAULT_APPLY_LOCK_TIMEOUT_MS,
        ...(lockOptions.onWait ? { onWait: lockOptions.onWait } : {}),
        ...(lockOptions.signal ? { signal: lockOptions.signal } : {}),
      });
    },
    async close(): Promise<void> {
      // Nothing held between calls: every call takes and releases its own lock.
    },
  };
}
