/**
 * What `vocab validate` prints: the problems (text lines, a JSON array or GitHub workflow
 * commands) and the verdict line.
 */
import type { Problem } from '../config/types.js';
import { plural } from '../util/text.js';
import { renderProblemsGithub } from './render-problems-github.js';

/** The outcome of a validation, as the renderers need it. */
export interface ValidationReport {
  /** Every problem, sorted, file names as the user gave them. */
  problems: readonly Problem[];
  /** The same problems with file names relative to the repository root (GitHub's annotations). */
  workspaceProblems: readonly Problem[];
  /** What was found valid; null when the config could not be read or has errors. */
  valid: { vocabularies: number; scope: string } | null;
}

/** Text and the stream it goes to: the verdict line on stdout when valid, problems on stderr. */
export interface SplitOutput {
  stdout: string;
  stderr: string;
}

function errorCount(report: ValidationReport): number {
  return report.problems.filter((p) => p.severity !== 'warning').length;
}

function warningsSuffix(report: ValidationReport): string {
  const warnings = report.problems.length - errorCount(report);
  return warnings > 0 ? `, ${plural(warnings, 'warning', 'warnings')}` : '';
}

/** `3 errors, 1 warning` (stderr) or `2 vocabularies valid (1 environment)` (stdout). */
function verdict(report: ValidationReport): SplitOutput {
  if (report.valid === null) return { stdout: '', stderr: `${plural(errorCount(report), 'error', 'errors')}${warningsSuffix(report)}\n` };
  const { vocabularies, scope } = report.valid;
  return { stdout: `${plural(vocabularies, 'vocabulary', 'vocabularies')} valid (${scope})${warningsSuffix(report)}\n`, stderr: '' };
}

/** `FILE:LINE:COL: [warning: ]message`. */
function problemLine(p: Problem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}\n`;
}

/** Problems on stderr, one a line, then the verdict. */
export function renderValidationText(report: ValidationReport): SplitOutput {
  const end = verdict(report);
  return { stdout: end.stdout, stderr: `${report.problems.map(problemLine).join('')}${end.stderr}` };
}

/** An array of `{file, line, column, path, message, severity}` and nothing else. */
export function renderValidationJson(report: ValidationReport): string {
  const rows = report.problems.map((p) => ({ file: p.file, line: p.line, column: p.column, path: p.path, message: p.message, severity: p.severity ?? 'error' }));
  return `${JSON.stringify(rows, null, 2)}\n`;
}

/** Workflow commands on stdout (shown inline on the pull request), then the verdict. */
export function renderValidationGithub(report: ValidationReport): SplitOutput {
  const end = verdict(report);
  return { stdout: `${renderProblemsGithub(report.workspaceProblems)}${end.stdout}`, stderr: end.stderr };
}
