/**
 * Every limit and default of the DashScope client, in one place. The service-side facts
 * (URLs, rate limit, page size) come from docs/dashscope-wire.md; the rest are client policy.
 */

/** Official base URL of the China (Beijing) region; also the default when nothing is configured. */
export const BEIJING_BASE_URL = 'https://dashscope.aliyuncs.com/api/v1';
/** Official base URL of the Singapore (international) region. */
export const SINGAPORE_BASE_URL = 'https://dashscope-intl.aliyuncs.com/api/v1';
/** Environment variable that overrides the base URL, as in the official SDKs. */
export const BASE_URL_ENV_VAR = 'DASHSCOPE_HTTP_BASE_URL';

/** Path of the customization endpoint under the base URL. */
export const CUSTOMIZATION_PATH = '/services/audio/asr/customization';
/** The `model` field of every customization request. */
export const CUSTOMIZATION_MODEL = 'speech-biasing';

/** Attempts per call, the first one included. */
export const DEFAULT_MAX_ATTEMPTS = 5;
/** Backoff base: the n-th retry waits up to `base * 2^n` (full jitter). */
export const DEFAULT_BASE_DELAY_MS = 200;
/** Ceiling of one backoff delay. */
export const DEFAULT_MAX_DELAY_MS = 10_000;
/** Ceiling of a server-sent `Retry-After`, so one odd header cannot stall an apply for hours. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;
/** Per-request timeout, from sending the request to the last byte of the answer. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Client-side rate limit; the service's documented limit for speech-biasing in Beijing. */
export const DEFAULT_REQUESTS_PER_MINUTE = 600;
/**
 * Requests the rate limiter lets through back to back before it starts spacing them: a whole
 * account's plan and apply. A plan of a full account (10 lists) is 2 list pages + 10 queries; its
 * apply at worst 10 writes, 10 tie-break listings (one page of the prefix each) and the batched
 * status polls (one list page per round, about 8 rounds while lists deploy): 40 in all. Any
 * minute still stays within the service's 600 requests on average.
 */
export const DEFAULT_RATE_LIMIT_BURST = 40;

/** Page size asked for by `listAllVocabularies`: the service's documented default, so never rejected. */
export const DEFAULT_LIST_PAGE_SIZE = 10;
/** Hard stop for pagination, so a misbehaving server can never make listing loop forever. */
export const MAX_LIST_PAGES = 1_000;

/** Characters of a non-JSON error body quoted in the error message. */
export const ERROR_BODY_EXCERPT_CHARS = 100;
/** What a redacted secret is replaced with. */
export const REDACTED = '***';
