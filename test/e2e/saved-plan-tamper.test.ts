/**
 * `vocab apply PLAN_FILE` with an edited plan file, end to end against `vocab emulator`: a plan
 * file may leave changes out, never widen what the config allows.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { actionsSeen, assertBuilt, directApi, expectExit, funAsr, identities, makeRepo, newApiKey, startEmulator, vocab, zh } from './harness.js';

beforeAll(assertBuilt);

describe('vocab apply PLAN_FILE with an edited plan file', () => {
  it('an emptied protect list: refused with the reason, exit 1, nothing written', async () => {
    const key = newApiKey();
    const server = await startEmulator({ apiKeys: [key] });
    const repo = await makeRepo({
      environments: { test: { url: server.url } },
      vocabularies: { movies: funAsr('movies', ['赛德克巴莱']) },
      config: { ownership: { prefixes: ['movies', 'old'] }, safety: { protect: ['old'] } },
    });
    const api = directApi(server, key);
    await api.create('movies', 'fun-asr', zh(['赛德克巴莱']));
    await api.create('old', 'fun-asr', zh(['旧的']));
    const planned = await vocab(repo, ['plan', '--out', 'plan.json'], { key });
    expect(planned.stdout).toContain('protect');
    const saved = JSON.parse(await readFile(repo.path('plan.json'), 'utf8')) as Plan;
    saved.settings.safety.protect = [];
    saved.violations = [];
    await writeFile(repo.path('plan.json'), JSON.stringify(saved));
    server.requestLog.clear();

    const apply = await vocab(repo, ['apply', 'plan.json'], { key });
    expectExit(apply, 1);
    expect(apply.stderr).toContain('plan file refused, nothing applied');
    expect(apply.stderr).toContain('safety.protect is [] in the plan file but ["old"] in the config');
    expect(actionsSeen(server, 'writes')).toEqual([]);
    expect(identities(server, key)).toEqual(['movies/fun-asr', 'old/fun-asr']);
  });

  it('a change left out of the plan file is not applied, and apply says so', async () => {
    const key = newApiKey();
    const server = await startEmulator({ apiKeys: [key] });
    const repo = await makeRepo({
      environments: { test: { url: server.url } },
      vocabularies: { movies: funAsr('movies', ['赛德克巴莱']), support: funAsr('support', ['退款']) },
      config: { ownership: { prefixes: ['movies', 'support'] } },
    });
    expectExit(await vocab(repo, ['plan', '--out', 'plan.json'], { key }), 0);
    const saved = JSON.parse(await readFile(repo.path('plan.json'), 'utf8')) as Plan;
    saved.changes = saved.changes.filter((c) => c.prefix !== 'support');
    await writeFile(repo.path('plan.json'), JSON.stringify(saved));

    const apply = await vocab(repo, ['apply', 'plan.json'], { key });
    expectExit(apply, 0);
    expect(apply.stderr).toContain('note: the plan file leaves out "create support (fun-asr)"; it is not applied');
    expect(identities(server, key)).toEqual(['movies/fun-asr']);
  });
});
