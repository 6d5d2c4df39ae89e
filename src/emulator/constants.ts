/**
 * Every limit and default of the emulator, in one place. The values come from
 * ../../shared/docs/dashscope-wire.md (the service's own rules), not from the client or the
 * config validator, so that each can catch the other's mistakes.
 */

/** The API path of the customization endpoint, under the base URL's `/api/v1`. */
export const CUSTOMIZATION_PATH = '/api/v1/services/audio/asr/customization';

/** The `model` every request body must name. */
export const SPEECH_BIASING_MODEL = 'speech-biasing';

/** Key used when neither `--api-key` nor `DASHSCOPE_API_KEY` is given. Not a secret. */
export const DEFAULT_LOCAL_API_KEY = 'sk-local-emulator';

/** Lists per account, shared by every model (wire doc, "Limits"). */
export const DEFAULT_MAX_VOCABULARIES = 10;

/** `page_index` and `page_size` when a list request omits them (SDK defaults). */
export const DEFAULT_PAGE_INDEX = 0;
export const DEFAULT_PAGE_SIZE = 10;

/**
 * Largest page the emulator returns; bigger requests are silently capped. The real maximum is
 * unverified, and a client that treats a short page as the end must be caught out.
 */
export const DEFAULT_MAX_PAGE_SIZE = 100;

/**
 * How long a created or updated list stays UNDEPLOYED in `vocab emulator`: none by default. The
 * vendor's own sample creates a list and checks `status == 'OK'` at once; `--undeployed-ms`
 * brings the delay back for clients that must cope with it.
 */
export const DEFAULT_SERVER_UNDEPLOYED_MS = 0;

/** How long a list stays UNDEPLOYED in the embedded `local` account: none, so the demo is instant. */
export const DEFAULT_LOCAL_UNDEPLOYED_MS = 0;

/**
 * Least time between two writes of one list (the vendor CLI: "Updates must be at least 5 minutes
 * apart"), measured from its `gmt_modified`. The answer to a violation is our guess.
 */
export const DEFAULT_UPDATE_INTERVAL_MS = 300_000;

/** The embedded `local` account does not space updates, so the demo can be edited and re-applied at once. */
export const DEFAULT_LOCAL_UPDATE_INTERVAL_MS = 0;

/** Prefix: lowercase letters and digits, "fewer than 10" (most vendor pages). */
export const PREFIX_PATTERN = /^[a-z0-9]+$/;
export const DEFAULT_PREFIX_MAX_LENGTH = 9;

/** Entry text: at most this many code points when it has any non-ASCII character. */
export const MAX_NON_ASCII_TEXT_CODE_POINTS = 15;
/** Entry text: at most this many space-separated words when pure ASCII. */
export const MAX_ASCII_TEXT_WORDS = 7;
/** Entry weight range (Fun-ASR, Paraformer). */
export const MIN_WEIGHT = 1;
export const MAX_WEIGHT = 5;
/** The "super hotword" weight, taken only by the Qwen-Audio 3.0 ASR Flash family (vendor CLI). */
export const SUPER_HOTWORD_WEIGHT = 50;

/** Whether a model takes weight 50 (the Qwen-Audio 3.0 ASR Flash family, vendor CLI). */
export function takesSuperHotwordWeight(model: string): boolean {
  return model.startsWith('qwen-audio-3.0-asr-flash');
}

/** The regions the wire doc names. */
export type EmulatorRegion = 'cn-beijing' | 'ap-southeast-1';

const SINGAPORE_MODELS = [
  'fun-asr-realtime',
  'fun-asr-realtime-2025-11-07',
  'fun-asr',
  'fun-asr-2025-11-07',
  'fun-asr-2025-08-25',
  'fun-asr-mtl',
  'fun-asr-mtl-2025-08-25',
] as const;

/**
 * Qwen-Audio ASR models the vendor lists with hotwords (model list, ASR overview, vendor CLI).
 * Their regions are not documented: the emulator accepts them in both.
 */
const QWEN_AUDIO_MODELS = [
  'qwen-audio-3.0-asr-flash',
  'qwen-audio-3.0-asr-flash-filetrans',
  'qwen-audio-3.0-asr-flash-streaming',
  'qwen-audio-3.1-asr-flash',
  'qwen-audio-3.1-asr-flash-filetrans',
  'qwen-audio-3.1-asr-flash-streaming',
  'qwen-audio-3.1-asr-flash-message',
] as const;

/** The `target_model` values each region accepts (wire doc, "Models by region"; updates doc). */
export const MODELS_BY_REGION: Readonly<Record<EmulatorRegion, readonly string[]>> = {
  'ap-southeast-1': [...SINGAPORE_MODELS, ...QWEN_AUDIO_MODELS],
  'cn-beijing': [
    ...SINGAPORE_MODELS,
    ...QWEN_AUDIO_MODELS,
    'fun-asr-flash-8k-realtime',
    'fun-asr-realtime-2025-09-15',
    'paraformer-realtime-v2',
    'paraformer-realtime-8k-v2',
    'paraformer-v2',
    'paraformer-8k-v2',
    'gummy-realtime-v1',
    'gummy-chat-v1',
  ],
};

/**
 * Region whose model list is used by default: Beijing, the larger list. The emulator keeps its
 * own copy of the service's facts (ARCHITECTURE.md: it shares no rule with the client or the
 * catalog), so a wrong fact on one side shows in the other's tests.
 */
export const DEFAULT_REGION: EmulatorRegion = 'cn-beijing';

/** Models with the large 10,000-word cap (Beijing page). */
const LARGE_CAP_MODELS: readonly string[] = ['fun-asr', 'fun-asr-2025-11-07'];
export const LARGE_FUN_ASR_WORD_CAP = 10_000;
export const OTHER_FUN_ASR_WORD_CAP = 1_000;
export const PARAFORMER_WORD_CAP = 500;
export const GUMMY_WORD_CAP = 500;
/** Cap for a model none of the rules name (the Qwen-Audio family: unknown, so the smallest documented cap). */
export const FALLBACK_WORD_CAP = 500;
/** The international (Singapore) page: "Each hotword list can have up to 500 words", for every model. */
export const SINGAPORE_WORD_CAP = 500;

/** The built-in per-model word cap in a region; `overrides` (exact model names) win. */
export function lookUpWordCap(
  model: string,
  overrides: Readonly<Record<string, number>> = {},
  region: EmulatorRegion = DEFAULT_REGION,
): number {
  const override = overrides[model];
  if (override !== undefined) return override;
  if (region === 'ap-southeast-1') return SINGAPORE_WORD_CAP;
  if (LARGE_CAP_MODELS.includes(model)) return LARGE_FUN_ASR_WORD_CAP;
  if (model.startsWith('fun-asr')) return OTHER_FUN_ASR_WORD_CAP;
  if (model.startsWith('paraformer')) return PARAFORMER_WORD_CAP;
  if (model.startsWith('gummy')) return GUMMY_WORD_CAP;
  return FALLBACK_WORD_CAP;
}

/** Whether a model takes Gummy (translation) entries instead of weighted ones. */
export function isGummyModel(model: string): boolean {
  return model.startsWith('gummy');
}

/** The vendor's message for 500 InternalError (Model Studio status code table). */
export const INTERNAL_ERROR_MESSAGE = 'An internal error has occured, please try again later or contact service support.';

/** Largest request body accepted before answering 413. Ample for 10,000 entries. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Window of the requests-per-minute limit. */
export const RATE_WINDOW_MS = 60_000;
/** Seed of the random faults when none is given. */
export const DEFAULT_FAULT_SEED = 1;

/** `Retry-After` (seconds) sent with an injected 429 fault. */
export const FAULT_RETRY_AFTER_SECONDS = 1;

/** Request log entries kept in memory (oldest dropped first). */
export const DEFAULT_REQUEST_LOG_SIZE = 1_000;

/** Version of the state file format. */
export const STATE_FORMAT_VERSION = 1;

/** Lock file: a lock older than this is presumed abandoned and broken. */
export const DEFAULT_LOCK_STALE_MS = 10_000;
/** Lock file: give up waiting after this long. */
export const DEFAULT_LOCK_TIMEOUT_MS = 30_000;
/**
 * The embedded account's apply lock: how long a second apply waits for the first to finish. An
 * apply may wait up to `wait_timeout_seconds` (300 s by default) for lists to be OK, twice over.
 */
export const DEFAULT_APPLY_LOCK_TIMEOUT_MS = 15 * 60_000;
/** Lock file: first and largest wait between attempts (jittered, doubling). */
export const LOCK_RETRY_MIN_MS = 5;
export const LOCK_RETRY_MAX_MS = 100;

/** UTC+8: the service's times carry no zone and are Beijing time (unverified). */
export const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

/** Every admin route lives under this prefix, beside the service's `/api/v1`. */
export const ADMIN_PATH_PREFIX = '/_vocab';
/** Version of the admin API; every admin answer carries it as `api_version`. */
export const ADMIN_API_VERSION = 1;
/** Header carrying the admin key (`--admin-key`), needed by callers that are not on loopback. */
export const ADMIN_KEY_HEADER = 'x-vocab-admin-key';
/** Largest admin request body (a whole exported state fits). */
export const DEFAULT_MAX_ADMIN_BODY_BYTES = 64 * 1024 * 1024;
