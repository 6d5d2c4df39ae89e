/**
 * `vocab outputs` as CI consumes it, end to end against `vocab emulator`: dotenv is KEY=value
 * lines only, GitHub keys are identifiers, and two names on one variable are refused by
 * `vocab validate` where they are written.
 */
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, expectExit, funAsr, makeRepo, newApiKey, startEmulator, vocab } from './harness.js';

beforeAll(assertBuilt);

describe('vocab outputs for CI', () => {
  it('dotenv prints only KEY=value lines, GitHub keys work as steps.ID.outputs.KEY', async () => {
    const key = newApiKey();
    const server = await startEmulator({ apiKeys: [key], undeployedMs: 0 });
    const repo = await makeRepo({
      environments: { test: { url: server.url } },
      vocabularies: { movies: funAsr('movies', ['赛德克巴莱']), films: funAsr('films3d', ['无间道'], { name: '3d-films' }) },
      config: { ownership: { prefixes: ['movies', 'films3d'] } },
    });
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    const dotenv = await vocab(repo, ['outputs', '--format', 'dotenv'], { key });
    expectExit(dotenv, 0);
    const lines = dotenv.stdout.split('\n');
    expect(lines.pop()).toBe('');
    for (const line of lines) expect(line).toMatch(/^[A-Z_][A-Z0-9_]*=[A-Za-z0-9._:-]*$/);
    expect(lines.map((l) => l.split('=')[0])).toEqual(['VOCAB_3D_FILMS_ID', 'VOCAB_3D_FILMS_STATUS', 'VOCAB_MOVIES_ID', 'VOCAB_MOVIES_STATUS']);

    const githubOutput = repo.path('github-output.txt');
    expectExit(await vocab(repo, ['outputs', '--format', 'github'], { key, env: { GITHUB_OUTPUT: githubOutput } }), 0);
    const keys = (await readFile(githubOutput, 'utf8')).trimEnd().split('\n').map((l) => l.split('=')[0]);
    expect(keys).toEqual(['_3d-films_vocabulary_id', '_3d-films_status', 'movies_vocabulary_id', 'movies_status', 'vocabularies']);
    for (const k of keys) expect(k).toMatch(/^[A-Za-z_][A-Za-z0-9_-]*$/);
  });

  it('vocab validate refuses two names that become one output variable, at FILE:LINE:COL', async () => {
    const server = await startEmulator({ apiKeys: [newApiKey()] });
    const repo = await makeRepo({
      environments: { test: { url: server.url } },
      vocabularies: {
        a: funAsr('supporta', ['退款'], { name: 'support-cn' }),
        b: funAsr('supportb', ['发票'], { name: 'support_cn' }),
      },
      config: { ownership: { prefixes: ['supporta', 'supportb'] } },
    });
    const result = await vocab(repo, ['validate']);
    expectExit(result, 1);
    expect(result.stdout + result.stderr).toMatch(
      /vocabularies\/b\.yaml:\d+:\d+: name "support_cn" and name "support-cn" \(.*vocabularies\/a\.yaml:\d+\) both become the output variable VOCAB_SUPPORT_CN_ID/,
    );
  });
});
