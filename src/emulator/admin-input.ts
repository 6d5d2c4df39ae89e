/** Checks of the admin API's inputs that are not a whole state, account or fault rule. */
import { ServiceRejection } from './service-rejection.js';
import { isRecord } from '../util/is-record.js';
import { EmulatorStateError, readEmulatorState, type EmulatorState } from './state.js';

function badRequest(message: string): ServiceRejection {
  return new ServiceRejection(400, 'BadRequest', message);
}

/** Most seconds one `PUT /_vocab/clock` may move the clock: a year. */
const MAX_ADVANCE_SECONDS = 366 * 24 * 3600;

/** `{"advance_seconds": N}` or `{"advance_ms": N}` (N ≥ 0): how far to move the clock, in ms. */
export function readClockAdvance(body: unknown): number {
  if (!isRecord(body)) throw badRequest('expected {"advance_seconds": N} or {"advance_ms": N}');
  const fields = Object.keys(body);
  const unknown = fields.find((f) => f !== 'advance_seconds' && f !== 'advance_ms');
  if (unknown !== undefined) throw badRequest(`unknown field ${JSON.stringify(unknown)} (expected advance_seconds or advance_ms)`);
  if (fields.length !== 1) throw badRequest('give exactly one of advance_seconds and advance_ms');
  const field = fields[0] === 'advance_ms' ? 'advance_ms' : 'advance_seconds';
  const value = body[field];
  const scale = field === 'advance_ms' ? 1 : 1000;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value * scale > MAX_ADVANCE_SECONDS * 1000) {
    throw badRequest(`${field} must be a number from 0 to ${field === 'advance_ms' ? MAX_ADVANCE_SECONDS * 1000 : MAX_ADVANCE_SECONDS}, not ${JSON.stringify(value)}`);
  }
  return Math.round(value * scale);
}

/** Filters of `GET /_vocab/requests`. */
export interface RequestFilter {
  action?: string;
  /** HTTP status; null: connections dropped without an answer. */
  status?: number | null;
  /** The newest this many (default and most 1000). */
  limit: number;
}

const MAX_LIMIT = 1000;

/** `?action=NAME&status=N|dropped&limit=N`; unknown parameters are refused. */
export function readRequestFilter(query: URLSearchParams): RequestFilter {
  const filter: RequestFilter = { limit: MAX_LIMIT };
  for (const [name, value] of query) {
    if (name === 'action') filter.action = value;
    else if (name === 'status') filter.status = readStatusFilter(value);
    else if (name === 'limit') {
      if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_LIMIT) throw badRequest(`limit must be a whole number from 1 to ${MAX_LIMIT}, not ${JSON.stringify(value)}`);
      filter.limit = Number(value);
    } else throw badRequest(`unknown query parameter ${JSON.stringify(name)} (expected action, status, limit)`);
  }
  return filter;
}

function readStatusFilter(value: string): number | null {
  if (value === 'dropped') return null;
  if (!/^\d{3}$/.test(value)) throw badRequest(`status must be an HTTP status (e.g. 200, 429) or "dropped", not ${JSON.stringify(value)}`);
  return Number(value);
}

/** The API key in `PUT /_vocab/accounts/{key}`: printable, no spaces, at most 256 characters. */
export function readAccountKey(segments: readonly string[]): string {
  const key = segments[1];
  if (key === undefined || segments.length !== 2) throw badRequest('expected PUT /_vocab/accounts/{api_key} (the key, percent-encoded)');
  if (!/^[\x21-\x7e]{1,256}$/.test(key)) throw badRequest('the API key must be 1 to 256 printable ASCII characters without spaces');
  return key;
}

/** The body of `PUT /_vocab/state`: `{"state": STATE}` (as GET answers) or a bare state (as a state file holds). */
export function readStateBody(body: unknown): EmulatorState {
  const state = isRecord(body) && body.format_version === undefined && body.state !== undefined ? body.state : body;
  try {
    return readEmulatorState(state);
  } catch (error) {
    if (error instanceof EmulatorStateError) throw badRequest(`not an emulator state: ${error.message}`);
    throw error;
  }
}
