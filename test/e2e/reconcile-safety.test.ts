/**
 * The reconciler end to end, what keeps it safe: saved plans (stale ones refused, fresh ones
 * applied without --yes), `protect`, `max_removed_ratio`, word caps and the empty-desired guard.
 */
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  actionsSeen,
  assertBuilt,
  directApi,
  entryKeys,
  expectExit,
  funAsr,
  hasScriptCommand,
  identities,
  listsOf,
  makeRepo,
  newApiKey,
  startEmulator,
  vocab,
  vocabOnTerminal,
  words,
  zh,
} from './harness.js';

beforeAll(assertBuilt);

const MOVIES = funAsr('movies', ['赛德克巴莱', '夏洛特烦恼']);
const SUPPORT = funAsr('support', ['退款', '发票']);

async function setup(config: Record<string, unknown> = {}, vocabularies = { movies: MOVIES, support: SUPPORT }) {
  const key = newApiKey();
  const server = await startEmulator({ apiKeys: [key] });
  const repo = await makeRepo({ environments: { test: { url: server.url } }, vocabularies, config });
  return { key, server, repo, api: directApi(server, key) };
}

describe('saved plans', () => {
  it('a plan made stale by an out-of-band update is refused: exit 1, says what changed, nothing written', async () => {
    const { key, server, repo, api } = await setup();
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    await repo.writeVocabulary('movies', funAsr('movies', ['赛德克巴莱', '夏洛特烦恼', '无间道']));
    const plan = await vocab(repo, ['plan', '--out', 'plan.json'], { key });
    expectExit(plan, 0);
    expect(plan.stderr).toContain('Saved the plan to plan.json; apply it with: vocab apply plan.json');
    const savedText = await readFile(repo.path('plan.json'), 'utf8');
    expect(savedText).not.toContain(key);

    // Another tool edits the support list.
    const support = listsOf(server, key).find((v) => v.prefix === 'support')!;
    await api.update(support.vocabulary_id, zh(['退款', '发票', '别人加的']));
    const before = server.snapshotState();
    server.requestLog.clear();

    const apply = await vocab(repo, ['apply', 'plan.json'], { key });
    expectExit(apply, 1);
    expect(apply.stderr).toContain('error: plan is stale: the account changed since the plan was made');
    expect(apply.stderr).toContain('run "vocab plan" again');
    expect(apply.stderr).toContain(`  - ${support.vocabulary_id} `);
    expect(apply.stderr).toContain('content changed');
    expect(apply.stdout).toBe('');
    expect(actionsSeen(server, 'writes')).toEqual([]);
    expect(server.snapshotState()).toEqual(before);
    expect(await repo.backups()).toEqual([]);
  });

  it('a plan made stale by a deleted list names it', async () => {
    const { key, server, repo, api } = await setup();
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    await repo.writeVocabulary('movies', funAsr('movies', ['无间道']));
    expectExit(await vocab(repo, ['plan', '--out', 'plan.json'], { key }), 0);
    const support = listsOf(server, key).find((v) => v.prefix === 'support')!;
    await api.remove(support.vocabulary_id);
    const apply = await vocab(repo, ['apply', 'plan.json'], { key });
    expectExit(apply, 1);
    expect(apply.stderr).toContain(`${support.vocabulary_id} (prefix support) was deleted`);
    expect(identities(server, key)).toEqual(['movies/fun-asr']);
  });

  it('an unchanged account and files: the saved plan applies without --yes (the plan file is the approval), exactly as saved', async () => {
    const { key, server, repo } = await setup();
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    await repo.writeVocabulary('movies', funAsr('movies', ['赛德克巴莱', '无间道']));
    expectExit(await vocab(repo, ['plan', '--out', 'plan.json'], { key }), 0);

    const apply = await vocab(repo, ['apply', 'plan.json'], { key });
    expectExit(apply, 0);
    expect(apply.stdout).toContain('Apply complete: 1 applied, 0 failed, 0 skipped.');
    const movies = listsOf(server, key).find((v) => v.prefix === 'movies')!;
    expect(entryKeys(movies.vocabulary)).toEqual(entryKeys(zh(['赛德克巴莱', '无间道'])));
  });

  it('vocabulary files edited after the plan make it stale: refused, nothing written', async () => {
    const { key, server, repo } = await setup();
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    await repo.writeVocabulary('movies', funAsr('movies', ['赛德克巴莱', '无间道']));
    expectExit(await vocab(repo, ['plan', '--out', 'plan.json'], { key }), 0);
    await repo.writeVocabulary('movies', funAsr('movies', ['不该出现']));
    server.requestLog.clear();

    const apply = await vocab(repo, ['apply', 'plan.json'], { key });
    expectExit(apply, 1);
    expect(apply.stderr).toContain('plan is stale: the vocabulary files changed since the plan was made');
    expect(actionsSeen(server, 'writes')).toEqual([]);
  });

  it('a saved plan deleting a prefix declared only for another environment applies (ownership is the same on re-read)', async () => {
    const key = newApiKey();
    const server = await startEmulator({ apiKeys: [key] });
    const repo = await makeRepo({
      environments: { staging: { url: server.url }, prod: { url: server.url, api_key_env: 'VOCAB_PROD_KEY' } },
      vocabularies: { movies: MOVIES, support: { ...SUPPORT, environments: ['prod'] } },
    });
    // A support list left on the staging account: owned (a file declares the prefix), not declared for staging.
    const left = await directApi(server, key).create('support', 'fun-asr', zh(['退款']));
    const plan = await vocab(repo, ['plan', '--env', 'staging', '--out', 'plan.json'], { key });
    expectExit(plan, 0);
    expect(plan.stdout).toContain(`- destroy  support (fun-asr)  ${left}`);

    const apply = await vocab(repo, ['apply', 'plan.json'], { key });
    expectExit(apply, 0);
    expect(identities(server, key)).toEqual(['movies/fun-asr']);
    expect((await repo.backups()).map((b) => [b.reason, b.vocabulary_id])).toEqual([['delete', left]]);
  });

  it('a list going from UNDEPLOYED to OK does not make a saved plan stale', async () => {
    const key = newApiKey();
    let clock = Date.UTC(2026, 0, 5, 8, 0, 0);
    const server = await startEmulator({ apiKeys: [key], undeployedMs: 60_000, now: () => clock });
    const repo = await makeRepo({
      environments: { test: { url: server.url } },
      vocabularies: { movies: MOVIES },
      config: { ownership: { prefixes: ['movies', 'old'] } },
    });
    const api = directApi(server, key);
    await api.create('movies', 'fun-asr', zh(['赛德克巴莱', '夏洛特烦恼']));
    const old = await api.create('old', 'fun-asr', zh(['旧的']));
    const plan = await vocab(repo, ['plan', '--out', 'plan.json'], { key });
    expectExit(plan, 0);
    expect(plan.stdout).toContain('Plan: 0 to create, 0 to update, 0 to replace, 1 to delete.');
    clock += 120_000; // both lists are OK now; nothing else changed
    const apply = await vocab(repo, ['apply', 'plan.json'], { key });
    expectExit(apply, 0);
    expect(listsOf(server, key).some((v) => v.vocabulary_id === old)).toBe(false);
  });

  it('a plan file that is not a plan is refused with a message', async () => {
    const { key, server, repo } = await setup();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(repo.path('plan.json'), '{"format_version": 1}', 'utf8');
    const apply = await vocab(repo, ['apply', 'plan.json'], { key });
    expectExit(apply, 1);
    expect(apply.stderr).toContain('is not a vocab-sync plan document');
    expect(server.requestLog.entries()).toEqual([]);
  });
});

describe('protect', () => {
  it('a plan deleting a protected prefix is refused (exit 1, nothing written); --force deletes it', async () => {
    const { key, server, repo } = await setup({ safety: { protect: ['movies'] }, ownership: { prefixes: ['movies', 'support'] } });
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    const movies = listsOf(server, key).find((v) => v.prefix === 'movies')!;
    await repo.removeVocabulary('movies');
    const before = server.snapshotState();

    const plan = await vocab(repo, ['plan'], { key });
    expectExit(plan, 1);
    expect(plan.stdout).toContain(`movies is protected (safety.protect) but the plan deletes ${movies.vocabulary_id}`);

    const refused = await vocab(repo, ['apply', '--yes'], { key });
    expectExit(refused, 1);
    expect(refused.stderr).toContain('plan refused, nothing applied (--force overrides these safety checks)');
    expect(refused.stderr).toContain('protect: movies is protected');
    expect(server.snapshotState()).toEqual(before);

    expectExit(await vocab(repo, ['plan', '--force'], { key }), 0);
    const forced = await vocab(repo, ['apply', '--yes', '--force'], { key });
    expectExit(forced, 0);
    expect(identities(server, key)).toEqual(['support/fun-asr']);
    expect((await repo.backups()).map((b) => [b.reason, b.vocabulary_id])).toEqual([['delete', movies.vocabulary_id]]);
  });

  it('--force output is consistent: "overridden by --force", never "refused", in text, markdown and json', async () => {
    const { key, repo } = await setup({ safety: { protect: ['movies'] }, ownership: { prefixes: ['movies', 'support'] } });
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    await repo.removeVocabulary('movies');

    const text = await vocab(repo, ['plan', '--force'], { key });
    expectExit(text, 0);
    expect(text.stdout).toContain('Violations overridden by --force (the plan is applied anyway):');
    expect(text.stdout).toMatch(/! protect: movies is protected .* \[overridden by --force\]/);
    const markdown = await vocab(repo, ['plan', '--force', '--format', 'markdown'], { key });
    expectExit(markdown, 0);
    expect(markdown.stdout).toContain('**Overridden by `--force`**');
    const json = await vocab(repo, ['plan', '--force', '--format', 'json'], { key });
    expectExit(json, 0);
    const document = JSON.parse(json.stdout) as { checks: unknown; violations: { rule: string; overridden?: boolean }[] };
    expect(document.checks).toEqual({ status: 'overridden', force: true });
    expect(document.violations).toMatchObject([{ rule: 'protect', overridable: true, overridden: true }]);
    for (const output of [text.stdout, markdown.stdout, json.stdout]) expect(output).not.toMatch(/refused/i);

    // Without --force the same plan is refused, in every format.
    const refused = await vocab(repo, ['plan', '--format', 'json'], { key });
    expectExit(refused, 1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ checks: { status: 'refused', force: false } });

    if (hasScriptCommand()) {
      const asked = await vocabOnTerminal(repo, ['apply', '--force'], 'no\n', { key });
      expect(asked.stdout).toContain('Apply 1 change to environment "test", overriding protect with --force?');
      expect(asked.stdout).not.toMatch(/refused/i);
    }
  });

  it('a plan replacing a protected prefix is refused; --force replaces it', async () => {
    const { key, server, repo } = await setup({ safety: { protect: ['movies'] } });
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    const movies = listsOf(server, key).find((v) => v.prefix === 'movies')!;
    await repo.writeVocabulary('movies', { ...MOVIES, target_model: 'fun-asr-2025-11-07' });
    const before = server.snapshotState();

    const refused = await vocab(repo, ['apply', '--yes'], { key });
    expectExit(refused, 1);
    expect(refused.stderr).toContain(`protect: movies is protected (safety.protect) but the plan replaces ${movies.vocabulary_id}`);
    expect(server.snapshotState()).toEqual(before);

    expectExit(await vocab(repo, ['apply', '--yes', '--force'], { key }), 0);
    expect(identities(server, key)).toEqual(['movies/fun-asr-2025-11-07', 'support/fun-asr']);
  });

  it('updates of a protected prefix are allowed', async () => {
    const { key, server, repo } = await setup({ safety: { protect: ['movies'] } });
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    await repo.writeVocabulary('movies', funAsr('movies', ['无间道']));
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    expect(entryKeys(listsOf(server, key).find((v) => v.prefix === 'movies')!.vocabulary)).toEqual(entryKeys(zh(['无间道'])));
  });
});

describe('max_removed_ratio', () => {
  it('an update removing more than the ratio of a list of >= 10 entries is refused; --force applies it', async () => {
    const big = funAsr('movies', words('film', 10));
    const { key, server, repo } = await setup({ safety: { max_removed_ratio: 0.3 } }, { movies: big, support: SUPPORT });
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);

    // 3 of 10 removed is 30%: allowed.
    await repo.writeVocabulary('movies', funAsr('movies', words('film', 7)));
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    await repo.writeVocabulary('movies', funAsr('movies', [...words('film', 7), ...words('extra', 3)]));
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);

    // 4 of 10 removed is 40%: refused.
    await repo.writeVocabulary('movies', funAsr('movies', words('film', 6)));
    const before = server.snapshotState();
    const refused = await vocab(repo, ['apply', '--yes'], { key });
    expectExit(refused, 1);
    expect(refused.stderr).toContain(
      'max_removed_ratio: movies (fun-asr) would lose 4 of 10 entries (40%), more than safety.max_removed_ratio 0.3 (30%)',
    );
    expect(server.snapshotState()).toEqual(before);

    expectExit(await vocab(repo, ['apply', '--yes', '--force'], { key }), 0);
    expect(entryKeys(listsOf(server, key).find((v) => v.prefix === 'movies')!.vocabulary)).toEqual(
      entryKeys(words('film', 6).map((text) => ({ text, weight: 4, lang: 'zh' }))),
    );
  });

  it('lists under 10 entries may lose any share', async () => {
    const { key, server, repo } = await setup({ safety: { max_removed_ratio: 0.1 } });
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    await repo.writeVocabulary('movies', funAsr('movies', ['无间道']));
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    expect(listsOf(server, key).find((v) => v.prefix === 'movies')!.vocabulary).toHaveLength(1);
  });
});

describe('word caps', () => {
  it('a list over its word cap is refused and --force does not override it', async () => {
    const { key, server, repo } = await setup({ quota: { max_vocabularies: 10, word_caps: { 'fun-asr': 3 } } });
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    await repo.writeVocabulary('movies', funAsr('movies', ['一', '二', '三', '四']));
    const before = server.snapshotState();
    for (const args of [['apply', '--yes'], ['apply', '--yes', '--force'], ['plan', '--force']]) {
      const result = await vocab(repo, args, { key });
      expectExit(result, 1);
      expect(result.stdout + result.stderr).toMatch(/4 entries.*3/);
    }
    expect(actionsSeen(server, 'writes')).toEqual(['create_vocabulary', 'create_vocabulary']);
    expect(server.snapshotState()).toEqual(before);
  });
});

describe('the empty-desired guard', () => {
  it('no vocabulary files while owned lists exist: refused "would delete every owned vocabulary"; --force deletes them', async () => {
    const { key, server, repo, api } = await setup({ ownership: { prefixes: ['movies', 'support'] } });
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    const other = await api.create('other', 'fun-asr', zh(['别的']));
    const owned = listsOf(server, key).filter((v) => v.prefix !== 'other');
    await repo.removeVocabulary('movies');
    await repo.removeVocabulary('support');
    const before = server.snapshotState();

    const plan = await vocab(repo, ['plan'], { key });
    expectExit(plan, 1);
    expect(plan.stdout).toContain('this would delete every owned vocabulary (2 lists: ');
    const refused = await vocab(repo, ['apply', '--yes'], { key });
    expectExit(refused, 1);
    expect(refused.stderr).toContain('delete_all: this would delete every owned vocabulary');
    expect(refused.stderr).toContain('--force overrides');
    expect(server.snapshotState()).toEqual(before);

    const forced = await vocab(repo, ['apply', '--yes', '--force'], { key });
    expectExit(forced, 0);
    expect(listsOf(server, key).map((v) => v.vocabulary_id)).toEqual([other]);
    expect((await repo.backups()).map((b) => b.vocabulary_id).sort()).toEqual(owned.map((v) => v.vocabulary_id).sort());
  });

  it('a config without ownership.prefixes is refused before any change, with the lines to add', async () => {
    const { key, server, repo } = await setup({ ownership: undefined });
    server.requestLog.clear();
    for (const args of [['validate'], ['plan'], ['apply', '--yes']]) {
      const result = await vocab(repo, args, { key });
      expectExit(result, 1);
      expect(result.stderr).toContain('ownership.prefixes is required');
      expect(result.stderr).toContain('Add these lines to vocab.config.yaml:\n    ownership:\n      prefixes: [movies, support]');
    }
    expect(actionsSeen(server, 'writes')).toEqual([]);
    expect(listsOf(server, key)).toEqual([]);
  });
});

describe('ownership', () => {
  it('removing the file of an owned prefix plans a delete; dropping the prefix from ownership leaves the list alone', async () => {
    const { key, server, repo } = await setup({ ownership: { prefixes: ['movies', 'support'] } });
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    const support = listsOf(server, key).find((v) => v.prefix === 'support')!;
    await repo.removeVocabulary('support');

    const plan = await vocab(repo, ['plan', '--detailed-exitcode'], { key });
    expectExit(plan, 2);
    expect(plan.stdout).toContain(`- destroy  support (fun-asr)  ${support.vocabulary_id}`);
    expect(plan.stdout).toContain('Plan: 0 to create, 0 to update, 0 to replace, 1 to delete.');
    const drift = await vocab(repo, ['drift'], { key });
    expectExit(drift, 2);
    expect(drift.stdout).toContain(`- extra  support (fun-asr)  ${support.vocabulary_id}`);

    // Handing the list over to another tool instead: unowned, never touched, still counted.
    await repo.writeConfig({ ownership: { prefixes: ['movies'] } });
    const handedOver = await vocab(repo, ['plan', '--detailed-exitcode'], { key });
    expectExit(handedOver, 0);
    expect(handedOver.stdout).toContain(`Unmanaged: 1 list, never touched: ${support.vocabulary_id} (support).`);

    // Retiring it: the prefix stays owned, the apply deletes the list (with a backup).
    await repo.writeConfig({ ownership: { prefixes: ['movies', 'support'] } });
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    expect(identities(server, key)).toEqual(['movies/fun-asr']);
    expect((await repo.backups()).map((b) => [b.reason, b.vocabulary_id])).toEqual([['delete', support.vocabulary_id]]);
  });
});
