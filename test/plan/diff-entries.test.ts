import { describe, expect, it } from 'vitest';
import { describeEntryDiff, diffEntries } from '../../src/plan/diff-entries.js';
import { entriesEqual, hashContent, normalizeEntries, normalizeEntry } from '../../src/plan/normalize-entries.js';
import { words } from './builders.js';
import type { DesiredEntry } from '../../src/config/types.js';

describe('normalizeEntry', () => {
  it('NFC-normalises and trims text, orders keys canonically and drops absent fields', () => {
    const decomposed = 'Cafe\u0301 ';
    const entry = normalizeEntry({ lang: 'en', translation: undefined, weight: 3, text: decomposed });
    expect(entry).toStrictEqual({ text: 'Caf\u00e9', weight: 3, lang: 'en' });
    expect(Object.keys(entry)).toStrictEqual(['text', 'weight', 'lang']);
  });

  it('treats null fields from the service as absent and drops unknown fields', () => {
    const entry = normalizeEntry({ text: 'a', weight: null, lang: null, extra: 1 } as never);
    expect(entry).toStrictEqual({ text: 'a' });
  });
});

describe('entriesEqual', () => {
  const cases: [string, Parameters<typeof entriesEqual>[0], Parameters<typeof entriesEqual>[1], boolean][] = [
    ['same order', [{ text: 'a', weight: 1 }], [{ text: 'a', weight: 1 }], true],
    ['other order', [{ text: 'a', weight: 1 }, { text: 'b', weight: 2 }], [{ text: 'b', weight: 2 }, { text: 'a', weight: 1 }], true],
    ['NFC-equivalent texts', [{ text: 'e\u0301', weight: 1 }], [{ text: '\u00e9', weight: 1 }], true],
    ['surrounding spaces', [{ text: ' a ', weight: 1 }], [{ text: 'a', weight: 1 }], true],
    ['other weight', [{ text: 'a', weight: 1 }], [{ text: 'a', weight: 2 }], false],
    ['other lang', [{ text: 'a', lang: 'zh' }], [{ text: 'a', lang: 'en' }], false],
    ['other length', [{ text: 'a' }], [{ text: 'a' }, { text: 'b' }], false],
    ['a duplicate is not the same list', [{ text: 'a' }, { text: 'a' }], [{ text: 'a' }, { text: 'b' }], false],
  ];
  it.each(cases)('%s', (_name, a, b, expected) => {
    expect(entriesEqual(a, b)).toBe(expected);
  });

  it('gives order-free content hashes that depend on the model', () => {
    const a = [{ text: 'x', weight: 1 }, { text: 'y', weight: 2 }];
    expect(hashContent('fun-asr', a)).toBe(hashContent('fun-asr', [...a].reverse()));
    expect(hashContent('fun-asr', a)).not.toBe(hashContent('paraformer-v2', a));
    expect(hashContent('fun-asr', a)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('hashes equal lists alike in any order, duplicates and shared texts included, and tells one changed field', () => {
    const list = [
      { text: 'hello', lang: 'en', target_lang: 'zh', translation: '你好' },
      { text: 'hello', lang: 'en', target_lang: 'ja', translation: 'こんにちは' },
      { text: 'a', weight: 1 },
      { text: 'a', weight: 2 },
      { text: 'a', weight: 1 },
      ...words(300),
    ];
    const shuffled = [...list].sort((x, y) => (x.text.length % 3) - (y.text.length % 3) || (x.text < y.text ? 1 : -1));
    expect(hashContent('gummy-realtime-v1', shuffled)).toBe(hashContent('gummy-realtime-v1', list));
    expect(hashContent('gummy-realtime-v1', [{ text: 'e\u0301 ' }, ...list])).toBe(hashContent('gummy-realtime-v1', [...list, { text: '\u00e9' }]));
    const changed = list.map((e, i) => (i === 3 ? { ...e, weight: 3 } : e));
    expect(hashContent('gummy-realtime-v1', changed)).not.toBe(hashContent('gummy-realtime-v1', list));
    expect(hashContent('gummy-realtime-v1', list.slice(1))).not.toBe(hashContent('gummy-realtime-v1', list));
  });

  it('sorts normalised entries by identity', () => {
    expect(normalizeEntries([{ text: 'b' }, { text: 'a', lang: 'zh' }, { text: 'a', lang: 'en' }]).map((e) => `${e.text}/${e.lang ?? ''}`)).toStrictEqual([
      'a/en',
      'a/zh',
      'b/',
    ]);
  });
});

describe('diffEntries', () => {
  it('finds added, removed, reweighted and retranslated entries, ignoring order', () => {
    const before = [
      { text: 'keep', weight: 3, lang: 'zh' },
      { text: 'gone', weight: 3, lang: 'zh' },
      { text: 'heavier', weight: 3, lang: 'zh' },
      { text: 'hello', lang: 'en', target_lang: 'zh', translation: '你好' },
    ];
    const after = [
      { text: 'hello', lang: 'en', target_lang: 'zh', translation: '您好' },
      { text: 'heavier', weight: 5, lang: 'zh' },
      { text: 'new', weight: 4, lang: 'zh' },
      { text: 'keep', weight: 3, lang: 'zh' },
    ];
    const diff = diffEntries(before, after);
    expect(diff.added).toStrictEqual([{ text: 'new', weight: 4, lang: 'zh' }]);
    expect(diff.removed).toStrictEqual([{ text: 'gone', weight: 3, lang: 'zh' }]);
    expect(diff.changed).toStrictEqual([
      { text: 'heavier', lang: 'zh', before: { weight: 3 }, after: { weight: 5 } },
      { text: 'hello', lang: 'en', target_lang: 'zh', before: { translation: '你好' }, after: { translation: '您好' } },
    ]);
    expect(describeEntryDiff(diff)).toBe('1 entry added, 1 removed, 1 reweighted, 1 retranslated');
  });

  it('sees an entry with another lang as removed and added (identity is text, lang, target_lang)', () => {
    const diff = diffEntries([{ text: 'a', weight: 1, lang: 'zh' }], [{ text: 'a', weight: 1, lang: 'en' }]);
    expect(diff.added).toHaveLength(1);
    expect(diff.removed).toHaveLength(1);
    expect(diff.changed).toHaveLength(0);
  });

  it('finds nothing between NFC-equivalent lists in other orders', () => {
    const diff = diffEntries([{ text: 'e\u0301', weight: 2 }, { text: 'b', weight: 1 }], [{ text: 'b', weight: 1 }, { text: '\u00e9 ', weight: 2 }]);
    expect(diff).toStrictEqual({ added: [], removed: [], changed: [] });
  });

  it('reports a duplicate on the remote as removed', () => {
    const diff = diffEntries([{ text: 'a', weight: 1 }, { text: 'a', weight: 1 }], [{ text: 'a', weight: 1 }]);
    expect(diff.removed).toStrictEqual([{ text: 'a', weight: 1 }]);
    expect(describeEntryDiff(diff)).toBe('1 entry removed');
  });

  it('gives the same diff whether or not the lists are in the same order', () => {
    const before = [...words(20), { text: 'dup', weight: 1 }, { text: 'dup', weight: 2 }];
    const after = [{ text: 'dup', weight: 2 }, ...words(18), { text: 'new', weight: 1, lang: 'en' }, { text: 'w19', weight: 5, lang: 'en' }];
    const inOrder = diffEntries(before, after);
    expect(diffEntries([...before].reverse(), [...after].reverse())).toStrictEqual(inOrder);
    expect(inOrder.removed.map((e) => e.text)).toStrictEqual(['dup', 'w18']);
    expect(inOrder.added.map((e) => e.text)).toStrictEqual(['new']);
    expect(inOrder.changed).toStrictEqual([{ text: 'w19', lang: 'en', before: { weight: 4 }, after: { weight: 5 } }]);
    expect(diffEntries(before, before.map((e) => ({ ...e })))).toStrictEqual({ added: [], removed: [], changed: [] });
  });

  it('words counts with the noun on the first term only', () => {
    expect(describeEntryDiff({ added: words(2), removed: words(1), changed: [] })).toBe('2 entries added, 1 removed');
    expect(describeEntryDiff({ added: [], removed: [], changed: [] })).toBe('');
  });

  it('reads each entry a bounded number of times, whatever the size (matched by identity, no quadratic matching)', () => {
    // No timing threshold (see DESIGN.md): the work is counted as reads of each entry's text.
    // A pairwise matching would read every text once per comparison, ~n times per entry.
    const readsPerEntry = (size: number): number => {
      const counter = { reads: 0 };
      const counted = (count: number, stem: string): DesiredEntry[] =>
        words(count, { stem }).map((entry) => {
          const { text, ...rest } = entry;
          return Object.defineProperty({ ...rest }, 'text', {
            enumerable: true,
            get: () => {
              counter.reads++;
              return text;
            },
          }) as DesiredEntry;
        });
      const before = counted(size, 'w');
      const after = [...counted(size, 'w').slice(size / 10), ...counted(50, 'n')].reverse();
      const diff = diffEntries(before, after);
      expect(diff.removed).toHaveLength(size / 10);
      expect(diff.added).toHaveLength(50);
      return counter.reads / (before.length + after.length);
    };
    const small = readsPerEntry(1_000);
    const large = readsPerEntry(4_000);
    expect(small).toBeLessThanOrEqual(8);
    expect(large).toBeLessThanOrEqual(8);
  });
});
