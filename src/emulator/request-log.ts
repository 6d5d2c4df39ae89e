/** The emulator's in-memory request log. It names accounts by key fingerprint, never by key. */
import { DEFAULT_REQUEST_LOG_SIZE } from './constants.js';

/** One request as the emulator saw it. */
export interface RequestLogEntry {
  /** ISO 8601 time the request arrived (injected clock). */
  time: string;
  /** Short SHA-256 fingerprint of the API key sent (`sha256:` + 12 hex), or null if none. */
  keyFingerprint: string | null;
  /** `input.action` of the body, when it had one. */
  action: string | null;
  /** HTTP status answered; null when the connection was dropped without an answer. */
  status: number | null;
  /** Service code of an error answer, or null on success. */
  code: string | null;
  /** The injected fault (a fault kind, or a rule's effect such as `error 503`), or null. */
  fault: string | null;
  /** The `X-DashScope-WorkSpace` header sent, or null. */
  workspace: string | null;
  /** The request id answered (or that would have been), or null. */
  requestId: string | null;
}

/** A bounded log, oldest entries dropped first. */
export interface RequestLog {
  /** A copy of the entries, oldest first. */
  entries(): RequestLogEntry[];
  /** Adds an entry. */
  record(entry: RequestLogEntry): void;
  /** Forgets every entry. */
  clear(): void;
}

/** Creates an empty request log keeping at most `size` entries. */
export function createRequestLog(size: number = DEFAULT_REQUEST_LOG_SIZE): RequestLog {
  let items: RequestLogEntry[] = [];
  return {
    entries: () => items.map((e) => ({ ...e })),
    record(entry) {
      items.push(entry);
      if (items.length > size) items = items.slice(items.length - size);
    },
    clear() {
      items = [];
    },
  };
}

/** A request log entry as the admin API shows it (snake_case; the key only as a short fingerprint). */
export interface PublicRequestEntry {
  time: string;
  key_fingerprint: string | null;
  workspace: string | null;
  action: string | null;
  status: number | null;
  code: string | null;
  fault: string | null;
  request_id: string | null;
}

/** An entry of the log in its admin API shape. */
export function publicRequestEntry(e: RequestLogEntry): PublicRequestEntry {
  return {
    time: e.time,
    key_fingerprint: e.keyFingerprint,
    workspace: e.workspace,
    action: e.action,
    status: e.status,
    code: e.code,
    fault: e.fault,
    request_id: e.requestId,
  };
}
