import { DEFAULT_LIST_PAGE_SIZE, MAX_LIST_PAGES } from './defaults.js';
import { DashScopeError } from './errors.js';
import { checkListedRows } from './parse-output.js';
import type { VocabularyService, VocabularySummary } from './types.js';

/** Options of `listAllVocabularies`. */
export interface ListAllVocabulariesOptions {
  /** Only lists with this prefix; every list when omitted. */
  prefix?: string | undefined;
  /** Page size asked for first. Default `DEFAULT_LIST_PAGE_SIZE` (10, the service's own default). */
  pageSize?: number | undefined;
  /** Hard limit on round trips. Default `MAX_LIST_PAGES`. */
  maxPages?: number | undefined;
  /** Told when the server answered the same page twice, so the result may be incomplete. */
  onWarning?: ((message: string) => void) | undefined;
}

/**
 * Every vocabulary of the account (or of one prefix), all pages, newest first, each id once.
 *
 * Stop rule. The largest page the service returns is undocumented, so a page shorter than
 * asked for can be either the end or a silent cap:
 * - an empty page always ends the listing;
 * - a short page (0 < n < size) at a size the server has not yet been seen to fill may be a
 *   cap: continue with size n (the observed cap) at the offset reached so far, i.e.
 *   page_index = rows so far / n when that divides exactly, else restart from page 0 at size n
 *   and rely on the dedupe;
 * - once the server has filled a page of the current size (or the size is a cap it showed),
 *   a short page is definitively the end;
 * - a page that repeats the previous page (a server ignoring page_index) ends the listing,
 *   and `maxPages` bounds everything.
 * With the default size 10, an account of 7 lists takes 2 calls (7 rows, then an empty page
 * at size 7): one call cannot tell "7 lists" from "a server that caps pages at 7".
 * Rows are deduplicated by vocabulary_id, since lists created meanwhile shift the pages.
 */
export async function listAllVocabularies(
  service: VocabularyService,
  options: ListAllVocabulariesOptions = {},
): Promise<VocabularySummary[]> {
  const requested = options.pageSize ?? DEFAULT_LIST_PAGE_SIZE;
  if (!Number.isInteger(requested) || requested < 1) {
    throw new RangeError(`page size must be an integer >= 1, got ${requested}`);
  }
  const maxPages = options.maxPages ?? MAX_LIST_PAGES;
  const byId = new Map<string, VocabularySummary>();
  let size = requested;
  // True once the server is known to return `size` rows on a page, so a shorter page is the end.
  let sizeProven = false;
  let pageIndex = 0;
  let previousIds: string | undefined;
  for (let pages = 0; ; pages++) {
    if (pages >= maxPages) {
      throw new DashScopeError({
        action: 'list_vocabulary',
        status: 0,
        code: 'PaginationLimit',
        message: `listing did not end after ${maxPages} pages; the server's pagination looks broken`,
        outcomeUnknown: false,
      });
    }
    const rows = checkedRows(
      await service.listVocabularies({
        ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
        pageIndex,
        pageSize: size,
      }),
    );
    if (rows.length === 0) break;
    const ids = rows.map((row) => row.vocabulary_id).join('\n');
    if (pageIndex > 0 && ids === previousIds) {
      // Asked for the next page, got the same one: the server ignores page_index.
      options.onWarning?.(
        `the server returned the same ${rows.length} vocabularies for page ${pageIndex} as for the page before; ` +
          'it seems to ignore page_index, so the listing may be incomplete',
      );
      break;
    }
    previousIds = ids;
    for (const row of rows) if (!byId.has(row.vocabulary_id)) byId.set(row.vocabulary_id, row);

    if (rows.length === size) {
      sizeProven = true;
      pageIndex += 1;
      continue;
    }
    if (rows.length < size && sizeProven) break;
    // Short at an unproven size (maybe a cap), or longer than asked (the server picks its own
    // size): adopt the observed length as the page size and carry on from the same offset.
    const reached = pageIndex * size + rows.length;
    size = rows.length;
    sizeProven = true;
    pageIndex = reached % size === 0 ? reached / size : 0;
    if (pageIndex === 0) previousIds = undefined;
  }
  return [...byId.values()];
}

/**
 * The rows of one page checked against the wire rules, whatever service answered (the HTTP
 * client checks its own answers; the embedded account and library users' services do not).
 */
function checkedRows(rows: readonly VocabularySummary[]): VocabularySummary[] {
  const checked = checkListedRows(rows);
  if (checked.ok) return checked.value;
  throw new DashScopeError({
    action: 'list_vocabulary',
    status: 200,
    code: 'MalformedResponse',
    message: `the account's listing breaks the wire protocol: ${checked.problem}`,
    outcomeUnknown: false,
  });
}
