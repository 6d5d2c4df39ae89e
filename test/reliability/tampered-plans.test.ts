/**
 * Tampered saved plans: a real plan is saved, then edited by seeded mutations (settings
 * loosened, quota figures changed, changes added, removed, pointed at other lists or given
 * other entries, the desired state edited with or without a recomputed fingerprint, the
 * target changed, values no service could give), and applied through the library on the
 * embedded account. A trial is handled when the plan is refused with a reason, or when what
 * apply did is a part of what the untampered plan was allowed to do (a narrowed plan); it
 * fails when anything was written that the config, the files and the account did not allow.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { VocabularyService } from '../../src/dashscope/types.js';
import { createLocalVocabularyService } from '../../src/emulator/local-service.js';
import { ConfigError, PlanRefusedError, StalePlanError } from '../../src/errors.js';
import { apply, plan } from '../../src/index.js';
import { fingerprintPlan } from '../../src/plan/build-plan.js';
import type { Change, Plan } from '../../src/plan/types.js';
import { BASE_SEED, createRng, newFigures, reportFigures, size, type Rng } from './support.js';

const SEED = BASE_SEED ^ 0x7a;
const TRIALS = size(30, 400);
const figures = newFigures('tampered-plans', SEED);
afterAll(() => reportFigures(figures));

const words = (stem: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${stem}${i}`);
const entries = (texts: string[]) => texts.map((text) => ({ text, weight: 4, lang: 'en' }));

type Mutation = (saved: Plan, rng: Rng) => string;

/** The edits a hand or an attacker makes to a plan file, each returning its name. */
const MUTATIONS: Mutation[] = [
  (p) => ((p.settings.safety.protect = []), 'protect emptied'),
  (p) => ((p.settings.safety.max_removed_ratio = 1), 'max_removed_ratio raised'),
  (p, r) => ((p.settings.quota.max_vocabularies += r.int(1, 50)), 'quota raised'),
  (p) => ((p.settings.quota.word_caps = { 'fun-asr': 1_000_000 }), 'word cap raised'),
  (p) => ((p.settings.ownership.prefixes = [...(p.settings.ownership.prefixes ?? []), 'other']), 'ownership widened'),
  (p) => ((p.settings.apply.replace = p.settings.apply.replace === 'create_before_destroy' ? 'destroy_before_create' : 'create_before_destroy'), 'replace strategy flipped'),
  (p, r) => ((p.quota = { ...p.quota, limit: p.quota.limit + r.int(1, 9) }), 'quota limit figure changed'),
  (p) => ((p.quota = { ...p.quota, used: 0 }), 'quota used figure changed'),
  (p) => ((p.violations = []), 'violations removed'),
  (p, r) => {
    const pending = p.changes.filter((c) => c.action !== 'noop');
    if (pending.length === 0) return 'nothing to leave out';
    const drop = r.pick(pending);
    p.changes = p.changes.filter((c) => c !== drop);
    return 'a change left out';
  },
  (p, r) => {
    const target = r.pick(p.observed);
    p.changes.push({ action: 'delete', name: null, prefix: target.prefix, target_model: 'fun-asr', vocabulary_id: target.vocabulary_id, reason: 'not declared', entries: { added: [], removed: [], changed: [] }, entry_count: { before: 1, after: 0 } });
    return 'a delete added';
  },
  (p, r) => {
    const change = r.pick(p.changes);
    change.vocabulary_id = r.pick(p.observed).vocabulary_id;
    return 'a change pointed at another id';
  },
  (p, r) => ((r.pick(p.changes).prefix = r.pick(['support', 'other', 'old'])), 'a change given another prefix'),
  (p, r) => ((r.pick(p.changes).action = r.pick<Change['action']>(['delete', 'replace', 'create', 'update'])), 'an action changed'),
  (p, r) => {
    const change = r.pick(p.changes);
    change.vocabulary = [...(change.vocabulary ?? []), { text: 'injected', weight: 5, lang: 'en' }];
    return 'entries added to a change';
  },
  (p, r) => {
    p.desired = p.desired.filter((d) => d !== r.pick(p.desired));
    if (r.chance(0.5)) p.fingerprint = fingerprintPlan(p.environment, p.observed, p.desired);
    return 'a vocabulary left out of the desired state';
  },
  (p) => ((p.target = { endpoint: 'https://dashscope.aliyuncs.com/api/v1', api_key_env: 'DASHSCOPE_API_KEY', url: 'https://dashscope.aliyuncs.com/api/v1', url_from: 'endpoint' }), 'target changed'),
  (p, r) => ((r.pick(p.changes).prefix = '../../etc'), 'a path as a prefix'),
  (p, r) => ((r.pick(p.changes).vocabulary_id = `vocab-x-1\n${'\u001b'}[2J`), 'a hostile id'),
  (p) => ((p.environment = 'nosuch'), 'environment renamed'),
];

interface ListState {
  prefix: string;
  model: string;
  entries: string;
}

async function accountState(service: VocabularyService): Promise<Map<string, ListState>> {
  const rows = await service.listVocabularies({ pageSize: 50 });
  const state = new Map<string, ListState>();
  for (const row of rows) {
    const detail = await service.queryVocabulary(row.vocabulary_id);
    const prefix = row.vocabulary_id.split('-')[1]!;
    state.set(row.vocabulary_id, { prefix, model: detail.target_model, entries: JSON.stringify(detail.vocabulary.map((e) => e.text).sort()) });
  }
  return state;
}

/**
 * What the untampered plan allows: its changes, less those a check refused (a violation naming
 * the change), and nothing at all when a check of the whole plan (quota, delete-all) fails. A
 * saved plan that leaves the refused change out may apply the rest: that is narrowing.
 */
function allowedWrites(original: Plan): (before: Map<string, ListState>, after: Map<string, ListState>) => string[] {
  const wholePlanRefused = original.violations.some((v) => v.prefix === undefined);
  const refusedChanges = new Set(original.violations.filter((v) => v.prefix !== undefined).map((v) => `${v.prefix} ${v.target_model}`));
  const allowed = original.changes.filter((c) => c.action !== 'noop' && !wholePlanRefused && !refusedChanges.has(`${c.prefix} ${c.target_model}`));
  return (before, after) => {
    const widened: string[] = [];
    const refused = allowed.length === 0;
    const changeFor = (id: string) => allowed.find((c) => c.vocabulary_id === id || c.replaces?.vocabulary_id === id);
    for (const [id, was] of before) {
      const now = after.get(id);
      if (now === undefined && (refused || !['delete', 'replace'].includes(changeFor(id)?.action ?? ''))) widened.push(`deleted ${id}`);
      if (now !== undefined && now.entries !== was.entries) {
        const change = changeFor(id);
        const expected = JSON.stringify((change?.vocabulary ?? []).map((e) => e.text).sort());
        if (refused || change?.action !== 'update' || expected !== now.entries) widened.push(`updated ${id}`);
      }
    }
    for (const [id, now] of after) {
      if (before.has(id)) continue;
      const change = allowed.find((c) => (c.action === 'create' || c.action === 'replace') && c.prefix === now.prefix && c.target_model === now.model);
      const expected = JSON.stringify((change?.vocabulary ?? []).map((e) => e.text).sort());
      if (refused || change === undefined || expected !== now.entries) widened.push(`created ${id}`);
    }
    return widened;
  };
}

async function writeScenario(dir: string, rng: Rng): Promise<void> {
  await rm(path.join(dir, 'vocabularies'), { recursive: true, force: true });
  await mkdir(path.join(dir, 'vocabularies'));
  const file = (prefix: string, texts: string[]) =>
    writeFile(path.join(dir, 'vocabularies', `${prefix}.yaml`), `prefix: ${prefix}\ntarget_model: fun-asr\ndefaults: { weight: 4, lang: en }\nentries:\n${texts.map((t) => `  - ${t}\n`).join('')}`);
  const movies = rng.pick([words('m', 12), [...words('m', 12), 'extra'], words('m', 6)]);
  await file('movies', movies);
  await file('support', rng.chance(0.5) ? words('s', 12) : [...words('s', 12), 'more']);
  if (rng.chance(0.6)) await file('old', ['legacy']);
  if (rng.chance(0.3)) await file('fresh', ['brand']);
}

describe('tampered saved plans', () => {
  it(`${TRIALS} seeded edits of saved plans: refused with a reason, or applied no wider than the plan allowed`, async () => {
    const started = Date.now();
    const rng = createRng(SEED);
    const dir = await mkdtemp(path.join(tmpdir(), 'vocab-tampered-'));
    const stateFile = path.join(dir, 'state.json');
    const account = createLocalVocabularyService({ stateFile });
    await account.createVocabulary({ prefix: 'movies', targetModel: 'fun-asr', vocabulary: entries(words('m', 12)) });
    await account.createVocabulary({ prefix: 'support', targetModel: 'fun-asr', vocabulary: entries(words('s', 12)) });
    await account.createVocabulary({ prefix: 'old', targetModel: 'fun-asr', vocabulary: entries(['legacy']) });
    await account.createVocabulary({ prefix: 'other', targetModel: 'fun-asr', vocabulary: entries(['theirs']) });
    const pristine = await readFile(stateFile);
    await writeFile(
      path.join(dir, 'vocab.config.yaml'),
      'vocabularies: [vocabularies/*.yaml]\ndefault_environment: local\nenvironments:\n  local:\n    endpoint: local\n    state_file: state.json\nownership:\n  prefixes: [movies, support, old, fresh]\nsafety:\n  protect: [old]\n  max_removed_ratio: 0.3\napply:\n  update_interval_seconds: 0\n',
    );
    const failures: string[] = [];
    const outcomes: Record<string, number> = {};
    let handled = 0;
    try {
      for (let n = 0; n < TRIALS; n++) {
        await writeFile(stateFile, pristine);
        await writeScenario(dir, rng);
        const original = (await plan({ cwd: dir, env: {} })).plan;
        const saved = JSON.parse(JSON.stringify(original)) as Plan;
        const edits = Array.from({ length: rng.int(1, 2) }, () => rng.pick(MUTATIONS)(saved, rng));
        const before = await accountState(account);
        let outcome: string;
        try {
          await apply({ cwd: dir, env: {}, savedPlan: saved });
          outcome = 'applied';
        } catch (error) {
          const clear = (error instanceof ConfigError || error instanceof StalePlanError || error instanceof PlanRefusedError) && error.message.length > 20;
          outcome = clear ? `refused (${(error as Error).name})` : `unclear error ${String(error)}`;
        }
        const widened = allowedWrites(original)(before, await accountState(account));
        outcomes[outcome.startsWith('unclear') ? 'unclear' : outcome] = (outcomes[outcome] ?? 0) + 1;
        if (widened.length === 0 && !outcome.startsWith('unclear')) handled++;
        else failures.push(`trial ${n} (${edits.join(', ')}): ${outcome}; ${widened.join(', ')}`);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    figures.trials = TRIALS;
    figures.wall_ms = Date.now() - started;
    figures.extra = { tried: TRIALS, handled, failed: TRIALS - handled, ...outcomes };
    expect(failures).toEqual([]);
  });
});
