/**
 * A saved plan is untrusted: an edited file may narrow what apply does (leave changes out),
 * never widen it. Each case saves a real plan, edits it as an attacker or a careless hand
 * would, and applies it through the library on the embedded account.
 */
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VocabularyService } from '../../src/dashscope/types.js';
import { createLocalVocabularyService } from '../../src/emulator/local-service.js';
import { ConfigError, PlanRefusedError, StalePlanError } from '../../src/errors.js';
import { apply, plan } from '../../src/index.js';
import { applyPlanned } from '../../src/run.js';
import { fingerprintPlan } from '../../src/plan/build-plan.js';
import type { Plan } from '../../src/plan/types.js';

let dir: string;
let account: VocabularyService;

const words = (stem: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${stem}${i}`);

async function writeVocabulary(prefix: string, texts: string[]): Promise<void> {
  await writeFile(
    join(dir, 'vocabularies', `${prefix}.yaml`),
    `prefix: ${prefix}\ntarget_model: fun-asr\ndefaults: { weight: 4, lang: en }\nentries:\n${texts.map((t) => `  - ${t}\n`).join('')}`,
  );
}

// The embedded account does not space updates; neither does the plan here.
async function writeConfig(extra = ''): Promise<void> {
  await writeFile(
    join(dir, 'vocab.config.yaml'),
    `vocabularies: [vocabularies/*.yaml]\ndefault_environment: local\nenvironments:\n  local:\n    endpoint: local\n    state_file: state.json\nownership:\n  prefixes: [movies, support, old]\nsafety:\n  protect: [old]\n  max_removed_ratio: 0.3\napply:\n  update_interval_seconds: 0\n${extra}`,
  );
}

async function identities(): Promise<string[]> {
  const rows = await account.listVocabularies({ pageSize: 50 });
  return rows.map((r) => r.vocabulary_id.split('-')[1]!).sort();
}

async function entriesOf(prefix: string): Promise<string[]> {
  const rows = await account.listVocabularies({ pageSize: 50 });
  const id = rows.find((r) => r.vocabulary_id.startsWith(`vocab-${prefix}-`))!.vocabulary_id;
  return (await account.queryVocabulary(id)).vocabulary.map((e) => e.text).sort();
}

/** A copy of the saved plan document, as a file would hold it. */
async function savedPlan(): Promise<Plan> {
  const planned = await plan({ cwd: dir, env: {} });
  return JSON.parse(JSON.stringify(planned.plan)) as Plan;
}

async function applyError(saved: Plan): Promise<Error> {
  const error = await apply({ cwd: dir, env: {}, savedPlan: saved }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vocab-tamper-'));
  await mkdir(join(dir, 'vocabularies'));
  account = createLocalVocabularyService({ stateFile: join(dir, 'state.json') });
  await account.createVocabulary({ prefix: 'movies', targetModel: 'fun-asr', vocabulary: words('m', 12).map((text) => ({ text, weight: 4, lang: 'en' })) });
  await account.createVocabulary({ prefix: 'support', targetModel: 'fun-asr', vocabulary: words('s', 12).map((text) => ({ text, weight: 4, lang: 'en' })) });
  await account.createVocabulary({ prefix: 'old', targetModel: 'fun-asr', vocabulary: [{ text: 'legacy', weight: 4, lang: 'en' }] });
  await writeConfig();
  await writeVocabulary('movies', words('m', 12));
  await writeVocabulary('support', words('s', 12));
  await writeVocabulary('old', ['legacy']);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a tampered saved plan is refused, saying why', () => {
  it('an emptied protect list does not let a refused delete through', async () => {
    await rm(join(dir, 'vocabularies', 'old.yaml'));
    const saved = await savedPlan();
    expect(saved.violations.map((v) => v.rule)).toEqual(['protect']);
    saved.settings.safety.protect = [];
    saved.violations = [];
    const error = await applyError(saved);
    expect(error).toBeInstanceOf(PlanRefusedError);
    expect(error.message).toContain('safety.protect is [] in the plan file but ["old"] in the config');
    expect(await identities()).toEqual(['movies', 'old', 'support']);
  });

  it('a raised max_removed_ratio does not let a refused update through', async () => {
    await writeVocabulary('movies', words('m', 6));
    const saved = await savedPlan();
    expect(saved.violations.map((v) => v.rule)).toEqual(['max_removed_ratio']);
    saved.settings.safety.max_removed_ratio = 1;
    saved.violations = [];
    const error = await applyError(saved);
    expect(error.message).toContain('safety.max_removed_ratio is 1 in the plan file but 0.3 in the config');
    expect(await entriesOf('movies')).toHaveLength(12);
  });

  it('an added delete is refused, and so is one hidden by editing the desired state and the fingerprint', async () => {
    await writeVocabulary('movies', [...words('m', 12), 'extra']);
    const saved = await savedPlan();
    const support = saved.changes.find((c) => c.prefix === 'support')!;
    saved.changes.push({ ...support, action: 'delete', name: null, reason: 'not declared', entry_count: { before: 12, after: 0 } });
    const error = await applyError(saved);
    expect(error).toBeInstanceOf(PlanRefusedError);
    expect(error.message).toMatch(/holds "delete support \(fun-asr\) vocab-support-[0-9a-f]+", which the config, the vocabulary files and the account do not call for/);

    // The same, made consistent: support left out of the desired state, fingerprint recomputed.
    saved.desired = saved.desired.filter((d) => d.prefix !== 'support');
    saved.fingerprint = fingerprintPlan(saved.environment, saved.observed, saved.desired);
    expect(await applyError(saved)).toBeInstanceOf(StalePlanError);
    expect(await identities()).toEqual(['movies', 'old', 'support']);
  });

  it('a change pointed at another list (id or prefix edited) is refused', async () => {
    await writeVocabulary('movies', [...words('m', 12), 'extra']);
    const original = await savedPlan();
    const supportId = original.observed.find((o) => o.prefix === 'support')!.vocabulary_id;
    const byId = structuredClone(original);
    byId.changes.find((c) => c.action === 'update')!.vocabulary_id = supportId;
    expect((await applyError(byId)).message).toContain(`update movies (fun-asr) ${supportId}`);
    const byPrefix = structuredClone(original);
    byPrefix.changes.find((c) => c.action === 'update')!.prefix = 'support';
    expect(await applyError(byPrefix)).toBeInstanceOf(PlanRefusedError);
    expect(await entriesOf('support')).toEqual(words('s', 12).sort());
  });

  it('changed quota numbers are refused', async () => {
    await writeVocabulary('movies', [...words('m', 12), 'extra']);
    const original = await savedPlan();
    const raised = structuredClone(original);
    raised.settings.quota.max_vocabularies = 100;
    expect((await applyError(raised)).message).toContain('quota.max_vocabularies is 100 in the plan file but 10 in the config');
    const figures = structuredClone(original);
    figures.quota = { ...figures.quota, used: 0 };
    expect((await applyError(figures)).message).toContain('quota figures of the plan file');
  });

  it('a changed target or endpoint is refused', async () => {
    const saved = await savedPlan();
    saved.target = { ...saved.target, endpoint: 'https://dashscope.aliyuncs.com/api/v1' };
    const error = await applyError(saved);
    expect(error).toBeInstanceOf(StalePlanError);
    expect(error.message).toContain('another target');
  });

  it('a plan recorded against another endpoint is refused, naming both', async () => {
    const saved = await savedPlan();
    expect(saved.target).toMatchObject({ url: 'local', url_from: 'local' });
    saved.target = { ...saved.target, url: 'http://127.0.0.1:9/api/v1', url_from: 'DASHSCOPE_HTTP_BASE_URL' };
    const error = await applyError(saved);
    expect(error).toBeInstanceOf(PlanRefusedError);
    expect(error.message).toContain(
      'plan file refused, nothing applied: it was made against http://127.0.0.1:9/api/v1 (from DASHSCOPE_HTTP_BASE_URL), but this apply would talk to local (the embedded account, in-process: no network, no key)',
    );
  });

  it('an endpoint holding a user name and password is refused without showing them', async () => {
    const saved = await savedPlan();
    saved.target = { ...saved.target, url: 'http://user:hunter2@127.0.0.1:9/api/v1', url_from: 'DASHSCOPE_HTTP_BASE_URL' };
    const error = await applyError(saved);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('/target/url holds a user name or password (not shown)');
    expect(error.message).not.toContain('hunter2');
  });

  it('a plan saved before the endpoint was recorded is refused with how to make a usable one', async () => {
    const saved = await savedPlan();
    const { url: _url, url_from: _from, ...older } = saved.target;
    const error = await applyError({ ...saved, target: older as typeof saved.target });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain("/target must have required property 'url'");
    expect(error.message).toContain('a plan saved before vocab-sync recorded the endpoint it was made against cannot be used: run "vocab plan --out FILE" again');
  });

  it('values the service could not have given are refused before anything is read', async () => {
    const saved = await savedPlan();
    saved.changes[0]!.prefix = '../../etc';
    const error = await applyError(saved);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('/changes/0/prefix "../../etc" is not a prefix');
  });
});

describe('a narrowed saved plan', () => {
  it('applies what it keeps and leaves out the rest', async () => {
    await writeVocabulary('movies', [...words('m', 12), 'extra']);
    await writeVocabulary('support', [...words('s', 12), 'more']);
    const saved = await savedPlan();
    expect(saved.summary.update).toBe(2);
    saved.changes = saved.changes.filter((c) => c.prefix !== 'support');
    const { result, plan: applied } = await apply({ cwd: dir, env: {}, savedPlan: saved });
    expect(result.summary).toEqual({ applied: 1, failed: 0, skipped: 0 });
    expect(applied.summary.update).toBe(1);
    expect(await entriesOf('movies')).toContain('extra');
    expect(await entriesOf('support')).not.toContain('more');
  });

  it('an untouched saved plan applies as it is', async () => {
    await writeVocabulary('movies', [...words('m', 12), 'extra']);
    const saved = await savedPlan();
    const { result } = await apply({ cwd: dir, env: {}, savedPlan: saved });
    expect(result.summary).toEqual({ applied: 1, failed: 0, skipped: 0 });
  });
});

describe('a plan limited by targets, on the embedded account', () => {
  it('a fresh apply with targets changes only them (the account is read again under its lock)', async () => {
    await writeVocabulary('movies', [...words('m', 12), 'extra']);
    await writeVocabulary('support', [...words('s', 12), 'more']);
    const { result, plan: applied } = await apply({ cwd: dir, env: {}, targets: ['support'] });
    expect(result.summary).toEqual({ applied: 1, failed: 0, skipped: 0 });
    expect(applied.targets).toEqual(['support']);
    expect(applied.left_out?.map((c) => `${c.action} ${c.prefix}`)).toEqual(['update movies']);
    expect(await entriesOf('support')).toContain('more');
    expect(await entriesOf('movies')).not.toContain('extra');
  });

  it('a saved plan applies its own targets; targets beside a saved plan, or a target edited to name nothing, are refused', async () => {
    await writeVocabulary('movies', [...words('m', 12), 'extra']);
    await writeVocabulary('support', [...words('s', 12), 'more']);
    const planned = await plan({ cwd: dir, env: {}, targets: ['movies'] });
    const saved = JSON.parse(JSON.stringify(planned.plan)) as Plan;
    expect(saved.targets).toEqual(['movies']);

    const beside = await apply({ cwd: dir, env: {}, savedPlan: saved, targets: ['support'] }).catch((e: unknown) => e);
    expect(beside).toBeInstanceOf(ConfigError);
    const nothing = await applyError({ ...structuredClone(saved), targets: ['nothing'] });
    expect(nothing.message).toContain('the plan file\'s target "nothing" names no vocabulary of environment "local"');

    const { result } = await apply({ cwd: dir, env: {}, savedPlan: saved });
    expect(result.summary).toEqual({ applied: 1, failed: 0, skipped: 0 });
    expect(await entriesOf('movies')).toContain('extra');
    expect(await entriesOf('support')).not.toContain('more');
  });

  it('under the lock, the account read again is limited the same way: done by another apply, or stale', async () => {
    await writeVocabulary('movies', [...words('m', 12), 'extra']);
    await writeVocabulary('support', [...words('s', 12), 'more']);
    const supportId = (await account.listVocabularies({ pageSize: 50 })).find((r) => r.vocabulary_id.startsWith('vocab-support-'))!.vocabulary_id;
    const wanted = [...words('s', 12), 'more'].map((text) => ({ text, weight: 4, lang: 'en' }));

    // Another apply did the targeted change meanwhile: nothing left to do, even though movies still differs.
    const done = await plan({ cwd: dir, env: {}, targets: ['support'] });
    await account.updateVocabulary(supportId, wanted);
    const result = await applyPlanned(done);
    await done.service.close?.();
    expect(result.results).toEqual([]);
    expect(await entriesOf('movies')).not.toContain('extra');

    // Anything else changed meanwhile (here support, outside the targets): stale, nothing applied;
    // the fingerprint covers the whole account.
    const stale = await plan({ cwd: dir, env: {}, targets: ['movies'] });
    await account.updateVocabulary(supportId, wanted.slice(1));
    const error = await applyPlanned(stale).catch((e: unknown) => e);
    await stale.service.close?.();
    expect(error).toBeInstanceOf(StalePlanError);
    expect(await entriesOf('movies')).not.toContain('extra');
  });
});
