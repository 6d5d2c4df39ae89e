import { describe, expect, it } from 'vitest';
import { checkSavedPlan } from '../../src/plan/check-saved-plan.js';
import { isTargeted, targetChanges, targetNames, targetPlan, unmatchedTargets } from '../../src/plan/target-changes.js';
import type { Plan } from '../../src/plan/types.js';
import { desiredVocab, plan, remoteList, testWordCap, unmanagedList, words } from './builders.js';

const caps = { wordCap: testWordCap };
const actions = (p: Pick<Plan, 'changes'>): string[] => p.changes.map((c) => `${c.action} ${c.name ?? c.prefix}`);

/** movies (updated), support (created), old (deleted: not declared), news (unchanged). */
function mixedPlan(options: { protect?: string[]; maxVocabularies?: number; unmanaged?: number } = {}): Plan {
  return plan({
    desired: [
      desiredVocab({ prefix: 'movies', entries: words(3) }),
      desiredVocab({ prefix: 'support', entries: words(2) }),
      desiredVocab({ prefix: 'news', entries: words(1) }),
    ],
    owned: [
      remoteList({ prefix: 'movies', entries: words(2) }),
      remoteList({ prefix: 'old', entries: words(1) }),
      remoteList({ prefix: 'news', entries: words(1) }),
    ],
    unmanaged: Array.from({ length: options.unmanaged ?? 0 }, (_, i) => unmanagedList(`u${i}`)),
    env: {
      ...(options.protect ? { protect: options.protect } : {}),
      ...(options.maxVocabularies !== undefined ? { maxVocabularies: options.maxVocabularies } : {}),
    },
  });
}

describe('targetChanges', () => {
  it('selects by declared name or by prefix, and leaves the other changes out (noops of others dropped)', () => {
    const full = mixedPlan();
    const { selected, leftOut, forChecks } = targetChanges(full.changes, ['movies', 'old']);
    expect(actions({ changes: selected })).toEqual(['update movies', 'delete old']);
    expect(leftOut.map((c) => `${c.action} ${c.prefix}`)).toEqual(['create support']);
    expect(leftOut[0]).toStrictEqual({ action: 'create', name: 'support', prefix: 'support', target_model: 'fun-asr', vocabulary_id: null, reason: 'new vocabulary, 2 entries' });
    // The checks see every list that stays: the targeted ones and the untouched news; not the create left out.
    expect(forChecks.map((c) => `${c.action} ${c.prefix}`)).toEqual(['update movies', 'noop news', 'delete old']);
  });

  it('a change left out that touches a list counts as that list staying as it is', () => {
    const full = mixedPlan();
    const { forChecks } = targetChanges(full.changes, ['support']);
    const old = forChecks.find((c) => c.prefix === 'old')!;
    expect(old.action).toBe('noop');
    expect(old.entries).toStrictEqual({ added: [], removed: [], changed: [] });
    expect(forChecks.find((c) => c.prefix === 'movies')!.action).toBe('noop');
  });

  it('with no targets, everything is selected', () => {
    const full = mixedPlan();
    expect(targetChanges(full.changes, []).selected).toEqual(full.changes);
    expect(targetChanges(full.changes, undefined).leftOut).toEqual([]);
    expect(targetChanges(full.changes, undefined).forChecks).toEqual(full.changes);
    expect(targetPlan(full, [], caps)).toBe(full);
  });

  it('a duplicate of a named vocabulary goes with its name; another model of the prefix does not', () => {
    const full = plan({
      desired: [desiredVocab({ prefix: 'movies', name: 'films', entries: words(1) })],
      owned: [
        remoteList({ prefix: 'movies', entries: words(1), created: '2024-06-01 10:00:00' }),
        remoteList({ prefix: 'movies', entries: words(2), created: '2024-06-02 10:00:00' }),
        remoteList({ prefix: 'movies', model: 'paraformer-v2', entries: words(1) }),
      ],
    });
    expect(actions(full)).toEqual(['noop films', 'delete movies', 'delete movies']);
    const byName = targetChanges(full.changes, ['films']).selected;
    expect(byName.map((c) => `${c.action} ${c.target_model} ${c.reason}`)).toEqual(['noop fun-asr up to date', 'delete fun-asr duplicate']);
    expect(isTargeted(full.changes[2]!, ['films'], full.changes)).toBe(false);
    // By its own name, whatever the other changes.
    expect(isTargeted(full.changes[0]!, ['films'], [])).toBe(true);
    expect(targetChanges(full.changes, ['movies']).selected).toHaveLength(3);
  });
});

describe('unmatchedTargets and targetNames', () => {
  it('a target that names nothing is reported; names and prefixes are the candidates', () => {
    const full = mixedPlan();
    expect(unmatchedTargets(full.changes, ['movies', 'movis', 'old', 'nothing'])).toEqual(['movis', 'nothing']);
    expect(targetNames(full)).toEqual(['movies', 'news', 'old', 'support']);
    const named = plan({ desired: [desiredVocab({ prefix: 'movies', name: 'films', entries: words(1) })], owned: [remoteList({ prefix: 'old', entries: words(1) })] });
    expect(targetNames(named)).toEqual(['films', 'movies', 'old']);
  });
});

describe('targetPlan', () => {
  it('limits changes and summary, records targets and what was left out, keeps the fingerprint', () => {
    const full = mixedPlan();
    const limited = targetPlan(full, ['movies', 'movies'], caps);
    expect(actions(limited)).toEqual(['update movies']);
    expect(limited.summary).toStrictEqual({ create: 0, update: 1, replace: 0, delete: 0, noop: 0 });
    expect(limited.targets).toEqual(['movies']);
    expect(limited.left_out?.map((c) => `${c.action} ${c.prefix}`)).toEqual(['delete old', 'create support']);
    expect(limited.fingerprint).toBe(full.fingerprint);
    expect(limited.quota).toStrictEqual({ limit: 10, used: 3, after: 3, peak: 3 });
  });

  it('counts the lists left out against the quota: a create alone does not fit when the delete that made room is left out', () => {
    const full = mixedPlan({ maxVocabularies: 5, unmanaged: 2 });
    // The whole plan deletes old first, then creates support: it fits.
    expect(full.violations).toStrictEqual([]);
    const limited = targetPlan(full, ['support'], caps);
    expect(limited.violations.map((v) => v.rule)).toEqual(['quota']);
    expect(limited.violations[0]!.message).toContain('the apply needs 6 lists at its peak (5 now: 3 owned + 2 unmanaged; +1 create) but the account allows 5');
    expect(limited.quota).toStrictEqual({ limit: 5, used: 5, after: 6, peak: 6 });
  });

  it('judges protect on what it does: a protected delete left out is no violation, targeted it is', () => {
    const full = mixedPlan({ protect: ['old'] });
    expect(full.violations.map((v) => v.rule)).toEqual(['protect']);
    expect(targetPlan(full, ['movies'], caps).violations).toStrictEqual([]);
    const deleting = targetPlan(full, ['old'], caps);
    expect(deleting.violations.map((v) => v.rule)).toEqual(['protect']);
    expect(deleting.quota).toStrictEqual({ limit: 10, used: 3, after: 2, peak: 3 });
  });

  it('fires the delete-all guard only when nothing is declared and no owned list would remain', () => {
    const none = plan({ owned: [remoteList({ prefix: 'a', entries: words(1) }), remoteList({ prefix: 'b', entries: words(1) })] });
    expect(none.violations.map((v) => v.rule)).toEqual(['delete_all']);
    expect(targetPlan(none, ['a'], caps).violations).toStrictEqual([]);
    const both = targetPlan(none, ['a', 'b'], caps);
    expect(both.violations.map((v) => v.rule)).toEqual(['delete_all']);
    // The files declare x: deleting the last owned list is not "declares none".
    const some = plan({ desired: [desiredVocab({ prefix: 'x', entries: words(1) })], owned: [remoteList({ prefix: 'a', entries: words(1) })] });
    expect(some.violations).toStrictEqual([]);
    expect(targetPlan(some, ['a'], caps).violations).toStrictEqual([]);
    // Another violation of the whole plan does not stand for "declares none".
    const guarded = plan({ desired: [desiredVocab({ prefix: 'x', entries: words(1) })], owned: [remoteList({ prefix: 'a', entries: words(1) })], env: { protect: ['a'] } });
    expect(guarded.violations.map((v) => v.rule)).toEqual(['protect']);
    expect(targetPlan(guarded, ['a'], caps).violations.map((v) => v.rule)).toEqual(['protect']);
  });

  it('judges word caps and removed ratios on the targeted changes only', () => {
    const full = plan({
      desired: [desiredVocab({ prefix: 'big', model: 'paraformer-v2', entries: words(501) }), desiredVocab({ prefix: 'small', entries: words(1) })],
    });
    expect(full.violations.map((v) => v.rule)).toEqual(['word_cap']);
    expect(targetPlan(full, ['small'], caps).violations).toStrictEqual([]);
    expect(targetPlan(full, ['big'], caps).violations.map((v) => v.rule)).toEqual(['word_cap']);
  });
});

describe('checkSavedPlan with targets', () => {
  it('refuses a change added outside the saved plan\'s targets, saying so', () => {
    const full = mixedPlan();
    const saved = structuredClone(targetPlan(full, ['movies', 'news'], caps));
    saved.changes.push(structuredClone(full.changes.find((c) => c.prefix === 'old')!));
    const checked = checkSavedPlan(saved, targetPlan(full, ['movies', 'news'], caps), { usage: { owned: 3, unmanaged: 0 }, wordCap: testWordCap });
    expect(checked.refusals).toEqual([
      expect.stringContaining('the plan file holds "delete old (fun-asr) vocab-old-'),
    ]);
    expect(checked.refusals[0]).toContain('outside its targets (movies, news)');
  });

  it('refuses targets that are not the ones it is checked with', () => {
    const full = mixedPlan();
    const saved = structuredClone(targetPlan(full, ['movies'], caps));
    const checked = checkSavedPlan(saved, full, { usage: { owned: 3, unmanaged: 0 }, wordCap: testWordCap });
    expect(checked.refusals).toContain('the plan file\'s targets ["movies"] are not the ones it is checked with null');
    const untargeted = checkSavedPlan(structuredClone(full), targetPlan(full, ['movies'], caps), { usage: { owned: 3, unmanaged: 0 }, wordCap: testWordCap });
    expect(untargeted.refusals).toContain('the plan file\'s targets null are not the ones it is checked with ["movies"]');
  });

  it('an untouched targeted plan passes, and applies only its targets', () => {
    const full = mixedPlan();
    const fresh = targetPlan(full, ['movies', 'support'], caps);
    const checked = checkSavedPlan(structuredClone(fresh), fresh, { usage: { owned: 3, unmanaged: 0 }, wordCap: testWordCap });
    expect(checked.refusals).toEqual([]);
    expect(actions(checked.plan)).toEqual(['update movies', 'create support']);
    expect(checked.left_out).toEqual([]);
  });
});
