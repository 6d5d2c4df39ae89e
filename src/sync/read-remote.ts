import pLimit from 'p-limit';
import { listAllVocabularies } from '../dashscope/list-all.js';
import { DashScopeError, isVocabularyNotFound } from '../dashscope/errors.js';
import { checkQueriedDetail } from '../dashscope/parse-output.js';
import { wirePrefixOf } from '../dashscope/wire-rules.js';
import type { VocabularyDetail, VocabularyService, VocabularySummary } from '../dashscope/types.js';
import type { RemoteSnapshot, RemoteVocabulary, UnmanagedVocabulary } from '../plan/types.js';

/** How many `query_vocabulary` calls run at once while reading the remote. */
export const DEFAULT_READ_CONCURRENCY = 10;

/** The prefix encoded in a vocabulary id (`vocab-<prefix>-<hex>`), or null when the id has another shape. */
export function prefixOfVocabularyId(vocabularyId: string): string | null {
  return wirePrefixOf(vocabularyId);
}

/** Options of `readRemote`. */
export interface ReadRemoteOptions {
  /** Prefixes whose lists are queried and managed; everything else is unmanaged. `all`: every list. */
  ownedPrefixes: readonly string[] | 'all';
  /** Bound on concurrent queries. */
  concurrency?: number;
  /** The account's listing, when it was started earlier (plan starts it while files load). */
  listing?: Promise<VocabularySummary[]>;
}

/**
 * Lists the whole account, then queries the owned lists concurrently: about
 * (list pages + 1) round trips, not one per list in sequence. `owned` keeps the service's list
 * order (newest first), which the plan uses to tell apart duplicates made within one second.
 */
export async function readRemote(service: VocabularyService, options: ReadRemoteOptions): Promise<RemoteSnapshot> {
  const all = options.ownedPrefixes === 'all';
  const owned = new Set(all ? [] : options.ownedPrefixes);
  const summaries = await (options.listing ?? listAllVocabularies(service));
  const unmanaged: UnmanagedVocabulary[] = [];
  const toQuery: { id: string; prefix: string }[] = [];
  for (const summary of summaries) {
    const prefix = prefixOfVocabularyId(summary.vocabulary_id) ?? '';
    if (all || owned.has(prefix)) toQuery.push({ id: summary.vocabulary_id, prefix });
    else unmanaged.push({ vocabulary_id: summary.vocabulary_id, prefix });
  }
  const limit = pLimit(options.concurrency ?? DEFAULT_READ_CONCURRENCY);
  const queried = await Promise.all(
    toQuery.map(({ id, prefix }) =>
      limit(async (): Promise<RemoteVocabulary | null> => {
        try {
          const detail = checkedDetail(await service.queryVocabulary(id), id);
          return {
            vocabulary_id: id,
            prefix,
            target_model: detail.target_model,
            status: detail.status,
            gmt_create: detail.gmt_create,
            gmt_modified: detail.gmt_modified,
            entries: detail.vocabulary,
          };
        } catch (error) {
          // Deleted between the list and the query (another tool, a concurrent apply): gone is gone.
          if (isVocabularyNotFound(error)) return null;
          throw error;
        }
      }),
    ),
  );
  return { owned: queried.filter((v): v is RemoteVocabulary => v !== null), unmanaged };
}
/** A query answer checked against the wire rules (the embedded account answers without the HTTP client's checks). */
function checkedDetail(detail: VocabularyDetail, id: string): VocabularyDetail {
  const checked = checkQueriedDetail({ ...detail, vocabulary_id: id });
  if (checked.ok) return checked.value;
  throw new DashScopeError({
    action: 'query_vocabulary',
    status: 200,
    code: 'MalformedResponse',
    message: `the answer for ${id} breaks the wire protocol: ${checked.problem}`,
    outcomeUnknown: false,
  });
}
