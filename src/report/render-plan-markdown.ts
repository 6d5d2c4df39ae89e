/**
 * The plan as a pull-request comment: summary table, quota gauge, violations, one collapsible
 * section per change, always under the comment size limit.
 */
import { checksOf } from '../plan/plan-checks.js';
import type { Change, Plan } from '../plan/types.js';
import {
  GAUGE_CELLS,
  GAUGE_EMPTY,
  GAUGE_FULL,
  MARKDOWN_MAX_ENTRY_LINES,
  MARKDOWN_MAX_LENGTH,
  MARKDOWN_MAX_TABLE_ROWS,
  MARKDOWN_NOTE_RESERVE,
} from './constants.js';
import { codeFence, escapeHtml, escapeMarkdown } from './escape-markdown.js';
import { changeLabel, countEntries, entryDiffLines, planSummaryLine } from './format-entries.js';
import { describeNotBefore } from './not-before.js';
import { planScope } from './plan-scope.js';
import { ACTION_SYMBOL, ACTION_VERB } from './style.js';

/** Options of the markdown renderers. */
export interface RenderMarkdownOptions {
  /** Longest output in characters (default 60,000). */
  maxLength?: number;
  /** Level of the top heading (default 3). */
  headingLevel?: number;
  /** Entry lines per change section before "… and N more". */
  maxEntryLines?: number;
}

/** `▰▰▰▰▰▰▰▱▱▱`: share of the quota in use. */
export function renderGauge(used: number, limit: number): string {
  const filled = limit <= 0 ? GAUGE_CELLS : Math.min(GAUGE_CELLS, Math.max(0, Math.round((used / limit) * GAUGE_CELLS)));
  return GAUGE_FULL.repeat(filled) + GAUGE_EMPTY.repeat(GAUGE_CELLS - filled);
}

/** Cuts text to at most `max` characters at a line end, adding `note` (which counts towards `max`). */
export function truncateAtLine(text: string, max: number, note: string): string {
  if (text.length <= max) return text;
  const room = Math.max(0, max - note.length - 2);
  const cut = text.lastIndexOf('\n', room);
  return `${text.slice(0, cut > 0 ? cut : room)}\n\n${note}`.slice(0, max);
}

function tableRow(change: Change, createdAt: string): string {
  const wait = describeNotBefore(change, createdAt);
  const cells = [
    `\`${ACTION_SYMBOL[change.action]}\` ${ACTION_VERB[change.action]}`,
    escapeMarkdown(change.name ?? change.prefix),
    escapeMarkdown(change.replaces ? `${change.replaces.target_model} → ${change.target_model}` : change.target_model),
    change.vocabulary_id ? escapeMarkdown(change.vocabulary_id) : '–',
    `${change.entry_count.before} → ${change.entry_count.after}`,
    escapeMarkdown(wait === undefined ? change.reason : `${change.reason}; ${wait}`),
  ];
  return `| ${cells.join(' | ')} |`;
}

/** The endpoint and targets notes under the heading, and the list of what the targets left out. */
function scopeLines(plan: Plan): string[] {
  const scope = planScope(plan);
  const lines: string[] = [];
  if (scope.endpoint) lines.push(`> ${escapeMarkdown(scope.endpoint)}`, '');
  if (scope.targets) lines.push(`**Limited by \`--target\`** ${escapeMarkdown(scope.targets.names.join(', '))}: ${escapeMarkdown(scope.targets.note)}.`, '');
  if (scope.leftOut.length > 0) {
    lines.push('<details>', `<summary>Left out by <code>--target</code> (not in this plan, not applied): ${scope.leftOut.length}</summary>`, '');
    for (const c of scope.leftOut.slice(0, MARKDOWN_MAX_TABLE_ROWS)) {
      const id = c.id === '' ? '' : ` ${escapeMarkdown(c.id)}`;
      lines.push(`- \`${c.symbol}\` ${c.verb} **${escapeMarkdown(c.label)}**${id}: ${escapeMarkdown(c.reason)}`);
    }
    if (scope.leftOut.length > MARKDOWN_MAX_TABLE_ROWS) lines.push(`- … and ${scope.leftOut.length - MARKDOWN_MAX_TABLE_ROWS} more`);
    lines.push('', '</details>', '');
  }
  return lines;
}

function renderHead(plan: Plan, level: number): string {
  const hashes = '#'.repeat(level);
  const lines = [`${hashes} vocab plan: ${escapeMarkdown(plan.environment)}`, '', ...scopeLines(plan)];
  const noops = plan.summary.noop;
  lines.push(`**${planSummaryLine(plan)}**${noops > 0 ? ` ${noops} unchanged.` : ''}`, '');
  const changes = plan.changes.filter((c) => c.action !== 'noop');
  if (changes.length > 0) {
    lines.push('| | Vocabulary | Model | ID | Entries | Why |', '|---|---|---|---|---|---|');
    for (const change of changes.slice(0, MARKDOWN_MAX_TABLE_ROWS)) lines.push(tableRow(change, plan.created_at));
    if (changes.length > MARKDOWN_MAX_TABLE_ROWS) lines.push(`| | … and ${changes.length - MARKDOWN_MAX_TABLE_ROWS} more | | | | |`);
    lines.push('');
  }
  const { limit, used, peak, after } = plan.quota;
  const unmanaged = plan.unmanaged.length;
  lines.push(
    `**Quota** \`${renderGauge(used, limit)}\` ${used}/${limit} now → peak ${peak} → ${after} after (${used - unmanaged} owned + ${unmanaged} unmanaged)`,
    '',
  );
  if (unmanaged > 0) {
    const ids = plan.unmanaged.map((u) => escapeMarkdown(u.vocabulary_id)).join(', ');
    lines.push(`Unmanaged (never touched): ${ids}`, '');
  }
  lines.push(...violationLines(plan));
  return lines.join('\n');
}

/** The violations callout: refused until the checks pass, or overridden by --force. */
function violationLines(plan: Plan): string[] {
  if (plan.violations.length === 0) return [];
  const lines =
    checksOf(plan).status === 'overridden'
      ? ['> [!CAUTION]', '> **Overridden by `--force`**: these safety checks fail, and the plan is applied anyway:', '>']
      : ['> [!WARNING]', '> **This plan is refused** until these checks pass:', '>'];
  for (const v of plan.violations) {
    const how = v.overridden ? 'overridden by `--force`' : v.overridable ? '`--force` overrides' : 'cannot be overridden';
    lines.push(`> - **${v.rule}** (${how}): ${escapeMarkdown(v.message)}`);
  }
  lines.push('');
  return lines;
}

function renderSection(change: Change, maxEntryLines: number, createdAt: string): string {
  const summary = `<code>${ACTION_SYMBOL[change.action]}</code> ${ACTION_VERB[change.action]} <b>${escapeHtml(changeLabel(change))}</b>: ${escapeHtml(change.reason)}`;
  const lines = ['<details>', `<summary>${summary}</summary>`, ''];
  if (change.vocabulary_id) lines.push(`ID: ${escapeMarkdown(change.vocabulary_id)} · entries: ${change.entry_count.before} → ${change.entry_count.after}`, '');
  else lines.push(`${countEntries(change.entry_count.after)}`, '');
  const wait = describeNotBefore(change, createdAt);
  if (wait !== undefined) lines.push(`⏱ ${escapeMarkdown(wait)}`, '');
  const { lines: diff, hidden } = entryDiffLines(change.entries, maxEntryLines);
  if (diff.length > 0) {
    const body = diff.map((l) => `${l.sign === '~' ? '!' : l.sign} ${l.text}`);
    if (hidden > 0) body.push(`# … and ${hidden} more`);
    const text = body.join('\n');
    const fence = codeFence(text);
    lines.push(`${fence}diff`, text, fence, '');
  }
  lines.push('</details>', '', '');
  return lines.join('\n');
}

function renderCompactSection(change: Change): string {
  return `- \`${ACTION_SYMBOL[change.action]}\` ${ACTION_VERB[change.action]} **${escapeMarkdown(changeLabel(change))}**: ${escapeMarkdown(change.reason)}\n`;
}

/** The plan as GitHub-flavoured markdown for a pull-request comment, never longer than `maxLength` (60,000). */
export function renderPlanMarkdown(plan: Plan, options: RenderMarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? MARKDOWN_MAX_LENGTH;
  const maxEntryLines = options.maxEntryLines ?? MARKDOWN_MAX_ENTRY_LINES;
  const note = (shown: number, total: number): string =>
    `_Shortened to stay under ${maxLength.toLocaleString('en-US')} characters: ${total - shown} of ${total} changes are summarised or left out. Run \`vocab plan --format json\` for the full plan._\n`;
  const budget = maxLength - MARKDOWN_NOTE_RESERVE;
  const head = truncateAtLine(`${renderHead(plan, options.headingLevel ?? 3)}\n`, budget, '_(summary shortened)_\n');
  const changes = plan.changes.filter((c) => c.action !== 'noop');
  const compact = changes.map(renderCompactSection);
  // Room kept so that every change after the current one can still get its one-line summary.
  const rest = new Array<number>(changes.length + 1).fill(0);
  for (let i = changes.length - 1; i >= 0; i--) rest[i] = rest[i + 1]! + compact[i]!.length;
  let out = head;
  let full = 0;
  let listed = 0;
  for (const [index, change] of changes.entries()) {
    if (listed === full) {
      const section = renderSection(change, maxEntryLines, plan.created_at);
      if (out.length + section.length + rest[index + 1]! <= budget) {
        out += section;
        full++;
        listed++;
        continue;
      }
      // The first summarised change: a blank line ends the HTML block of the sections above.
      out += '\n';
    }
    const line = compact[index]!;
    if (out.length + line.length > budget) break;
    out += line;
    listed++;
  }
  if (full < changes.length) out += `\n${note(full, changes.length)}`;
  // A last guard: the note reserve covers it, but the limit is a promise.
  return truncateAtLine(out, maxLength, '_(truncated)_\n');
}

/** Several environments' plans in one comment: an overview table, then one section per environment. */
export function renderPlansMarkdown(plans: readonly Plan[], options: RenderMarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? MARKDOWN_MAX_LENGTH;
  const lines = ['## vocab plan', '', '| Environment | Create | Update | Replace | Delete | Unchanged | Checks |', '|---|---|---|---|---|---|---|'];
  for (const plan of plans) {
    const s = plan.summary;
    const status = checksOf(plan).status;
    const checks = status === 'passed' ? 'ok' : status === 'overridden' ? `${plan.violations.length} overridden by --force` : `⚠️ ${plan.violations.length} refused`;
    lines.push(`| ${escapeMarkdown(plan.environment)} | ${s.create} | ${s.update} | ${s.replace} | ${s.delete} | ${s.noop} | ${checks} |`);
  }
  const overview = `${lines.join('\n')}\n\n`;
  // Each environment gets an equal share of what the overview leaves.
  const share = Math.floor((maxLength - overview.length) / Math.max(1, plans.length)) - 2;
  const sections = plans.map((plan) => renderPlanMarkdown(plan, { ...options, headingLevel: options.headingLevel ?? 3, maxLength: share }));
  return truncateAtLine(`${overview}${sections.join('\n')}`, maxLength, '_(truncated)_\n');
}
