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
  constructor(init: {
    message: string;
    status: number;
    code: string;
    requestId?: string | undefined;
    action: VocabularyAction;
    outcomeUnknown: boolean;
    cause?: unknown;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.action = init.action;
    this.outcomeUnknown = init.outcomeUnknown;
  }
}
