/** What the action does for each `command` input, on top of the `vocab` command of the same name. */
import path from 'node:path';
import * as core from './runner.js';
import type { Problem } from '../config/types.js';
import type { ApplyResult } from '../plan/types.js';
import { applySummary, footer, invalidBody, planBody, planMarker } from './bodies.js';
import type { ActionInputs, RunFacts } from './context.js';
import { closeDrift, reportDrift } from './drift-issue.js';
import type { GitHubApi } from './github-api.js';
import { runVocab, type VocabRun } from './run-vocab.js';
import { fitBody, upsertStickyComment } from './sticky-comment.js';

/** Everything a command step needs. */
export interface ActionRun {
  inputs: ActionInputs;
  facts: RunFacts;
  api: GitHubApi;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Where plan files go (the runner's temporary folder). */
  tempDir: string;
}

const configArgs = (inputs: ActionInputs): string[] => (inputs.config ? ['--config', inputs.config] : []);
const envArgs = (inputs: ActionInputs): string[] => (inputs.environment ? ['--env', inputs.environment] : []);
/** `--config`, and `--all-environments` or `--env`. */
const targetArgs = (inputs: ActionInputs): string[] => [...configArgs(inputs), ...(inputs.allEnvironments ? ['--all-environments'] : envArgs(inputs))];

function vocab(run: ActionRun, args: string[], echo: 'commands' | 'plain' = 'plain'): Promise<VocabRun> {
  core.info(`vocab ${args.join(' ')}`);
  return runVocab(args, { cwd: run.cwd, env: run.env, echo });
}

function writeSummary(markdown: string): void {
  core.appendSummary(markdown);
}

/** `vocab validate --format github`: problems become annotations on the diff. */
export async function validateStep(run: ActionRun): Promise<number> {
  const scope = run.inputs.allEnvironments ? [] : envArgs(run.inputs);
  const result = await vocab(run, ['validate', '--format', 'github', ...configArgs(run.inputs), ...scope], 'commands');
  core.setOutput('exit-code', String(result.code));
  return result.code;
}

async function problemsOf(run: ActionRun): Promise<Problem[]> {
  const scope = run.inputs.allEnvironments ? [] : envArgs(run.inputs);
  const result = await runVocab(['validate', '--format', 'json', ...configArgs(run.inputs), ...scope], { cwd: run.cwd, env: run.env, echo: 'plain' });
  try {
    const parsed: unknown = JSON.parse(result.stdout);
    return Array.isArray(parsed) ? (parsed as Problem[]) : [];
  } catch {
    return [];
  }
}

/** Posts the plan comment on a pull request, unless switched off; failures only warn. */
async function postComment(run: ActionRun, body: string, hasChanges: boolean): Promise<void> {
  const pr = run.facts.pullRequest;
  if (!run.inputs.comment || !pr) return;
  try {
    const outcome = await upsertStickyComment(run.api, {
      issueNumber: pr.number,
      marker: planMarker(run.inputs.allEnvironments ? '' : run.inputs.environment),
      body: fitBody(body, 'the job summary'),
      createIfMissing: hasChanges,
    });
    core.info(outcome.kind === 'skipped' ? 'No changes: no plan comment posted.' : `Plan comment ${outcome.kind}: ${outcome.url ?? ''}`);
  } catch (error) {
    core.warning(`could not post the plan comment: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** validate, then `vocab plan --detailed-exitcode`: comment, summary, outputs; fails on 1. */
export async function planStep(run: ActionRun): Promise<number> {
  const { inputs, facts } = run;
  const marker = planMarker(inputs.allEnvironments ? '' : inputs.environment);
  const foot = footer(facts.pullRequest?.headSha ?? facts.sha, facts.runUrl);
  core.setOutput('has-changes', 'false');
  if ((await validateStep(run)) !== 0) {
    const body = invalidBody({ marker, problems: await problemsOf(run), footer: foot });
    writeSummary(body);
    await postComment(run, body, true);
    core.setFailed('vocab validate found problems; see the annotations');
    return 1;
  }
  const planFile = inputs.allEnvironments ? '' : path.join(run.tempDir, `vocab-plan-${inputs.environment || 'default'}.json`);
  const args = ['plan', '--format', 'markdown', '--detailed-exitcode', ...targetArgs(inputs), ...(planFile ? ['--out', planFile] : [])];
  const result = await vocab(run, [...args, ...(inputs.force ? ['--force'] : []), ...inputs.args]);
  const body = planBody({ marker, code: result.code, markdown: result.stdout, stderr: result.stderr, footer: foot });
  writeSummary(body);
  await postComment(run, body, result.code !== 0);
  core.setOutput('exit-code', String(result.code));
  core.setOutput('has-changes', String(result.code === 2));
  core.setOutput('plan-json', planFile && result.code !== 1 ? planFile : '');
  if (result.code !== 0 && result.code !== 2) core.setFailed(`vocab plan exited ${result.code}: the plan failed or was refused`);
  return result.code;
}

/**
 * `vocab outputs --format github`: the `vocabularies` output (all ids as JSON) and, per
 * vocabulary, `<name>_vocabulary_id` and `<name>_status`, written by the command itself.
 */
export async function outputsStep(run: ActionRun): Promise<number> {
  const result = await vocab(run, ['outputs', '--format', 'github', ...configArgs(run.inputs), ...envArgs(run.inputs)]);
  core.setOutput('exit-code', String(result.code));
  if (result.code !== 0) core.setFailed(`vocab outputs exited ${result.code}`);
  return result.code;
}

function parseApplyResult(stdout: string): ApplyResult | undefined {
  try {
    const parsed = JSON.parse(stdout) as ApplyResult;
    return Array.isArray(parsed.results) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** `vocab apply --yes --format json`, then the live ids; fails on any failed change. */
export async function applyStep(run: ActionRun): Promise<number> {
  core.setOutput('has-changes', 'false');
  if (run.inputs.allEnvironments) {
    core.setFailed('apply takes one environment: set "environment", not "all-environments"');
    return 1;
  }
  if (!(await isBranchTip(run))) return 0;
  const args = ['apply', '--yes', '--format', 'json', ...targetArgs(run.inputs), ...(run.inputs.force ? ['--force'] : []), ...run.inputs.args];
  const result = await vocab(run, args);
  const applied = parseApplyResult(result.stdout);
  if (applied) writeSummary(applySummary(applied));
  core.setOutput('has-changes', String((applied?.summary.applied ?? 0) > 0));
  if (result.code !== 0) {
    core.setOutput('exit-code', String(result.code));
    core.setFailed(`vocab apply exited ${result.code}: see the log and the job summary`);
    return result.code;
  }
  return outputsStep(run);
}

/**
 * On a push, applies only the commit at the tip of its branch: a re-run of an old run would
 * otherwise undo newer merges. Any other event, or a tip that cannot be read, goes ahead.
 */
async function isBranchTip(run: ActionRun): Promise<boolean> {
  const { eventName, ref, sha } = run.facts;
  if (eventName !== 'push' || !ref.startsWith('refs/heads/')) return true;
  try {
    const tip = await run.api.get<{ object?: { sha?: string } }>(`/git/ref/heads/${ref.slice('refs/heads/'.length)}`);
    if (!tip.object?.sha || tip.object.sha === sha) return true;
    core.notice(`vocab apply skipped: ${ref} is at ${tip.object.sha}, not ${sha}; the run for the newer commit applies it.`);
    core.setOutput('exit-code', '0');
    return false;
  } catch (error) {
    core.warning(`could not read the branch tip (${error instanceof Error ? error.message : String(error)}); applying anyway`);
    return true;
  }
}

/** `vocab drift --format markdown`: keeps the drift issue; 2 is a finding, not a failure. */
export async function driftStep(run: ActionRun): Promise<number> {
  const result = await vocab(run, ['drift', '--format', 'markdown', ...targetArgs(run.inputs), ...run.inputs.args]);
  core.setOutput('exit-code', String(result.code));
  core.setOutput('drift', String(result.code === 2));
  if (result.code !== 0 && result.code !== 2) {
    core.setFailed(`vocab drift exited ${result.code}: the check itself failed`);
    return result.code;
  }
  writeSummary(result.stdout);
  if (result.code === 2) core.warning('The accounts differ from the declared state; see the vocab-drift issue.');
  if (!run.inputs.comment) return result.code;
  try {
    const outcome = result.code === 2 ? await reportDrift(run.api, result.stdout, run.facts.runUrl) : await closeDrift(run.api, run.facts.runUrl);
    core.info(outcome.kind === 'closed' ? `Closed drift issue(s): ${outcome.numbers.join(', ') || 'none open'}` : `Drift issue #${outcome.number} ${outcome.kind}`);
  } catch (error) {
    core.setFailed(`could not update the drift issue: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  return result.code;
}
