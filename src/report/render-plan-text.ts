/**
 * The plan as a terminal shows it: Terraform-like symbols and an entry-level diff.
 */
import { checksOf } from '../plan/plan-checks.js';
import type { Change, Plan } from '../plan/types.js';
import { TEXT_MAX_ENTRY_LINES, TEXT_MAX_NOOP_NAMES } from './constants.js';
import { escapeTerminal } from './escape-terminal.js';
import { changeLabel, countEntries, entryDiffLines, planSummaryLine, quotaSentence } from './format-entries.js';
import { describeNotBefore } from './not-before.js';
import { planScope } from './plan-scope.js';
import { ACTION_STYLE, ACTION_SYMBOL, ACTION_VERB, createPaint, type Paint } from './style.js';
import { plural } from '../util/text.js';

/** Options of the text renderers. */
export interface RenderTextOptions {
  /** ANSI colour (the CLI turns it on for a terminal without NO_COLOR). */
  color: boolean;
  /** Entry lines per change before "… and N more". */
  maxEntryLines?: number;
}

const SIGN_STYLE = { '+': 'green', '-': 'red', '~': 'yellow' } as const;

/** The reason, with the entry counts where the reason does not already say them. */
function describeCounts(change: Change): string {
  const { before, after } = change.entry_count;
  const reason = escapeTerminal(change.reason);
  if (change.action === 'create') return reason;
  if (change.action === 'delete') return `${reason}, ${countEntries(before)}`;
  return `${reason} (${before} → ${countEntries(after)})`;
}

function renderChange(change: Change, paint: Paint, maxEntryLines: number, createdAt: string): string[] {
  const style = ACTION_STYLE[change.action];
  const id = change.vocabulary_id ? `  ${paint(escapeTerminal(change.vocabulary_id), 'dim')}` : '';
  const lines = [
    `  ${paint(`${ACTION_SYMBOL[change.action]} ${ACTION_VERB[change.action]}`, style, 'bold')}  ${changeLabel(change)}${id}`,
    `      ${describeCounts(change)}`,
  ];
  const wait = describeNotBefore(change, createdAt);
  if (wait !== undefined) lines.push(`      ${paint(`⏱ ${wait}`, 'yellow')}`);
  const { lines: diff, hidden } = entryDiffLines(change.entries, maxEntryLines);
  for (const line of diff) lines.push(`      ${paint(`${line.sign} ${line.text}`, SIGN_STYLE[line.sign])}`);
  if (hidden > 0) lines.push(`      ${paint(`… and ${hidden} more`, 'dim')}`);
  return lines;
}

/** Lines of the violations block (empty when none): refused, or overridden by --force. */
export function renderViolationLines(plan: Pick<Plan, 'violations' | 'checks'>, paint: Paint): string[] {
  if (plan.violations.length === 0) return [];
  const overridden = checksOf(plan).status === 'overridden';
  const lines = [
    overridden
      ? paint('Violations overridden by --force (the plan is applied anyway):', 'yellow', 'bold')
      : paint('Violations (the plan is refused):', 'red', 'bold'),
  ];
  for (const v of plan.violations) {
    const tag = v.overridden ? 'overridden by --force' : v.overridable ? '--force overrides' : 'cannot be overridden';
    lines.push(`  ${paint(v.overridable ? '!' : '✗', v.overridable ? 'yellow' : 'red')} ${paint(v.rule, 'bold')}: ${escapeTerminal(v.message)} [${tag}]`);
  }
  return lines;
}

/** The header: the environment, and the endpoint and targets when there is something to say about them. */
function renderHeader(plan: Plan, paint: Paint): string[] {
  const scope = planScope(plan);
  const lines = [`${paint('vocab plan', 'bold')} for environment ${paint(escapeTerminal(plan.environment), 'bold')} (${plan.fingerprint.slice(0, 19)}…)`];
  if (scope.endpoint) lines.push(paint(escapeTerminal(scope.endpoint), 'yellow'));
  if (scope.targets) lines.push(paint(escapeTerminal(`limited by --target ${scope.targets.names.join(', ')}: ${scope.targets.note}`), 'yellow'));
  return [...lines, ''];
}

/** The changes `--target` left out, after the plan's own (empty when none). */
function renderLeftOut(plan: Plan, paint: Paint): string[] {
  const { leftOut } = planScope(plan);
  if (leftOut.length === 0) return [];
  const lines = [paint('Left out by --target (not in this plan, not applied):', 'bold')];
  for (const c of leftOut) {
    const id = c.id === '' ? '' : `  ${escapeTerminal(c.id)}`;
    lines.push(paint(`  ${c.symbol} ${c.verb}  ${escapeTerminal(c.label)}${id}`, 'dim'), paint(`      ${escapeTerminal(c.reason)}`, 'dim'));
  }
  return [...lines, ''];
}

/** The plan in Terraform-like text: one block per change, noops summarised, quota, violations, summary line. */
export function renderPlanText(plan: Plan, options: RenderTextOptions): string {
  const paint = createPaint(options.color);
  const maxEntryLines = options.maxEntryLines ?? TEXT_MAX_ENTRY_LINES;
  const out: string[] = renderHeader(plan, paint);
  const changes = plan.changes.filter((c) => c.action !== 'noop');
  for (const change of changes) out.push(...renderChange(change, paint, maxEntryLines, plan.created_at), '');
  const noops = plan.changes.filter((c) => c.action === 'noop');
  if (noops.length > 0) {
    const names = noops.slice(0, TEXT_MAX_NOOP_NAMES).map((c) => escapeTerminal(c.name ?? c.prefix));
    const more = noops.length > TEXT_MAX_NOOP_NAMES ? `, … and ${noops.length - TEXT_MAX_NOOP_NAMES} more` : '';
    out.push(paint(`  ${noops.length} unchanged: ${names.join(', ')}${more}`, 'dim'), '');
  }
  out.push(...renderLeftOut(plan, paint));
  out.push(`Quota: ${quotaSentence(plan)}.`);
  if (plan.unmanaged.length > 0) {
    const ids = plan.unmanaged.map((u) => escapeTerminal(`${u.vocabulary_id} (${u.prefix})`)).join(', ');
    out.push(`Unmanaged: ${plural(plan.unmanaged.length, 'list')}, never touched: ${ids}.`);
  }
  out.push('');
  const violations = renderViolationLines(plan, paint);
  if (violations.length > 0) out.push(...violations, '');
  out.push(paint(planSummaryLine(plan), 'bold'));
  return `${out.join('\n')}\n`;
}

/** Several environments' plans in text, one after the other, each under an `=== environment NAME ===` line. */
export function renderPlansText(plans: readonly Plan[], options: RenderTextOptions): string {
  return plans.map((plan) => `=== environment ${plan.environment} ===\n${renderPlanText(plan, options)}`).join('\n');
}
