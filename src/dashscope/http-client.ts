import { STATUS_CODES } from 'node:http';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { ConfigError } from '../errors.js';
import { checkBaseUrl } from './base-url.js';
import {
  CUSTOMIZATION_MODEL,
  CUSTOMIZATION_PATH,
  DEFAULT_BASE_DELAY_MS,
  DEFAULT_LIST_PAGE_SIZE,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_DELAY_MS,
  DEFAULT_MAX_RETRY_AFTER_MS,
  DEFAULT_RATE_LIMIT_BURST,
  DEFAULT_REQUESTS_PER_MINUTE,
  DEFAULT_TIMEOUT_MS,
  ERROR_BODY_EXCERPT_CHARS,
} from './defaults.js';
import { classifyRejection, DashScopeError, explainRejection, isVocabularyNotFound } from './errors.js';
import { isRecord } from '../util/is-record.js';
import { parseCreateOutput, parseEntry, parseListOutput, parseQueryOutput } from './parse-output.js';
import type { ParseResult } from './parse-output.js';
import { createRateLimiter } from './rate-limiter.js';
import { redactSecrets, redactUrl, sanitizeCause } from './redact.js';
import { computeRetryDelay, parseRetryAfter, shouldRetry } from './retry.js';
import type { RetryPolicy } from './retry.js';
import type {
  CreateVocabularyInput,
  ListVocabulariesInput,
  VocabularyAction,
  VocabularyDetail,
  VocabularyService,
  VocabularySummary,
  WireEntry,
} from './types.js';
import { buildUserAgent } from './user-agent.js';

/** What the client reports about its work, for debug logs. Never carries the API key. */
export type ClientEvent =
  | { type: 'request'; action: VocabularyAction; attempt: number; url: string }
  | {
      type: 'response';
      action: VocabularyAction;
      attempt: number;
      status: number;
      requestId: string | undefined;
      durationMs: number;
    }
  | { type: 'retry'; action: VocabularyAction; attempt: number; reason: string; delayMs: number }
  | { type: 'rate-limit-wait'; action: VocabularyAction; delayMs: number }
  | { type: 'already-deleted'; action: VocabularyAction; attempt: number; reason: string };

/** Options of `createHttpVocabularyService`. Every knob but `baseUrl` and `apiKey` has a named default. */
export interface HttpClientOptions {
  /** Base URL such as `https://dashscope.aliyuncs.com/api/v1` (see `resolveBaseUrl`); plain http only for loopback. */
  baseUrl: string;
  /** The API key; sent only in the Authorization header, never shown. */
  apiKey: string;
  /** Workspace id, sent as `X-DashScope-WorkSpace` when set. */
  workspace?: string | undefined;
  /** Attempts per call, the first included. Default `DEFAULT_MAX_ATTEMPTS` (5). */
  maxAttempts?: number;
  /** Backoff base in ms. Default `DEFAULT_BASE_DELAY_MS` (200). */
  baseDelayMs?: number;
  /** Ceiling of one backoff delay in ms. Default `DEFAULT_MAX_DELAY_MS` (10 000). */
  maxDelayMs?: number;
  /** Ceiling of a server-sent Retry-After in ms. Default `DEFAULT_MAX_RETRY_AFTER_MS` (60 000). */
  maxRetryAfterMs?: number;
  /** Per-request timeout in ms. Default `DEFAULT_TIMEOUT_MS` (30 000). */
  timeoutMs?: number;
  /** Client-side rate limit; 0 or Infinity turns it off. Default `DEFAULT_REQUESTS_PER_MINUTE` (600). */
  requestsPerMinute?: number;
  /** Requests let through back to back before the limiter spaces them. Default `DEFAULT_RATE_LIMIT_BURST` (40). */
  rateLimitBurst?: number;
  /** User-agent header. Default `vocab-sync/<version> node/<version>`. */
  userAgent?: string;
  /** The fetch to use. Default the global `fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Waits between attempts and for the rate limiter. Default a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Random number in [0, 1) for jitter. Default `Math.random`. */
  random?: () => number;
  /** Clock in ms, for the rate limiter, durations and HTTP-date Retry-After. Default `Date.now`. */
  now?: () => number;
  /** Receives debug events; an exception thrown by it is ignored. */
  onEvent?: (event: ClientEvent) => void;
}

/** The HTTP implementation of the service, with the base URL it talks to. */
export interface HttpVocabularyService extends VocabularyService {
  /** The checked base URL (no credentials, no trailing slash). */
  readonly baseUrl: string;
}

/** One failed attempt: the error to throw and the server's Retry-After, if any. */
interface AttemptFailure {
  error: DashScopeError;
  retryAfterMs: number | undefined;
}

type AttemptResult = { ok: true; output: Record<string, unknown> } | { ok: false; failure: AttemptFailure };

/**
 * Network error codes raised before any byte of the request left the machine: the request
 * certainly did not take effect, so even a create may be retried.
 */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** A header-safe token: visible ASCII, no spaces. Anything else would make fetch quote the header value in its error. */
const HEADER_TOKEN = /^[\x21-\x7e]+$/;

/** Everything one client instance works with, built once from the options. */
interface ClientCore {
  readonly url: string;
  readonly shownUrl: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly workspace: string | undefined;
  readonly secrets: readonly string[];
  readonly policy: RetryPolicy;
  readonly timeoutMs: number;
  readonly fetchImpl: typeof globalThis.fetch;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly now: () => number;
  readonly limiter: ReturnType<typeof createRateLimiter>;
  readonly emit: (event: ClientEvent) => void;
}

/** What `fail` needs to build an error. */
interface FailureInit {
  status: number;
  code: string;
  message: string;
  requestId?: string | undefined;
  outcomeUnknown: boolean;
  cause?: unknown;
}

/**
 * The DashScope customization API over HTTP (the real service or `vocab emulator`): the five
 * actions with timeouts, retries with backoff and jitter, a client-side rate limit, error mapping
 * and key redaction. Throws `ConfigError` for an unusable base URL, key or workspace.
 */
export function createHttpVocabularyService(options: HttpClientOptions): HttpVocabularyService {
  const baseUrl = checkBaseUrl(options.baseUrl);
  const core = buildCore(options, baseUrl);
  return buildService(core, baseUrl);
}

/** Checks the key and the workspace (header-safe) and fills in every default. */
function buildCore(options: HttpClientOptions, baseUrl: string): ClientCore {
  // The key lives only in the core's headers and secrets, never in a field of the returned service.
  const apiKey = options.apiKey;
  if (typeof apiKey !== 'string' || apiKey.trim() === '') throw new ConfigError('the DashScope API key is empty');
  if (!HEADER_TOKEN.test(apiKey)) {
    throw new ConfigError('the DashScope API key contains spaces or characters that cannot be sent in a header');
  }
  const workspace = options.workspace?.trim() || undefined;
  if (workspace !== undefined && !HEADER_TOKEN.test(workspace)) {
    throw new ConfigError(`workspace "${workspace}" contains spaces or characters that cannot be sent in a header`);
  }
  const url = `${baseUrl}${CUSTOMIZATION_PATH}`;
  const sleep = options.sleep ?? ((ms: number) => sleepFor(ms));
  const now = options.now ?? Date.now;
  const headers: Record<string, string> = {
    authorization: `Bearer ${apiKey}`,
    'content-type': 'application/json',
    'user-agent': options.userAgent ?? buildUserAgent(),
  };
  if (workspace !== undefined) headers['x-dashscope-workspace'] = workspace;
  return {
    url,
    shownUrl: redactUrl(url),
    headers,
    workspace,
    secrets: [apiKey],
    policy: {
      maxAttempts: Math.max(1, Math.floor(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)),
      baseDelayMs: options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS,
      maxDelayMs: options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS,
      maxRetryAfterMs: options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS,
    },
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    fetchImpl: options.fetch ?? globalThis.fetch,
    sleep,
    random: options.random ?? Math.random,
    now,
    limiter: createRateLimiter({
      requestsPerMinute: options.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE,
      burst: options.rateLimitBurst ?? DEFAULT_RATE_LIMIT_BURST,
      now,
      sleep,
    }),
    emit: safeEmitter(options.onEvent),
  };
}

/** Calls the debug listener, ignoring its exceptions: a failing logger must not fail an apply. */
function safeEmitter(onEvent: ((event: ClientEvent) => void) | undefined): (event: ClientEvent) => void {
  return (event) => {
    if (onEvent === undefined) return;
    try {
      onEvent(event);
    } catch {
      // ignored on purpose
    }
  };
}

/** An error with every text redacted, and the rule behind a refusal named and explained. */
function fail(core: ClientCore, action: VocabularyAction, init: FailureInit): DashScopeError {
  const code = redactSecrets(init.code, core.secrets);
  let message = redactSecrets(init.message, core.secrets);
  const rejection = classifyRejection({ action, status: init.status, code, message }, { workspace: core.workspace });
  if (rejection !== undefined) message = `${message} (${explainRejection(rejection, { workspace: core.workspace })})`;
  return new DashScopeError({
    action,
    status: init.status,
    code,
    message,
    requestId: init.requestId === undefined ? undefined : redactSecrets(init.requestId, core.secrets),
    outcomeUnknown: init.outcomeUnknown,
    cause: init.cause === undefined ? undefined : sanitizeCause(init.cause, core.secrets),
    rejection,
  });
}

/** A failed attempt without a Retry-After. */
function failure(core: ClientCore, action: VocabularyAction, init: FailureInit): AttemptResult {
  return { ok: false, failure: { error: fail(core, action, init), retryAfterMs: undefined } };
}

/** Sends one request and turns whatever happens into an output or a failure; never throws. */
async function attemptOnce(core: ClientCore, action: VocabularyAction, body: string, attempt: number): Promise<AttemptResult> {
  const waited = await core.limiter.acquire();
  if (waited > 0) core.emit({ type: 'rate-limit-wait', action, delayMs: waited });
  core.emit({ type: 'request', action, attempt, url: core.shownUrl });
  const started = core.now();
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, core.timeoutMs);
  const timeout = (): AttemptResult =>
    failure(core, action, {
      status: 0,
      code: 'Timeout',
      message: `no complete answer from ${core.shownUrl} within ${core.timeoutMs} ms`,
      outcomeUnknown: true,
    });
  try {
    const exchanged = await exchange(core, action, body, controller.signal);
    if (!exchanged.ok) return timedOut ? timeout() : exchanged.result;
    const { response, text } = exchanged;
    const parsed = parseJson(text);
    const requestId = readRequestId(parsed, response.headers);
    core.emit({ type: 'response', action, attempt, status: response.status, requestId, durationMs: core.now() - started });
    return interpretAnswer(core, action, { response, text, parsed, requestId });
  } finally {
    clearTimeout(timer);
  }
}

type Exchange = { ok: true; response: Response; text: string } | { ok: false; result: AttemptResult };

/** The HTTP round trip: the answer and its whole body, or the network failure. */
async function exchange(core: ClientCore, action: VocabularyAction, body: string, signal: AbortSignal): Promise<Exchange> {
  let response: Response;
  try {
    response = await core.fetchImpl(core.url, { method: 'POST', headers: core.headers, body, signal, redirect: 'manual' });
  } catch (error) {
    const code = findErrorCode(error);
    return {
      ok: false,
      result: failure(core, action, {
        status: 0,
        code: 'NetworkError',
        message: `network error calling ${core.shownUrl}: ${describeNetworkError(error, code)}`,
        // Refused before sending: certainly not applied. Anything else (reset, hang up) may have been.
        outcomeUnknown: code === undefined || !NOT_SENT_CODES.has(code),
        cause: error,
      }),
    };
  }
  try {
    return { ok: true, response, text: await response.text() };
  } catch (error) {
    return {
      ok: false,
      result: failure(core, action, {
        status: response.status,
        code: 'NetworkError',
        message: `connection dropped while reading the HTTP ${response.status} answer from ${core.shownUrl}: ${describeNetworkError(error, findErrorCode(error))}`,
        outcomeUnknown: true,
        cause: error,
      }),
    };
  }
}

/** A complete answer: the `output` of a well-formed 200, else the error it means. */
function interpretAnswer(
  core: ClientCore,
  action: VocabularyAction,
  answer: { response: Response; text: string; parsed: unknown; requestId: string | undefined },
): AttemptResult {
  const { response, text, parsed, requestId } = answer;
  if (response.status === 200) {
    if (isRecord(parsed) && isRecord(parsed['output'])) return { ok: true, output: parsed['output'] };
    return failure(core, action, {
      status: 200,
      code: 'MalformedResponse',
      message: `HTTP 200 answer without a JSON "output" object (${describeBody(text)})`,
      requestId,
      // The server said 200: the request was most likely applied, but its result is unreadable.
      outcomeUnknown: true,
    });
  }
  const retryAfterMs =
    response.status === 429 || response.status === 503 ? parseRetryAfter(response.headers.get('retry-after'), core.now()) : undefined;
  return { ok: false, failure: { error: fail(core, action, describeHttpError(response, text, parsed, requestId)), retryAfterMs } };
}

/** Runs one action with the retry policy; returns `output` of the 200 answer. */
async function call(core: ClientCore, action: VocabularyAction, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const body = JSON.stringify({ model: CUSTOMIZATION_MODEL, input: { action, ...input } });
  let uncertainEarlier = false;
  for (let attempt = 1; ; attempt++) {
    const result = await attemptOnce(core, action, body, attempt);
    if (result.ok) return result.output;
    const { error, retryAfterMs } = result.failure;
    if (action === 'delete_vocabulary' && uncertainEarlier && isVocabularyNotFound(error)) {
      // An earlier attempt may have deleted it; "not found" now is the state we asked for.
      core.emit({ type: 'already-deleted', action, attempt, reason: `${error.code} after an attempt with unknown outcome` });
      return {};
    }
    if (!shouldRetry(error) || attempt >= core.policy.maxAttempts) throw finalError(error, attempt, uncertainEarlier);
    uncertainEarlier ||= error.outcomeUnknown;
    const delayMs = computeRetryDelay(attempt - 1, retryAfterMs, core.policy, core.random);
    core.emit({ type: 'retry', action, attempt, reason: describeRetryReason(error), delayMs });
    await core.sleep(delayMs);
  }
}

/** The error of the last attempt, saying how many were made and keeping any earlier uncertainty. */
function finalError(error: DashScopeError, attempts: number, uncertainEarlier: boolean): DashScopeError {
  if (attempts === 1) return error;
  return new DashScopeError({
    action: error.action,
    status: error.status,
    code: error.code,
    message: `${error.message} (after ${attempts} attempts)`,
    requestId: error.requestId,
    // A later clean 4xx does not undo an earlier attempt that may have been applied.
    outcomeUnknown: error.outcomeUnknown || uncertainEarlier,
    cause: error.cause,
    rejection: error.rejection,
  });
}

/** The five actions over `call`: inputs checked before sending, outputs checked after. */
function buildService(core: ClientCore, baseUrl: string): HttpVocabularyService {
  const run = (action: VocabularyAction, input: Record<string, unknown>): Promise<Record<string, unknown>> => call(core, action, input);
  // Input errors found before sending: certainly not applied.
  const invalid = (action: VocabularyAction, message: string): DashScopeError =>
    fail(core, action, { status: 0, code: 'InvalidRequest', message, outcomeUnknown: false });
  const unwrap = <T>(action: VocabularyAction, result: ParseResult<T>): T => {
    if (result.ok) return result.value;
    throw fail(core, action, { status: 200, code: 'MalformedResponse', message: `HTTP 200 answer with an unexpected shape: ${result.problem}`, outcomeUnknown: true });
  };
  const requireId = (action: VocabularyAction, vocabularyId: string): void => {
    if (vocabularyId === '') throw invalid(action, 'vocabulary id is empty');
  };
  return {
    baseUrl,
    async createVocabulary(input: CreateVocabularyInput): Promise<string> {
      const output = await run('create_vocabulary', { target_model: input.targetModel, prefix: input.prefix, vocabulary: toWireEntries(input.vocabulary) });
      return unwrap('create_vocabulary', parseCreateOutput(output, input.prefix));
    },
    async listVocabularies(input: ListVocabulariesInput = {}): Promise<VocabularySummary[]> {
      const action = 'list_vocabulary';
      const pageIndex = input.pageIndex ?? 0;
      const pageSize = input.pageSize ?? DEFAULT_LIST_PAGE_SIZE;
      if (!Number.isInteger(pageIndex) || pageIndex < 0) throw invalid(action, `page index ${pageIndex} is not an integer >= 0`);
      if (!Number.isInteger(pageSize) || pageSize < 1) throw invalid(action, `page size ${pageSize} is not an integer >= 1`);
      // null means "all prefixes", as the official Python SDK sends it.
      const output = await run(action, { prefix: input.prefix ?? null, page_index: pageIndex, page_size: pageSize });
      return unwrap(action, parseListOutput(output));
    },
    async queryVocabulary(vocabularyId: string): Promise<VocabularyDetail> {
      requireId('query_vocabulary', vocabularyId);
      const output = await run('query_vocabulary', { vocabulary_id: vocabularyId });
      return unwrap('query_vocabulary', parseQueryOutput(output, vocabularyId));
    },
    async updateVocabulary(vocabularyId: string, vocabulary: WireEntry[]): Promise<void> {
      requireId('update_vocabulary', vocabularyId);
      await run('update_vocabulary', { vocabulary_id: vocabularyId, vocabulary: toWireEntries(vocabulary) });
    },
    async deleteVocabulary(vocabularyId: string): Promise<void> {
      requireId('delete_vocabulary', vocabularyId);
      await run('delete_vocabulary', { vocabulary_id: vocabularyId });
    },
  };
}

/** Entries with only the documented fields, in a fixed key order, so the body is predictable. */
function toWireEntries(entries: readonly WireEntry[]): WireEntry[] {
  return entries.map((entry) => parseEntry(entry) ?? entry);
}

/** The JSON value of a body, or undefined when it is not JSON (or empty). */
function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The request id from the body (`request_id`), else the `x-request-id` header. */
function readRequestId(parsed: unknown, headers: Headers): string | undefined {
  if (isRecord(parsed) && typeof parsed['request_id'] === 'string' && parsed['request_id'] !== '') {
    return parsed['request_id'];
  }
  return headers.get('x-request-id') ?? undefined;
}

/** Code, message and outcome of a non-200 answer, whatever its body (JSON with or without content-type, HTML, empty). */
function describeHttpError(
  response: Response,
  text: string,
  parsed: unknown,
  requestId: string | undefined,
): { status: number; code: string; message: string; requestId: string | undefined; outcomeUnknown: boolean } {
  const status = response.status;
  const statusLine = `HTTP ${status}${statusTextOf(response) ? ` ${statusTextOf(response)}` : ''}`;
  // 5xx and unexpected 2xx may come after the server acted; 3xx and 4xx are refusals.
  const outcomeUnknown = status >= 500 || (status >= 200 && status < 300);
  if (isRecord(parsed)) {
    const code = typeof parsed['code'] === 'string' && parsed['code'] !== '' ? parsed['code'] : undefined;
    const message = typeof parsed['message'] === 'string' ? parsed['message'].trim() : '';
    if (code !== undefined || message !== '') {
      return {
        status,
        code: code ?? 'HttpError',
        message: code !== undefined ? `HTTP ${status} ${code}${message ? `: ${message}` : ''}` : `${statusLine}: ${message}`,
        requestId,
        outcomeUnknown,
      };
    }
  }
  let detail = describeBody(text);
  const location = response.headers.get('location');
  if (status >= 300 && status < 400 && location !== null) {
    // Following it would send the key to wherever the redirect points.
    detail = `redirect to ${JSON.stringify(redactUrl(location))} not followed`;
  }
  return { status, code: 'HttpError', message: `${statusLine} (${detail})`, requestId, outcomeUnknown };
}

/** The reason phrase of a status (from Node's table, since HTTP/2 and some proxies send none). */
function statusTextOf(response: Response): string {
  return STATUS_CODES[response.status] ?? response.statusText;
}

/** `empty body`, or `non-JSON body: "<first characters, tags stripped>"`. */
function describeBody(text: string): string {
  if (text.trim() === '') return 'empty body';
  const plain = text
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const excerpt = [...plain].slice(0, ERROR_BODY_EXCERPT_CHARS).join('');
  const kind = parseJson(text) === undefined ? 'non-JSON body' : 'unexpected JSON body';
  return `${kind}: ${JSON.stringify(excerpt)}`;
}

/** A short reason for a retry event, e.g. `HTTP 429 Throttling.RateQuota` or `Timeout`. */
function describeRetryReason(error: DashScopeError): string {
  if (error.status === 0) return error.code === 'Timeout' ? 'Timeout' : `NetworkError: ${error.message}`;
  return `HTTP ${error.status} ${error.code}`;
}

/** The first string `code` on an error or along its chain of causes (undici nests the socket error). */
function findErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const record = current as Record<string, unknown>;
    if (typeof record['code'] === 'string') return record['code'];
    current = record['cause'];
  }
  return undefined;
}

/** `ECONNRESET (socket hang up)`: the code and the innermost message. */
function describeNetworkError(error: unknown, code: string | undefined): string {
  let message = '';
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const record = current as Record<string, unknown>;
    if (typeof record['message'] === 'string' && record['message'] !== '') message = record['message'];
    current = record['cause'];
  }
  if (message === '' && typeof error === 'string') message = error;
  if (code !== undefined && message !== '' && !message.includes(code)) return `${code} (${message})`;
  return code ?? (message || 'unknown error');
}
