/**
 * Fault rules set through the admin API (`PUT /_vocab/faults`): by action, an effect (an error
 * answer with a chosen status and code, a dropped connection, a gateway's HTML 502, or the
 * action carried out and then a failed or dropped answer), a probability, a latency and a count.
 * Rules are checked in order; the first that matches and draws under its probability applies.
 */
import { createSeededRandom } from './faults.js';
import { INTERNAL_ERROR_MESSAGE } from './constants.js';
import { isRecord } from '../util/is-record.js';

/** What a matching rule does to the request. */
export type FaultEffect = 'error' | 'drop-connection' | 'html-502' | 'commit-then-fail' | 'commit-then-drop' | 'latency';

/** The effects, in the order the documentation lists them. */
const FAULT_EFFECTS: readonly FaultEffect[] = ['error', 'drop-connection', 'html-502', 'commit-then-fail', 'commit-then-drop', 'latency'];

/** One rule, as the admin API reads and writes it. */
export interface FaultRule {
  /** Optional name, e.g. to find the rule again (the inspector's switches use `ui-…`). */
  id: string | null;
  /** The action it applies to; null: every request. */
  action: string | null;
  effect: FaultEffect;
  /** HTTP status of the error answer (`error` and `commit-then-fail`). */
  status: number;
  /** Service code of the error answer. */
  code: string;
  /** Message of the error answer. */
  message: string;
  /** Chance (0..1) that a matching request is hit. */
  probability: number;
  /** Delay before the answer (or the drop), ms. */
  latency_ms: number;
  /** Requests still to hit; null: no limit. The rule goes away at 0. */
  count: number | null;
}

/** A rule that hit one request. */
export interface FaultHit {
  rule: FaultRule;
  /** Label for the request log, e.g. `error 503` or `commit-then-drop`. */
  label: string;
}

/** The rules of one emulator. */
export interface FaultRules {
  /** A copy of the rules, in order. */
  list(): FaultRule[];
  /** Replaces every rule. */
  replace(rules: readonly FaultRule[]): void;
  /** Removes every rule. */
  clear(): void;
  /** The rule hitting a request with this action, if any (consumes one of its count). */
  pick(action: string | null): FaultHit | null;
}

/** Default code and message of an error answer, by status (the wire doc's table). */
const DEFAULT_ERRORS: Readonly<Record<number, { code: string; message: string }>> = {
  400: { code: 'InvalidParameter', message: 'Required parameter(s) missing or invalid, please check the request parameters.' },
  401: { code: 'InvalidApiKey', message: 'Invalid API-key provided.' },
  403: { code: 'AccessDenied', message: 'Access denied.' },
  404: { code: 'NotFound', message: 'Not found.' },
  408: { code: 'RequestTimeOut', message: 'Request timed out, please try again later.' },
  429: { code: 'Throttling.RateQuota', message: 'Requests rate limit exceeded, please try again later.' },
  500: { code: 'InternalError', message: INTERNAL_ERROR_MESSAGE },
};

/** A fault rule the admin API refuses; its message says which field and why. */
export class FaultRuleError extends Error {
  override readonly name = 'FaultRuleError';
}

const RULE_FIELDS = new Set(['id', 'action', 'effect', 'status', 'code', 'message', 'probability', 'latency_ms', 'count']);

function optionalString(value: Record<string, unknown>, field: string, where: string): string | null {
  const v = value[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || v === '' || v.length > 500) throw new FaultRuleError(`${where}.${field} must be a non-empty string (at most 500 characters)`);
  return v;
}

function numberIn(value: Record<string, unknown>, field: string, where: string, range: { min: number; max: number; integer: boolean }): number | null {
  const v = value[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < range.min || v > range.max || (range.integer && !Number.isInteger(v))) {
    const kind = range.integer ? 'a whole number' : 'a number';
    throw new FaultRuleError(`${where}.${field} must be ${kind} from ${range.min} to ${range.max}, not ${JSON.stringify(v)}`);
  }
  return v;
}

function readEffect(value: Record<string, unknown>, where: string): FaultEffect {
  const effect = value.effect ?? 'error';
  const known = FAULT_EFFECTS.find((e) => e === effect);
  if (known === undefined) throw new FaultRuleError(`${where}.effect must be one of ${FAULT_EFFECTS.join(', ')}, not ${JSON.stringify(effect)}`);
  return known;
}

/** Checks one rule from the admin API and fills in its defaults. */
function readFaultRule(value: unknown, where: string): FaultRule {
  if (!isRecord(value)) throw new FaultRuleError(`${where} must be an object`);
  const unknown = Object.keys(value).find((k) => !RULE_FIELDS.has(k));
  if (unknown !== undefined) throw new FaultRuleError(`${where}: unknown field ${JSON.stringify(unknown)} (expected ${[...RULE_FIELDS].join(', ')})`);
  const effect = readEffect(value, where);
  const status = numberIn(value, 'status', where, { min: 400, max: 599, integer: true }) ?? 500;
  const fallback = DEFAULT_ERRORS[status] ?? { code: status >= 500 ? 'InternalError' : 'InvalidParameter', message: `Injected fault (${status}).` };
  const action = optionalString(value, 'action', where);
  return {
    id: optionalString(value, 'id', where),
    action: action === '*' ? null : action,
    effect,
    status,
    code: optionalString(value, 'code', where) ?? fallback.code,
    message: optionalString(value, 'message', where) ?? fallback.message,
    probability: numberIn(value, 'probability', where, { min: 0, max: 1, integer: false }) ?? 1,
    latency_ms: numberIn(value, 'latency_ms', where, { min: 0, max: 600_000, integer: true }) ?? 0,
    count: numberIn(value, 'count', where, { min: 1, max: Number.MAX_SAFE_INTEGER, integer: true }),
  };
}

/** Checks a whole list of rules: `[rule, …]` or `{"faults": [rule, …]}`. */
export function readFaultRules(value: unknown): FaultRule[] {
  const list = isRecord(value) ? value.faults : value;
  if (!Array.isArray(list)) throw new FaultRuleError('expected a list of fault rules, or {"faults": [...]}');
  if (list.length > 100) throw new FaultRuleError(`at most 100 fault rules, not ${list.length}`);
  return list.map((rule, index) => readFaultRule(rule, `faults[${index}]`));
}

function labelOf(rule: FaultRule): string {
  if (rule.effect === 'error') return `error ${rule.status}`;
  if (rule.effect === 'commit-then-fail') return `commit-then-fail ${rule.status}`;
  return rule.effect;
}

/** Creates an empty rule set; `seed` makes the probability draws reproducible. */
export function createFaultRules(seed: number): FaultRules {
  let rules: FaultRule[] = [];
  const random = createSeededRandom(seed);
  return {
    list: () => rules.map((r) => ({ ...r })),
    replace(next) {
      rules = next.map((r) => ({ ...r }));
    },
    clear() {
      rules = [];
    },
    pick(action) {
      for (const rule of rules) {
        if (rule.action !== null && rule.action !== action) continue;
        if (rule.probability < 1 && random() >= rule.probability) continue;
        if (rule.count !== null) {
          rule.count -= 1;
          if (rule.count === 0) rules = rules.filter((r) => r !== rule);
        }
        return { rule: { ...rule }, label: labelOf(rule) };
      }
      return null;
    },
  };
}
