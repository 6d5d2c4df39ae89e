import type { VocabularyAction } from './types.js';

/**
 * Every failure of a call to the service: an HTTP error (JSON body or not), a network error
 * or a timeout. `status` is 0 when no HTTP answer arrived.
 */
export class DashScopeError extends Error {
  override readonly name = 'DashScopeError';
  /** HTTP status, or 0 for a network error or timeout. */
  readonly status: number;
  /**
   * Service code (`InvalidParameter`, `Throttling.RateQuota`...), or one of the client's own:
   * `NetworkError`, `Timeout` (status 0), `HttpError` (an answer without a JSON code),
   * `MalformedResponse` (a 200 of the wrong shape), `InvalidRequest` (refused before sending),
   * `PaginationLimit` (listing did not end).
   */
  readonly code: string;
  readonly requestId: string | undefined;
  readonly action: VocabularyAction;
  /**
   * True when the request may have taken effect on the server although it failed
   * (timeout, 5xx, dropped connection): a create must then be looked for before it is retried.
   */
  readonly outcomeUnknown: boolean;
  /** The rule behind the refusal, when the client recognised one (update spacing, a sub-workspace). */
  readonly rejection: RejectionKind | undefined;
  constructor(init: {
    message: string;
    status: number;
    code: string;
    requestId?: string | undefined;
    action: VocabularyAction;
    outcomeUnknown: boolean;
    cause?: unknown;
    rejection?: RejectionKind | undefined;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.action = init.action;
    this.outcomeUnknown = init.outcomeUnknown;
    this.rejection = init.rejection;
  }
}

/**
 * The one rule for "this vocabulary does not exist", used by the client (a delete that finds
 * the list gone after an uncertain attempt) and by apply and read-remote. It matches:
 * - HTTP 404 and any `*NotFound` / `*NotExist` code (the vendor's error table: 404 `NotFound`),
 *   but not `ModelNotFound`, which is a configuration problem;
 * - HTTP 400 whose message says the id is unknown ("does not exist", "not found", "no such"):
 *   what the emulator answers (`400 InvalidParameter: vocabulary_id "…" does not exist in this
 *   account.`) and what the wire notes expect of the service (400 `InvalidParameter`, unverified).
 */
export function isVocabularyNotFound(error: unknown): boolean {
  if (!(error instanceof DashScopeError)) return false;
  if (error.code === 'ModelNotFound') return false;
  if (error.status === 404 || /notfound|notexist/i.test(error.code)) return true;
  return error.status === 400 && /\bnot (be )?found\b|\bnot exist|\bno such\b/i.test(error.message);
}

/** Why the service refused a request, when it is one of the rules the client can name. */
export type RejectionKind = 'update_interval' | 'workspace';

/** The codes of the vendor's error table; an update refused with any other code may be the spacing rule. */
const DOCUMENTED_CODES: ReadonlySet<string> = new Set([
  'InvalidParameter',
  'Arrearage',
  'InvalidApiKey',
  'AccessDenied',
  'AccessDenied.Unpurchased',
  'NotFound',
  'ModelNotFound',
  'RequestTimeOut',
  'Throttling',
  'Throttling.RateQuota',
  'Throttling.AllocationQuota',
  'InternalError',
  'InternalError.Algo',
]);

/** Words of a refusal for updating one list too soon after the last (its code is not documented). */
const SPACING_WORDS = /interval|\b5 minutes|five minutes|minutes apart|间隔/i;
/** Words a rate limit could use too: they name the spacing rule only outside the throttling codes. */
const SPACING_WORDS_WEAK = /too frequent|frequently|too often|频繁/i;
/** The rate limit's codes: retried as throttling unless the message names the interval itself. */
const THROTTLING_CODES: ReadonlySet<string> = new Set(['Throttling', 'Throttling.RateQuota']);
/** Words of a refusal for a workspace that does not support hotword lists. */
const WORKSPACE_WORDS = /workspace|业务空间/i;

/** The client's own codes, which are never a refusal by the service. */
const CLIENT_CODES: ReadonlySet<string> = new Set(['NetworkError', 'Timeout', 'HttpError', 'MalformedResponse', 'InvalidRequest', 'PaginationLimit']);

/**
 * Names the rule behind a 4xx refusal, or undefined: the update spacing ("updates of one list
 * must be at least 5 minutes apart") of an update, by the words of its code or message
 * ("interval", "5 minutes"; "too frequent", "too often" unless the code is the rate limit's), or
 * by an undocumented code; a sub-workspace, when a workspace is set, by the words or a 403
 * `AccessDenied`.
 */
export function classifyRejection(
  init: { action: string; status: number; code: string; message: string },
  context: { workspace?: string | undefined },
): RejectionKind | undefined {
  if (init.status < 400 || init.status > 499 || init.status === 401 || CLIENT_CODES.has(init.code)) return undefined;
  const words = `${init.code} ${init.message}`;
  if (context.workspace !== undefined && (WORKSPACE_WORDS.test(words) || (init.status === 403 && init.code.startsWith('AccessDenied')))) {
    return 'workspace';
  }
  // The spacing rule is about updates of one list: other actions are never refused for it.
  if (init.action !== 'update_vocabulary') return undefined;
  if (SPACING_WORDS.test(words)) return 'update_interval';
  if (SPACING_WORDS_WEAK.test(words) && !THROTTLING_CODES.has(init.code)) return 'update_interval';
  if (init.status !== 404 && !DOCUMENTED_CODES.has(init.code)) return 'update_interval';
  return undefined;
}

/** The explanation added to a refusal of a named rule. */
export function explainRejection(kind: RejectionKind, context: { workspace?: string | undefined }): string {
  if (kind === 'update_interval') {
    return 'this looks like the update spacing rule: updates of one list must be at least 5 minutes apart; apply it again later';
  }
  // The workspace id is not repeated: whatever was written there (a key, by mistake) is never shown.
  return `hotword lists work only in the primary workspace (sub-workspaces do not support them); the environment's workspace${context.workspace === undefined ? '' : ' (X-DashScope-WorkSpace)'} looks like a sub-workspace: remove "workspace" from the environment or use the primary workspace`;
}
