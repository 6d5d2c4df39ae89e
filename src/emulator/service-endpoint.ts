/**
 * The customization endpoint (`POST /api/v1/services/audio/asr/customization`) as named steps:
 * route, read the body, check the key, the workspace and the rate, wait, pick a fault, run the
 * action, answer. Each step answers and returns false (or null) when the request stops there.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { executeRequest, readRequestedAction } from './account.js';
import { CUSTOMIZATION_PATH, DEFAULT_MAX_BODY_BYTES, FAULT_RETRY_AFTER_SECONDS, INTERNAL_ERROR_MESSAGE } from './constants.js';
import { accountEnvironment, isKnownApiKey, type EmulatorContext } from './context.js';
import type { FaultEffect } from './fault-rules.js';
import type { FaultKind } from './faults.js';
import { BodyTooLarge, readBody, sendJson } from './http-io.js';
import type { RequestLogEntry } from './request-log.js';
import { ServiceRejection, invalidApiKey, invalidParameter } from './service-rejection.js';
import { ensureAccount, fingerprintApiKey } from './state.js';
import { WORKSPACE_HEADER, requestedWorkspace, workspaceRejection } from './workspaces.js';

/** `sha256:` and the first 12 hex digits: enough to tell keys apart in a log. */
const LOG_FINGERPRINT_LENGTH = 'sha256:'.length + 12;

const GATEWAY_502_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n';

/** One request in flight: its log entry and the ways to answer it. */
interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  entry: RequestLogEntry;
  fail(error: ServiceRejection, headers?: Record<string, string>): void;
  drop(): void;
  succeed(output: Record<string, unknown>): void;
}

/** A fault chosen for a request, from the admin rules or the scripted and random faults. */
interface PickedFault {
  label: string;
  effect: FaultEffect;
  error: ServiceRejection;
  latencyMs: number;
}

/** The internal error, worded as in the vendor's status code table. */
function internalError(): ServiceRejection {
  return new ServiceRejection(500, 'InternalError', INTERNAL_ERROR_MESSAGE);
}

function openExchange(context: EmulatorContext, req: IncomingMessage, res: ServerResponse): Exchange {
  const requestId = randomUUID();
  const entry: RequestLogEntry = {
    time: new Date(context.clock.now()).toISOString(),
    keyFingerprint: null,
    action: null,
    status: null,
    code: null,
    fault: null,
    workspace: requestedWorkspace(req.headers[WORKSPACE_HEADER]),
    requestId,
  };
  const finish = (status: number | null, code: string | null): void => {
    entry.status = status;
    entry.code = code;
    context.requestLog.record(entry);
  };
  return {
    req,
    res,
    requestId,
    entry,
    fail(error, headers = {}) {
      sendJson(res, error.status, { code: error.code, message: error.message, request_id: requestId }, requestId, headers, context.closing);
      finish(error.status, error.code);
    },
    drop() {
      req.socket.destroy();
      finish(null, null);
    },
    succeed(output) {
      sendJson(res, 200, { output, usage: { count: 1 }, request_id: requestId }, requestId, {}, context.closing);
      finish(200, null);
    },
  };
}

function checkRoute(exchange: Exchange): boolean {
  const path = (exchange.req.url ?? '/').split('?')[0];
  if (path !== CUSTOMIZATION_PATH) {
    exchange.fail(new ServiceRejection(404, 'NotFound', `No such endpoint: ${path}. The customization endpoint is POST ${CUSTOMIZATION_PATH}.`));
    return false;
  }
  if (exchange.req.method !== 'POST') {
    exchange.fail(new ServiceRejection(405, 'MethodNotAllowed', `Method ${exchange.req.method ?? ''} is not allowed; use POST.`), { allow: 'POST' });
    return false;
  }
  return true;
}

async function readServiceBody(context: EmulatorContext, exchange: Exchange): Promise<string | null> {
  const limit = context.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  try {
    return await readBody(exchange.req, limit);
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    exchange.fail(new ServiceRejection(413, 'RequestTooLarge', `The request body is larger than ${limit} bytes.`), { connection: 'close' });
    return null;
  }
}

function readBearerKey(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

/** The caller's key once it is known, its workspace allowed and its rate admitted; else null. */
function admitCaller(context: EmulatorContext, exchange: Exchange): string | null {
  const apiKey = readBearerKey(exchange.req.headers.authorization);
  if (apiKey !== null) exchange.entry.keyFingerprint = fingerprintApiKey(apiKey).slice(0, LOG_FINGERPRINT_LENGTH);
  if (apiKey === null || !isKnownApiKey(context, apiKey)) {
    exchange.fail(invalidApiKey());
    return null;
  }
  const accountKey = fingerprintApiKey(apiKey);
  const refused = workspaceRejection(context.state.accounts[accountKey], exchange.entry.workspace);
  if (refused) {
    exchange.fail(refused);
    return null;
  }
  const admitted = context.limiter.admit(accountKey);
  if (!admitted.admitted) {
    exchange.fail(new ServiceRejection(429, 'Throttling.RateQuota', 'Requests rate limit exceeded, please try again later.'), {
      'retry-after': String(admitted.retryAfterSeconds),
    });
    return null;
  }
  return apiKey;
}

const KIND_EFFECTS: Readonly<Record<FaultKind, { effect: FaultEffect; error: () => ServiceRejection }>> = {
  'http-500': { effect: 'error', error: internalError },
  'rate-limit-429': {
    effect: 'error',
    error: () => new ServiceRejection(429, 'Throttling.RateQuota', 'Requests rate limit exceeded, please try again later.'),
  },
  'html-502': { effect: 'html-502', error: internalError },
  'drop-connection': { effect: 'drop-connection', error: internalError },
  'commit-then-fail': { effect: 'commit-then-fail', error: internalError },
  'commit-then-drop': { effect: 'commit-then-drop', error: internalError },
};

/** The admin API's rules first, then the scripted and random faults of the options. */
function pickFault(context: EmulatorContext, action: string | null): PickedFault | null {
  const hit = context.faultRules.pick(action);
  if (hit) {
    const { rule } = hit;
    return { label: hit.label, effect: rule.effect, error: new ServiceRejection(rule.status, rule.code, rule.message), latencyMs: rule.latency_ms };
  }
  const kind = context.faults.pickFault(action);
  if (kind === null) return null;
  const { effect, error } = KIND_EFFECTS[kind];
  return { label: kind, effect, error: error(), latencyMs: 0 };
}

function retryHeaders(error: ServiceRejection): Record<string, string> {
  return error.status === 429 ? { 'retry-after': String(FAULT_RETRY_AFTER_SECONDS) } : {};
}

/** Answers a fault that stops the request before the action runs; true when it did. */
function answerFaultBeforeAction(context: EmulatorContext, exchange: Exchange, fault: PickedFault | null): boolean {
  switch (fault?.effect) {
    case 'error':
      exchange.fail(fault.error, retryHeaders(fault.error));
      return true;
    case 'html-502':
      exchange.res.writeHead(502, { 'content-type': 'text/html', ...(context.closing ? { connection: 'close' } : {}) });
      exchange.res.end(GATEWAY_502_HTML);
      exchange.entry.status = 502;
      context.requestLog.record(exchange.entry);
      return true;
    case 'drop-connection':
      exchange.drop();
      return true;
    default:
      return false;
  }
}

/** Runs the action, saves a write, then answers (or fails or drops after the commit, as the fault says). */
async function runAction(context: EmulatorContext, exchange: Exchange, apiKey: string, body: unknown, fault: PickedFault | null): Promise<void> {
  let output: Record<string, unknown>;
  try {
    const account = ensureAccount(context.state, apiKey);
    const result = executeRequest(account, body, accountEnvironment(context, account));
    if (result.wrote) await context.persist();
    output = result.output;
  } catch (error) {
    if (!(error instanceof ServiceRejection)) throw error;
    if (fault?.effect === 'commit-then-drop') exchange.drop();
    else if (fault?.effect === 'commit-then-fail') exchange.fail(fault.error, retryHeaders(fault.error));
    else exchange.fail(error);
    return;
  }
  if (fault?.effect === 'commit-then-drop') exchange.drop();
  else if (fault?.effect === 'commit-then-fail') exchange.fail(fault.error, retryHeaders(fault.error));
  else exchange.succeed(output);
}

function parseJson(raw: string): { body: unknown; ok: boolean } {
  try {
    return { body: JSON.parse(raw) as unknown, ok: true };
  } catch {
    return { body: undefined, ok: false };
  }
}

async function wait(context: EmulatorContext, ms: number): Promise<void> {
  if (ms <= 0) return;
  // Unreferenced: a request still held by latency never keeps a stopping process alive.
  const sleep = context.options.sleep ?? ((n: number) => sleepFor(n, undefined, { ref: false }).then(() => undefined));
  await sleep(ms);
}

/** Answers one request to the service endpoint. */
export async function handleServiceRequest(context: EmulatorContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const exchange = openExchange(context, req, res);
  if (!checkRoute(exchange)) return;
  const raw = await readServiceBody(context, exchange);
  if (raw === null) return;
  const apiKey = admitCaller(context, exchange);
  if (apiKey === null) return;
  await wait(context, context.options.latencyMs ?? 0);
  const { body, ok } = parseJson(raw);
  exchange.entry.action = readRequestedAction(body);
  const fault = pickFault(context, exchange.entry.action);
  exchange.entry.fault = fault?.label ?? null;
  await wait(context, fault?.latencyMs ?? 0);
  if (answerFaultBeforeAction(context, exchange, fault)) return;
  if (!ok) {
    exchange.fail(invalidParameter('The request body is not valid JSON.'));
    return;
  }
  await runAction(context, exchange, apiKey, body, fault);
}
