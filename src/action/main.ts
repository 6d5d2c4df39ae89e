/**
 * The GitHub Action (action.yml): reads the inputs, runs the chosen command and reports
 * through outputs, the job summary, the plan comment and the drift issue.
 */
import { tmpdir } from 'node:os';
import * as core from './runner.js';
import { applyStep, driftStep, outputsStep, planStep, validateStep, type ActionRun } from './commands.js';
import { readInputs, readRunFacts } from './context.js';
import { createGitHubApi } from './github-api.js';

const STEPS: Record<ActionRun['inputs']['command'], (run: ActionRun) => Promise<number>> = {
  validate: async (run) => {
    const code = await validateStep(run);
    if (code !== 0) core.setFailed('vocab validate found problems; see the annotations');
    return code;
  },
  plan: planStep,
  apply: applyStep,
  drift: driftStep,
  outputs: outputsStep,
};

/** Runs the action in this process's environment; returns the exit code it recorded. */
export async function runAction(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    const inputs = readInputs(env);
    const facts = readRunFacts(env);
    const api = createGitHubApi({ apiUrl: facts.apiUrl, repository: facts.repository, token: inputs.token });
    const run: ActionRun = { inputs, facts, api, cwd: process.cwd(), env, tempDir: env.RUNNER_TEMP || tmpdir() };
    return await STEPS[inputs.command](run);
  } catch (error) {
    core.setOutput('exit-code', '1');
    core.setFailed(error instanceof Error ? error.message : String(error));
    return 1;
  }
}
