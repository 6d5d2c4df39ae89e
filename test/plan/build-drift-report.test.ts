import { describe, expect, it } from 'vitest';
import { buildDriftReport } from '../../src/plan/build-drift-report.js';
import { desiredVocab, planInput, remoteList, unmanagedList, words } from './builders.js';
import { buildPlan } from '../../src/plan/build-plan.js';

function drift(input: Parameters<typeof planInput>[0]) {
  const built = planInput(input);
  return buildDriftReport(buildPlan(built), built.remote);
}

describe('buildDriftReport', () => {
  it('is in sync when the plan has only noops and every list is OK', () => {
    const report = drift({ desired: [desiredVocab({ prefix: 'movies', entries: words(2) })], owned: [remoteList({ prefix: 'movies', entries: words(2) })], unmanaged: [unmanagedList('x')] });
    expect(report).toMatchObject({ format_version: 1, environment: 'prod', in_sync: true, items: [], quota: { limit: 10, used: 2, unmanaged: 1, headroom: 8 } });
  });

  it('reports content changed out of band, missing, extra, duplicate, wrong model and lists not OK', () => {
    const report = drift({
      desired: [
        desiredVocab({ prefix: 'changed', entries: words(3) }),
        desiredVocab({ prefix: 'missing', entries: words(1) }),
        desiredVocab({ prefix: 'swap', entries: words(1) }),
        desiredVocab({ prefix: 'dup', entries: words(1) }),
      ],
      owned: [
        remoteList({ prefix: 'changed', entries: words(2), status: 'UNDEPLOYED' }),
        remoteList({ prefix: 'swap', model: 'paraformer-v2', entries: words(1) }),
        remoteList({ prefix: 'dup', entries: words(1), created: '2024-01-01 00:00:00' }),
        remoteList({ prefix: 'dup', entries: words(1), created: '2024-02-01 00:00:00' }),
        remoteList({ prefix: 'extra', entries: words(1) }),
      ],
      ownedPrefixes: ['extra'],
    });
    expect(report.in_sync).toBe(false);
    expect(report.items.map((i) => `${i.kind} ${i.prefix}`)).toStrictEqual([
      'changed changed',
      'duplicate dup',
      'extra extra',
      'missing missing',
      'wrong_model swap',
      'not_ok changed',
    ]);
    // The files want 3 entries, the account holds 2: one was removed out of band.
    expect(report.items[0]?.message).toBe('1 entry removed out of band (apply would add it back)');
    expect(report.items[0]).toMatchObject({ out_of_band: { added: 0, removed: 1, changed: 0 }, apply_would: { add: 1, remove: 0, change: 0 } });
    expect(report.items[1]?.message).toBe('a second list with this identity (1 entry; apply would delete it)');
    expect(report.items[5]).toMatchObject({ name: 'changed', status: 'UNDEPLOYED' });
    expect(report.quota.headroom).toBe(5);
  });
});

describe('drift items word for word', () => {
  it('says what changed out of band in each direction, with it or them', () => {
    const before = [
      { text: 'kept', weight: 4, lang: 'en' },
      { text: 'w0', weight: 1, lang: 'en' },
      { text: 'w1', weight: 1, lang: 'en' },
      { text: 'extra1', weight: 4, lang: 'en' },
      { text: 'extra2', weight: 4, lang: 'en' },
    ];
    const report = drift({
      desired: [desiredVocab({ prefix: 'movies', entries: [{ text: 'kept', weight: 4, lang: 'en' }, ...words(2), { text: 'gone', weight: 4, lang: 'en' }] })],
      owned: [remoteList({ prefix: 'movies', entries: before, id: 'vocab-movies-1' })],
    });
    expect(report.items).toStrictEqual([
      {
        kind: 'changed',
        name: 'movies',
        prefix: 'movies',
        target_model: 'fun-asr',
        vocabulary_id: 'vocab-movies-1',
        message:
          '1 entry removed out of band (apply would add it back); 2 entries added out of band (apply would remove them); 2 entries changed out of band (apply would change them back)',
        out_of_band: { added: 2, removed: 1, changed: 2 },
        apply_would: { add: 1, remove: 2, change: 2 },
      },
    ]);
  });

  it('words every other kind, and names lists that are not OK in id order', () => {
    const report = drift({
      desired: [
        desiredVocab({ prefix: 'missing', entries: words(2) }),
        desiredVocab({ prefix: 'swap', entries: words(1) }),
        desiredVocab({ prefix: 'keep', entries: words(1) }),
      ],
      owned: [
        remoteList({ prefix: 'swap', model: 'paraformer-v2', entries: words(1), id: 'vocab-swap-1' }),
        remoteList({ prefix: 'keep', entries: words(1), id: 'vocab-keep-9', status: 'DEPLOYING' }),
        remoteList({ prefix: 'extra', entries: words(3), id: 'vocab-extra-1', status: 'UNDEPLOYED' }),
      ],
      ownedPrefixes: ['extra'],
    });
    expect(report.items).toStrictEqual([
      { kind: 'extra', name: null, prefix: 'extra', target_model: 'fun-asr', vocabulary_id: 'vocab-extra-1', message: 'owned but not declared (3 entries; apply would delete it)' },
      { kind: 'missing', name: 'missing', prefix: 'missing', target_model: 'fun-asr', vocabulary_id: null, message: 'declared but missing from the account (2 entries; apply would create it)' },
      {
        kind: 'wrong_model',
        name: 'swap',
        prefix: 'swap',
        target_model: 'fun-asr',
        vocabulary_id: 'vocab-swap-1',
        message: 'exists only with target_model paraformer-v2 (declared fun-asr; apply would replace it)',
      },
      {
        kind: 'not_ok',
        name: null,
        prefix: 'extra',
        target_model: 'fun-asr',
        vocabulary_id: 'vocab-extra-1',
        message: 'status UNDEPLOYED: not usable by recognition until it is OK',
        status: 'UNDEPLOYED',
      },
      {
        kind: 'not_ok',
        name: 'keep',
        prefix: 'keep',
        target_model: 'fun-asr',
        vocabulary_id: 'vocab-keep-9',
        message: 'status DEPLOYING: not usable by recognition until it is OK',
        status: 'DEPLOYING',
      },
    ]);
  });
});

describe('drift in one direction', () => {
  it('names only the direction that happened', () => {
    const report = drift({
      desired: [desiredVocab({ prefix: 'movies', entries: words(1) })],
      owned: [remoteList({ prefix: 'movies', entries: words(2) })],
    });
    expect(report.items.map((i) => i.message)).toStrictEqual(['1 entry added out of band (apply would remove it)']);
  });
});
