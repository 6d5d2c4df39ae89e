/**
 * The result of an apply: what was done, what failed, what was skipped.
 */
import type { ApplyResult, ApplyResultItem, ApplyStatus } from '../plan/types.js';
import { escapeTerminal, escapeTerminalBlock } from './escape-terminal.js';
import { createPaint } from './style.js';
import { ACTION_VERB } from './style.js';
import type { RenderTextOptions } from './render-plan-text.js';

const STATUS_MARK: Record<ApplyStatus, string> = { applied: '✓', failed: '✗', skipped: '○' };
const STATUS_STYLE = { applied: 'green', failed: 'red', skipped: 'yellow' } as const;

function label(item: ApplyResultItem): string {
  const name = item.name !== null && item.name !== item.prefix ? `${item.name} [${item.prefix}]` : item.prefix;
  return escapeTerminal(`${name} (${item.target_model})`);
}

/** An error message of one or more lines, escaped for a terminal, later lines indented under the first. */
function indentBlock(text: string): string {
  return escapeTerminalBlock(text).replace(/\n/g, '\n        ');
}

/** `Apply: 3 applied, 1 failed, 0 skipped.` */
export function applySummaryLine(result: ApplyResult): string {
  const { applied, failed, skipped } = result.summary;
  if (applied + failed + skipped === 0) return 'Apply: nothing to do.';
  const head = result.interrupted ? 'Apply interrupted' : failed + skipped > 0 ? 'Apply incomplete' : 'Apply complete';
  return `${head}: ${applied} applied, ${failed} failed, ${skipped} skipped.`;
}

/** The apply result as text: one line per change with its status, error and notes, then the summary. */
export function renderApplyText(result: ApplyResult, options: Pick<RenderTextOptions, 'color'>): string {
  const paint = createPaint(options.color);
  const out: string[] = [`${paint('vocab apply', 'bold')} to environment ${paint(escapeTerminal(result.environment), 'bold')}`, ''];
  for (const item of result.results) {
    const id = item.vocabulary_id ? `  ${paint(escapeTerminal(item.vocabulary_id), 'dim')}` : '';
    const status = paint(`${STATUS_MARK[item.status]} ${item.status}`, STATUS_STYLE[item.status]);
    out.push(`  ${status}  ${ACTION_VERB[item.action]} ${label(item)}${id}`);
    if (item.error !== undefined) out.push(`      ${paint(item.status === 'failed' ? 'error' : 'why', 'bold')}: ${indentBlock(item.error)}`);
    for (const n of item.notes ?? []) out.push(`      ${paint(escapeTerminal(n), 'dim')}`);
  }
  if (result.results.length > 0) out.push('');
  out.push(paint(applySummaryLine(result), 'bold', result.summary.failed > 0 ? 'red' : 'green'));
  return `${out.join('\n')}\n`;
}

/** The apply result document: `{"format_version":1,"environment","results":[…],"summary":{…}}`. */
export function renderApplyJson(result: ApplyResult): string {
  const document = {
    format_version: result.format_version,
    environment: result.environment,
    results: result.results.map((item) => ({
      action: item.action,
      name: item.name,
      prefix: item.prefix,
      target_model: item.target_model,
      status: item.status,
      vocabulary_id: item.vocabulary_id,
      ...(item.error !== undefined ? { error: item.error } : {}),
      ...(item.retry_after !== undefined ? { retry_after: item.retry_after } : {}),
      ...(item.notes && item.notes.length > 0 ? { notes: item.notes } : {}),
    })),
    summary: { applied: result.summary.applied, failed: result.summary.failed, skipped: result.summary.skipped },
    ...(result.interrupted ? { interrupted: true } : {}),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
