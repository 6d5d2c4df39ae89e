/**
 * The drift report: in sync, or what differs between the account and the files.
 */
import type { DriftItem, DriftKind, DriftReport } from '../plan/types.js';
import type { AnsiStyle } from './constants.js';
import { escapeMarkdown } from './escape-markdown.js';
import { escapeTerminal } from './escape-terminal.js';
import { renderGauge, type RenderMarkdownOptions, truncateAtLine } from './render-plan-markdown.js';
import { MARKDOWN_MAX_LENGTH } from './constants.js';
import type { RenderTextOptions } from './render-plan-text.js';
import { createPaint } from './style.js';
import { plural } from '../util/text.js';

const KIND_SYMBOL: Record<DriftKind, string> = {
  changed: '~',
  missing: '+',
  wrong_model: '-/+',
  extra: '-',
  duplicate: '-',
  not_ok: '!',
};
const KIND_STYLE: Record<DriftKind, AnsiStyle> = {
  changed: 'yellow',
  missing: 'green',
  wrong_model: 'magenta',
  extra: 'red',
  duplicate: 'red',
  not_ok: 'yellow',
};
const KIND_WORD: Record<DriftKind, string> = {
  changed: 'changed',
  missing: 'missing',
  wrong_model: 'wrong model',
  extra: 'extra',
  duplicate: 'duplicate',
  not_ok: 'not OK',
};

function label(item: DriftItem): string {
  const name = item.name !== null && item.name !== item.prefix ? `${item.name} [${item.prefix}]` : item.prefix;
  return escapeTerminal(`${name} (${item.target_model})`);
}

/** `Drift: 3 differences.` or `No drift: …`. */
export function driftSummaryLine(report: DriftReport): string {
  if (report.in_sync) return `No drift: the account matches the configuration of ${report.environment}.`;
  const n = report.items.length;
  return `Drift: ${plural(n, 'difference')} in ${report.environment}; "vocab apply" would repair ${n === 1 ? 'it' : 'them'}.`;
}

function quotaLine(report: DriftReport): string {
  const q = report.quota;
  return `${q.used} of ${q.limit} lists used (${q.used - q.unmanaged} owned + ${q.unmanaged} unmanaged), headroom ${q.headroom}`;
}

/** The drift report as text, one line per difference. */
export function renderDriftText(report: DriftReport, options: Pick<RenderTextOptions, 'color'>): string {
  const paint = createPaint(options.color);
  const out = [`${paint('vocab drift', 'bold')} for environment ${paint(escapeTerminal(report.environment), 'bold')} at ${escapeTerminal(report.checked_at)}`, ''];
  for (const item of report.items) {
    const id = item.vocabulary_id ? `  ${paint(escapeTerminal(item.vocabulary_id), 'dim')}` : '';
    out.push(`  ${paint(`${KIND_SYMBOL[item.kind]} ${KIND_WORD[item.kind]}`, KIND_STYLE[item.kind], 'bold')}  ${label(item)}${id}`);
    out.push(`      ${escapeTerminal(item.message)}`);
  }
  if (report.items.length > 0) out.push('');
  out.push(`Quota: ${quotaLine(report)}.`);
  for (const v of report.violations) out.push(`${paint('!', 'yellow')} a repair would be refused: ${v.rule}: ${escapeTerminal(v.message)}`);
  out.push('', paint(driftSummaryLine(report), 'bold', report.in_sync ? 'green' : 'yellow'));
  return `${out.join('\n')}\n`;
}

/** The drift report as markdown (an issue or a scheduled job's summary). */
export function renderDriftMarkdown(report: DriftReport, options: RenderMarkdownOptions = {}): string {
  const hashes = '#'.repeat(options.headingLevel ?? 3);
  const lines = [`${hashes} vocab drift: ${escapeMarkdown(report.environment)}`, '', `**${escapeMarkdown(driftSummaryLine(report))}**`, ''];
  if (report.items.length > 0) {
    lines.push('| | Vocabulary | Model | ID | What |', '|---|---|---|---|---|');
    for (const item of report.items) {
      const cells = [
        `\`${KIND_SYMBOL[item.kind]}\` ${KIND_WORD[item.kind]}`,
        escapeMarkdown(item.name ?? item.prefix),
        escapeMarkdown(item.target_model),
        item.vocabulary_id ? escapeMarkdown(item.vocabulary_id) : '–',
        escapeMarkdown(item.message),
      ];
      lines.push(`| ${cells.join(' | ')} |`);
    }
    lines.push('');
  }
  const q = report.quota;
  lines.push(`**Quota** \`${renderGauge(q.used, q.limit)}\` ${escapeMarkdown(quotaLine(report))}`, '');
  if (report.violations.length > 0) {
    lines.push('> [!WARNING]', '> A repairing apply would be refused:', '>');
    for (const v of report.violations) lines.push(`> - **${v.rule}**: ${escapeMarkdown(v.message)}`);
    lines.push('');
  }
  return truncateAtLine(lines.join('\n'), options.maxLength ?? MARKDOWN_MAX_LENGTH, '_(truncated)_\n');
}

/** The drift report document (JSON). */
export function renderDriftJson(report: DriftReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
