/**
 * The runner's file and workflow-command protocol: step outputs (`$GITHUB_OUTPUT`), the job
 * summary (`$GITHUB_STEP_SUMMARY`), annotations and the step's failure. Written out here
 * rather than bundling @actions/core, whose HTTP client would make the bundle five times bigger.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { escapeCommandData } from '../report/render-problems-github.js';

/**
 * Appends `name<<DELIMITER\nvalue\nDELIMITER` to `$GITHUB_OUTPUT`: a random delimiter that the
 * value cannot contain, so a value can never end the entry early and add outputs of its own.
 */
export function setOutput(name: string, value: string, env: NodeJS.ProcessEnv = process.env): void {
  const file = env.GITHUB_OUTPUT;
  if (!file) return;
  let delimiter = `ghadelimiter_${randomUUID()}`;
  while (value.includes(delimiter) || name.includes(delimiter)) delimiter = `ghadelimiter_${randomUUID()}`;
  appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`, 'utf8');
}

/** Appends markdown to the job summary (`$GITHUB_STEP_SUMMARY`), if the runner gave one. */
export function appendSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): void {
  const file = env.GITHUB_STEP_SUMMARY;
  if (file) appendFileSync(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`, 'utf8');
}

function command(kind: 'error' | 'warning' | 'notice', message: string): void {
  process.stdout.write(`::${kind}::${escapeCommandData(message)}\n`);
}

export const info = (message: string): void => void process.stdout.write(`${message}\n`);
export const notice = (message: string): void => command('notice', message);
export const warning = (message: string): void => command('warning', message);

/** Marks the step failed: an error annotation and exit code 1. */
export function setFailed(message: string): void {
  command('error', message);
  process.exitCode = 1;
}
