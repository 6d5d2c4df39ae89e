/** The loop-based counters agree with the obvious definitions (string iterator, split on \s+). */
import { describe, expect, it } from 'vitest';
import { countCodePoints, countWords } from '../../src/config/entry-rules.js';

const PIECES = ['a', 'Seediq', ' ', '  ', '\t', '\n', '\r\n', '\u000b', '\f', '赛', '𠮷', '😀', '\ud800', '\udc00', '\u00a0', '\u3000', 'x'];

function* samples(): Generator<string> {
  let seed = 7;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 2000; i++) {
    let text = '';
    const parts = Math.floor(next() * 8);
    for (let k = 0; k < parts; k++) text += PIECES[Math.floor(next() * PIECES.length)];
    yield text;
  }
}

describe('text counters', () => {
  it('count code points like the string iterator', () => {
    for (const text of samples()) expect(countCodePoints(text), JSON.stringify(text)).toBe([...text].length);
  });
  it('count words like trim and split on white space', () => {
    for (const text of samples()) {
      const trimmed = text.trim();
      expect(countWords(text), JSON.stringify(text)).toBe(trimmed === '' ? 0 : trimmed.split(/\s+/).length);
    }
  });
});
