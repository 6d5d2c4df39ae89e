import { describe, expect, it } from 'vitest';
import { closestMatch, didYouMean, editDistance } from '../../src/util/did-you-mean.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', 'abc', 0],
    ['abc', 'abd', 1],
    ['abc', 'ab', 1],
    ['lnag', 'lang', 1],
    ['--yse', '--yes', 1],
    ['ca', 'abc', 3],
    ['entires', 'entries', 1],
  ])('%s -> %s is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });
});

describe('closestMatch and didYouMean', () => {
  it('suggests a close key, a swapped flag and a command', () => {
    expect(closestMatch('entires', ['prefix', 'entries', 'defaults'])).toBe('entries');
    expect(closestMatch('--yse', ['--yes', '--force', '--format'])).toBe('--yes');
    expect(didYouMean('pln', ['plan', 'apply'])).toBe(' (did you mean "plan"?)');
  });

  it('says nothing when nothing is close', () => {
    expect(closestMatch('zzzzzz', ['prefix', 'entries'])).toBeUndefined();
    expect(didYouMean('x', [])).toBe('');
  });
});
