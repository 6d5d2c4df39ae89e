/**
 * `vocab drift` end to end (reads only: exit 0 in sync, 2 on drift), and `--all-environments`
 * for plan and drift with two accounts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  WRITE_ACTIONS,
  actionsSeen,
  assertBuilt,
  directApi,
  expectExit,
  funAsr,
  identities,
  listsOf,
  makeRepo,
  newApiKey,
  parseJson,
  startEmulator,
  vocab,
  zh,
} from './harness.js';

beforeAll(assertBuilt);

const MOVIES = funAsr('movies', ['赛德克巴莱', '夏洛特烦恼']);
const SUPPORT = funAsr('support', ['退款', '发票']);

interface DriftJson {
  format_version: number;
  environment: string;
  in_sync: boolean;
  items: { kind: string; prefix: string; vocabulary_id: string | null; message: string; status?: string }[];
  quota: { limit: number; used: number; unmanaged: number; headroom: number };
}

describe('vocab drift', () => {
  it('exit 0 in sync; exit 2 after an out-of-band update, a deleted list and an extra owned list; never writes', async () => {
    const key = newApiKey();
    const server = await startEmulator({ apiKeys: [key] });
    const api = directApi(server, key);
    const repo = await makeRepo({
      environments: { test: { url: server.url } },
      vocabularies: { movies: MOVIES, support: SUPPORT },
      config: { ownership: { prefixes: ['movies', 'support', 'old'] } },
    });
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    await api.create('other', 'fun-asr', zh(['别的']));
    server.requestLog.clear();

    const clean = await vocab(repo, ['drift'], { key });
    expectExit(clean, 0);
    expect(clean.stdout).toContain('No drift: the account matches the configuration of test.');
    expect(clean.stdout).toContain('Quota: 3 of 10 lists used (2 owned + 1 unmanaged), headroom 7.');

    const [movies, support] = ['movies', 'support'].map((p) => listsOf(server, key).find((v) => v.prefix === p)!);
    await api.update(movies!.vocabulary_id, zh(['赛德克巴莱', '别人加的']));
    await api.remove(support!.vocabulary_id);
    const extra = await api.create('old', 'fun-asr', zh(['旧的']));
    const before = server.snapshotState();
    server.requestLog.clear();

    const text = await vocab(repo, ['drift'], { key });
    expectExit(text, 2);
    expect(text.stdout).toContain(`~ changed  movies (fun-asr)  ${movies!.vocabulary_id}`);
    expect(text.stdout).toContain('1 entry removed out of band (apply would add it back); 1 entry added out of band (apply would remove it)');
    expect(text.stdout).toContain('+ missing  support (fun-asr)');
    expect(text.stdout).toContain(`- extra  old (fun-asr)  ${extra}`);
    expect(text.stdout).toContain('Quota: 3 of 10 lists used (2 owned + 1 unmanaged), headroom 7.');
    expect(text.stdout).toContain('Drift: 3 differences in test; "vocab apply" would repair them.');

    const json = await vocab(repo, ['drift', '--format', 'json'], { key });
    expectExit(json, 2);
    const report = parseJson<DriftJson>(json.stdout);
    expect(report).toMatchObject({ format_version: 1, environment: 'test', in_sync: false });
    expect(report.items.map((i) => [i.kind, i.prefix, i.vocabulary_id]).sort()).toEqual(
      [
        ['changed', 'movies', movies!.vocabulary_id],
        ['extra', 'old', extra],
        ['missing', 'support', null],
      ].sort(),
    );
    expect(report.quota).toEqual({ limit: 10, used: 3, unmanaged: 1, headroom: 7 });

    const markdown = await vocab(repo, ['drift', '--format', 'markdown'], { key });
    expectExit(markdown, 2);
    expect(markdown.stdout).toContain('### vocab drift: test');
    expect(markdown.stdout).toMatch(/^\| \| Vocabulary \| Model \| ID \| What \|$/m);

    // Drift only reads.
    expect(new Set(actionsSeen(server))).toEqual(new Set(['list_vocabulary', 'query_vocabulary']));
    expect(server.snapshotState()).toEqual(before);

    // Apply repairs it.
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    expectExit(await vocab(repo, ['drift'], { key }), 0);
  });

  it('says what changed on the account: 4 entries removed out of band, in text, markdown and json', async () => {
    const key = newApiKey();
    const server = await startEmulator({ apiKeys: [key] });
    const api = directApi(server, key);
    const six = ['一号', '二号', '三号', '四号', '五号', '六号'];
    const repo = await makeRepo({ environments: { test: { url: server.url } }, vocabularies: { movies: funAsr('movies', six) } });
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    const movies = listsOf(server, key)[0]!;
    await api.update(movies.vocabulary_id, zh(six.slice(0, 2)));

    const sentence = '4 entries removed out of band (apply would add them back)';
    const text = await vocab(repo, ['drift'], { key });
    expectExit(text, 2);
    expect(text.stdout).toContain(`      ${sentence}\n`);
    const markdown = await vocab(repo, ['drift', '--format', 'markdown'], { key });
    expectExit(markdown, 2);
    // Markdown may backslash the parentheses; what the reader sees is the same sentence.
    expect(markdown.stdout.replace(/\\([()])/g, '$1')).toContain(`| ${sentence} |`);
    const json = await vocab(repo, ['drift', '--format', 'json'], { key });
    expectExit(json, 2);
    const item = parseJson<{ items: Record<string, unknown>[] }>(json.stdout).items[0];
    expect(item).toMatchObject({
      kind: 'changed',
      message: sentence,
      out_of_band: { added: 0, removed: 4, changed: 0 },
      apply_would: { add: 4, remove: 0, change: 0 },
    });
  });

  it('reports owned lists that are not OK (UNDEPLOYED) as drift, and the headroom', async () => {
    const key = newApiKey();
    const server = await startEmulator({ apiKeys: [key], undeployedMs: 600_000 });
    const api = directApi(server, key);
    // The lists match the files but were just written: UNDEPLOYED for a long while.
    const id = await api.create('movies', 'fun-asr', zh(['赛德克巴莱', '夏洛特烦恼']));
    for (let i = 0; i < 7; i++) await api.create('other', 'fun-asr', zh([`别的${i}`]));
    const repo = await makeRepo({ environments: { test: { url: server.url } }, vocabularies: { movies: MOVIES } });
    server.requestLog.clear();

    const plan = await vocab(repo, ['plan', '--detailed-exitcode'], { key });
    expectExit(plan, 0);

    const text = await vocab(repo, ['drift'], { key });
    expectExit(text, 2);
    expect(text.stdout).toContain(`! not OK  movies (fun-asr)  ${id}`);
    expect(text.stdout).toContain('status UNDEPLOYED: not usable by recognition until it is OK');
    expect(text.stdout).toContain('Quota: 8 of 10 lists used (1 owned + 7 unmanaged), headroom 2.');

    const report = parseJson<DriftJson>((await vocab(repo, ['drift', '--format', 'json'], { key })).stdout);
    expect(report.items).toEqual([expect.objectContaining({ kind: 'not_ok', prefix: 'movies', vocabulary_id: id, status: 'UNDEPLOYED' })]);
    expect(report.quota).toEqual({ limit: 10, used: 8, unmanaged: 7, headroom: 2 });
    expect(actionsSeen(server).filter((a) => WRITE_ACTIONS.has(a))).toEqual([]);
  });
});

describe('--all-environments', () => {
  async function twoAccounts() {
    const stagingKey = newApiKey();
    const prodKey = newApiKey();
    const server = await startEmulator({ apiKeys: [stagingKey, prodKey] });
    const repo = await makeRepo({
      environments: {
        staging: { url: server.url, api_key_env: 'VOCAB_STAGING_KEY' },
        prod: { url: server.url, api_key_env: 'VOCAB_PROD_KEY' },
      },
      vocabularies: { movies: MOVIES, support: { ...SUPPORT, environments: ['prod'] } },
    });
    const env = { VOCAB_STAGING_KEY: stagingKey, VOCAB_PROD_KEY: prodKey };
    return { server, repo, env, stagingKey, prodKey };
  }

  it('plan: one report with a section per environment, in every format', async () => {
    const { server, repo, env, stagingKey, prodKey } = await twoAccounts();

    const text = await vocab(repo, ['plan', '--all-environments', '--detailed-exitcode'], { env });
    expectExit(text, 2);
    const [staging, prod] = text.stdout.split('=== environment prod ===');
    expect(staging).toContain('=== environment staging ===');
    expect(staging).toContain('+ create  movies (fun-asr)');
    expect(staging).not.toContain('support');
    expect(prod).toContain('+ create  movies (fun-asr)');
    expect(prod).toContain('+ create  support (fun-asr)');

    const json = await vocab(repo, ['plan', '--all-environments', '--format', 'json'], { env });
    expectExit(json, 0);
    const plans = parseJson<{ format_version: number; plans: { environment: string; summary: Record<string, number> }[] }>(json.stdout);
    expect(plans.format_version).toBe(1);
    expect(plans.plans.map((p) => [p.environment, p.summary.create])).toEqual([
      ['staging', 1],
      ['prod', 2],
    ]);

    const markdown = await vocab(repo, ['plan', '--all-environments', '--format', 'markdown'], { env });
    expectExit(markdown, 0);
    expect(markdown.stdout).toMatch(/staging[\s\S]*prod/);
    expect(markdown.stdout).toContain('<details>');

    // Apply each environment, then both are in sync.
    expectExit(await vocab(repo, ['apply', '--yes', '--env', 'staging'], { env }), 0);
    expectExit(await vocab(repo, ['apply', '--yes', '--env', 'prod'], { env }), 0);
    expect(identities(server, stagingKey)).toEqual(['movies/fun-asr']);
    expect(identities(server, prodKey)).toEqual(['movies/fun-asr', 'support/fun-asr']);
    expectExit(await vocab(repo, ['plan', '--all-environments', '--detailed-exitcode'], { env }), 0);

    const both = await vocab(repo, ['plan', '--all-environments', '--env', 'prod'], { env });
    expectExit(both, 1);
    expect(both.stderr).toContain('--all-environments and --env cannot be used together');
  });

  it('drift: one report with a section per environment; exit 2 when any environment drifted', async () => {
    const { server, repo, env, prodKey } = await twoAccounts();
    expectExit(await vocab(repo, ['apply', '--yes', '--env', 'staging'], { env }), 0);
    expectExit(await vocab(repo, ['apply', '--yes', '--env', 'prod'], { env }), 0);

    const clean = await vocab(repo, ['drift', '--all-environments'], { env });
    expectExit(clean, 0);
    expect(clean.stdout).toContain('No drift: the account matches the configuration of staging.');
    expect(clean.stdout).toContain('No drift: the account matches the configuration of prod.');

    const support = listsOf(server, prodKey).find((v) => v.prefix === 'support')!;
    await directApi(server, prodKey).remove(support.vocabulary_id);
    server.requestLog.clear();

    const text = await vocab(repo, ['drift', '--all-environments'], { env });
    expectExit(text, 2);
    expect(text.stdout).toContain('vocab drift for environment staging');
    expect(text.stdout).toContain('vocab drift for environment prod');
    expect(text.stdout).toContain('No drift: the account matches the configuration of staging.');
    expect(text.stdout).toContain('Drift: 1 difference in prod');

    const json = await vocab(repo, ['drift', '--all-environments', '--format', 'json'], { env });
    expectExit(json, 2);
    const reports = parseJson<{ reports: DriftJson[] }>(json.stdout).reports;
    expect(reports.map((r) => [r.environment, r.in_sync, r.items.map((i) => i.kind)])).toEqual([
      ['staging', true, []],
      ['prod', false, ['missing']],
    ]);
    expect(actionsSeen(server, 'writes')).toEqual([]);
  });
});
