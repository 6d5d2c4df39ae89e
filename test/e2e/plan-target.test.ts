/**
 * `--target NAME` on `vocab plan` and `vocab apply`, end to end against `vocab emulator` over
 * HTTP: the plan and the apply are limited to the named vocabularies, the checks still count the
 * whole account, a saved plan keeps its targets, and an edited one cannot widen them.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { actionsSeen, assertBuilt, directApi, expectExit, funAsr, identities, listsOf, makeRepo, newApiKey, parseJson, startEmulator, vocab, zh } from './harness.js';

beforeAll(assertBuilt);

/** movies to update, support to create, old to delete (owned, not declared); quota as given. */
async function setup(maxVocabularies = 10) {
  const key = newApiKey();
  const server = await startEmulator({ apiKeys: [key] });
  const repo = await makeRepo({
    environments: { test: { url: server.url } },
    vocabularies: { movies: funAsr('movies', ['赛德克巴莱', '悲情城市']), support: funAsr('support', ['退款']) },
    config: { ownership: { prefixes: ['movies', 'old', 'support'] }, quota: { max_vocabularies: maxVocabularies } },
  });
  const api = directApi(server, key);
  await api.create('movies', 'fun-asr', zh(['赛德克巴莱']));
  await api.create('old', 'fun-asr', zh(['旧的']));
  server.requestLog.clear();
  return { key, server, repo };
}

describe('vocab plan --target', () => {
  it('limits the plan to the named vocabulary, says so in every format, and lists what it left out', async () => {
    const { key, repo } = await setup();
    const text = await vocab(repo, ['plan', '--target', 'movies'], { key });
    expectExit(text, 0);
    expect(text.stdout).toContain('limited by --target movies: 2 changes of other vocabularies left out; the quota and the safety checks count the whole account');
    expect(text.stdout).toContain('~ update  movies (fun-asr)');
    expect(text.stdout).toContain('Left out by --target (not in this plan, not applied):\n  - destroy  old (fun-asr)  vocab-old-');
    expect(text.stdout).toContain('  + create  support (fun-asr)\n      new vocabulary, 1 entry\n');
    expect(text.stdout).toContain('Plan: 0 to create, 1 to update, 0 to replace, 0 to delete.');

    const markdown = await vocab(repo, ['plan', '--target', 'movies', '--format', 'markdown'], { key });
    expect(markdown.stdout).toContain('**Limited by `--target`** movies: 2 changes of other vocabularies left out');
    expect(markdown.stdout).toContain('<summary>Left out by <code>--target</code> (not in this plan, not applied): 2</summary>');

    const json = parseJson<Plan>((await vocab(repo, ['plan', '--target', 'movies', '--target', 'old', '--format', 'json'], { key })).stdout);
    expect(json.targets).toEqual(['movies', 'old']);
    expect(json.changes.map((c) => `${c.action} ${c.prefix}`)).toEqual(['update movies', 'delete old']);
    expect(json.left_out).toStrictEqual([{ action: 'create', name: 'support', prefix: 'support', target_model: 'fun-asr', vocabulary_id: null, reason: 'new vocabulary, 1 entry' }]);
  });

  it('a target that names nothing: exit 1 with the closest name, no plan printed', async () => {
    const { key, repo } = await setup();
    const result = await vocab(repo, ['plan', '--target', 'movis'], { key });
    expectExit(result, 1);
    expect(result.stderr).toContain('error: --target "movis" names no vocabulary of environment "test" (did you mean "movies"?); a target is a declared name or a prefix: movies, old, support');
    expect(result.stdout).toBe('');
  });

  it('counts the lists it leaves alone against the quota: a create whose room a left-out delete was to free is refused', async () => {
    const { key, server, repo } = await setup(2);
    // The whole plan deletes old first, then creates support: it fits in 2.
    expectExit(await vocab(repo, ['plan'], { key }), 0);
    const result = await vocab(repo, ['apply', '--target', 'support', '--yes'], { key });
    expectExit(result, 1);
    expect(result.stderr).toContain('the apply needs 3 lists at its peak (2 now: 2 owned + 0 unmanaged; +1 create) but the account allows 2');
    expect(actionsSeen(server, 'writes')).toEqual([]);
  });
});

describe('vocab apply --target', () => {
  it('applies the targeted changes only', async () => {
    const { key, server, repo } = await setup();
    const result = await vocab(repo, ['apply', '--target', 'movies', '--yes'], { key });
    expectExit(result, 0);
    expect(result.stderr).toContain('limited by --target movies');
    expect(actionsSeen(server, 'writes')).toEqual(['update_vocabulary']);
    expect(identities(server, key)).toEqual(['movies/fun-asr', 'old/fun-asr']);
    expect(listsOf(server, key).find((v) => v.prefix === 'movies')!.vocabulary.map((e) => e.text).sort()).toEqual(['悲情城市', '赛德克巴莱']);
  });

  it('a plan saved with --target records its targets and applies only them', async () => {
    const { key, server, repo } = await setup();
    expectExit(await vocab(repo, ['plan', '--target', 'movies', '--out', 'plan.json'], { key }), 0);
    const saved = JSON.parse(await readFile(repo.path('plan.json'), 'utf8')) as Plan;
    expect(saved.targets).toEqual(['movies']);
    // Shown from the file alone, it still says what limited it and what it leaves out.
    const shown = await vocab(repo, ['show', 'plan.json'], { key });
    expectExit(shown, 0);
    expect(shown.stdout).toContain('limited by --target movies: 2 changes of other vocabularies left out');
    expect(shown.stdout).toContain('Left out by --target (not in this plan, not applied):');

    const refused = await vocab(repo, ['apply', 'plan.json', '--target', 'support'], { key });
    expectExit(refused, 1);
    expect(refused.stderr).toContain('--target cannot be used with a plan file');

    const result = await vocab(repo, ['apply', 'plan.json'], { key });
    expectExit(result, 0);
    expect(result.stderr).toContain('note: the plan is limited by --target movies');
    expect(result.stderr).toContain('note: --target movies leaves out "create support (fun-asr)"; it is not applied');
    expect(actionsSeen(server, 'writes')).toEqual(['update_vocabulary']);
    expect(identities(server, key)).toEqual(['movies/fun-asr', 'old/fun-asr']);
  });

  it('a saved plan edited to hold a change outside its targets is refused, nothing written', async () => {
    const { key, server, repo } = await setup();
    expectExit(await vocab(repo, ['plan', '--out', 'full.json'], { key }), 0);
    expectExit(await vocab(repo, ['plan', '--target', 'movies', '--out', 'plan.json'], { key }), 0);
    const full = JSON.parse(await readFile(repo.path('full.json'), 'utf8')) as Plan;
    const saved = JSON.parse(await readFile(repo.path('plan.json'), 'utf8')) as Plan;
    saved.changes.push(full.changes.find((c) => c.prefix === 'old')!);
    saved.summary.delete = 1;
    await writeFile(repo.path('plan.json'), JSON.stringify(saved));

    const result = await vocab(repo, ['apply', 'plan.json'], { key });
    expectExit(result, 1);
    expect(result.stderr).toContain('plan file refused, nothing applied');
    expect(result.stderr).toMatch(/the plan file holds "delete old \(fun-asr\) vocab-old-[0-9a-f]+", outside its targets \(movies\)/);
    expect(actionsSeen(server, 'writes')).toEqual([]);

    // Targets edited to name nothing: refused too.
    saved.changes = saved.changes.filter((c) => c.prefix !== 'old');
    saved.targets = ['nothing'];
    await writeFile(repo.path('plan.json'), JSON.stringify(saved));
    const renamed = await vocab(repo, ['apply', 'plan.json'], { key });
    expectExit(renamed, 1);
    expect(renamed.stderr).toContain('the plan file\'s target "nothing" names no vocabulary of environment "test"');
    expect(actionsSeen(server, 'writes')).toEqual([]);
    expect(identities(server, key)).toEqual(['movies/fun-asr', 'old/fun-asr']);
  });
});
