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
