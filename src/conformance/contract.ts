/**
 * The emulator's contract as probes that can run against any account: each rule sends one or
 * two requests and sums up what the service did in a short, account-independent observation
 * ("400 InvalidParameter", "status OK"), so the real service and the emulator can be compared.
 * At most one list is created (with the throwaway prefix) and it is always deleted; no other
 * list is ever queried, changed or deleted.
 */
import { classifyRejection } from '../dashscope/errors.js';
import type { WireAnswer, WireTransport } from './transport.js';
import { asRecord as record } from '../util/is-record.js';

/** What one probe saw: a summary to compare, or why it did not run. */
export type Observation = { seen: string } | { skipped: string };

/** One rule of the contract. */
export interface ContractRule {
  id: string;
  /** What the emulator does, in one line. */
  description: string;
  /** Where the emulator's behaviour comes from. */
  source: string;
  probe(session: ProbeSession): Promise<Observation>;
}

/** The state the probes share on one account. */
export interface ProbeSession {
  readonly transport: WireTransport;
  /** The throwaway prefix (9 characters, unused on the account). */
  readonly prefix: string;
  /** The model every probe list uses (offered in the account's region). */
  readonly model: string;
  /** The one list created, while it exists. */
  listId: string | null;
  /** Creates still allowed (starts at 1): a probe that would create a second list is skipped. */
  createsLeft: number;
  /** The list once deleted, for the probe that asks for it again. */
  deletedId: string | null;
  /** Lists conformance made but could not delete: the user must delete them by hand. */
  leftOver: string[];
}

/**
 * Deletes whatever lists carry the throwaway prefixes (the prefix, and the 10-character one a
 * probe sends): a create that timed out or failed with a 5xx may still have made one. The
 * prefixes were unused when conformance began, so these lists are its own.
 */
export async function sweepThrowawayLists(session: ProbeSession): Promise<void> {
  for (const prefix of [session.prefix, `${session.prefix}x`]) {
    const answer = await session.transport.send('cleanup (sweep)', { action: 'list_vocabulary', prefix, page_index: 0, page_size: 10 });
    const rows = outputOf(answer)?.['vocabulary_list'];
    if (!Array.isArray(rows)) continue;
    for (const row of rows) {
      const id = record(row)?.['vocabulary_id'];
      // Only an id of exactly this prefix: a server that filters by "starts with" shows others too.
      if (typeof id !== 'string' || !new RegExp(`^vocab-${prefix}-[0-9a-f]{32}$`).test(id) || session.leftOver.includes(id)) continue;
      await deleteOrRemember(session, 'cleanup (sweep)', id);
    }
  }
}

/** Deletes a list conformance made; one the service will not delete is remembered and reported. */
export async function deleteOrRemember(session: ProbeSession, rule: string, id: string): Promise<void> {
  const answer = await session.transport.send(rule, { action: 'delete_vocabulary', vocabulary_id: id });
  if (answer.status !== 200) session.leftOver.push(id);
}

const ZERO_ID_SUFFIX = '0'.repeat(32);
const SERVICE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** `200`, `400 InvalidParameter`, `502 (no code)`, `no answer`. */
export function outcomeOf(answer: WireAnswer): string {
  if (answer.status === 0) return 'no answer';
  if (answer.status === 200) return '200';
  const code = record(answer.body)?.['code'];
  // The code comes from the service: only its word characters are shown, and not too many.
  const shown = typeof code === 'string' ? code.replace(/[^\w.-]/g, '').slice(0, 60) : '';
  return `${answer.status} ${shown !== '' ? shown : '(no code)'}`;
}

function outputOf(answer: WireAnswer): Record<string, unknown> | undefined {
  return answer.status === 200 ? record(record(answer.body)?.['output']) : undefined;
}

const seen = (text: string): Observation => ({ seen: text });
const entry = (text: string): Record<string, unknown> => ({ text, weight: 4 });

/** An id of the account's shape that cannot exist: the throwaway prefix and 32 zeros. */
function unknownId(session: ProbeSession): string {
  return `vocab-${session.prefix}-${ZERO_ID_SUFFIX}`;
}

/**
 * A create within the one-list budget. A create the service accepts uses up the budget; when it
 * was meant to be refused, its list is deleted at once (so at most one list ever exists).
 */
async function createWithinBudget(session: ProbeSession, rule: string, input: Record<string, unknown>, keep: boolean): Promise<Observation> {
  if (session.createsLeft <= 0) return { skipped: 'would create a second list' };
  const answer = await session.transport.send(rule, { action: 'create_vocabulary', ...input });
  const id = outputOf(answer)?.['vocabulary_id'];
  if (answer.status === 200) {
    session.createsLeft--;
    if (typeof id === 'string' && keep) session.listId = id;
    else if (typeof id === 'string') await deleteOrRemember(session, `${rule} (cleanup)`, id);
  }
  return seen(outcomeOf(answer));
}

/** A create that the emulator refuses; `vocabulary` and the other fields are the probe's. */
function refusedCreate(id: string, description: string, source: string, input: (s: ProbeSession) => Record<string, unknown>): ContractRule {
  return {
    id,
    description,
    source,
    probe: (session) => createWithinBudget(session, id, { target_model: session.model, prefix: session.prefix, vocabulary: [entry('conformance')], ...input(session) }, false),
  };
}

/** A probe of the one list; skipped when there is none. */
function onList(id: string, description: string, source: string, probe: (session: ProbeSession, listId: string) => Promise<Observation>): ContractRule {
  return {
    id,
    description,
    source,
    probe: (session) => (session.listId === null ? Promise.resolve({ skipped: 'no list was created' }) : probe(session, session.listId)),
  };
}

const WIRE = 'dashscope-wire.md';

const UNKNOWN_ID_RULES: ContractRule[] = [
  {
    id: 'query-unknown-id',
    description: 'query of an id that does not exist is refused',
    source: `${WIRE} Errors (unverified: 400 InvalidParameter)`,
    probe: async (s) => seen(outcomeOf(await s.transport.send('query-unknown-id', { action: 'query_vocabulary', vocabulary_id: unknownId(s) }))),
  },
  {
    id: 'update-unknown-id',
    description: 'update of an id that does not exist is refused',
    source: `${WIRE} Errors (unverified)`,
    probe: async (s) =>
      seen(outcomeOf(await s.transport.send('update-unknown-id', { action: 'update_vocabulary', vocabulary_id: unknownId(s), vocabulary: [entry('conformance')] }))),
  },
  {
    id: 'delete-unknown-id',
    description: 'delete of an id that does not exist is refused',
    source: `${WIRE} Errors (unverified)`,
    probe: async (s) => seen(outcomeOf(await s.transport.send('delete-unknown-id', { action: 'delete_vocabulary', vocabulary_id: unknownId(s) }))),
  },
];

// Ordered from the surest refusal to the least sure: a create the service takes uses up the
// one-list budget (its list is deleted at once) and the lifecycle rules below are skipped.
const REFUSED_CREATE_RULES: ContractRule[] = [
  refusedCreate('unknown-model', 'a target_model without hotword lists is refused', `${WIRE} Limits (models by region)`, () => ({ target_model: 'vocab-conformance-no-such-model' })),
  refusedCreate('weight-6', 'a weight outside 1 to 5 is refused', `${WIRE} Entries`, () => ({ vocabulary: [{ text: 'conformance', weight: 6 }] })),
  refusedCreate('text-8-words', 'an ASCII text of 8 words is refused (at most 7)', `${WIRE} Entries`, () => ({ vocabulary: [entry('one two three four five six seven eight')] })),
  refusedCreate('prefix-10-chars', 'a 10-character prefix is refused ("fewer than 10")', `${WIRE} Limits (pages say "fewer than 10" and "at most 10")`, (s) => ({ prefix: `${s.prefix}x` })),
  refusedCreate('empty-vocabulary', 'an empty vocabulary is refused', `${WIRE} Actions (create_vocabulary: vocabulary)`, () => ({ vocabulary: [] })),
];

async function describeCreate(session: ProbeSession): Promise<Observation> {
  const observed = await createWithinBudget(session, 'create', { target_model: session.model, prefix: session.prefix, vocabulary: [entry('conformance')] }, true);
  if ('skipped' in observed || observed.seen !== '200') return observed;
  const id = session.listId ?? '';
  const shape = new RegExp(`^vocab-${session.prefix}-[0-9a-f]{32}$`).test(id) ? 'vocab-PREFIX-<32 hex>' : 'another id shape';
  return seen(`200, id ${shape}`);
}

async function describeQuery(session: ProbeSession, listId: string, rule: string): Promise<WireAnswer> {
  return session.transport.send(rule, { action: 'query_vocabulary', vocabulary_id: listId });
}

async function describeList(session: ProbeSession, rule: string, pageIndex: number): Promise<Observation> {
  const answer = await session.transport.send(rule, { action: 'list_vocabulary', prefix: session.prefix, page_index: pageIndex, page_size: 10 });
  const rows = outputOf(answer)?.['vocabulary_list'];
  if (!Array.isArray(rows)) return seen(outcomeOf(answer));
  const keys = [...new Set(rows.flatMap((row) => Object.keys(record(row) ?? {})))].sort().join(',');
  return seen(`${rows.length} row${rows.length === 1 ? '' : 's'}${keys ? `: ${keys}` : ''}`);
}

async function describeUpdate(session: ProbeSession, listId: string, rule: string, text: string): Promise<Observation> {
  const answer = await session.transport.send(rule, { action: 'update_vocabulary', vocabulary_id: listId, vocabulary: [entry(text)] });
  const body = record(answer.body);
  const kind = classifyRejection(
    { action: 'update_vocabulary', status: answer.status, code: typeof body?.['code'] === 'string' ? body['code'] : '', message: typeof body?.['message'] === 'string' ? body['message'] : '' },
    {},
  );
  return seen(`${outcomeOf(answer)}${kind === 'update_interval' ? ' (update spacing)' : ''}`);
}

const LIFECYCLE_RULES: ContractRule[] = [
  { id: 'create', description: 'create answers the id vocab-PREFIX-<32 hex>', source: `${WIRE} Actions`, probe: describeCreate },
  onList('status-after-create', 'a new list is OK at once (the vendor sample checks status == OK)', 'vendor sample code; emulator knob', async (s, id) => {
    const output = outputOf(await describeQuery(s, id, 'status-after-create'));
    return seen(output ? `status ${String(output['status'])}` : 'query refused');
  }),
  onList('query-shape', 'query answers exactly gmt_create, gmt_modified, status, target_model, vocabulary; times without a zone', `${WIRE} Actions`, async (s, id) => {
    const answer = await describeQuery(s, id, 'query-shape');
    const output = outputOf(answer);
    if (!output) return seen(outcomeOf(answer));
    const times = SERVICE_TIME.test(String(output['gmt_create'])) && SERVICE_TIME.test(String(output['gmt_modified'])) ? 'YYYY-MM-DD HH:MM:SS' : 'other time format';
    return seen(`${Object.keys(output).sort().join(',')}; times ${times}`);
  }),
  onList('list-shape', 'list by prefix answers the one list with exactly four fields', `${WIRE} Actions`, (s) => describeList(s, 'list-shape', 0)),
  onList('list-past-end', 'a page past the end is empty', `${WIRE} Actions`, (s) => describeList(s, 'list-past-end', 50)),
  onList('update', 'an update of the new list is taken', `${WIRE} Actions`, (s, id) => describeUpdate(s, id, 'update', 'conformance two')),
  onList('update-spacing', 'a second update at once is refused (updates at least 5 minutes apart)', '[bl] "updates must be at least 5 minutes apart"; error shape our guess', (s, id) =>
    describeUpdate(s, id, 'update-spacing', 'conformance three')),
  onList('delete', 'delete of the list is taken', `${WIRE} Actions`, async (s, id) => {
    const answer = await s.transport.send('delete', { action: 'delete_vocabulary', vocabulary_id: id });
    if (answer.status === 200) {
      s.listId = null;
      s.deletedId = id;
    }
    return seen(outcomeOf(answer));
  }),
  {
    id: 'query-deleted',
    description: 'query of the deleted list is refused like an unknown id',
    source: `${WIRE} Errors (unverified)`,
    probe: async (s) =>
      s.deletedId === null
        ? { skipped: 'no list was deleted' }
        : seen(outcomeOf(await s.transport.send('query-deleted', { action: 'query_vocabulary', vocabulary_id: s.deletedId }))),
  },
];

/** Every rule, in the order they run: refusals first (they should create nothing), then the one list's life. */
export const CONTRACT_RULES: readonly ContractRule[] = [...UNKNOWN_ID_RULES, ...REFUSED_CREATE_RULES, ...LIFECYCLE_RULES];
