/**
 * What a plan covers, as every format says it in its header: the endpoint it talks to (when it
 * is not the official URL of the region, or the embedded account), the `--target` names that
 * limited it, and the changes those left out.
 */
import { endpointNotice } from '../plan/describe-endpoint.js';
import type { LeftOutChange, Plan } from '../plan/types.js';
import { plural } from '../util/text.js';
import { changeLabel } from './format-entries.js';
import { ACTION_SYMBOL, ACTION_VERB } from './style.js';

/** The header lines of a plan's scope, as plain text (each renderer escapes them for its medium). */
export interface PlanScope {
  /** `endpoint: … (from DASHSCOPE_HTTP_BASE_URL, not the official cn-beijing URL)`, when worth saying. */
  endpoint?: string;
  /** The `--target` names that limited the plan, and what that means, when it was limited. */
  targets?: { names: string[]; note: string };
  /** The changes `--target` left out. */
  leftOut: LeftOutLine[];
}

/** A change left out, in words: `~`, `update`, `support (fun-asr)`, its id (or empty) and its reason. */
export interface LeftOutLine {
  symbol: string;
  verb: string;
  label: string;
  id: string;
  reason: string;
}

function leftOutLine(change: LeftOutChange): LeftOutLine {
  return {
    symbol: ACTION_SYMBOL[change.action],
    verb: ACTION_VERB[change.action],
    label: changeLabel(change),
    id: change.vocabulary_id ?? '',
    reason: change.reason,
  };
}

/** The scope of a plan: endpoint, targets and what they left out. */
export function planScope(plan: Pick<Plan, 'target' | 'targets' | 'left_out'>): PlanScope {
  const endpoint = endpointNotice(plan.target);
  const leftOut = (plan.left_out ?? []).map(leftOutLine);
  if (!plan.targets || plan.targets.length === 0) return { ...(endpoint ? { endpoint } : {}), leftOut };
  const outside = leftOut.length === 0 ? 'no change of another vocabulary is left out' : `${plural(leftOut.length, 'change')} of other vocabularies left out`;
  return {
    ...(endpoint ? { endpoint } : {}),
    targets: { names: [...plan.targets], note: `${outside}; the quota and the safety checks count the whole account` },
    leftOut,
  };
}
