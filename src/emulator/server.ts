/**
 * The emulator's HTTP front (`node:http`): the customization endpoint with the service's
 * status codes and bodies, API key checks, a body size limit, a requests-per-minute limit,
 * latency and injected faults, a request log, and persistence after every write.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleepFor } from 'node:timers/promises';
import {
  executeRequest,
  generateRandomHexId,
  readRequestedAction,
  resolveAccountRules,
  type AccountEnvironment,
  type AccountRulesOptions,
} from './account.js';
import {
  CUSTOMIZATION_PATH,
  DEFAULT_LOCAL_API_KEY,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_SERVER_UNDEPLOYED_MS,
  FAULT_RETRY_AFTER_SECONDS,
} from './constants.js';
import { createFaultInjector, type FaultKind, type FaultOptions, type ScriptedFault } from './faults.js';
import { loadStateFile, saveStateFile } from './persistence.js';
import { createRateLimiter } from './rate-limit.js';
import { createRequestLog, type RequestLog, type RequestLogEntry } from './request-log.js';
import { ServiceRejection, invalidApiKey, invalidParameter } from './service-rejection.js';
import { createEmptyState, ensureAccount, fingerprintApiKey, type AccountState, type EmulatorState } from './state.js';

/** Default bind address: loopback only. */
export const DEFAULT_EMULATOR_HOST = '127.0.0.1';

/** Options of `startEmulatorServer`; every field is optional. */
export interface EmulatorServerOptions extends AccountRulesOptions, FaultOptions {
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: a free one). */
  port?: number;
  /** Accepted API keys, one account each (default [`sk-local-emulator`]). */
  apiKeys?: readonly string[];
  /** State file, loaded on start and written after every write (default: memory only). */
  stateFile?: string;
  /** UNDEPLOYED period after a create or update, ms (default 500). */
  undeployedMs?: number;
  /** Delay before each answer, ms (default 0). */
  latencyMs?: number;
  /** Requests per minute per account before 429 Throttling.RateQuota (default 0: no limit). */
  rpm?: number;
  /** Largest request body, bytes (default 4 MiB), else 413. */
  maxBodyBytes?: number;
  /** Entries kept in the request log (default 1000). */
  requestLogSize?: number;
  /** Clock, epoch ms (default `Date.now`). */
  now?: () => number;
  /** How latency is waited (default a timer); tests inject one that records. */
  sleep?: (ms: number) => Promise<void>;
  /** Source of the 32 hex characters of new ids (default random). */
  generateId?: () => string;
}

/** A running emulator. */
export interface EmulatorServer {
  /** Base URL including `/api/v1`, e.g. `http://127.0.0.1:8787/api/v1`. */
  url: string;
  port: number;
  host: string;
  /** Stops accepting, lets in-flight requests finish, flushes the state file. */
  close(): Promise<void>;
  /** Every request seen (by key fingerprint, never the key). */
  requestLog: RequestLog;
  /** Queues scripted faults, consumed in order by matching requests. */
  scriptFaults(...faults: ScriptedFault[]): void;
  /** Scripted faults not yet consumed. */
  pendingFaults(): ScriptedFault[];
  /** A deep copy of the whole state. */
  snapshotState(): EmulatorState;
  /** A deep copy of one key's account, or undefined if it never wrote. */
  accountState(apiKey: string): AccountState | undefined;
}

/** `sha256:` and the first 12 hex digits: enough to tell keys apart in a log. */
const LOG_FINGERPRINT_LENGTH = 'sha256:'.length + 12;

const GATEWAY_502_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n';

class BodyTooLarge extends Error {}

/** Starts the emulator on `host:port` and resolves once it is listening. */
export async function startEmulatorServer(options: EmulatorServerOptions = {}): Promise<EmulatorServer> {
  const host = options.host ?? DEFAULT_EMULATOR_HOST;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => sleepFor(ms).then(() => undefined));
  const apiKeys = new Set(options.apiKeys && options.apiKeys.length > 0 ? options.apiKeys : [DEFAULT_LOCAL_API_KEY]);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const latencyMs = options.latencyMs ?? 0;
  const env: AccountEnvironment = {
    rules: resolveAccountRules(options, DEFAULT_SERVER_UNDEPLOYED_MS),
    now,
    generateId: options.generateId ?? generateRandomHexId,
  };
  const faults = createFaultInjector(options);
  const limiter = createRateLimiter(options.rpm ?? 0, now);
  const requestLog = createRequestLog(options.requestLogSize);
  const stateFile = options.stateFile;
  const state = stateFile ? await loadStateFile(stateFile) : createEmptyState();

  // Saves run one after another, each writing the whole current state.
  let saving: Promise<void> = Promise.resolve();
  const persist = (): Promise<void> => {
    if (!stateFile) return Promise.resolve();
    const next = saving.then(() => saveStateFile(stateFile, state));
    saving = next.catch(() => undefined);
    return next;
  };
  let closing = false;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const entry: RequestLogEntry = {
      time: new Date(now()).toISOString(),
      keyFingerprint: null,
      action: null,
      status: null,
      code: null,
      fault: null,
      requestId,
    };
    const finish = (status: number | null, code: string | null): void => {
      entry.status = status;
      entry.code = code;
      requestLog.record(entry);
    };
    const fail = (error: ServiceRejection, headers: Record<string, string> = {}): void => {
      sendJson(res, error.status, { code: error.code, message: error.message, request_id: requestId }, requestId, headers, closing);
      finish(error.status, error.code);
    };
    const drop = (): void => {
      req.socket.destroy();
      finish(null, null);
    };

    const path = (req.url ?? '/').split('?')[0];
    if (path !== CUSTOMIZATION_PATH) {
      fail(new ServiceRejection(404, 'NotFound', `No such endpoint: ${path}. The customization endpoint is POST ${CUSTOMIZATION_PATH}.`));
      return;
    }
    if (req.method !== 'POST') {
      fail(new ServiceRejection(405, 'MethodNotAllowed', `Method ${req.method ?? ''} is not allowed; use POST.`), { allow: 'POST' });
      return;
    }
    let raw: string;
    try {
      raw = await readBody(req, maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        fail(new ServiceRejection(413, 'RequestTooLarge', `The request body is larger than ${maxBodyBytes} bytes.`), { connection: 'close' });
        return;
      }
      throw error;
    }
    const apiKey = readBearerKey(req.headers.authorization);
    if (apiKey !== null) entry.keyFingerprint = fingerprintApiKey(apiKey).slice(0, LOG_FINGERPRINT_LENGTH);
    if (apiKey === null || !apiKeys.has(apiKey)) {
      fail(invalidApiKey());
      return;
    }
    const accountKey = fingerprintApiKey(apiKey);
    const admitted = limiter.admit(accountKey);
    if (!admitted.admitted) {
      fail(new ServiceRejection(429, 'Throttling.RateQuota', 'Requests rate limit exceeded, please try again later.'), {
        'retry-after': String(admitted.retryAfterSeconds),
      });
      return;
    }
    if (latencyMs > 0) await sleep(latencyMs);

    let body: unknown;
    let badJson = false;
    try {
      body = JSON.parse(raw);
    } catch {
      badJson = true;
    }
    entry.action = readRequestedAction(body);
    const fault: FaultKind | null = faults.pickFault(entry.action);
    entry.fault = fault;
    switch (fault) {
      case 'http-500':
        fail(internalError());
        return;
      case 'rate-limit-429':
        fail(new ServiceRejection(429, 'Throttling.RateQuota', 'Requests rate limit exceeded, please try again later.'), {
          'retry-after': String(FAULT_RETRY_AFTER_SECONDS),
        });
        return;
      case 'html-502':
        res.writeHead(502, { 'content-type': 'text/html', ...(closing ? { connection: 'close' } : {}) });
        res.end(GATEWAY_502_HTML);
        finish(502, null);
        return;
      case 'drop-connection':
        drop();
        return;
      default:
        break;
    }
    if (badJson) {
      fail(invalidParameter('The request body is not valid JSON.'));
      return;
    }
    let output: Record<string, unknown>;
    try {
      const result = executeRequest(ensureAccount(state, apiKey), body, env);
      if (result.wrote) await persist();
      output = result.output;
    } catch (error) {
      if (!(error instanceof ServiceRejection)) throw error;
      if (fault === 'commit-then-drop') drop();
      else if (fault === 'commit-then-fail') fail(internalError());
      else fail(error);
      return;
    }
    if (fault === 'commit-then-drop') {
      drop();
      return;
    }
    if (fault === 'commit-then-fail') {
      fail(internalError());
      return;
    }
    sendJson(res, 200, { output, usage: { count: 1 }, request_id: requestId }, requestId, {}, closing);
    finish(200, null);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug or a failed save: answer like the service's own internal error.
      const requestId = randomUUID();
      const message = `Internal error: ${error instanceof Error ? error.message : String(error)}`;
      if (!res.headersSent) {
        sendJson(res, 500, { code: 'InternalError', message, request_id: requestId }, requestId, {}, closing);
      } else {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${urlHost}:${address.port}/api/v1`,
    port: address.port,
    host: address.address,
    requestLog,
    async close() {
      closing = true;
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      });
      await saving;
    },
    scriptFaults(...list) {
      faults.scriptFaults(list);
    },
    pendingFaults: () => faults.pendingFaults(),
    snapshotState: () => structuredClone(state),
    accountState(apiKey) {
      const account = state.accounts[fingerprintApiKey(apiKey)];
      return account ? structuredClone(account) : undefined;
    },
  };
}

function internalError(): ServiceRejection {
  return new ServiceRejection(500, 'InternalError', 'An internal error has occurred, please try again later.');
}

function readBearerKey(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  headers: Record<string, string>,
  closing: boolean,
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    'x-request-id': requestId,
    // While shutting down, keep-alive connections are closed after their answer.
    ...(closing ? { connection: 'close' } : {}),
    ...headers,
  });
  res.end(text);
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? '0');
  let size = 0;
  let tooLarge = declared > limit;
  const chunks: Buffer[] = [];
  // Past the limit the rest is drained, not stored, so the client can read the 413.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) tooLarge = true;
    if (!tooLarge) chunks.push(chunk);
  }
  if (tooLarge) throw new BodyTooLarge();
  return Buffer.concat(chunks).toString('utf8');
}
