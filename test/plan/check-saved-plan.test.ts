import { describe, expect, it } from 'vitest';
import { checkSavedPlan, describeSettingsChanges } from '../../src/plan/check-saved-plan.js';
import type { Change, Plan } from '../../src/plan/types.js';
import { desiredVocab, plan, remoteList, testWordCap, unmanagedList, words } from './builders.js';

const options = (p: Plan): Parameters<typeof checkSavedPlan>[2] => ({
  usage: { owned: p.observed.filter((o) => o.content_hash !== null).length, unmanaged: p.unmanaged.length },
  wordCap: testWordCap,
});

/** A saved plan as read back from its file: a deep copy, edited by `edit`. */
function saved(p: Plan, edit: (copy: Plan) => void = () => undefined): Plan {
  const copy = structuredClone(p);
  edit(copy);
  return copy;
}

/** The saved plan narrowed to the changes of one prefix, checked against the whole plan. */
function keepingPrefix(full: Plan, prefix: string): ReturnType<typeof checkSavedPlan> {
  const file = saved(full, (copy) => {
    copy.changes = copy.changes.filter((c) => c.prefix === prefix);
  });
  return checkSavedPlan(file, full, options(full));
}

const byKey = (p: Plan): string[] => p.changes.map((c) => `${c.action} ${c.prefix}`);

// update of movies, create of support, delete of old, noop of keep; 2 unmanaged lists.
const fresh = plan({
  desired: [
    desiredVocab({ prefix: 'movies', entries: words(3) }),
    desiredVocab({ prefix: 'support', entries: words(2) }),
    desiredVocab({ prefix: 'keep', entries: words(1) }),
  ],
  owned: [
    remoteList({ prefix: 'movies', entries: words(2), id: 'vocab-movies-1' }),
    remoteList({ prefix: 'old', entries: words(1), id: 'vocab-old-1' }),
    remoteList({ prefix: 'keep', entries: words(1), id: 'vocab-keep-1' }),
  ],
  ownedPrefixes: ['old'],
  unmanaged: [unmanagedList('u1', 'vocab-u1-1'), unmanagedList('u2', 'vocab-u2-1')],
});

describe('checkSavedPlan', () => {
  it('takes an unedited plan file as it is: nothing refused, nothing left out, the fresh plan itself', () => {
    expect(byKey(fresh)).toStrictEqual(['noop keep', 'update movies', 'delete old', 'create support']);
    const checked = checkSavedPlan(saved(fresh), fresh, options(fresh));
    expect(checked.refusals).toStrictEqual([]);
    expect(checked.left_out).toStrictEqual([]);
    expect(checked.plan).toBe(fresh);
  });

  it('applies only what a narrowed plan file keeps, every noop included, with the figures recomputed', () => {
    const narrowed = saved(fresh, (copy) => {
      copy.changes = copy.changes.filter((c) => c.action !== 'create');
    });
    const checked = checkSavedPlan(narrowed, fresh, options(fresh));
    expect(checked.refusals).toStrictEqual([]);
    expect(byKey(checked.plan)).toStrictEqual(['noop keep', 'update movies', 'delete old']);
    expect(checked.plan.summary).toStrictEqual({ create: 0, update: 1, replace: 0, delete: 1, noop: 1 });
    // 5 lists now (3 owned, 2 unmanaged), one delete: 4 after, and no create to raise the peak.
    expect(fresh.quota).toStrictEqual({ limit: 10, used: 5, after: 5, peak: 6 });
    expect(checked.plan.quota).toStrictEqual({ limit: 10, used: 5, after: 4, peak: 5 });
    expect(checked.left_out.map((c) => `${c.action} ${c.prefix}`)).toStrictEqual(['create support']);
    expect(checked.plan.fingerprint).toBe(fresh.fingerprint);
  });

  it('accepts the quota figures of the narrowed plan as well as those of the whole plan, and refuses others', () => {
    const keepOnlyUpdate = (copy: Plan): void => {
      copy.changes = copy.changes.filter((c) => c.action === 'update' || c.action === 'noop');
    };
    const whole = checkSavedPlan(saved(fresh, keepOnlyUpdate), fresh, options(fresh));
    expect(whole.refusals).toStrictEqual([]);
    const narrowQuota = { limit: 10, used: 5, after: 5, peak: 5 };
    expect(whole.plan.quota).toStrictEqual(narrowQuota);
    const narrow = checkSavedPlan(
      saved(fresh, (copy) => {
        keepOnlyUpdate(copy);
        copy.quota = { ...narrowQuota };
      }),
      fresh,
      options(fresh),
    );
    expect(narrow.refusals).toStrictEqual([]);
    const edited = checkSavedPlan(
      saved(fresh, (copy) => {
        copy.quota = { limit: 100, used: 5, after: 5, peak: 6 };
      }),
      fresh,
      options(fresh),
    );
    expect(edited.refusals).toStrictEqual([
      'the quota figures of the plan file {"after":5,"limit":100,"peak":6,"used":5} are not the account\'s and the config\'s {"after":5,"limit":10,"peak":6,"used":5}',
    ]);
  });

  const edits: [string, (change: Change) => void, string][] = [
    ['another vocabulary_id', (c) => (c.vocabulary_id = 'vocab-movies-2'), 'update movies (fun-asr) vocab-movies-2'],
    ['other entries to write', (c) => (c.vocabulary = words(4)), 'update movies (fun-asr) vocab-movies-1'],
    ['another name', (c) => (c.name = 'films'), 'update films (fun-asr) vocab-movies-1'],
    ['another prefix', (c) => (c.prefix = 'films'), 'update movies (fun-asr) vocab-movies-1'],
    ['another model', (c) => (c.target_model = 'paraformer-v2'), 'update movies (paraformer-v2) vocab-movies-1'],
    ['another action', (c) => (c.action = 'delete'), 'delete movies (fun-asr) vocab-movies-1'],
    ['other entry counts', (c) => (c.entry_count = { before: 2, after: 2 }), 'update movies (fun-asr) vocab-movies-1'],
    ['a replaced list added', (c) => (c.replaces = { vocabulary_id: 'vocab-u1-1', target_model: 'fun-asr' }), 'update movies (fun-asr) vocab-movies-1'],
  ];
  it.each(edits)('refuses a change the fresh plan does not make: %s', (_name, edit, described) => {
    const file = saved(fresh, (copy) => edit(copy.changes.find((c) => c.prefix === 'movies')!));
    const checked = checkSavedPlan(file, fresh, options(fresh));
    expect(checked.refusals).toStrictEqual([
      `the plan file holds "${described}", which the config, the vocabulary files and the account do not call for`,
    ]);
    // The update the file lost is left out, not applied.
    expect(checked.left_out.map((c) => `${c.action} ${c.prefix}`)).toStrictEqual(['update movies']);
    expect(byKey(checked.plan)).toStrictEqual(['noop keep', 'delete old', 'create support']);
  });

  it('names a create without an id, and refuses a change listed twice once', () => {
    const file = saved(fresh, (copy) => {
      const create = copy.changes.find((c) => c.action === 'create')!;
      copy.changes.push(structuredClone(create));
    });
    const checked = checkSavedPlan(file, fresh, options(fresh));
    expect(checked.refusals).toStrictEqual([
      'the plan file holds "create support (fun-asr)", which the config, the vocabulary files and the account do not call for',
    ]);
    expect(byKey(checked.plan)).toStrictEqual(byKey(fresh));
  });

  it('names a change without a name by its prefix', () => {
    const file = saved(fresh, (copy) => {
      copy.changes.find((c) => c.action === 'delete')!.vocabulary_id = 'vocab-old-2';
    });
    expect(checkSavedPlan(file, fresh, options(fresh)).refusals).toStrictEqual([
      'the plan file holds "delete old (fun-asr) vocab-old-2", which the config, the vocabulary files and the account do not call for',
    ]);
  });

  it('ignores the noops of the file, even made-up ones, and keeps every noop of the fresh plan', () => {
    const file = saved(fresh, (copy) => {
      copy.changes = copy.changes.filter((c) => c.action !== 'noop');
      copy.changes.push({ ...structuredClone(copy.changes[0]!), action: 'noop', prefix: 'invented', vocabulary_id: 'vocab-invented-1' });
    });
    const checked = checkSavedPlan(file, fresh, options(fresh));
    expect(checked.refusals).toStrictEqual([]);
    expect(checked.plan).toBe(fresh);
  });

  it('recomputes the checks of the narrowed plan: the creates left out no longer break the quota', () => {
    const full = plan({
      desired: [desiredVocab({ prefix: 'a', entries: words(1) }), desiredVocab({ prefix: 'b', entries: words(1) })],
      unmanaged: [unmanagedList('u1'), unmanagedList('u2'), unmanagedList('u3'), unmanagedList('u4'), unmanagedList('u5')],
      env: { maxVocabularies: 6 },
    });
    expect(full.violations.map((v) => v.rule)).toStrictEqual(['quota']);
    const file = saved(full, (copy) => {
      copy.changes = copy.changes.filter((c) => c.prefix === 'a');
    });
    const checked = checkSavedPlan(file, full, options(full));
    expect(checked.refusals).toStrictEqual([]);
    expect(checked.plan.violations).toStrictEqual([]);
    expect(checked.plan.quota).toStrictEqual({ limit: 6, used: 5, after: 6, peak: 6 });
  });

  it('judges the delete-all guard on the whole plan: kept while the narrowed plan still deletes, gone when it deletes nothing', () => {
    const full = plan({
      owned: [remoteList({ prefix: 'a', entries: words(1) }), remoteList({ prefix: 'b', entries: words(1) })],
      ownedPrefixes: ['a', 'b'],
    });
    expect(full.violations.map((v) => v.rule)).toStrictEqual(['delete_all']);
    const one = keepingPrefix(full, 'a');
    expect(one.plan.violations).toStrictEqual(full.violations);
    expect(one.plan.summary.delete).toBe(1);
    const none = checkSavedPlan(
      saved(full, (copy) => {
        copy.changes = [];
      }),
      full,
      options(full),
    );
    expect(none.refusals).toStrictEqual([]);
    expect(none.plan.changes).toStrictEqual([]);
    expect(none.plan.violations).toStrictEqual([]);
    expect(none.left_out).toHaveLength(2);
  });

  it('refuses settings that are not the config\'s, one line per setting', () => {
    const file = saved(fresh, (copy) => {
      copy.settings.safety.protect = ['movies'];
      copy.settings.apply.concurrency = 1;
    });
    expect(checkSavedPlan(file, fresh, options(fresh)).refusals).toStrictEqual([
      'apply.concurrency is 1 in the plan file but 4 in the config',
      'safety.protect is ["movies"] in the plan file but [] in the config',
    ]);
  });
});

describe('describeSettingsChanges', () => {
  const settings = fresh.settings;

  it('is empty for equal settings', () => {
    expect(describeSettingsChanges(structuredClone(settings), settings)).toStrictEqual([]);
  });

  it('names settings present on one side only, and null values', () => {
    const edited = structuredClone(settings);
    edited.quota.word_caps = { 'fun-asr': 2 };
    edited.ownership.prefixes = ['movies'];
    const current = structuredClone(settings);
    current.quota.word_caps = { 'paraformer-v2': 3 };
    expect(describeSettingsChanges(edited, current)).toStrictEqual([
      'ownership.prefixes is ["movies"] in the plan file but null in the config',
      'quota.word_caps.fun-asr is 2 in the plan file but (absent) in the config',
      'quota.word_caps.paraformer-v2 is (absent) in the plan file but 3 in the config',
    ]);
  });

  it('reads a setting missing from the file as absent, not as the config\'s', () => {
    const edited = structuredClone(settings) as unknown as Record<string, Record<string, unknown>>;
    delete edited['safety']!['max_removed_ratio'];
    edited['apply']!['replace'] = undefined;
    expect(describeSettingsChanges(edited as unknown as Plan['settings'], settings)).toStrictEqual([
      'apply.replace is null in the plan file but "create_before_destroy" in the config',
      'safety.max_removed_ratio is (absent) in the plan file but 0.3 in the config',
    ]);
  });
});

describe('checkSavedPlan on replaces and mixed violations', () => {
  it('refuses a replace whose replaced list was edited', () => {
    const full = plan({ desired: [desiredVocab({ prefix: 'movies', entries: words(1) })], owned: [remoteList({ prefix: 'movies', model: 'paraformer-v2', entries: words(1), id: 'vocab-movies-1' })] });
    const file = saved(full, (copy) => {
      copy.changes[0]!.replaces = { vocabulary_id: 'vocab-movies-1', target_model: 'gummy-chat-v1' };
    });
    expect(checkSavedPlan(file, full, options(full)).refusals).toStrictEqual([
      'the plan file holds "replace movies (fun-asr) vocab-movies-1", which the config, the vocabulary files and the account do not call for',
    ]);
  });

  it('keeps the narrowed plan\'s own violations beside the delete-all guard of the whole plan', () => {
    const full = plan({
      owned: [remoteList({ prefix: 'a', entries: words(1), id: 'vocab-a-1' }), remoteList({ prefix: 'b', entries: words(1), id: 'vocab-b-1' })],
      ownedPrefixes: ['a', 'b'],
      env: { protect: ['a'] },
    });
    expect(full.violations.map((v) => v.rule)).toStrictEqual(['protect', 'delete_all']);
    const one = keepingPrefix(full, 'a');
    expect(one.plan.violations).toStrictEqual(full.violations);
  });
});
