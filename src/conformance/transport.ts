/**
 * The wire as conformance sees it: one raw POST per request, the answer as it came (status and
 * parsed body), and a record of every exchange with the key left out. No retries, no parsing
 * rules of the client: conformance observes what the service does, not what the client makes of it.
 */
import { redactSecrets } from '../dashscope/redact.js';
import { CUSTOMIZATION_MODEL, CUSTOMIZATION_PATH, DEFAULT_TIMEOUT_MS } from '../dashscope/defaults.js';
import { buildUserAgent } from '../dashscope/user-agent.js';

/** One answer as it came: status 0 with `network` set when none came. */
export interface WireAnswer {
  status: number;
  /** The parsed JSON body, or the text when it is not JSON. */
  body: unknown;
  /** Why no answer came (connection refused, timeout). */
  network?: string;
}

/** One exchange as recorded: what was asked and what came back, never a header or the key. */
export interface RecordedExchange {
  rule: string;
  request: { model: string; input: Record<string, unknown> };
  response: { status: number; body: unknown; network?: string };
}

/** Sends requests to one account and records them. */
export interface WireTransport {
  send(rule: string, input: Record<string, unknown>): Promise<WireAnswer>;
  readonly exchanges: readonly RecordedExchange[];
}

/** Options of `createWireTransport`. */
export interface WireTransportOptions {
  /** Checked base URL, e.g. `https://dashscope.aliyuncs.com/api/v1`. */
  baseUrl: string;
  apiKey: string;
  workspace?: string | undefined;
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Replaces every occurrence of a secret in a JSON-like value (the service could echo a key back). */
function redactValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redactSecrets(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redactSecrets(k, secrets), redactValue(v, secrets)]));
  }
  return value;
}

/** A transport to one account: POST `{baseUrl}/services/audio/asr/customization`, one attempt per request. */
export function createWireTransport(options: WireTransportOptions): WireTransport {
  const exchanges: RecordedExchange[] = [];
  const secrets = [options.apiKey];
  const headers: Record<string, string> = {
    authorization: `Bearer ${options.apiKey}`,
    'content-type': 'application/json',
    'user-agent': buildUserAgent(),
  };
  if (options.workspace) headers['x-dashscope-workspace'] = options.workspace;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const url = `${options.baseUrl}${CUSTOMIZATION_PATH}`;
  return {
    exchanges,
    async send(rule, input) {
      const request = { model: CUSTOMIZATION_MODEL, input };
      let answer: WireAnswer;
      try {
        const response = await fetchImpl(url, {
          method: 'POST',
          headers,
          body: JSON.stringify(request),
          redirect: 'manual',
          signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
        });
        answer = { status: response.status, body: parseBody(await response.text()) };
      } catch (error) {
        answer = { status: 0, body: null, network: redactSecrets(error instanceof Error ? error.message : String(error), secrets) };
      }
      answer = { ...answer, body: redactValue(answer.body, secrets) };
      exchanges.push({ rule, request: redactValue(request, secrets) as RecordedExchange['request'], response: { ...answer } });
      return answer;
    },
  };
}
