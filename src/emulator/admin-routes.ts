/**
 * The admin API's routes: the whole account state (export, import, reset), the request log, the
 * fault rules, the clock, and accounts with their own settings. Every input is checked and a
 * bad one answered 400 with a message that names the field.
 */
import { formatServiceTime } from './account.js';
import { ServiceRejection } from './service-rejection.js';
import { readClockAdvance, readRequestFilter, readAccountKey, readStateBody } from './admin-input.js';
import { ADMIN_KEY_HEADER, ADMIN_PATH_PREFIX } from './constants.js';
import type { EmulatorContext } from './context.js';
import { FaultRuleError, readFaultRules } from './fault-rules.js';
import { renderInspectorPage } from './inspector-page.js';
import { publicRequestEntry } from './request-log.js';
import { EmulatorStateError, createEmptyAccount, fingerprintApiKey, readAccountSettings, type EmulatorState } from './state.js';

/** One admin request, its body already read. */
export interface AdminRequest {
  method: string;
  /** Path segments after `/_vocab/`, decoded. */
  segments: string[];
  query: URLSearchParams;
  /** The body as JSON (undefined when empty); a 400 `ServiceRejection` when it is not JSON. */
  json(): unknown;
}

/** What a route answers: JSON (`api_version` is added) or an HTML page. */
export type AdminAnswer = { kind: 'json'; status?: number; body: Record<string, unknown> } | { kind: 'html'; html: string; nonce: string };

type AdminHandler = (context: EmulatorContext, request: AdminRequest) => AdminAnswer | Promise<AdminAnswer>;

function json(body: Record<string, unknown>, status = 200): AdminAnswer {
  return { kind: 'json', status, body };
}

/** Turns a validation error of the state or fault readers into a 400. */
function asBadRequest<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof EmulatorStateError || error instanceof FaultRuleError) throw new ServiceRejection(400, 'BadRequest', error.message);
    throw error;
  }
}

function countLists(state: EmulatorState): number {
  return Object.values(state.accounts).reduce((n, a) => n + a.vocabularies.length, 0);
}

function describeApi(): AdminAnswer {
  const p = ADMIN_PATH_PREFIX;
  return json({
    auth: `loopback callers, or the admin key in the ${ADMIN_KEY_HEADER} header`,
    routes: [
      `GET ${p}/state`,
      `PUT ${p}/state`,
      `POST ${p}/reset`,
      `GET ${p}/requests?action=&status=&limit=`,
      `DELETE ${p}/requests`,
      `GET ${p}/faults`,
      `PUT ${p}/faults`,
      `DELETE ${p}/faults`,
      `GET ${p}/clock`,
      `PUT ${p}/clock`,
      `GET ${p}/accounts`,
      `PUT ${p}/accounts/{api_key}`,
      `GET ${p}/ui`,
    ],
  });
}

async function importState(context: EmulatorContext, request: AdminRequest): Promise<AdminAnswer> {
  const state = asBadRequest(() => readStateBody(request.json()));
  context.state = state;
  await context.persist();
  return json({ accounts: Object.keys(state.accounts).length, vocabularies: countLists(state) });
}

/** Empties every list; accounts made through the admin API keep their settings. Also forgets requests, faults and the clock's offset. */
async function resetEmulator(context: EmulatorContext): Promise<AdminAnswer> {
  const kept = Object.entries(context.state.accounts).filter(([, a]) => a.settings !== undefined);
  context.state = {
    format_version: context.state.format_version,
    accounts: Object.fromEntries(kept.map(([key, a]) => [key, { ...createEmptyAccount(), ...(a.settings ? { settings: a.settings } : {}) }])),
  };
  context.requestLog.clear();
  context.faultRules.clear();
  context.clock.reset();
  await context.persist();
  return json({ reset: true, accounts_kept: kept.length });
}

function listRequests(context: EmulatorContext, request: AdminRequest): AdminAnswer {
  const filter = readRequestFilter(request.query);
  const matching = context.requestLog
    .entries()
    .filter((e) => (filter.action === undefined || e.action === filter.action) && (filter.status === undefined || e.status === filter.status));
  return json({ requests: matching.slice(-filter.limit).map(publicRequestEntry) });
}

function clearRequests(context: EmulatorContext): AdminAnswer {
  const deleted = context.requestLog.entries().length;
  context.requestLog.clear();
  return json({ deleted });
}

function putFaults(context: EmulatorContext, request: AdminRequest): AdminAnswer {
  const rules = asBadRequest(() => readFaultRules(request.json()));
  context.faultRules.replace(rules);
  return json({ faults: context.faultRules.list() });
}

function clockBody(context: EmulatorContext): Record<string, unknown> {
  const now = context.clock.now();
  return { now: new Date(now).toISOString(), service_time: formatServiceTime(now), offset_ms: context.clock.offsetMs() };
}

function putClock(context: EmulatorContext, request: AdminRequest): AdminAnswer {
  context.clock.advance(readClockAdvance(request.json()));
  return json(clockBody(context));
}

function listAccounts(context: EmulatorContext): AdminAnswer {
  const accounts = Object.entries(context.state.accounts).map(([fingerprint, a]) => ({
    fingerprint,
    settings: a.settings ?? null,
    vocabularies: a.vocabularies.length,
  }));
  return json({ accounts });
}

async function putAccount(context: EmulatorContext, request: AdminRequest): Promise<AdminAnswer> {
  const key = readAccountKey(request.segments);
  const settings = asBadRequest(() => readAccountSettings(request.json() ?? {}, 'account'));
  const fingerprint = fingerprintApiKey(key);
  const existing = context.state.accounts[fingerprint];
  const created = existing === undefined;
  const account = existing ?? createEmptyAccount();
  account.settings = settings;
  context.state.accounts[fingerprint] = account;
  await context.persist();
  return json({ account: { fingerprint, settings, vocabularies: account.vocabularies.length } }, created ? 201 : 200);
}

/** Routes by first path segment, then by method. */
export const ADMIN_ROUTES: ReadonlyMap<string, Readonly<Record<string, AdminHandler>>> = new Map<string, Record<string, AdminHandler>>([
  ['', { GET: describeApi }],
  ['state', { GET: (context) => json({ state: structuredClone(context.state) }), PUT: importState }],
  ['reset', { POST: resetEmulator }],
  ['requests', { GET: listRequests, DELETE: clearRequests }],
  [
    'faults',
    {
      GET: (context) => json({ faults: context.faultRules.list() }),
      PUT: putFaults,
      DELETE: (context) => {
        context.faultRules.clear();
        return json({ faults: [] });
      },
    },
  ],
  ['clock', { GET: (context) => json(clockBody(context)), PUT: putClock }],
  ['accounts', { GET: listAccounts, PUT: putAccount }],
  ['ui', { GET: (context, request) => ({ kind: 'html', ...renderInspectorPage(context, request.query) }) }],
]);
