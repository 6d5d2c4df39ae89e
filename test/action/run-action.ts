/**
 * Runs the committed action bundle the way the GitHub runner does: `node action/dist/index.js`
 * in the workspace, every input of action.yml as an `INPUT_*` variable (its default unless
 * given), and the runner's files: `GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`, `GITHUB_EVENT_PATH`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import { parse } from 'yaml';
import { ROOT, assertNoSecrets, type Repo } from '../e2e/harness.js';
import { TOKEN, type FakeGitHub } from './fake-github.js';

export const ACTION_ENTRY = path.join(ROOT, 'action/dist/index.js');

interface ActionMetadata {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
}

export async function actionMetadata(): Promise<ActionMetadata> {
  return parse(await readFile(path.join(ROOT, 'action.yml'), 'utf8')) as ActionMetadata;
}

/** The event that triggered the run. */
export type RunEvent =
  | { name: 'pull_request'; number: number; headSha?: string }
  | { name: 'push'; ref: string; sha: string }
  | { name: 'schedule' | 'workflow_dispatch' };

export interface ActionResult {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Reads `name<<DELIMITER … DELIMITER` and `name=value` entries of a GITHUB_OUTPUT file. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      if (end < 0) throw new Error(`unterminated output ${heredoc[1]}`);
      outputs[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
  return outputs;
}

function eventPayload(event: RunEvent): Record<string, unknown> {
  if (event.name === 'pull_request') return { action: 'synchronize', number: event.number, pull_request: { number: event.number, head: { sha: event.headSha ?? 'f00d'.repeat(10) } } };
  if (event.name === 'push') return { ref: event.ref, after: event.sha };
  return {};
}

async function inputVariables(inputs: Record<string, string>): Promise<Record<string, string>> {
  const meta = await actionMetadata();
  const unknown = Object.keys(inputs).filter((name) => !(name in meta.inputs));
  if (unknown.length > 0) throw new Error(`action.yml has no input ${unknown.join(', ')}`);
  const env: Record<string, string> = {};
  for (const [name, spec] of Object.entries(meta.inputs)) {
    const fallback = name === 'github-token' ? TOKEN : (spec.default ?? '');
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = inputs[name] ?? fallback;
  }
  return env;
}

/** Runs the action once; `env` carries the step's `env:` (the API key). */
export async function runAction(options: {
  repo: Repo;
  github: FakeGitHub;
  event: RunEvent;
  inputs: Record<string, string>;
  env?: Record<string, string>;
}): Promise<ActionResult> {
  if (!existsSync(ACTION_ENTRY)) throw new Error(`${ACTION_ENTRY} is missing: run "npm run bundle:action"`);
  const runner = await mkdtemp(path.join(tmpdir(), 'vocab-runner-'));
  onTestFinished(() => rm(runner, { recursive: true, force: true }));
  const files = { output: path.join(runner, 'output'), summary: path.join(runner, 'summary'), event: path.join(runner, 'event.json') };
  await Promise.all([writeFile(files.output, ''), writeFile(files.summary, ''), writeFile(files.event, JSON.stringify(eventPayload(options.event)))]);
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DASHSCOPE_|GITHUB_|INPUT_|RUNNER_|FORCE_COLOR)/.test(k)));
  const env = {
    ...base,
    NO_COLOR: '1',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: options.repo.dir,
    GITHUB_REPOSITORY: 'o/r',
    GITHUB_API_URL: options.github.url,
    GITHUB_SERVER_URL: 'https://github.test',
    GITHUB_RUN_ID: '4242',
    GITHUB_EVENT_NAME: options.event.name,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_SHA: options.event.name === 'push' ? options.event.sha : 'abc123'.repeat(6),
    GITHUB_REF: options.event.name === 'push' ? options.event.ref : 'refs/heads/main',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: runner,
    ...(await inputVariables(options.inputs)),
    ...options.env,
  };
  const child = spawn(process.execPath, [ACTION_ENTRY], { cwd: options.repo.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  const result: ActionResult = { code, stdout, stderr, outputs: parseOutputFile(await readFile(files.output, 'utf8')), summary: await readFile(files.summary, 'utf8') };
  await assertNoSecrets(options.repo, { code, signal: null, stdout: `${stdout}\n${result.summary}`, stderr });
  return result;
}
