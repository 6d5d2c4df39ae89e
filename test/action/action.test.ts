/**
 * The GitHub Action end to end: the committed bundle run as the runner runs it, against the
 * emulator (the DashScope account) and a stand-in GitHub API that records every call.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { directApi, funAsr, listsOf, makeRepo, newApiKey, startEmulator, zh, type Repo } from '../e2e/harness.js';
import { ACTION_ENTRY, runAction, type RunEvent } from './run-action.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github.js';
import { existsSync } from 'node:fs';

beforeAll(() => {
  if (!existsSync(ACTION_ENTRY)) throw new Error('action/dist/index.js is missing: run "npm run bundle:action"');
});

const MOVIES = funAsr('movies', ['赛德克巴莱', '夏洛特烦恼']);
const SUPPORT = funAsr('support', ['退款', '发票']);
const PR: RunEvent = { name: 'pull_request', number: 7, headSha: '1234567890abcdef1234' };

async function setup(): Promise<{ repo: Repo; github: FakeGitHub; key: string; server: Awaited<ReturnType<typeof startEmulator>> }> {
  const key = newApiKey();
  const server = await startEmulator({ apiKeys: [key] });
  const github = await startFakeGitHub();
  const repo = await makeRepo({
    environments: { staging: { url: server.url, api_key_env: 'DASHSCOPE_API_KEY_STAGING' } },
    vocabularies: { movies: MOVIES },
    config: { ownership: { prefixes: ['movies', 'support'] } },
  });
  return { repo, github, key, server };
}

const keyEnv = (key: string) => ({ DASHSCOPE_API_KEY_STAGING: key });

describe('the action on a pull request (command: plan)', { timeout: 180_000 }, () => {
  it('posts one sticky comment, updates it on the next push, writes the summary and the outputs', async () => {
    const { repo, github, key, server } = await setup();
    const first = await runAction({ repo, github, event: PR, inputs: { command: 'plan', environment: 'staging' }, env: keyEnv(key) });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.outputs).toMatchObject({ 'exit-code': '2', 'has-changes': 'true' });
    expect(JSON.parse(await readFile(first.outputs['plan-json']!, 'utf8'))).toMatchObject({ environment: 'staging' });
    expect(github.comments).toHaveLength(1);
    const comment = github.comments[0]!;
    expect(comment.issue).toBe(7);
    expect(comment.body.startsWith('<!-- vocab-sync-plan env=staging -->\n### vocab plan: changes will be applied on merge')).toBe(true);
    expect(comment.body).toContain('movies');
    expect(comment.body).toContain('Commit 1234567890ab, run https://github.test/o/r/actions/runs/4242');
    expect(first.summary).toBe(`${comment.body}`);
    expect(listsOf(server, key)).toHaveLength(0); // a plan never writes

    // Other people's comments do not get in the way (and the listing is paginated).
    github.comments.push(
      { id: 1, issue: 7, body: 'LGTM', user: { login: 'alice', type: 'User' } },
      { id: 2, issue: 7, body: '<!-- vocab-sync-plan env=staging --> quoted by a human', user: { login: 'bob', type: 'User' } },
    );
    await repo.writeVocabulary('support', SUPPORT);
    const second = await runAction({ repo, github, event: PR, inputs: { command: 'plan', environment: 'staging' }, env: keyEnv(key) });
    expect(second.code).toBe(0);
    const ours = github.comments.filter((c) => c.user.type === 'Bot');
    expect(ours).toHaveLength(1);
    expect(ours[0]!.body).toContain('support');
    expect(github.writes().map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /repos/o/r/issues/7/comments',
      `PATCH /repos/o/r/issues/comments/${comment.id}`,
    ]);
    expect(github.comments.find((c) => c.id === 2)!.body).toContain('quoted by a human');
  });

  it('shows invalid files inline (workflow commands), in the comment and the summary, and fails the step', async () => {
    const { repo, github, key } = await setup();
    await writeFile(repo.path('vocabularies', 'support.yaml'), 'prefix: support\ntarget_model: fun-asr\nentries:\n  - text: 退款\n    weight: 9\n', 'utf8');
    const result = await runAction({ repo, github, event: PR, inputs: { command: 'plan', environment: 'staging' }, env: keyEnv(key) });
    expect(result.code).toBe(1);
    expect(result.outputs['exit-code']).toBe('1');
    expect(result.stdout).toMatch(/^::error file=vocabularies\/support\.yaml,line=5,col=\d+,title=vocab validate::.*weight/m);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]!.body).toMatch(/^<!-- vocab-sync-plan env=staging -->\n### vocab plan: the files are invalid \(1 error\)/);
    expect(github.comments[0]!.body).toContain('`vocabularies/support.yaml:5:');
    expect(result.summary).toContain('the files are invalid');
    expect(result.stdout).toMatch(/^::error::vocab validate found problems/m);
  });

  it('with no changes: no new comment; an earlier comment is collapsed', async () => {
    const { repo, github, key } = await setup();
    const apply = await runAction({ repo, github, event: { name: 'workflow_dispatch' }, inputs: { command: 'apply', environment: 'staging' }, env: keyEnv(key) });
    expect(apply.code, apply.stdout).toBe(0);

    const quiet = await runAction({ repo, github, event: PR, inputs: { command: 'plan', environment: 'staging' }, env: keyEnv(key) });
    expect(quiet.code).toBe(0);
    expect(quiet.outputs).toMatchObject({ 'exit-code': '0', 'has-changes': 'false' });
    expect(github.comments).toHaveLength(0);
    expect(quiet.summary).toContain('<details><summary>vocab plan: no changes</summary>');

    await repo.writeVocabulary('support', SUPPORT);
    await runAction({ repo, github, event: PR, inputs: { command: 'plan', environment: 'staging' }, env: keyEnv(key) });
    await repo.removeVocabulary('support');
    await runAction({ repo, github, event: PR, inputs: { command: 'plan', environment: 'staging' }, env: keyEnv(key) });
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]!.body).toMatch(/^<!-- vocab-sync-plan env=staging -->\n<details><summary>vocab plan: no changes/);
  });

  it('comment: false posts nothing; a refused plan fails the step after the comment', async () => {
    const { repo, github, key } = await setup();
    const off = await runAction({ repo, github, event: PR, inputs: { command: 'plan', environment: 'staging', comment: 'false' }, env: keyEnv(key) });
    expect(off.outputs['exit-code']).toBe('2');
    expect(github.calls).toHaveLength(0);

    const nokey = await runAction({ repo, github, event: PR, inputs: { command: 'plan', environment: 'staging' } });
    expect(nokey.code).toBe(1);
    expect(nokey.outputs['exit-code']).toBe('1');
    expect(github.comments[0]!.body).toContain('### vocab plan: failed or refused (exit 1)');
    expect(github.comments[0]!.body).toContain('DASHSCOPE_API_KEY_STAGING');
  });
});

describe('the action on merge (command: apply)', { timeout: 180_000 }, () => {
  it('applies the tip of main, summarises, and hands out the live ids', async () => {
    const { repo, github, key, server } = await setup();
    github.branches.set('main', 'c0ffee'.repeat(6));
    const push: RunEvent = { name: 'push', ref: 'refs/heads/main', sha: 'c0ffee'.repeat(6) };
    const result = await runAction({ repo, github, event: push, inputs: { command: 'apply', environment: 'staging' }, env: keyEnv(key) });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const [list] = listsOf(server, key);
    expect(list?.prefix).toBe('movies');
    expect(result.outputs).toMatchObject({ 'exit-code': '0', 'has-changes': 'true' });
    expect(JSON.parse(result.outputs.vocabularies!)).toEqual({
      movies: { vocabulary_id: list!.vocabulary_id, prefix: 'movies', target_model: 'fun-asr', status: 'OK' },
    });
    expect(result.summary).toContain('### vocab apply: staging');
    expect(result.summary).toMatch(/\| create \| movies \| applied \| vocab-movies-/);
  });

  it('skips a run whose commit is no longer the tip of the branch', async () => {
    const { repo, github, key, server } = await setup();
    github.branches.set('main', 'newer0'.repeat(6));
    const result = await runAction({
      repo,
      github,
      event: { name: 'push', ref: 'refs/heads/main', sha: 'old000'.repeat(6) },
      inputs: { command: 'apply', environment: 'staging' },
      env: keyEnv(key),
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^::notice::vocab apply skipped: refs\/heads\/main is at newer0/m);
    expect(listsOf(server, key)).toHaveLength(0);
    expect(result.outputs['has-changes']).toBe('false');
  });
});

describe('the action on a schedule (command: drift)', { timeout: 180_000 }, () => {
  it('opens the drift issue, leaves it alone while the report is the same, and closes it when back in sync', async () => {
    const { repo, github, key, server } = await setup();
    const apply = await runAction({ repo, github, event: { name: 'workflow_dispatch' }, inputs: { command: 'apply', environment: 'staging' }, env: keyEnv(key) });
    expect(apply.code).toBe(0);
    const drift = () => runAction({ repo, github, event: { name: 'schedule' }, inputs: { command: 'drift', environment: 'staging' }, env: keyEnv(key) });

    const clean = await drift();
    expect(clean.outputs).toMatchObject({ 'exit-code': '0', drift: 'false' });
    expect(github.issues).toHaveLength(0);

    const [movies] = listsOf(server, key);
    await directApi(server, key).update(movies!.vocabulary_id, zh(['赛德克巴莱', '别人加的']));
    const found = await drift();
    expect(found.code).toBe(0);
    expect(found.outputs).toMatchObject({ 'exit-code': '2', drift: 'true' });
    expect(found.stdout).toMatch(/^::warning::The accounts differ/m);
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]).toMatchObject({ state: 'open', labels: ['vocab-drift'] });
    expect(github.issues[0]!.body).toContain('movies');
    expect(found.summary).toContain('movies');

    await drift();
    expect(github.issues).toHaveLength(1);
    expect(github.writes().filter((c) => c.method === 'POST' && c.path.endsWith('/comments'))).toHaveLength(0);

    const fix = await runAction({ repo, github, event: { name: 'workflow_dispatch' }, inputs: { command: 'apply', environment: 'staging' }, env: keyEnv(key) });
    expect(fix.code, fix.stdout + fix.stderr).toBe(0);
    const back = await drift();
    expect(back.outputs.drift).toBe('false');
    expect(github.issues[0]!.state).toBe('closed');
  });
});

describe('the action: validate and outputs', { timeout: 180_000 }, () => {
  it('validate prints annotations with escaped properties and exits 1', async () => {
    const { repo, github } = await setup();
    await writeFile(repo.path('vocabularies', 'odd, name: x.yaml'), 'prefix: support\ntarget_model: fun-asr\nentries: [ {text: "a", weight: 0} ]\n', 'utf8');
    const result = await runAction({ repo, github, event: PR, inputs: { command: 'validate' } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^::error file=vocabularies\/odd%2C name%3A x\.yaml,line=3,col=\d+,title=vocab validate::/m);
    expect(github.calls).toHaveLength(0);
  });

  it('outputs sets the live ids; an unknown command is refused', async () => {
    const { repo, github, key } = await setup();
    const result = await runAction({ repo, github, event: { name: 'workflow_dispatch' }, inputs: { command: 'outputs' }, env: keyEnv(key) });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.outputs.vocabularies!)).toMatchObject({ movies: { vocabulary_id: null, status: 'missing' } });
    expect(result.outputs).toMatchObject({ movies_vocabulary_id: '', movies_status: 'missing' });
    const bad = await runAction({ repo, github, event: PR, inputs: { command: 'destroy' } });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('::error::input "command" must be one of validate, plan, apply, drift, outputs, not "destroy"');
  });
});
