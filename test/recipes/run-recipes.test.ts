/**
 * The GitHub recipes as they are written, run step by step: each vocab-sync step of
 * examples/github/*.yml is run through the committed action bundle with the step's own `with:`
 * and `env:` (secrets filled in, `if:` evaluated), against the emulator and a stand-in GitHub API.
 */
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { directApi, funAsr, listsOf, makeRepo, newApiKey, startEmulator, zh, type Repo } from '../e2e/harness.js';
import { startFakeGitHub, type FakeGitHub } from '../action/fake-github.js';
import { runAction, type ActionResult, type RunEvent } from '../action/run-action.js';
import { GITHUB_WORKFLOWS, load, type Json } from './recipe-files.js';

interface RecipeContext {
  secrets: Record<string, string>;
  fork: boolean;
}

/** `${{ secrets.NAME }}` and `${{ inputs.NAME }}` (empty outside a manual run), as GitHub fills them. */
function fill(value: unknown, ctx: RecipeContext): string {
  return String(value).replace(/\$\{\{\s*(secrets|inputs)\.([A-Za-z0-9_-]+)\s*\}\}/g, (_m, kind: string, name: string) =>
    kind === 'secrets' ? (ctx.fork ? '' : (ctx.secrets[name] ?? '')) : '',
  );
}

/** The two conditions the recipes use, evaluated as GitHub would. */
function runs(step: Json, ctx: RecipeContext): boolean {
  if (step.if === undefined) return true;
  if (step.if === 'github.event.pull_request.head.repo.full_name != github.repository') return ctx.fork;
  if (step.if === 'github.event.pull_request.head.repo.full_name == github.repository') return !ctx.fork;
  throw new Error(`no evaluator for if: ${step.if}`);
}

/** Runs the vocab-sync steps of one job of a recipe, in order; returns their results. */
async function runJob(file: string, job: string, setup: { repo: Repo; github: FakeGitHub; event: RunEvent }, ctx: RecipeContext): Promise<ActionResult[]> {
  const workflow = load(GITHUB_WORKFLOWS.find((f) => f.path === `examples/github/${file}`)!);
  const steps = (workflow.jobs[job].steps as Json[]).filter((s) => /vocab-sync@/.test(String(s.uses ?? '')) && runs(s, ctx));
  const results: ActionResult[] = [];
  for (const step of steps) {
    const inputs = Object.fromEntries(Object.entries((step.with ?? {}) as Json).map(([k, v]) => [k, fill(v, ctx)]));
    const env = Object.fromEntries(Object.entries((step.env ?? {}) as Json).map(([k, v]) => [k, fill(v, ctx)]));
    results.push(await runAction({ ...setup, inputs, env }));
  }
  return results;
}

async function twoEnvironments() {
  const keys = { staging: newApiKey(), prod: newApiKey() };
  const server = await startEmulator({ apiKeys: [keys.staging, keys.prod] });
  const github = await startFakeGitHub();
  const repo = await makeRepo({
    environments: {
      staging: { url: server.url, api_key_env: 'DASHSCOPE_API_KEY_STAGING' },
      prod: { url: server.url, api_key_env: 'DASHSCOPE_API_KEY_PROD' },
    },
    vocabularies: { movies: funAsr('movies', ['赛德克巴莱', '夏洛特烦恼']) },
    config: { ownership: { prefixes: ['movies'] } },
  });
  const secrets = { DASHSCOPE_API_KEY_STAGING: keys.staging, DASHSCOPE_API_KEY_PROD: keys.prod };
  return { keys, server, github, repo, secrets };
}

const PR: RunEvent = { name: 'pull_request', number: 12, headSha: 'beef'.repeat(10) };

describe('examples/github/vocab-plan.yml, run', { timeout: 180_000 }, () => {
  it('plans a pull request from this repository into one sticky comment and the summary', async () => {
    const { github, repo, secrets, server, keys } = await twoEnvironments();
    const [plan, ...rest] = await runJob('vocab-plan.yml', 'plan', { repo, github, event: PR }, { secrets, fork: false });
    expect(rest).toEqual([]);
    expect(plan!.code, plan!.stdout).toBe(0);
    expect(plan!.outputs).toMatchObject({ 'exit-code': '2', 'has-changes': 'true' });
    expect(github.comments.map((c) => c.body.split('\n')[0])).toEqual(['<!-- vocab-sync-plan env=staging -->']);
    expect(plan!.summary).toContain('### vocab plan: changes will be applied on merge');
    expect(listsOf(server, keys.staging)).toEqual([]);

    await runJob('vocab-plan.yml', 'plan', { repo, github, event: PR }, { secrets, fork: false });
    expect(github.comments).toHaveLength(1);
  });

  it('marks invalid files inline and in the comment', async () => {
    const { github, repo, secrets } = await twoEnvironments();
    await writeFile(repo.path('vocabularies', 'movies.yaml'), 'prefix: movies\ntarget_model: fun-asr\nentries:\n  - text: 赛德克巴莱\n    weight: 9\n', 'utf8');
    const [plan] = await runJob('vocab-plan.yml', 'plan', { repo, github, event: PR }, { secrets, fork: false });
    expect(plan!.code).toBe(1);
    expect(plan!.stdout).toMatch(/^::error file=vocabularies\/movies\.yaml,line=5,col=\d+,title=vocab validate::/m);
    expect(github.comments[0]!.body).toContain('### vocab plan: the files are invalid (1 error)');
  });

  it('only validates a pull request from a fork: no secrets, no comment, no call to GitHub', async () => {
    const { github, repo, secrets } = await twoEnvironments();
    const [validate, ...rest] = await runJob('vocab-plan.yml', 'plan', { repo, github, event: PR }, { secrets, fork: true });
    expect(rest).toEqual([]);
    expect(validate!.code).toBe(0);
    expect(validate!.outputs['exit-code']).toBe('0');
    expect(github.calls).toEqual([]);
  });
});

describe('examples/github/vocab-apply.yml and vocab-drift.yml, run', { timeout: 180_000 }, () => {
  it('applies staging then prod on merge, then the drift check opens and closes the issue', async () => {
    const { github, repo, secrets, server, keys } = await twoEnvironments();
    const sha = 'a1b2c3'.repeat(6) + 'a1b2';
    github.branches.set('main', sha);
    const push: RunEvent = { name: 'push', ref: 'refs/heads/main', sha };
    const [staging] = await runJob('vocab-apply.yml', 'staging', { repo, github, event: push }, { secrets, fork: false });
    expect(staging!.code, staging!.stdout).toBe(0);
    const [prod] = await runJob('vocab-apply.yml', 'prod', { repo, github, event: push }, { secrets, fork: false });
    expect(prod!.code, prod!.stdout).toBe(0);
    const prodList = listsOf(server, keys.prod)[0]!;
    expect(listsOf(server, keys.staging)).toHaveLength(1);
    expect(JSON.parse(prod!.outputs.vocabularies!).movies.vocabulary_id).toBe(prodList.vocabulary_id);
    expect(prod!.summary).toContain('### vocab apply: prod');

    const drift = () => runJob('vocab-drift.yml', 'drift', { repo, github, event: { name: 'schedule' } }, { secrets, fork: false });
    expect((await drift())[0]!.outputs.drift).toBe('false');
    await directApi(server, keys.prod).update(prodList.vocabulary_id, zh(['赛德克巴莱']));
    const [found] = await drift();
    expect(found!.outputs).toMatchObject({ drift: 'true', 'exit-code': '2' });
    expect(github.issues.map((i) => [i.state, i.labels])).toEqual([['open', ['vocab-drift']]]);
    expect(github.issues[0]!.body).toContain('prod');
  });
});
