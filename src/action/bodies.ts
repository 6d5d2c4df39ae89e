/** The markdown the action writes: the plan comment, the job summaries. Pure. */
import type { Problem } from '../config/types.js';
import type { ApplyResult } from '../plan/types.js';
import { codeFence, escapeMarkdown } from '../report/escape-markdown.js';

/** The hidden first line by which the plan comment is found again. */
export function planMarker(environment: string): string {
  return environment ? `<!-- vocab-sync-plan env=${environment.replace(/[^A-Za-z0-9_.-]/g, '_')} -->` : '<!-- vocab-sync-plan -->';
}

/** Where the body came from: the commit and the run. */
export function footer(sha: string, runUrl: string): string {
  return `<sub>Commit ${sha.slice(0, 12) || '(unknown)'}, run ${runUrl}</sub>\n`;
}

function logTail(stderr: string): string {
  const tail = stderr.slice(-4000).trim();
  if (!tail) return '';
  const fence = codeFence(tail);
  return `\n<details><summary>vocab output</summary>\n\n${fence}\n${tail}\n${fence}\n</details>\n`;
}

/**
 * The plan comment for `vocab plan --detailed-exitcode`'s code: 2 changes (shown open), 0 no
 * changes (collapsed), anything else a failed or refused plan (with the end of the log).
 */
export function planBody(options: { marker: string; code: number; markdown: string; stderr: string; footer: string }): string {
  const { marker, code, markdown } = options;
  if (code === 0) {
    return `${marker}\n<details><summary>vocab plan: no changes</summary>\n\n${markdown.trim()}\n\n</details>\n\n${options.footer}`;
  }
  const heading =
    code === 2
      ? '### vocab plan: changes will be applied on merge'
      : `### vocab plan: failed or refused (exit ${code}); this cannot be applied as it is`;
  const log = code === 2 ? '' : logTail(options.stderr);
  return `${marker}\n${heading}\n\n${markdown.trim()}\n${log}\n${options.footer}`;
}

/** The comment when validation failed: every problem, also marked inline on the diff. */
export function invalidBody(options: { marker: string; problems: Problem[]; footer: string }): string {
  const errors = options.problems.filter((p) => p.severity !== 'warning');
  const lines = options.problems.map((p) => `- \`${p.file}:${p.line}:${p.column}\` ${p.severity === 'warning' ? 'warning: ' : ''}${escapeMarkdown(p.message)}`);
  const count = `${errors.length} ${errors.length === 1 ? 'error' : 'errors'}`;
  return `${options.marker}\n### vocab plan: the files are invalid (${count})\n\nEach problem is also marked on the pull request's diff.\n\n${lines.join('\n')}\n\n${options.footer}`;
}

/** The apply job summary: one row per change. */
export function applySummary(result: ApplyResult): string {
  const rows = result.results.map(
    (r) => `| ${r.action} | ${escapeMarkdown(r.name ?? r.prefix)} | ${r.status} | ${r.vocabulary_id ?? ''} |${r.error ? ` ${escapeMarkdown(r.error)}` : ''}`,
  );
  const { applied, failed, skipped } = result.summary;
  const table = rows.length === 0 ? 'Nothing to do: the account already matches.' : `| action | name | status | vocabulary_id |\n|---|---|---|---|\n${rows.join('\n')}`;
  return `### vocab apply: ${escapeMarkdown(result.environment)}\n\n${table}\n\n${applied} applied, ${failed} failed, ${skipped} skipped.\n`;
}
