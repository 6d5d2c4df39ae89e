/**
 * Where a plan talks to, end to end against `vocab emulator` over HTTP: the plan's header names
 * an endpoint that is not the region's official URL in every format, the plan document records
 * the endpoint actually used, and a saved plan is refused through another endpoint.
 */
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { actionsSeen, assertBuilt, expectExit, funAsr, identities, makeRepo, newApiKey, parseJson, startEmulator, vocab } from './harness.js';

beforeAll(assertBuilt);

const BEIJING = 'https://dashscope.aliyuncs.com/api/v1';

/** A repository whose config names the official Beijing URL, and an emulator for DASHSCOPE_HTTP_BASE_URL. */
async function setup() {
  const key = newApiKey();
  const server = await startEmulator({ apiKeys: [key] });
  const repo = await makeRepo({
    environments: { prod: { url: BEIJING, region: 'cn-beijing', api_key_env: 'PROD_KEY' } },
    vocabularies: { movies: funAsr('movies', ['赛德克巴莱']) },
  });
  return { key, server, repo, env: { PROD_KEY: key, DASHSCOPE_HTTP_BASE_URL: server.url } };
}

describe('the endpoint a plan talks to', () => {
  it('is named with its reason in text, markdown and json when DASHSCOPE_HTTP_BASE_URL overrides the official URL', async () => {
    const { server, repo, env } = await setup();
    const line = `endpoint: ${server.url} (from DASHSCOPE_HTTP_BASE_URL, not the official cn-beijing URL)`;

    const text = await vocab(repo, ['plan'], { env });
    expectExit(text, 0);
    expect(text.stdout.split('\n')[1]).toBe(line);

    const markdown = await vocab(repo, ['plan', '--format', 'markdown'], { env });
    expectExit(markdown, 0);
    expect(markdown.stdout).toContain(`> endpoint: http:&#8203;//${server.url.slice('http://'.length)} \\(from DASHSCOPE\\_HTTP\\_BASE\\_URL, not the official cn-beijing URL\\)`);

    const json = await vocab(repo, ['plan', '--format', 'json'], { env });
    expectExit(json, 0);
    expect(parseJson<Plan>(json.stdout).target).toStrictEqual({ endpoint: BEIJING, region: 'cn-beijing', api_key_env: 'PROD_KEY', url: server.url, url_from: 'DASHSCOPE_HTTP_BASE_URL' });
  });

  it("names the config's own endpoint, and the embedded account as such", async () => {
    const key = newApiKey();
    const server = await startEmulator({ apiKeys: [key] });
    const repo = await makeRepo({ environments: { test: { url: server.url } }, vocabularies: { movies: funAsr('movies', ['赛德克巴莱']) } });
    const viaConfig = await vocab(repo, ['plan'], { key });
    expectExit(viaConfig, 0);
    expect(viaConfig.stdout.split('\n')[1]).toBe(`endpoint: ${server.url} (from the config's endpoint, not the official cn-beijing URL)`);

    const local = await makeRepo({ environments: { test: { url: 'local' } }, vocabularies: { movies: funAsr('movies', ['赛德克巴莱']) } });
    const embedded = await vocab(local, ['plan', '--format', 'json'], { env: { DASHSCOPE_HTTP_BASE_URL: server.url } });
    expectExit(embedded, 0);
    // `local` never follows DASHSCOPE_HTTP_BASE_URL, and says so.
    expect(parseJson<Plan>(embedded.stdout).target).toMatchObject({ url: 'local', url_from: 'local' });
    const text = await vocab(local, ['plan'], { env: { DASHSCOPE_HTTP_BASE_URL: server.url } });
    expect(text.stdout.split('\n')[1]).toBe('endpoint: local (the embedded account, in-process: no network, no key)');
  });

  it('is recorded in a saved plan, which is refused through another endpoint (exit 1, nothing written)', async () => {
    const { key, server, repo, env } = await setup();
    expectExit(await vocab(repo, ['plan', '--out', 'plan.json'], { env }), 0);
    const saved = JSON.parse(await readFile(repo.path('plan.json'), 'utf8')) as Plan;
    expect(saved.target).toMatchObject({ url: server.url, url_from: 'DASHSCOPE_HTTP_BASE_URL' });
    const shown = await vocab(repo, ['show', 'plan.json', '--format', 'markdown']);
    expectExit(shown, 0);
    expect(shown.stdout).toContain('> endpoint: http:&#8203;//127.0.0.1:');

    const other = await startEmulator({ apiKeys: [key] });
    const apply = await vocab(repo, ['apply', 'plan.json'], { env: { ...env, DASHSCOPE_HTTP_BASE_URL: other.url } });
    expectExit(apply, 1);
    expect(apply.stderr).toContain(
      `error: plan file refused, nothing applied: it was made against ${server.url} (from DASHSCOPE_HTTP_BASE_URL), but this apply would talk to ${other.url} (from DASHSCOPE_HTTP_BASE_URL)`,
    );
    // Refused before either account is read or written.
    expect(actionsSeen(other)).toEqual([]);
    expect(actionsSeen(server, 'writes')).toEqual([]);

    // Without the variable, the apply would go to the official URL: refused the same way, no request made.
    const official = await vocab(repo, ['apply', 'plan.json'], { env: { PROD_KEY: key } });
    expectExit(official, 1);
    expect(official.stderr).toContain(`but this apply would talk to ${BEIJING} (from the config's endpoint, the official cn-beijing URL)`);

    // Through the endpoint it was made against, it applies.
    expectExit(await vocab(repo, ['apply', 'plan.json'], { env }), 0);
    expect(identities(server, key)).toEqual(['movies/fun-asr']);
  });

  it('never shows a user name or password given in DASHSCOPE_HTTP_BASE_URL', async () => {
    const { server, repo, env } = await setup();
    const withCredentials = server.url.replace('http://', 'http://admin:hunter2secret@');
    const result = await vocab(repo, ['plan'], { env: { ...env, DASHSCOPE_HTTP_BASE_URL: withCredentials } });
    expectExit(result, 1);
    expect(`${result.stdout}${result.stderr}`).not.toContain('hunter2secret');
    expect(`${result.stdout}${result.stderr}`).not.toContain('admin:');
    expect(result.stderr).toContain('DASHSCOPE_HTTP_BASE_URL');
  });
});
