import { describe, expect, it } from 'vitest';
import { checkPlan, isPlanRefused } from '../../src/plan/check-plan.js';
import type { Violation } from '../../src/plan/types.js';
import { desiredVocab, envConfig, plan, remoteList, testWordCap, unmanagedList, words } from './builders.js';

const rules = (violations: Violation[]): string[] => violations.map((v) => v.rule);
const lists = (count: number, prefix = 'u'): ReturnType<typeof unmanagedList>[] => Array.from({ length: count }, (_, i) => unmanagedList(`${prefix}${i}`));

describe('quota check', () => {
  it('passes a replace at 9 of 10 lists: create-before-destroy peaks at 10', () => {
    const p = plan({
      desired: [desiredVocab({ prefix: 'movies', entries: words(1) })],
      owned: [remoteList({ prefix: 'movies', model: 'paraformer-v2', entries: words(1) })],
      unmanaged: lists(8),
    });
    expect(p.violations).toStrictEqual([]);
    expect(p.quota).toStrictEqual({ limit: 10, used: 9, after: 9, peak: 10 });
  });

  it('refuses a replace at 10 of 10 under create_before_destroy, with the arithmetic, counting unmanaged lists', () => {
    const p = plan({
      desired: [desiredVocab({ prefix: 'movies', entries: words(1) })],
      owned: [remoteList({ prefix: 'movies', model: 'paraformer-v2', entries: words(1) })],
      unmanaged: lists(9),
    });
    expect(p.violations).toStrictEqual([
      {
        rule: 'quota',
        message:
          'the apply needs 11 lists at its peak (10 now: 1 owned + 9 unmanaged; +1 for a replace created before its old list is deleted) but the account allows 10; apply.replace: destroy_before_create would fit',
        overridable: false,
      },
    ]);
    expect(p.quota.peak).toBe(11);
    expect(isPlanRefused(p, { force: true })).toBe(true);
  });

  it('passes the same replace under destroy_before_create', () => {
    const p = plan({
      desired: [desiredVocab({ prefix: 'movies', entries: words(1) })],
      owned: [remoteList({ prefix: 'movies', model: 'paraformer-v2', entries: words(1) })],
      unmanaged: lists(9),
      env: { replace: 'destroy_before_create' },
    });
    expect(p.violations).toStrictEqual([]);
    expect(p.quota.peak).toBe(10);
  });

  it('counts deletes that free room first', () => {
    const p = plan({
      desired: [desiredVocab({ prefix: 'a', entries: words(1) }), desiredVocab({ prefix: 'b', entries: words(1) })],
      owned: [remoteList({ prefix: 'old', entries: words(1) }), remoteList({ prefix: 'older', entries: words(1) })],
      ownedPrefixes: ['old', 'older'],
      unmanaged: lists(8),
    });
    expect(p.violations).toStrictEqual([]);
    expect(p.quota).toStrictEqual({ limit: 10, used: 10, after: 10, peak: 10 });
  });

  it('refuses creates beyond the quota and says how many are missing', () => {
    const p = plan({
      desired: [desiredVocab({ prefix: 'a', entries: words(1) }), desiredVocab({ prefix: 'b', entries: words(1) })],
      owned: [remoteList({ prefix: 'old', entries: words(1) })],
      ownedPrefixes: ['old'],
      unmanaged: lists(9),
    });
    expect(rules(p.violations)).toStrictEqual(['quota']);
    expect(p.violations[0]?.message).toBe(
      'the apply needs 11 lists at its peak (10 now: 1 owned + 9 unmanaged; -1 deleted first; +2 creates) but the account allows 10; delete lists or raise quota.max_vocabularies if the account allows more',
    );
  });
});

describe('word caps', () => {
  it('refuses a list over its model cap and never yields to force', () => {
    const p = plan({ desired: [desiredVocab({ prefix: 'p', model: 'paraformer-v2', entries: words(501) })] });
    expect(p.violations).toStrictEqual([
      {
        rule: 'word_cap',
        message: 'p (paraformer-v2) would hold 501 entries but paraformer-v2 allows 500 per list (1 too many)',
        overridable: false,
        prefix: 'p',
        target_model: 'paraformer-v2',
      },
    ]);
    expect(isPlanRefused(p, { force: true })).toBe(true);
  });

  it('accepts exactly the cap, and honours quota.word_caps over the built-in cap', () => {
    expect(plan({ desired: [desiredVocab({ prefix: 'p', model: 'paraformer-v2', entries: words(500) })] }).violations).toStrictEqual([]);
    const overridden = plan({ desired: [desiredVocab({ prefix: 'p', entries: words(3) })], env: { wordCaps: { 'fun-asr': 2 } } });
    expect(rules(overridden.violations)).toStrictEqual(['word_cap']);
  });
});

describe('protect', () => {
  const entries = words(2);
  it.each([
    ['delete', { owned: [remoteList({ prefix: 'movies', entries })], desired: [desiredVocab({ prefix: 'x', entries })] }],
    ['replace', { owned: [remoteList({ prefix: 'movies', model: 'paraformer-v2', entries })], desired: [desiredVocab({ prefix: 'movies', entries })] }],
    [
      'delete of a duplicate',
      { owned: [remoteList({ prefix: 'movies', entries }), remoteList({ prefix: 'movies', entries })], desired: [desiredVocab({ prefix: 'movies', entries })] },
    ],
  ])('refuses a %s of a protected prefix unless forced', (_name, input) => {
    const p = plan({ ...input, ownedPrefixes: ['movies'], env: { protect: ['movies'] } });
    expect(rules(p.violations)).toStrictEqual(['protect']);
    expect(p.violations[0]).toMatchObject({ overridable: true, prefix: 'movies' });
    expect(p.violations[0]?.message).toMatch(/^movies is protected \(safety\.protect\) but the plan (deletes|replaces) vocab-movies-/);
    expect(isPlanRefused(p, { force: false })).toBe(true);
    expect(isPlanRefused(p, { force: true })).toBe(false);
  });

  it('lets a protected list be updated', () => {
    const p = plan({ owned: [remoteList({ prefix: 'movies', entries: words(2) })], desired: [desiredVocab({ prefix: 'movies', entries: words(3) })], env: { protect: ['movies'] } });
    expect(p.violations).toStrictEqual([]);
  });
});

describe('max_removed_ratio', () => {
  const update = (before: number, after: number, ratio = 0.3): Violation[] =>
    plan({
      owned: [remoteList({ prefix: 'movies', entries: words(before) })],
      desired: [desiredVocab({ prefix: 'movies', entries: words(after) })],
      env: { maxRemovedRatio: ratio },
    }).violations;

  it('accepts removing exactly the ratio (3 of 10 at 0.3)', () => {
    expect(update(10, 7)).toStrictEqual([]);
  });

  it('refuses removing more (4 of 10 at 0.3), with the arithmetic, overridable', () => {
    expect(update(10, 6)).toStrictEqual([
      {
        rule: 'max_removed_ratio',
        message: 'movies (fun-asr) would lose 4 of 10 entries (40%), more than safety.max_removed_ratio 0.3 (30%)',
        overridable: true,
        prefix: 'movies',
        target_model: 'fun-asr',
      },
    ]);
  });

  it('ignores lists of fewer than 10 entries', () => {
    expect(update(9, 1)).toStrictEqual([]);
  });
});

describe('delete-all guard', () => {
  it('refuses a plan that deletes every owned list and declares none', () => {
    const p = plan({ owned: [remoteList({ prefix: 'a', entries: words(1) }), remoteList({ prefix: 'b', entries: words(1) })], ownedPrefixes: ['a', 'b'] });
    expect(p.violations).toStrictEqual([
      {
        rule: 'delete_all',
        message:
          'this would delete every owned vocabulary (2 lists: a, b) and declares none; check the vocabularies glob and the environments of the vocabulary files',
        overridable: true,
      },
    ]);
    expect(isPlanRefused(p, { force: true })).toBe(false);
  });

  it('does not fire while something is still declared, or when there is nothing to delete', () => {
    const partial = plan({ owned: [remoteList({ prefix: 'a', entries: words(1) }), remoteList({ prefix: 'b', entries: words(1) })], desired: [desiredVocab({ prefix: 'a', entries: words(1) })], ownedPrefixes: ['b'] });
    expect(partial.violations).toStrictEqual([]);
    expect(plan({}).violations).toStrictEqual([]);
  });
});

describe('checkPlan', () => {
  it('can be called on changes alone', () => {
    const p = plan({ desired: [desiredVocab({ prefix: 'p', model: 'paraformer-v2', entries: words(600) })] });
    const settings = envConfig();
    expect(rules(checkPlan({ changes: p.changes, usage: { owned: 0, unmanaged: 10 }, settings, wordCap: testWordCap }))).toStrictEqual(['quota', 'word_cap']);
  });

  it('isPlanRefused: nothing to refuse without violations', () => {
    expect(isPlanRefused({ violations: [] }, { force: false })).toBe(false);
  });
});

describe('checks on a replace', () => {
  it('holds the new model to its word cap', () => {
    const p = plan({
      owned: [remoteList({ prefix: 'p', model: 'fun-asr', entries: words(501) })],
      desired: [desiredVocab({ prefix: 'p', model: 'paraformer-v2', entries: words(501) })],
    });
    expect(p.changes.map((c) => c.action)).toStrictEqual(['replace']);
    expect(rules(p.violations)).toStrictEqual(['word_cap']);
    expect(p.violations[0]?.target_model).toBe('paraformer-v2');
  });

  it('refuses a replace that drops more than max_removed_ratio of the old list, unless forced', () => {
    const p = plan({
      owned: [remoteList({ prefix: 'p', model: 'paraformer-v2', entries: words(10) })],
      desired: [desiredVocab({ prefix: 'p', model: 'fun-asr', entries: words(6) })],
    });
    expect(p.violations).toStrictEqual([
      {
        rule: 'max_removed_ratio',
        message: 'p (fun-asr) would lose 4 of 10 entries (40%), more than safety.max_removed_ratio 0.3 (30%)',
        overridable: true,
        prefix: 'p',
        target_model: 'fun-asr',
      },
    ]);
    expect(isPlanRefused(p, { force: true })).toBe(false);
  });
});

describe('check messages word for word', () => {
  it('names a vocabulary by its name, not its prefix, in word-cap and removal messages', () => {
    const p = plan({
      owned: [remoteList({ prefix: 'movies', entries: words(10) })],
      desired: [desiredVocab({ prefix: 'movies', name: 'films', entries: words(4) })],
      env: { wordCaps: { 'fun-asr': 3 } },
    });
    expect(p.violations.map((v) => v.message)).toStrictEqual([
      'films (fun-asr) would hold 4 entries but fun-asr allows 3 per list (1 too many)',
      'films (fun-asr) would lose 6 of 10 entries (60%), more than safety.max_removed_ratio 0.3 (30%)',
    ]);
  });

  it('holds only lists it writes to the word cap: not a noop or a delete of a list already over it', () => {
    const entries = words(501);
    const p = plan({
      owned: [remoteList({ prefix: 'p', model: 'paraformer-v2', entries }), remoteList({ prefix: 'gone', model: 'paraformer-v2', entries })],
      desired: [desiredVocab({ prefix: 'p', model: 'paraformer-v2', entries })],
      ownedPrefixes: ['gone'],
    });
    expect(p.changes.map((c) => c.action)).toStrictEqual(['delete', 'noop']);
    expect(p.violations).toStrictEqual([]);
  });

  it('words a protected delete and a protected replace', () => {
    const p = plan({
      owned: [
        remoteList({ prefix: 'one', entries: words(1), id: 'vocab-one-1' }),
        remoteList({ prefix: 'two', entries: words(2), id: 'vocab-two-1' }),
        remoteList({ prefix: 'swap', model: 'paraformer-v2', entries: words(1), id: 'vocab-swap-1' }),
      ],
      desired: [desiredVocab({ prefix: 'swap', entries: words(1) })],
      ownedPrefixes: ['one', 'two'],
      env: { protect: ['one', 'two', 'swap'] },
    });
    expect(p.violations.map((v) => v.message)).toStrictEqual([
      'one is protected (safety.protect) but the plan deletes vocab-one-1 (fun-asr, 1 entry; not declared)',
      'swap is protected (safety.protect) but the plan replaces vocab-swap-1 (paraformer-v2 -> fun-asr): its vocabulary_id changes',
      'two is protected (safety.protect) but the plan deletes vocab-two-1 (fun-asr, 2 entries; not declared)',
    ]);
  });

  it('names each prefix once when every owned list goes', () => {
    const p = plan({
      owned: [remoteList({ prefix: 'a', entries: words(1) }), remoteList({ prefix: 'a', entries: words(1) }), remoteList({ prefix: 'b', entries: words(1) })],
      ownedPrefixes: ['a', 'b'],
    });
    expect(p.violations.map((v) => v.message)).toStrictEqual([
      'this would delete every owned vocabulary (3 lists: a, b) and declares none; check the vocabularies glob and the environments of the vocabulary files',
    ]);
  });

  it('counts every replace, one at a time, and advises destroy_before_create only when it would fit', () => {
    const replaces = (unmanaged: number) =>
      plan({
        owned: [remoteList({ prefix: 'a', model: 'paraformer-v2', entries: words(1) }), remoteList({ prefix: 'b', model: 'paraformer-v2', entries: words(1) })],
        desired: [desiredVocab({ prefix: 'a', entries: words(1) }), desiredVocab({ prefix: 'b', entries: words(1) })],
        unmanaged: lists(unmanaged),
      }).violations.map((v) => v.message);
    expect(replaces(8)).toStrictEqual([
      'the apply needs 11 lists at its peak (10 now: 2 owned + 8 unmanaged; +1 for each replace, one at a time, created before its old list is deleted) but the account allows 10; apply.replace: destroy_before_create would fit',
    ]);
    expect(replaces(9)).toStrictEqual([
      'the apply needs 12 lists at its peak (11 now: 2 owned + 9 unmanaged; +1 for each replace, one at a time, created before its old list is deleted) but the account allows 10; delete lists or raise quota.max_vocabularies if the account allows more',
    ]);
  });

  it('orders the apply itself when not given one', () => {
    const p = plan({ desired: [desiredVocab({ prefix: 'p', entries: words(1) })] });
    expect(checkPlan({ changes: p.changes, usage: { owned: 0, unmanaged: 9 }, settings: envConfig(), wordCap: testWordCap })).toStrictEqual([]);
    expect(rules(checkPlan({ changes: p.changes, usage: { owned: 0, unmanaged: 10 }, settings: envConfig(), wordCap: testWordCap }))).toStrictEqual(['quota']);
  });
});
