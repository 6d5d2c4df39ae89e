/**
 * The reconciler end to end, basics: create from empty, update in place with backups, the JSON
 * apply result, apply without --yes off a terminal, unknown flags, markdown and JSON plans.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ROOT,
  actionsSeen,
  assertBuilt,
  entryKeys,
  expectExit,
  funAsr,
  hasScriptCommand,
  identities,
  listsOf,
  makeRepo,
  newApiKey,
  parseJson,
  startEmulator,
  vocab,
  vocabOnTerminal,
  zh,
} from './harness.js';

beforeAll(assertBuilt);

const MOVIES = funAsr('movies', ['赛德克巴莱', '夏洛特烦恼', '让子弹飞']);
const SUPPORT = {
  prefix: 'support',
  target_model: 'paraformer-v2',
  defaults: { weight: 3, lang: 'zh' },
  entries: ['退款', { text: 'invoice', lang: 'en', weight: 5 }],
};

async function setup(vocabularies: Record<string, typeof MOVIES> = { movies: MOVIES, support: SUPPORT }) {
  const key = newApiKey();
  const server = await startEmulator({ apiKeys: [key] });
  const repo = await makeRepo({ environments: { test: { url: server.url } }, vocabularies });
  return { key, server, repo };
}

describe('create from an empty account', () => {
  it('plan exits 2 with changes, apply --yes creates the lists, then plan exits 0 with "No changes"', async () => {
    const { key, server, repo } = await setup();

    const before = await vocab(repo, ['plan', '--detailed-exitcode'], { key });
    expect(before.stderr).toBe('');
    expect(before.stdout).toContain('+ create  movies (fun-asr)');
    expect(before.stdout).toContain('+ create  support (paraformer-v2)');
    expect(before.stdout).toContain('Plan: 2 to create, 0 to update, 0 to replace, 0 to delete.');
    expectExit(before, 2);
    expect(actionsSeen(server, 'writes')).toEqual([]);

    const apply = await vocab(repo, ['apply', '--yes'], { key });
    expectExit(apply, 0);
    expect(apply.stdout).toContain('Apply complete: 2 applied, 0 failed, 0 skipped.');
    expect(apply.stderr).toContain('creating movies (fun-asr, 3 entries)');

    expect(identities(server, key)).toEqual(['movies/fun-asr', 'support/paraformer-v2']);
    const movies = listsOf(server, key).find((v) => v.prefix === 'movies')!;
    expect(entryKeys(movies.vocabulary)).toEqual(entryKeys(zh(['赛德克巴莱', '夏洛特烦恼', '让子弹飞'])));
    const support = listsOf(server, key).find((v) => v.prefix === 'support')!;
    expect(entryKeys(support.vocabulary)).toEqual(
      entryKeys([{ text: '退款', weight: 3, lang: 'zh' }, { text: 'invoice', weight: 5, lang: 'en' }]),
    );
    // The ids apply reported are the ids on the account.
    expect(apply.stdout).toContain(movies.vocabulary_id);
    expect(apply.stdout).toContain(support.vocabulary_id);

    const after = await vocab(repo, ['plan', '--detailed-exitcode'], { key });
    expectExit(after, 0);
    expect(after.stdout).toContain('No changes');
    expect(after.stdout).toContain('2 unchanged: movies, support');
  });

  it('a second apply with nothing to do writes nothing and exits 0', async () => {
    const { key, server, repo } = await setup();
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    server.requestLog.clear();
    const again = await vocab(repo, ['apply', '--yes'], { key });
    expectExit(again, 0);
    expect(again.stdout).toContain('Apply: nothing to do.');
    expect(actionsSeen(server, 'writes')).toEqual([]);
  });
});

describe('update in place', () => {
  it('shows the entry-level diff, keeps the id, backs up the previous entries, prints the JSON result', async () => {
    const { key, server, repo } = await setup();
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    const [original] = listsOf(server, key).filter((v) => v.prefix === 'movies');

    // Added 无间道, removed 让子弹飞, reweighted 夏洛特烦恼 4 -> 2.
    await repo.writeVocabulary('movies', funAsr('movies', ['赛德克巴莱', { text: '夏洛特烦恼', weight: 2 }, '无间道']));
    const plan = await vocab(repo, ['plan', '--detailed-exitcode'], { key });
    expectExit(plan, 2);
    expect(plan.stdout).toContain(`~ update  movies (fun-asr)  ${original!.vocabulary_id}`);
    expect(plan.stdout).toContain('1 entry added, 1 removed, 1 reweighted (3 → 3 entries)');
    expect(plan.stdout).toContain('+ "无间道" (zh, weight 4)');
    expect(plan.stdout).toContain('- "让子弹飞" (zh, weight 4)');
    expect(plan.stdout).toContain('~ "夏洛特烦恼" (zh) weight 4 → 2');
    expect(plan.stdout).toContain('1 unchanged: support');

    const apply = await vocab(repo, ['apply', '--yes', '--format', 'json'], { key });
    expectExit(apply, 0);
    const result = parseJson<{
      format_version: number;
      results: Record<string, unknown>[];
      summary: Record<string, number>;
    }>(apply.stdout);
    expect(result.format_version).toBe(1);
    expect(result.results).toHaveLength(1);
    expect(result.results[0]).toMatchObject({
      action: 'update',
      name: 'movies',
      prefix: 'movies',
      target_model: 'fun-asr',
      status: 'applied',
      vocabulary_id: original!.vocabulary_id,
    });
    expect(result.results[0]).not.toHaveProperty('error');
    expect(result.summary).toEqual({ applied: 1, failed: 0, skipped: 0 });

    const now = listsOf(server, key).filter((v) => v.prefix === 'movies');
    expect(now).toHaveLength(1);
    expect(now[0]!.vocabulary_id).toBe(original!.vocabulary_id);
    expect(entryKeys(now[0]!.vocabulary)).toEqual(
      entryKeys([...zh(['赛德克巴莱', '无间道']), { text: '夏洛特烦恼', weight: 2, lang: 'zh' }]),
    );

    const backups = await repo.backups();
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatchObject({
      format_version: 1,
      reason: 'update',
      vocabulary_id: original!.vocabulary_id,
      prefix: 'movies',
      target_model: 'fun-asr',
    });
    expect(Number.isNaN(Date.parse(backups[0]!.saved_at))).toBe(false);
    expect(entryKeys(backups[0]!.entries)).toEqual(entryKeys(original!.vocabulary));
    expect(backups[0]!.file.startsWith(original!.vocabulary_id)).toBe(true);

    expectExit(await vocab(repo, ['plan', '--detailed-exitcode'], { key }), 0);
  });
});

describe('approval and command line', () => {
  it('apply without --yes when stdin is not a terminal refuses, exit 1, nothing written', async () => {
    const { key, server, repo } = await setup();
    const result = await vocab(repo, ['apply'], { key });
    expectExit(result, 1);
    expect(result.stderr).toContain('refusing to apply without confirmation: stdin is not a terminal');
    expect(result.stderr).toContain('--yes');
    expect(result.stdout).toBe('');
    expect(actionsSeen(server, 'writes')).toEqual([]);
    expect(listsOf(server, key)).toEqual([]);
  });

  it.runIf(hasScriptCommand())('on a terminal, apply asks; only "yes" applies', async () => {
    const { key, server, repo } = await setup();
    const no = await vocabOnTerminal(repo, ['apply'], 'no\n', { key });
    expectExit(no, 1);
    expect(no.stdout).toContain('Apply 2 changes to environment "test"?');
    expect(no.stdout).toContain("Only 'yes' will be accepted");
    expect(no.stdout).toContain('Apply cancelled; nothing was changed.');
    expect(actionsSeen(server, 'writes')).toEqual([]);

    const yes = await vocabOnTerminal(repo, ['apply'], 'yes\n', { key });
    expectExit(yes, 0);
    expect(yes.stdout).toContain('Apply complete: 2 applied, 0 failed, 0 skipped.');
    expect(identities(server, key)).toEqual(['movies/fun-asr', 'support/paraformer-v2']);
  });

  it('an unknown flag exits 1 with a did-you-mean, nothing read or written', async () => {
    const { key, server, repo } = await setup();
    const result = await vocab(repo, ['apply', '--yess'], { key });
    expectExit(result, 1);
    expect(result.stderr).toBe('error: unknown option --yess for "vocab apply" (did you mean --yes?); see "vocab apply --help"\n');
    const plan = await vocab(repo, ['plan', '--detailed-exitcod'], { key });
    expectExit(plan, 1);
    expect(plan.stderr).toContain('(did you mean --detailed-exitcode?)');
    expect(server.requestLog.entries()).toEqual([]);
  });

  it('markdown plan has the summary table and a collapsible section per change', async () => {
    const { key, repo } = await setup();
    const result = await vocab(repo, ['plan', '--format', 'markdown'], { key });
    expectExit(result, 0);
    expect(result.stdout).toMatch(/^\|.*\|$/m);
    expect(result.stdout).toMatch(/^\|\s*-{3}/m);
    expect(result.stdout.match(/<details>/g)?.length).toBeGreaterThanOrEqual(2);
    expect(result.stdout).toContain('</details>');
    expect(result.stdout).toContain('movies');
    expect(result.stdout).toContain('support');
    expect(result.stdout.length).toBeLessThan(60_000);
  });

  it('JSON plan validates against schemas/plan.schema.json (draft 2020-12) and holds no secret', async () => {
    const { key, server, repo } = await setup();
    const schema = JSON.parse(await readFile(path.join(ROOT, 'schemas/plan.schema.json'), 'utf8')) as { $schema: string };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

    const empty = await vocab(repo, ['plan', '--format', 'json'], { key });
    expectExit(empty, 0);
    const doc = parseJson(empty.stdout);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc).toMatchObject({ format_version: 1, environment: 'test', summary: { create: 2, update: 0, replace: 0, delete: 0, noop: 0 } });
    expect(String(doc.fingerprint)).toMatch(/^sha256:[0-9a-f]{64}$/);

    // One of every kind: update, replace, delete, noop, create.
    await vocab(repo, ['apply', '--yes'], { key });
    await repo.writeVocabulary('movies', funAsr('movies', ['赛德克巴莱', '无间道']));
    await repo.writeVocabulary('support', { ...SUPPORT, target_model: 'paraformer-8k-v2' });
    await repo.writeVocabulary('extra', funAsr('extra', ['一', '二']));
    const mixed = await vocab(repo, ['plan', '--format', 'json', '--out', 'plan.json'], { key });
    expectExit(mixed, 0);
    const document = parseJson(mixed.stdout);
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
    expect(document.summary).toEqual({ create: 1, update: 1, replace: 1, delete: 0, noop: 0 });
    const replace = (document.changes as Record<string, unknown>[]).find((c) => c.action === 'replace')!;
    const old = listsOf(server, key).find((v) => v.prefix === 'support')!;
    expect(replace.replaces).toEqual({ vocabulary_id: old.vocabulary_id, target_model: 'paraformer-v2' });
    const saved = parseJson(await readFile(repo.path('plan.json'), 'utf8'));
    expect(validate(saved), JSON.stringify(validate.errors)).toBe(true);
    expect(saved.fingerprint).toBe(document.fingerprint);
  });
});
