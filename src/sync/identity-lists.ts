/**
 * The lists of one identity (prefix, target_model) on the account right now, and the rule that
 * picks the one to keep when several writers made one each: the OLDEST wins. A list that its
 * maker saw alone can never lose to a later one, so every writer, whenever it looks, agrees.
 */
import { listAllVocabularies } from '../dashscope/list-all.js';
import type { VocabularyService, VocabularySummary, WireEntry } from '../dashscope/types.js';
import { entriesEqual } from '../plan/normalize-entries.js';
import { isVocabularyNotFound } from '../dashscope/errors.js';

/** Rows asked for when listing one prefix: the service's default page, which every server fills. */
const PREFIX_PAGE_SIZE = 10;

/** What the identity lookups need: the service, and the models already learnt (an id's model never changes). */
export interface IdentityLookup {
  service: VocabularyService;
  models: Map<string, string>;
}

/** The lists with `prefix`, newest first: one page, or every page when the first is full. */
export async function listPrefix(service: VocabularyService, prefix: string): Promise<VocabularySummary[]> {
  const page = await service.listVocabularies({ prefix, pageIndex: 0, pageSize: PREFIX_PAGE_SIZE });
  return page.length < PREFIX_PAGE_SIZE ? page : listAllVocabularies(service, { prefix });
}

/**
 * Oldest first: by `gmt_create`, then by the service's own order (newest first, so a later row
 * is older; `gmt_create` has whole seconds and concurrent creates often share one), then by id.
 */
function oldestFirst(rows: readonly VocabularySummary[]): VocabularySummary[] {
  const position = new Map(rows.map((row, i) => [row.vocabulary_id, i]));
  return [...rows].sort(
    (a, b) =>
      (a.gmt_create < b.gmt_create ? -1 : a.gmt_create > b.gmt_create ? 1 : 0) ||
      (position.get(b.vocabulary_id) ?? 0) - (position.get(a.vocabulary_id) ?? 0) ||
      (a.vocabulary_id < b.vocabulary_id ? -1 : a.vocabulary_id > b.vocabulary_id ? 1 : 0),
  );
}

/** Learns the model of every row not seen before (lists deleted meanwhile are left out). */
async function learnModels(lookup: IdentityLookup, rows: readonly VocabularySummary[]): Promise<void> {
  const unknown = rows.filter((row) => !lookup.models.has(row.vocabulary_id));
  await Promise.all(
    unknown.map(async (row) => {
      try {
        lookup.models.set(row.vocabulary_id, (await lookup.service.queryVocabulary(row.vocabulary_id)).target_model);
      } catch (error) {
        if (!isVocabularyNotFound(error)) throw error;
      }
    }),
  );
}

/** Every list of (prefix, targetModel) on the account now, oldest first (the first is the one to keep). */
export async function listIdentity(lookup: IdentityLookup, prefix: string, targetModel: string): Promise<VocabularySummary[]> {
  return identityRows(lookup, await listPrefix(lookup.service, prefix), targetModel);
}

/** The rows of `targetModel` among `rows` (all of one prefix, newest first), oldest first. */
export async function identityRows(lookup: IdentityLookup, rows: readonly VocabularySummary[], targetModel: string): Promise<VocabularySummary[]> {
  await learnModels(lookup, rows);
  return oldestFirst(rows.filter((row) => lookup.models.get(row.vocabulary_id) === targetModel));
}

/**
 * A list that a create whose outcome is unknown may have made: same prefix, model and entries,
 * and not one of `known` (the lists on the account before, and those this apply made).
 */
export async function findAdoptable(
  lookup: IdentityLookup,
  known: ReadonlySet<string>,
  create: { prefix: string; targetModel: string; entries: WireEntry[] },
): Promise<string | null> {
  const rows = oldestFirst(await listPrefix(lookup.service, create.prefix));
  for (const row of rows) {
    if (known.has(row.vocabulary_id)) continue;
    try {
      const detail = await lookup.service.queryVocabulary(row.vocabulary_id);
      lookup.models.set(row.vocabulary_id, detail.target_model);
      if (detail.target_model === create.targetModel && entriesEqual(detail.vocabulary, create.entries)) return row.vocabulary_id;
    } catch (error) {
      if (!isVocabularyNotFound(error)) throw error;
    }
  }
  return null;
}
