/**
 * Validation problems as GitHub Actions workflow commands (`::error file=…,line=…,col=…::…`),
 * so the runner shows each one inline on the pull request's diff.
 */
import type { Problem } from '../config/types.js';

/** Escapes a workflow command's message: `%`, CR and LF. */
export function escapeCommandData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command's property value: as data, plus `:` and `,`. */
export function escapeCommandProperty(value: string): string {
  return escapeCommandData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::error file=F,line=L,col=C,title=T::message`; `severity: warning` gives `::warning`. */
export function renderProblemGithub(problem: Problem): string {
  const command = problem.severity === 'warning' ? 'warning' : 'error';
  const properties = [
    `file=${escapeCommandProperty(problem.file)}`,
    ...(problem.line > 0 ? [`line=${problem.line}`] : []),
    ...(problem.column > 0 ? [`col=${problem.column}`] : []),
    `title=${escapeCommandProperty('vocab validate')}`,
  ];
  return `::${command} ${properties.join(',')}::${escapeCommandData(problem.message)}`;
}

/** One workflow command per problem, each on its own line (file names as the caller gives them). */
export function renderProblemsGithub(problems: readonly Problem[]): string {
  return problems.map((p) => `${renderProblemGithub(p)}\n`).join('');
}
