/**
 * The tie-break after creates, batched: one look at the account, taken once no create request
 * of the apply is in flight (pauses between attempts do not count), answers for every create
 * that finished before it. A look is complete for the prefixes asked about: the account's first
 * page when it is short; else the first two pages read with one row of overlap (the same list
 * at that row in both reads proves that every list existing during both reads is in one of
 * them); else one listing per prefix.
 */
import type { VocabularyService, VocabularySummary } from '../dashscope/types.js';
import { listPrefix } from './identity-lists.js';
import { prefixOfVocabularyId } from './read-remote.js';

/** Rows of the first page: the service's default page, which every server fills. */
const FIRST_PAGE_SIZE = 10;
/** Rows of the second read (page_index 1): offsets 9 to 17, overlapping the first page's last row. */
const SECOND_PAGE_SIZE = FIRST_PAGE_SIZE - 1;

interface Waiter {
  prefix: string;
  resolve: (rows: VocabularySummary[]) => void;
  reject: (error: unknown) => void;
}

/** Batches the looks that follow creates (see the file comment). */
export class CreateLooks {
  /** Create requests sent or waiting for a slot (not the pauses between attempts). */
  private inFlight = 0;
  private waiting: Waiter[] = [];

  /** `expectedLists`: how many lists the account is thought to hold (whether a second page is worth reading at once). */
  constructor(
    private readonly service: VocabularyService,
    private readonly expectedLists: () => number,
  ) {}

  /** Runs one create request; no look starts while one is in flight, so that one look serves them all. */
  async track<T>(request: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await request();
    } finally {
      this.inFlight--;
      this.flushSoon();
    }
  }

  /** Every list of `prefix` on the account (newest first), from a look that starts now or once no create is in flight. */
  lookAfterCreate(prefix: string): Promise<VocabularySummary[]> {
    const rows = new Promise<VocabularySummary[]>((resolve, reject) => this.waiting.push({ prefix, resolve, reject }));
    this.flushSoon();
    return rows;
  }

  /** On the next turn: the creates that ended in this one ask for their look first, and share it. */
  private flushSoon(): void {
    setImmediate(() => this.flush());
  }

  /** Starts a look for the waiting creates once none is in flight. */
  private flush(): void {
    if (this.inFlight > 0 || this.waiting.length === 0) return;
    const batch = this.waiting;
    this.waiting = [];
    const prefixes = new Set(batch.map((w) => w.prefix));
    lookAt(this.service, prefixes, this.expectedLists() >= FIRST_PAGE_SIZE - 1).then(
      (byPrefix) => batch.forEach((w) => w.resolve(byPrefix.get(w.prefix) ?? [])),
      (error: unknown) => batch.forEach((w) => w.reject(error)),
    );
  }
}

/** Every list of each prefix, newest first. */
async function lookAt(service: VocabularyService, prefixes: ReadonlySet<string>, readBothAtOnce: boolean): Promise<Map<string, VocabularySummary[]>> {
  const rows = await listAccountBriefly(service, readBothAtOnce);
  const byPrefix = new Map<string, VocabularySummary[]>([...prefixes].map((p) => [p, []]));
  if (rows === undefined) {
    // More than two pages, or the account changed between the reads: list each prefix.
    await Promise.all([...prefixes].map(async (p) => byPrefix.set(p, await listPrefix(service, p))));
    return byPrefix;
  }
  for (const row of rows) byPrefix.get(prefixOfVocabularyId(row.vocabulary_id) ?? '')?.push(row);
  return byPrefix;
}

/**
 * The whole account in one or two reads, or undefined when that cannot be proven complete. The
 * second read covers offsets 9 to 17; when both reads show the same list at offset 9, every
 * list older than it is in the second read and every newer one in the first.
 */
async function listAccountBriefly(service: VocabularyService, readBothAtOnce: boolean): Promise<VocabularySummary[] | undefined> {
  const second = (): Promise<VocabularySummary[]> => service.listVocabularies({ pageIndex: 1, pageSize: SECOND_PAGE_SIZE });
  const early = readBothAtOnce ? second() : undefined;
  // A rejected early read is awaited (and thrown) below, or dropped when the first page is short.
  early?.catch(() => undefined);
  const first = await service.listVocabularies({ pageIndex: 0, pageSize: FIRST_PAGE_SIZE });
  if (first.length < FIRST_PAGE_SIZE) return first;
  const rest = await (early ?? second());
  if (rest.length >= SECOND_PAGE_SIZE || rest[0]?.vocabulary_id !== first[FIRST_PAGE_SIZE - 1]!.vocabulary_id) return undefined;
  return [...first, ...rest.slice(1)];
}
