/**
 * The GitLab component's jobs run for real: each job's before_script and script (expanded from
 * templates/vocab-sync.yml as GitLab expands them) run in bash in a scratch project, against
 * the emulator and a stand-in for GitLab's REST API that records the note and issue calls.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile, mkdtemp, rm, chmod } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { directApi, funAsr, listsOf, makeRepo, newApiKey, startEmulator, zh, type Repo } from '../e2e/harness.js';
import { ROOT, TEMPLATES, expandComponent, type Json } from './recipe-files.js';

const TOKEN = 'glpat-test-0123456789';

interface Note { id: number; body: string; system: boolean }
interface Issue { iid: number; title: string; description: string; labels: string[]; state: 'opened' | 'closed'; notes: string[] }

async function startFakeGitLab() {
  const state = { url: '', notes: [] as Note[], issues: [] as Issue[], calls: [] as string[] };
  let next = 100;
  const server = createServer((req: IncomingMessage, res) => {
    void (async () => {
      let text = '';
      for await (const chunk of req) text += String(chunk);
      const body = (text ? JSON.parse(text) : {}) as Json;
      const url = new URL(req.url ?? '/', 'http://x');
      state.calls.push(`${req.method} ${url.pathname}`);
      const send = (status: number, json: unknown, headers: Record<string, string> = {}) =>
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(json));
      if (req.headers['private-token'] !== TOKEN) return send(401, { message: '401 Unauthorized' });
      const p = url.pathname;
      let m: RegExpMatchArray | null;
      if (req.method === 'GET' && p === '/api/v4/projects/1/merge_requests/5/notes') {
        const page = Number(url.searchParams.get('page') ?? '1');
        const all = [{ id: 1, body: 'changed the description', system: true }, ...state.notes];
        return send(200, all.slice((page - 1) * 2, page * 2), { 'x-next-page': all.length > page * 2 ? String(page + 1) : '' });
      }
      if (req.method === 'POST' && p === '/api/v4/projects/1/merge_requests/5/notes') {
        state.notes.push({ id: next++, body: String(body.body), system: false });
        return send(201, state.notes.at(-1));
      }
      if (req.method === 'PUT' && (m = p.match(/^\/api\/v4\/projects\/1\/merge_requests\/5\/notes\/(\d+)$/))) {
        const note = state.notes.find((n) => n.id === Number(m![1]));
        if (!note) return send(404, {});
        note.body = String(body.body);
        return send(200, note);
      }
      if (req.method === 'GET' && p === '/api/v4/projects/1/issues') {
        const open = state.issues.filter((i) => i.state === url.searchParams.get('state') && i.labels.includes(String(url.searchParams.get('labels'))));
        return send(200, open.map((i) => ({ ...i, web_url: `https://gitlab.test/issues/${i.iid}` })));
      }
      if (req.method === 'POST' && p === '/api/v4/projects/1/issues') {
        state.issues.push({ iid: state.issues.length + 1, title: String(body.title), description: String(body.description), labels: String(body.labels).split(','), state: 'opened', notes: [] });
        return send(201, { ...state.issues.at(-1), web_url: 'https://gitlab.test/issues/new' });
      }
      if ((m = p.match(/^\/api\/v4\/projects\/1\/issues\/(\d+)(\/notes)?$/))) {
        const issue = state.issues.find((i) => i.iid === Number(m![1]));
        if (!issue) return send(404, {});
        if (m[2]) issue.notes.push(String(body.body));
        else {
          if (typeof body.description === 'string') issue.description = body.description;
          if (body.state_event === 'close') issue.state = 'closed';
        }
        return send(200, issue);
      }
      send(404, { message: '404 Not Found' });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return state;
}

/** A folder with a `vocab` that runs the built command: what `install` puts on the PATH. */
async function vocabOnPath(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vocab-bin-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, 'vocab'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, 'dist/cli/bin.js')}" "$@"\n`);
  await chmod(path.join(dir, 'vocab'), 0o755);
  return dir;
}

const lines = (value: unknown): string[] => (Array.isArray(value) ? value.flatMap(lines) : typeof value === 'string' ? [value] : []);

/** Runs one job of the expanded component in bash, with the variables GitLab would give it. */
async function runJob(job: string, ctx: { repo: Repo; gitlab: { url: string }; bin: string; variables: Record<string, string> }) {
  const template = TEMPLATES.find((t) => t.path === 'templates/vocab-sync.yml')!;
  const jobs = expandComponent(template, { environment: 'staging', 'api-key-variable': 'DASHSCOPE_API_KEY_STAGING', install: 'true' });
  const spec = { ...(jobs['.vocab-staging'] as Json), ...(jobs[job] as Json) };
  const script = ['set -eo pipefail', ...lines(spec.before_script), ...lines(spec.script)].join('\n');
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DASHSCOPE_|CI_|GITLAB_|GITHUB_)/.test(k)));
  const env = {
    ...base,
    ...(spec.variables as Record<string, string>),
    PATH: `${ctx.bin}:${process.env.PATH}`,
    CI_PROJECT_DIR: ctx.repo.dir,
    CI_API_V4_URL: `${ctx.gitlab.url}/api/v4`,
    CI_PROJECT_ID: '1',
    CI_MERGE_REQUEST_IID: '5',
    CI_COMMIT_SHORT_SHA: 'abc1234',
    CI_JOB_URL: 'https://gitlab.test/jobs/9',
    ...ctx.variables,
  };
  const child = spawn('bash', ['-c', script], { cwd: ctx.repo.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, out };
}

describe('the GitLab component, its jobs run', { timeout: 180_000 }, () => {
  it('plans a merge request into one note, applies, and keeps the drift issue', async () => {
    const key = newApiKey();
    const server = await startEmulator({ apiKeys: [key] });
    const gitlab = await startFakeGitLab();
    const repo = await makeRepo({
      environments: { staging: { url: server.url, api_key_env: 'DASHSCOPE_API_KEY_STAGING' } },
      vocabularies: { movies: funAsr('movies', ['赛德克巴莱']) },
      config: { ownership: { prefixes: ['movies', 'support'] } },
    });
    const ctx = { repo, gitlab, bin: await vocabOnPath(), variables: { DASHSCOPE_API_KEY_STAGING: key, GITLAB_TOKEN: TOKEN } };

    const validate = await runJob('vocab-validate-staging', ctx);
    expect(validate.code, validate.out).toBe(0);
    const plan = await runJob('vocab-plan-staging', ctx);
    expect(plan.code, plan.out).toBe(0);
    expect(plan.out).toContain('created the plan note');
    expect(gitlab.notes).toHaveLength(1);
    expect(gitlab.notes[0]!.body).toMatch(/^<!-- vocab-sync-plan env=staging -->\n### vocab plan: changes will be applied on merge/);
    expect(JSON.parse(await readFile(repo.path('plan.json'), 'utf8'))).toMatchObject({ environment: 'staging' });

    await repo.writeVocabulary('support', funAsr('support', ['退款']));
    expect((await runJob('vocab-plan-staging', ctx)).out).toMatch(/updated note \d+/);
    expect(gitlab.notes).toHaveLength(1);
    expect(gitlab.notes[0]!.body).toContain('support');

    const apply = await runJob('vocab-apply-staging', ctx);
    expect(apply.code, apply.out).toBe(0);
    expect(listsOf(server, key).map((v) => v.prefix).sort()).toEqual(['movies', 'support']);
    const ids = await readFile(repo.path('vocab-ids.env'), 'utf8');
    expect(ids.trim().split('\n').every((l) => /^[A-Z_][A-Z0-9_]*=[^\n]*$/.test(l))).toBe(true);
    expect(ids).toContain(`VOCAB_MOVIES_ID=${listsOf(server, key).find((v) => v.prefix === 'movies')!.vocabulary_id}`);

    const quiet = await runJob('vocab-plan-staging', ctx);
    expect(gitlab.notes[0]!.body).toMatch(/^<!-- vocab-sync-plan env=staging -->\n<details><summary>vocab plan: no changes/);
    expect(quiet.code).toBe(0);

    const movies = listsOf(server, key).find((v) => v.prefix === 'movies')!;
    await directApi(server, key).update(movies.vocabulary_id, zh(['别人加的']));
    const drift = await runJob('vocab-drift-staging', ctx);
    expect(drift.code).toBe(2);
    expect(gitlab.issues).toMatchObject([{ title: 'vocab drift: staging differs from the default branch', labels: ['vocab-drift'], state: 'opened' }]);
    expect((await runJob('vocab-apply-staging', ctx)).code).toBe(0);
    expect((await runJob('vocab-drift-staging', ctx)).code).toBe(0);
    expect(gitlab.issues[0]!.state).toBe('closed');
  });

  it('skips the plan with a message when the key is not available (protected variable, unprotected branch)', async () => {
    const gitlab = await startFakeGitLab();
    const repo = await makeRepo({ environments: { staging: { url: 'http://127.0.0.1:9', api_key_env: 'DASHSCOPE_API_KEY_STAGING' } }, vocabularies: { movies: funAsr('movies', ['赛德克巴莱']) }, config: { ownership: { prefixes: ['movies'] } } });
    const result = await runJob('vocab-plan-staging', { repo, gitlab, bin: await vocabOnPath(), variables: { GITLAB_TOKEN: TOKEN } });
    expect(result.code).toBe(0);
    expect(result.out).toContain('vocab plan skipped: DASHSCOPE_API_KEY_STAGING is not available to this pipeline');
    expect(gitlab.calls).toEqual([]);
  });
});
