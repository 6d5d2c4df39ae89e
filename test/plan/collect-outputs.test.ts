import { describe, expect, it } from 'vitest';
import { collectOutputs } from '../../src/plan/collect-outputs.js';
import { desiredVocab, planInput, remoteList, words } from './builders.js';
import { buildPlan } from '../../src/plan/build-plan.js';

function outputs(input: Parameters<typeof planInput>[0]): ReturnType<typeof collectOutputs> {
  const built = planInput(input);
  return collectOutputs(buildPlan(built), built.remote);
}

describe('collectOutputs', () => {
  it('gives the list each declared vocabulary keeps (noop or update) with its status, and null for one the plan creates or replaces', () => {
    const result = outputs({
      desired: [
        desiredVocab({ prefix: 'same', entries: words(1) }),
        desiredVocab({ prefix: 'changed', entries: words(2), name: 'changed-list' }),
        desiredVocab({ prefix: 'new', entries: words(1) }),
        desiredVocab({ prefix: 'moved', model: 'paraformer-v2', entries: words(1) }),
      ],
      owned: [
        remoteList({ prefix: 'same', entries: words(1), id: 'vocab-same-1', status: 'OK' }),
        remoteList({ prefix: 'changed', entries: words(1), id: 'vocab-changed-1', status: 'UNDEPLOYED' }),
        remoteList({ prefix: 'moved', entries: words(1), id: 'vocab-moved-1' }),
      ],
    });
    expect(result).toStrictEqual({
      'changed-list': { vocabulary_id: 'vocab-changed-1', prefix: 'changed', target_model: 'fun-asr', status: 'UNDEPLOYED' },
      moved: { vocabulary_id: null, prefix: 'moved', target_model: 'paraformer-v2', status: 'missing' },
      new: { vocabulary_id: null, prefix: 'new', target_model: 'fun-asr', status: 'missing' },
      same: { vocabulary_id: 'vocab-same-1', prefix: 'same', target_model: 'fun-asr', status: 'OK' },
    });
  });

  it('names the list the plan keeps among duplicates, and each model of one prefix apart', () => {
    const result = outputs({
      desired: [
        desiredVocab({ prefix: 'movies', entries: words(2), name: 'movies-fun' }),
        desiredVocab({ prefix: 'movies', model: 'paraformer-v2', entries: words(1), name: 'movies-para' }),
      ],
      owned: [
        remoteList({ prefix: 'movies', entries: words(1), id: 'vocab-movies-newer', created: '2024-05-01 00:00:00' }),
        remoteList({ prefix: 'movies', entries: words(2), id: 'vocab-movies-older', created: '2024-01-01 00:00:00' }),
        remoteList({ prefix: 'movies', model: 'paraformer-v2', entries: words(3), id: 'vocab-movies-para', status: 'DEPLOYING' }),
      ],
    });
    expect(result).toStrictEqual({
      'movies-fun': { vocabulary_id: 'vocab-movies-older', prefix: 'movies', target_model: 'fun-asr', status: 'OK' },
      'movies-para': { vocabulary_id: 'vocab-movies-para', prefix: 'movies', target_model: 'paraformer-v2', status: 'DEPLOYING' },
    });
  });

  it('says missing when the kept list is not in the snapshot given', () => {
    const built = planInput({ desired: [desiredVocab({ prefix: 'movies', entries: words(1) })], owned: [remoteList({ prefix: 'movies', entries: words(1), id: 'vocab-movies-1' })] });
    expect(collectOutputs(buildPlan(built), { owned: [], unmanaged: [] })).toStrictEqual({
      movies: { vocabulary_id: 'vocab-movies-1', prefix: 'movies', target_model: 'fun-asr', status: 'missing' },
    });
  });

  it('orders names by code unit, whatever the locale, and keeps a name such as __proto__ as an own key', () => {
    const result = outputs({
      desired: [
        desiredVocab({ prefix: 'b', name: 'b' }),
        desiredVocab({ prefix: 'c', name: 'B' }),
        desiredVocab({ prefix: 'a', name: 'a' }),
        desiredVocab({ prefix: 'p', name: '__proto__' }),
      ],
    });
    expect(Object.keys(result)).toStrictEqual(['B', '__proto__', 'a', 'b']);
    expect(Object.prototype.hasOwnProperty.call(result, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
  });
});
