import { describe, expect, it } from 'vitest';
import { describeStaleness } from '../../src/plan/describe-staleness.js';
import { desiredVocab, plan, remoteList, unmanagedList, words } from './builders.js';

const a = remoteList({ prefix: 'movies', entries: words(2), id: 'vocab-movies-1', modified: '2024-06-01 10:00:00' });
const other = unmanagedList('other', 'vocab-other-1');
const desired = [desiredVocab({ prefix: 'movies', entries: words(3) })];
const saved = plan({ desired, owned: [a], unmanaged: [other] });

describe('describeStaleness', () => {
  it('is empty exactly when the fingerprints match', () => {
    const fresh = plan({ desired, owned: [a], unmanaged: [other], now: '2030-01-01T00:00:00.000Z' });
    expect(fresh.fingerprint).toBe(saved.fingerprint);
    expect(describeStaleness(saved, fresh)).toStrictEqual([]);
  });

  it('names lists added and removed', () => {
    const fresh = plan({ desired, owned: [a], unmanaged: [unmanagedList('new', 'vocab-new-1')] });
    expect(describeStaleness(saved, fresh)).toStrictEqual([
      'vocab-other-1 (unmanaged prefix other) was deleted',
      'vocab-new-1 (unmanaged prefix new) was added',
    ]);
  });

  it('says when a list was modified and its content changed', () => {
    const fresh = plan({ desired, owned: [{ ...a, gmt_modified: '2024-07-01 09:00:00', entries: words(5) }], unmanaged: [other] });
    expect(describeStaleness(saved, fresh)).toStrictEqual(['vocab-movies-1 modified at 2024-07-01 09:00:00 (was 2024-06-01 10:00:00), content changed']);
  });

  it('says when the content changed without a new modification time', () => {
    const fresh = plan({ desired, owned: [{ ...a, entries: words(1) }], unmanaged: [other] });
    expect(describeStaleness(saved, fresh)).toStrictEqual(['vocab-movies-1 content changed']);
  });

  it('says a list is no longer owned without inventing a modification time', () => {
    const films = [desiredVocab({ prefix: 'films', entries: words(3) })];
    const fresh = plan({ desired: films, owned: [], unmanaged: [other, unmanagedList('movies', 'vocab-movies-1')] });
    const lines = describeStaleness(saved, fresh);
    expect(lines).toContain('vocab-movies-1 is no longer owned');
    expect(lines.join('\n')).not.toContain('?');
  });

  it('says when the desired state differs', () => {
    const fresh = plan({ desired: [desiredVocab({ prefix: 'movies', entries: words(4) })], owned: [a], unmanaged: [other] });
    expect(describeStaleness(saved, fresh)).toStrictEqual(["the desired state differs from the plan's"]);
  });

  it('never returns an empty list for different fingerprints', () => {
    expect(describeStaleness(saved, { ...saved, fingerprint: 'sha256:0' })).toHaveLength(1);
  });
});

describe('describeStaleness word for word', () => {
  it('names another environment, a list deleted, a new owner and a new prefix', () => {
    const owned = remoteList({ prefix: 'movies', entries: words(2), id: 'vocab-movies-1', modified: '2024-06-01 10:00:00' });
    const before = plan({ desired, owned: [owned, remoteList({ prefix: 'movies', entries: words(1), id: 'vocab-movies-2' })], unmanaged: [unmanagedList('films', 'vocab-films-1')] });
    const after = plan({
      desired,
      owned: [owned, remoteList({ prefix: 'films', entries: words(1), id: 'vocab-films-1', modified: '2024-06-01 10:00:00' })],
      unmanaged: [],
      env: { name: 'staging' },
    });
    expect(describeStaleness(before, after)).toStrictEqual([
      'the plan is for environment "prod", not "staging"',
      'vocab-movies-2 (prefix movies) was deleted',
      'vocab-films-1 is now owned',
    ]);
    const renamed = { ...after, observed: after.observed.map((o) => (o.vocabulary_id === 'vocab-movies-1' ? { ...o, prefix: 'cinema' } : o)), fingerprint: 'sha256:1' };
    expect(describeStaleness({ ...after, fingerprint: 'sha256:0' }, renamed)).toStrictEqual(['vocab-movies-1 prefix cinema (was movies)']);
  });

  it('says the fingerprints differ when nothing else does', () => {
    expect(describeStaleness(saved, { ...saved, fingerprint: 'sha256:0' })).toStrictEqual([`the fingerprint differs (${saved.fingerprint} vs sha256:0)`]);
  });
});
