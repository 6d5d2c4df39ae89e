import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/plan/canonical-json.js';
import { describeEntryDiff, diffEntries, isEmptyDiff } from '../../src/plan/diff-entries.js';
import { entriesEqual, hashContent, normalizeEntries, normalizeEntry, prepareEntries, sameInOrder } from '../../src/plan/normalize-entries.js';
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

describe('changed entries field by field', () => {
  it('shows only the fields that changed, and a field present on one side only', () => {
    expect(diffEntries([{ text: 'a', weight: 1 }], [{ text: 'a', weight: 2 }]).changed).toStrictEqual([{ text: 'a', before: { weight: 1 }, after: { weight: 2 } }]);
    expect(diffEntries([{ text: 'a' }], [{ text: 'a', weight: 2 }]).changed).toStrictEqual([{ text: 'a', before: {}, after: { weight: 2 } }]);
    expect(diffEntries([{ text: 'a', weight: 2 }], [{ text: 'a' }]).changed).toStrictEqual([{ text: 'a', before: { weight: 2 }, after: {} }]);
    const gummy = { text: 'hello', weight: 3, lang: 'en', target_lang: 'zh' };
    expect(diffEntries([{ ...gummy, translation: '你好' }], [{ ...gummy, translation: '您好' }]).changed).toStrictEqual([
      { text: 'hello', lang: 'en', target_lang: 'zh', before: { translation: '你好' }, after: { translation: '您好' } },
    ]);
    expect(diffEntries([gummy], [{ ...gummy, translation: '您好' }]).changed).toStrictEqual([
      { text: 'hello', lang: 'en', target_lang: 'zh', before: {}, after: { translation: '您好' } },
    ]);
    expect(diffEntries([{ ...gummy, translation: '你好' }], [gummy]).changed).toStrictEqual([
      { text: 'hello', lang: 'en', target_lang: 'zh', before: { translation: '你好' }, after: {} },
    ]);
  });

  it('tells entries apart by target_lang', () => {
    const diff = diffEntries([{ text: 'hi', lang: 'en', target_lang: 'zh', translation: '嗨' }], [{ text: 'hi', lang: 'en', target_lang: 'ja', translation: 'やあ' }]);
    expect(diff).toStrictEqual({
      added: [{ text: 'hi', lang: 'en', target_lang: 'ja', translation: 'やあ' }],
      removed: [{ text: 'hi', lang: 'en', target_lang: 'zh', translation: '嗨' }],
      changed: [],
    });
  });

  it('pairs an identity listed more than once by exact match first, then in canonical order, whatever the order', () => {
    const before = [{ text: 'a', weight: 1 }, { text: 'b' }, { text: 'a', weight: 1 }];
    const after = [{ text: 'a', weight: 1 }, { text: 'a', weight: 1 }, { text: 'b' }];
    expect(diffEntries(before, after)).toStrictEqual({ added: [], removed: [], changed: [] });
    const one = [{ text: 'a', weight: 3 }];
    const two = [{ text: 'a', weight: 1 }, { text: 'a', weight: 2 }];
    const expected = { added: [{ text: 'a', weight: 2 }], removed: [], changed: [{ text: 'a', before: { weight: 3 }, after: { weight: 1 } }] };
    expect(diffEntries(one, two)).toStrictEqual(expected);
    expect(diffEntries(one, [...two].reverse())).toStrictEqual(expected);
    expect(diffEntries(two, one)).toStrictEqual({ added: [], removed: [{ text: 'a', weight: 2 }], changed: [{ text: 'a', before: { weight: 1 }, after: { weight: 3 } }] });
    expect(diffEntries([...two].reverse(), one)).toStrictEqual(diffEntries(two, one));
    expect(diffEntries([{ text: 'a', weight: 1 }, { text: 'a', weight: 2 }], [{ text: 'a', weight: 2 }, { text: 'a', weight: 5 }])).toStrictEqual({
      added: [],
      removed: [],
      changed: [{ text: 'a', before: { weight: 1 }, after: { weight: 5 } }],
    });
  });

  it('knows an empty diff', () => {
    expect(isEmptyDiff({ added: [], removed: [], changed: [] })).toBe(true);
    expect(isEmptyDiff({ added: words(1), removed: [], changed: [] })).toBe(false);
    expect(isEmptyDiff({ added: [], removed: words(1), changed: [] })).toBe(false);
    expect(isEmptyDiff({ added: [], removed: [], changed: [{ text: 'a', before: {}, after: { weight: 1 } }] })).toBe(false);
  });
});

describe('preparing entries', () => {
  it('keeps translation fields, drops what is absent, and orders keys', () => {
    expect(normalizeEntry({ translation: ' 你好 ', target_lang: 'zh', text: 'hello', lang: 'en' })).toStrictEqual({ text: 'hello', lang: 'en', target_lang: 'zh', translation: '你好' });
    expect(Object.keys(normalizeEntry({ translation: 'x', target_lang: 'zh', weight: 2, lang: 'en', text: 'a' }))).toStrictEqual(['text', 'weight', 'lang', 'target_lang', 'translation']);
  });

  it('takes an entry already in canonical form as it is, and normalises every other', () => {
    const canonical = [{ text: 'a' }, { text: 'b', weight: 1, lang: 'en', target_lang: 'zh', translation: 'x' }, { text: 'c', translation: 'y' }];
    const prepared = prepareEntries(canonical).normalized;
    prepared.forEach((entry, i) => expect(entry).toBe(canonical[i]));
    const others: [string, Record<string, unknown>, Record<string, unknown>][] = [
      ['keys out of order', { weight: 1, text: 'a' }, { text: 'a', weight: 1 }],
      ['a key twice in rank', { text: 'a', lang: 'en', weight: 1 }, { text: 'a', weight: 1, lang: 'en' }],
      ['an absent field', { text: 'a', weight: undefined }, { text: 'a' }],
      ['a null field', { text: 'a', lang: null }, { text: 'a' }],
      ['an unknown field', { text: 'a', extra: 1 }, { text: 'a' }],
      ['spaces around the text', { text: ' a ' }, { text: 'a' }],
      ['spaces around the translation', { text: 'a', translation: ' x ' }, { text: 'a', translation: 'x' }],
      ['a decomposed text', { text: 'e\u0301' }, { text: '\u00e9' }],
    ];
    for (const [name, raw, expected] of others) {
      const [entry] = prepareEntries([raw as never]).normalized;
      expect(entry, name).not.toBe(raw);
      expect(entry, name).toStrictEqual(expected);
      expect(Object.keys(entry!), name).toStrictEqual(Object.keys(expected));
    }
  });

  it('orders entries of one identity by their other fields, whatever order they come in', () => {
    const list = [{ text: 'a', weight: 2 }, { text: 'a', weight: 1 }, { text: 'a', lang: 'zh' }, { text: 'b' }];
    const expected = [{ text: 'a', weight: 1 }, { text: 'a', weight: 2 }, { text: 'a', lang: 'zh' }, { text: 'b' }];
    expect(normalizeEntries(list)).toStrictEqual(expected);
    expect(normalizeEntries([...list].reverse())).toStrictEqual(expected);
  });

  it('hashes lists that differ only in the order of one identity\'s entries alike', () => {
    const a = [{ text: 'a', weight: 1 }, { text: 'a', weight: 2 }, { text: 'a', weight: 3 }, { text: 'b' }];
    const b = [{ text: 'b' }, { text: 'a', weight: 3 }, { text: 'a', weight: 1 }, { text: 'a', weight: 2 }];
    const c = [{ text: 'a', weight: 2 }, { text: 'b' }, { text: 'a', weight: 3 }, { text: 'a', weight: 1 }];
    expect(hashContent('fun-asr', b)).toBe(hashContent('fun-asr', a));
    expect(hashContent('fun-asr', c)).toBe(hashContent('fun-asr', a));
    expect(hashContent('fun-asr', [...a, { text: 'a', weight: 4 }])).not.toBe(hashContent('fun-asr', a));
  });
});

describe('sameInOrder', () => {
  const same = (a: Parameters<typeof prepareEntries>[0], b: Parameters<typeof prepareEntries>[0]): boolean => sameInOrder(prepareEntries(a), prepareEntries(b));

  it('is true for the same entries in the same order, null fields read as absent', () => {
    expect(same([{ text: 'a', weight: 1 }, { text: 'b', lang: 'en' }], [{ text: 'a', weight: 1 }, { text: 'b', lang: 'en' }])).toBe(true);
    expect(same([{ text: 'a', weight: null, lang: null, target_lang: null, translation: null } as never], [{ text: 'a' }])).toBe(true);
    expect(same([], [])).toBe(true);
  });

  it('is false for another order, another length or any other field', () => {
    expect(same([{ text: 'a' }, { text: 'b' }], [{ text: 'b' }, { text: 'a' }])).toBe(false);
    expect(same([{ text: 'a' }], [{ text: 'a' }, { text: 'b' }])).toBe(false);
    expect(same([{ text: 'a' }, { text: 'b' }], [{ text: 'a' }])).toBe(false);
    expect(same([{ text: 'a' }], [{ text: 'b' }])).toBe(false);
    expect(same([{ text: 'a', weight: 1 }], [{ text: 'a' }])).toBe(false);
    expect(same([{ text: 'a' }], [{ text: 'a', weight: 1 }])).toBe(false);
    expect(same([{ text: 'a', weight: 1 }], [{ text: 'a', weight: 2 }])).toBe(false);
    expect(same([{ text: 'a', lang: 'en' }], [{ text: 'a', lang: 'zh' }])).toBe(false);
    expect(same([{ text: 'a', target_lang: 'en' }], [{ text: 'a', target_lang: 'ja' }])).toBe(false);
    expect(same([{ text: 'a', translation: 'x' }], [{ text: 'a', translation: 'y' }])).toBe(false);
    // Not sure is false: the order-free comparison decides.
    expect(same([{ text: ' a' }], [{ text: 'a' }])).toBe(false);
  });
});

describe('canonicalJson', () => {
  it('sorts keys, drops undefined members and writes undefined items as null', () => {
    expect(canonicalJson({ b: [1, undefined, 'x'], a: { d: undefined, c: null } })).toBe('{"a":{"c":null},"b":[1,null,"x"]}');
    expect(canonicalJson(undefined)).toBe('null');
  });
});

describe('diff and hash, one entry at a time', () => {
  it('leaves an unchanged translation out of a reweighted entry', () => {
    const entry = { text: 'hello', lang: 'en', target_lang: 'zh', translation: '你好' };
    expect(diffEntries([{ ...entry, weight: 1 }], [{ ...entry, weight: 2 }]).changed).toStrictEqual([
      { text: 'hello', lang: 'en', target_lang: 'zh', before: { weight: 1 }, after: { weight: 2 } },
    ]);
  });

  it('changes the hash when any one entry changes, entries of one identity included', () => {
    const list = [
      { text: 'x', weight: 1 },
      { text: 'x', weight: 2 },
      { text: 'y', weight: 1 },
      { text: 'y', weight: 2 },
      ...words(6),
    ];
    const hashes = new Set([hashContent('fun-asr', list)]);
    list.forEach((entry, i) => hashes.add(hashContent('fun-asr', list.map((e, j) => (j === i ? { ...entry, weight: 5 } : e)))));
    expect(hashes.size).toBe(list.length + 1);
  });
});
