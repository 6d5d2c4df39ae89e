/**
 * The DashScope customization API as a client sees it: wire shapes and the one small
 * interface that the reconciler depends on. See ../shared/docs/dashscope-wire.md.
 */

/** Status of a vocabulary on the service: `OK` is usable, `UNDEPLOYED` is not (yet). */
export type VocabularyStatus = 'OK' | 'UNDEPLOYED' | (string & {});

/** One hotword entry as sent to and returned by the service. */
export interface WireEntry {
  text: string;
  /** 1..5; Fun-ASR and Paraformer only. */
  weight?: number;
  lang?: string;
  /** Gummy only. */
  target_lang?: string;
  /** Gummy only. */
  translation?: string;
}

/** One row of `list_vocabulary`: exactly the four documented fields. */
export interface VocabularySummary {
  vocabulary_id: string;
  gmt_create: string;
  gmt_modified: string;
  status: VocabularyStatus;
}

/** The output of `query_vocabulary`, with the id it was asked for. */
export interface VocabularyDetail extends VocabularySummary {
  target_model: string;
  vocabulary: WireEntry[];
}

/** Input of `create_vocabulary`. */
export interface CreateVocabularyInput {
  prefix: string;
  targetModel: string;
  vocabulary: WireEntry[];
}

/** Input of one `list_vocabulary` page. */
export interface ListVocabulariesInput {
  /** Only vocabularies with this prefix; all when omitted. */
  prefix?: string;
  pageIndex?: number;
  pageSize?: number;
}

/**
 * The five actions of the service. Implemented by the HTTP client (real service and
 * `vocab emulator`) and by the embedded local account. Reconcile and apply depend only on this.
 */
export interface VocabularyService {
  /** Creates a list and returns its new `vocabulary_id`. */
  createVocabulary(input: CreateVocabularyInput): Promise<string>;
  /** One page of the account's lists, newest first. */
  listVocabularies(input?: ListVocabulariesInput): Promise<VocabularySummary[]>;
  /** One list with its entries. */
  queryVocabulary(vocabularyId: string): Promise<VocabularyDetail>;
  /** Replaces a list's entries whole; the id stays. */
  updateVocabulary(vocabularyId: string, vocabulary: WireEntry[]): Promise<void>;
  /** Deletes a list. */
  deleteVocabulary(vocabularyId: string): Promise<void>;
  /**
   * Takes an exclusive lock on the whole account for the length of an apply, where the service
   * can offer one (the embedded account, shared by processes through its state file); resolves
   * to the lock's release. `onWait` is told while another holder keeps it; an aborted `signal`
   * stops the wait (the promise rejects). Optional.
   */
  lockAccount?(options?: { onWait?: (waitedMs: number) => void; signal?: AbortSignal }): Promise<() => Promise<void>>;
  /** Releases resources (timers, locks, sockets). Optional. */
  close?(): Promise<void>;
}

/** The names of the five actions, as sent in `input.action`. */
export type VocabularyAction =
  | 'create_vocabulary'
  | 'list_vocabulary'
  | 'query_vocabulary'
  | 'update_vocabulary'
  | 'delete_vocabulary';
