import { describe, expect, it } from 'vitest';
import {
  checkPrefix,
  checkText,
  checkVocabularyData,
  checkWeight,
  countCodePoints,
  countWords,
} from '../../src/config/index.js';
import { listModelIds } from '../../src/catalog/index.js';
import { checkCharacters, checkLanguage } from '../../src/config/entry-rules.js';
import { findApiKeys } from '../../src/config/secret-rules.js';
import { quoteValue } from '../../src/util/secrets.js';
import { normalizeText } from '../../src/util/text.js';

const messages = (data: Record<string, unknown>): string[] => checkVocabularyData(data).problems.map((p) => `${p.path}: ${p.message}`);

describe('prefix', () => {
  it('takes 1 to 9 lowercase letters or digits', () => {
    expect(checkPrefix('movies')).toBeUndefined();
    expect(checkPrefix('a1b2c3d4e')).toBeUndefined();
    expect(checkPrefix('a1b2c3d4e5')).toMatch(/1 to 9 lowercase/);
    expect(checkPrefix('')).toMatch(/1 to 9/);
    expect(checkPrefix('Movies')).toMatch(/1 to 9/);
    expect(checkPrefix('my-list')).toMatch(/1 to 9/);
  });
});

describe('text', () => {
  it('counts astral-plane characters once', () => {
    expect('𠮷'.length).toBe(2);
    expect(countCodePoints('𠮷')).toBe(1);
    expect(checkText('𠮷'.repeat(15))).toBeUndefined();
    expect(checkText('𠮷'.repeat(16))).toMatch(/16 characters long; at most 15/);
  });

  it('counts e + U+0301 as one character, because text is NFC-normalised first', () => {
    const decomposed = 'Pok\u0065\u0301mon café 𠮷'; // any non-ASCII text is counted in code points
    const normalised = normalizeText(decomposed);
    expect(normalised).toBe('Pok\u00e9mon café 𠮷');
    expect(countCodePoints(normalised)).toBe(countCodePoints(decomposed) - 1);
    expect(checkText(normalizeText('e\u0301'.repeat(15)))).toBeUndefined();
    expect(checkText('e\u0301'.repeat(8))).toMatch(/16 characters long/); // unnormalised input would count twice
  });

  it('allows 7 space-separated words in ASCII text; runs of spaces make no empty words', () => {
    expect(countWords('one  two   three')).toBe(3);
    expect(countWords('  ')).toBe(0);
    expect(checkText('one two three four five six seven')).toBeUndefined();
    expect(checkText('one   two three four five six     seven')).toBeUndefined();
    expect(checkText('one two three four five six seven eight')).toMatch(/8 words; at most 7/);
  });

  it('counts characters, not words, once any character is non-ASCII', () => {
    expect(checkText('Seediq 赛德克巴莱')).toBeUndefined(); // 12 code points
    expect(checkText('Seediq Bale 赛德克巴莱')).toMatch(/17 characters long/); // 3 words, but 17 code points
  });

  it('rejects empty text and control characters', () => {
    expect(checkText('')).toBe('text is empty');
    expect(checkText('tab\there')).toMatch(/control character \(U\+0009\)/);
  });

  it('trims surrounding white space', () => {
    expect(normalizeText('  Seediq Bale \n')).toBe('Seediq Bale');
  });
});

describe('weight', () => {
  it('is an integer from 1 to 5', () => {
    expect(checkWeight(1)).toBeUndefined();
    expect(checkWeight(5)).toBeUndefined();
    expect(checkWeight(0)).toMatch(/from 1 to 5, not 0/);
    expect(checkWeight(6)).toMatch(/not 6/);
    expect(checkWeight(2.5)).toMatch(/not 2.5/);
    expect(checkWeight('4')).toMatch(/not a string/);
  });

  it('is required after defaults for Fun-ASR and Paraformer', () => {
    expect(messages({ prefix: 'a', target_model: 'fun-asr', entries: ['x'] })).toStrictEqual([
      '/entries/0: entry has no weight; set "weight" (1-5) on the entry or in "defaults"',
    ]);
    const { parts, problems } = checkVocabularyData({ prefix: 'a', target_model: 'fun-asr', defaults: { weight: 4 }, entries: ['x', { text: 'y', weight: 2 }] });
    expect(problems).toStrictEqual([]);
    expect(parts.entries).toStrictEqual([{ text: 'x', weight: 4 }, { text: 'y', weight: 2 }]);
  });

  it('is optional on Gummy, on an entry or in defaults, and still 1 to 5', () => {
    const { parts, problems } = checkVocabularyData({
      prefix: 'a',
      target_model: 'gummy-realtime-v1',
      defaults: { weight: 4 },
      entries: [{ text: '夏洛特烦恼', weight: 3, target_lang: 'en', translation: 'Goodbye Mr. Loser' }, '赛德克巴莱'],
    });
    expect(problems).toStrictEqual([]);
    expect(parts.entries).toStrictEqual([
      { text: '夏洛特烦恼', weight: 3, target_lang: 'en', translation: 'Goodbye Mr. Loser' },
      { text: '赛德克巴莱', weight: 4 },
    ]);
    expect(messages({ prefix: 'a', target_model: 'gummy-chat-v1', entries: ['夏洛特烦恼'] })).toStrictEqual([]);
    expect(messages({ prefix: 'a', target_model: 'gummy-chat-v1', entries: [{ text: '夏洛特烦恼', weight: 6 }] })).toStrictEqual([
      '/entries/0/weight: weight must be an integer from 1 to 5, not 6',
    ]);
  });

  it('takes 50, the "super hotword", only on the Qwen-Audio 3.0 ASR Flash models', () => {
    for (const model of ['qwen-audio-3.0-asr-flash', 'qwen-audio-3.0-asr-flash-filetrans', 'qwen-audio-3.0-asr-flash-streaming']) {
      expect(messages({ prefix: 'a', target_model: model, defaults: { weight: 50 }, entries: ['x', { text: 'y', weight: 50 }, { text: 'z', weight: 4 }] })).toStrictEqual([]);
    }
    const elsewhere = (model: string): string =>
      `weight 50 (a "super hotword") is allowed only on the Qwen-Audio 3.0 ASR Flash models (qwen-audio-3.0-asr-flash, qwen-audio-3.0-asr-flash-filetrans, qwen-audio-3.0-asr-flash-streaming), not on ${model}; use an integer from 1 to 5`;
    expect(messages({ prefix: 'a', target_model: 'qwen-audio-3.1-asr-flash', entries: [{ text: 'x', weight: 50 }] })).toStrictEqual([
      `/entries/0/weight: ${elsewhere('qwen-audio-3.1-asr-flash')}`,
    ]);
    expect(messages({ prefix: 'a', target_model: 'fun-asr', defaults: { weight: 50 }, entries: ['x'] })).toStrictEqual([
      `/defaults/weight: ${elsewhere('fun-asr')}`,
    ]);
    expect(messages({ prefix: 'a', target_model: 'qwen-audio-3.0-asr-flash', entries: [{ text: 'x', weight: 49 }] })).toStrictEqual([
      '/entries/0/weight: weight must be an integer from 1 to 5, not 49',
    ]);
    expect(checkWeight(50)).toMatch(/only on the Qwen-Audio 3\.0 ASR Flash models/);
  });
});

describe('languages and translation fields', () => {
  it('checks lang against the model family', () => {
    expect(messages({ prefix: 'a', target_model: 'fun-asr', entries: [{ text: 'x', weight: 4, lang: 'ja' }] })).toStrictEqual([]);
    for (const lang of ['zh', 'en', 'ja', 'yue', 'ko', 'de', 'fr', 'ru']) {
      expect(messages({ prefix: 'a', target_model: 'paraformer-v2', entries: [{ text: 'x', weight: 4, lang }] })).toStrictEqual([]);
    }
    expect(messages({ prefix: 'a', target_model: 'paraformer-v2', entries: [{ text: 'x', weight: 4, lang: 'es' }] })).toStrictEqual([
      '/entries/0/lang: lang "es" is not supported by paraformer-v2 (supported: zh, en, ja, yue, ko, de, fr, ru) (did you mean "en"?)',
    ]);
    // No source lists Qwen-Audio's codes: any is sent as written.
    expect(messages({ prefix: 'a', target_model: 'qwen-audio-3.1-asr-flash', entries: [{ text: 'x', weight: 4, lang: 'es' }] })).toStrictEqual([]);
    expect(messages({ prefix: 'a', target_model: 'fun-asr', defaults: { weight: 4, lang: 'zn' }, entries: ['x'] })).toStrictEqual([
      '/defaults/lang: lang "zn" is not supported by fun-asr (supported: zh, en, ja) (did you mean "zh"?)',
    ]);
  });

  it('allows target_lang and translation only on Gummy, with a supported target', () => {
    expect(messages({ prefix: 'a', target_model: 'fun-asr', entries: [{ text: 'x', weight: 4, target_lang: 'en', translation: 'y' }] })).toStrictEqual([
      '/entries/0/target_lang: target_lang is only for Gummy translation models (gummy-realtime-v1, gummy-chat-v1), not fun-asr',
      '/entries/0/translation: translation is only for Gummy translation models (gummy-realtime-v1, gummy-chat-v1), not fun-asr',
    ]);
    const gummy = { prefix: 'a', target_model: 'gummy-realtime-v1', defaults: { lang: 'zh' } };
    expect(messages({ ...gummy, entries: [{ text: '夏洛特烦恼', target_lang: 'ja', translation: '夏洛の特別な悩み' }] })).toStrictEqual([]);
    expect(messages({ ...gummy, entries: [{ text: '夏洛特烦恼', target_lang: 'de', translation: 'x' }] })).toStrictEqual([
      '/entries/0/target_lang: target_lang "de" is not supported by gummy-realtime-v1 (supported: en, ja)',
    ]);
    expect(messages({ ...gummy, entries: [{ text: '夏洛特烦恼', translation: 'x' }] })).toStrictEqual([
      '/entries/0/translation: translation needs a target_lang (on the entry or in "defaults")',
    ]);
  });
});

describe('duplicates', () => {
  it('are found after NFC, per (text, lang, target_lang)', () => {
    const data = {
      prefix: 'a',
      target_model: 'fun-asr',
      defaults: { weight: 4 },
      entries: ['Pok\u00e9mon', 'Poke\u0301mon', { text: 'Pokémon', lang: 'en' }, ' Pokémon '],
    };
    const { parts, problems } = checkVocabularyData(data);
    expect(problems.map((p) => [p.path, p.relatedPath])).toStrictEqual([
      ['/entries/1', '/entries/0'],
      ['/entries/3', '/entries/0'],
    ]);
    expect(problems[0]!.message).toBe('duplicate entry "Pokémon": the same text is already listed');
    expect(parts.entries).toHaveLength(2);
  });

  it('allow one Gummy text per target language', () => {
    const { problems } = checkVocabularyData({
      prefix: 'a',
      target_model: 'gummy-realtime-v1',
      entries: [
        { text: '夏洛特烦恼', lang: 'zh', target_lang: 'en', translation: 'Goodbye Mr. Loser' },
        { text: '夏洛特烦恼', lang: 'zh', target_lang: 'ja', translation: '夏洛の特別な悩み' },
        { text: '夏洛特烦恼', lang: 'zh', target_lang: 'en', translation: 'Charlotte Trouble' },
      ],
    });
    expect(problems.map((p) => p.path)).toStrictEqual(['/entries/2/text']);
  });
});

describe('entry shape', () => {
  it('expands bare strings with the defaults and reports unknown keys with a suggestion', () => {
    expect(messages({ prefix: 'a', target_model: 'fun-asr', defaults: { weight: 4 }, entries: [{ text: 'x', wieght: 3 }, { text: 'y', lnag: 'en' }] })).toStrictEqual([
      '/entries/0/wieght: unknown key "wieght" (did you mean "weight"?)',
      '/entries/1/lnag: unknown key "lnag" (did you mean "lang"?)',
    ]);
  });

  it('asks to quote numbers that YAML read as numbers', () => {
    expect(messages({ prefix: 'a', target_model: 'fun-asr', defaults: { weight: 4 }, entries: [1917, { text: 2046 }] })).toStrictEqual([
      '/entries/0: entry must be a string, not an integer; quote it: "1917"',
      '/entries/1/text: text must be a string, not an integer; quote it: "2046"',
    ]);
  });

  it('names an unknown target model with a suggestion', () => {
    expect(messages({ prefix: 'a', target_model: 'fun-asr-realtim', entries: [] })[0]).toMatch(
      /^\/target_model: unknown target_model "fun-asr-realtim" \(did you mean "fun-asr-realtime"\?\)/,
    );
  });
});

describe('API keys in files', () => {
  it('flags secret-named keys and key-shaped values without echoing them', () => {
    const key = 'sk-0123456789abcdefghijKLMNOP';
    const problems = findApiKeys({ environments: { prod: { apiKey: 'x', dashscope_api_key: 'y', api_key_env: key } } });
    expect(problems.map((p) => p.path)).toStrictEqual(['/environments/prod/apiKey', '/environments/prod/dashscope_api_key', '/environments/prod/api_key_env']);
    for (const p of problems) expect(p.message).not.toContain(key);
    expect(findApiKeys({ api_key_env: 'DASHSCOPE_API_KEY', text: 'sk-short' })).toStrictEqual([]);
    expect(quoteValue(`key ${key}`)).not.toContain(key);
  });

  it('never quotes a key-shaped value back in a rule message', () => {
    const key = 'sk-0123456789abcdefghijKLMNOP';
    const out = messages({ prefix: key, target_model: 'fun-asr', entries: [] });
    expect(out.join('\n')).not.toContain(key);
    expect(out[0]).toContain('looks like a secret');
  });
});

describe('entry defaults and mappings', () => {
  it('keeps an entry\'s own target_lang over the one in defaults', () => {
    const { parts, problems } = checkVocabularyData({
      prefix: 'a',
      target_model: 'gummy-realtime-v1',
      defaults: { lang: 'zh', target_lang: 'en' },
      entries: [
        { text: '夏洛特烦恼', target_lang: 'ja', translation: '夏洛の特別な悩み' },
        { text: '赛德克巴莱', translation: 'Seediq Bale' },
      ],
    });
    expect(problems).toStrictEqual([]);
    expect(parts.entries).toStrictEqual([
      { text: '夏洛特烦恼', lang: 'zh', target_lang: 'ja', translation: '夏洛の特別な悩み' },
      { text: '赛德克巴莱', lang: 'zh', target_lang: 'en', translation: 'Seediq Bale' },
    ]);
  });

  it('refuses a mapping without "text", or with text null, and keeps the other entries', () => {
    const { parts, problems } = checkVocabularyData({
      prefix: 'a',
      target_model: 'fun-asr',
      defaults: { weight: 4 },
      entries: [{ weight: 3 }, { text: null, weight: 2 }, 'kept'],
    });
    expect(problems).toStrictEqual([
      { path: '/entries/0', message: 'entry has no "text"' },
      { path: '/entries/1', message: 'entry has no "text"' },
    ]);
    expect(parts.entries).toStrictEqual([{ text: 'kept', weight: 4 }]);
  });
});

describe('code points and words, at the edges', () => {
  it('counts a surrogate pair once, and a lone or misordered surrogate as one character', () => {
    expect(countCodePoints('a𠮷b')).toBe(3);
    expect(countCodePoints('\ud800\udc00')).toBe(1);
    expect(countCodePoints('\udbff\udfff')).toBe(1);
    expect(countCodePoints('a\udc00')).toBe(2);
    expect(countCodePoints('\udc00\udc00')).toBe(2);
    expect(countCodePoints('\ud800\ud800')).toBe(2);
    expect(countCodePoints('\ud800\ue000')).toBe(2);
    expect(countCodePoints('\ud800\udbff')).toBe(2);
    expect(countCodePoints('\ud7ff\udc00')).toBe(2);
    expect(countCodePoints('\udc00\udc00a')).toBe(3);
  });

  it('separates ASCII words by space, tab, line feed, vertical tab, form feed and carriage return only', () => {
    expect(countWords('a\tb\nc\u000bd\u000ce\rf g')).toBe(7);
    expect(countWords('a\u0008b')).toBe(1);
    expect(countWords('a\u000eb')).toBe(1);
    expect(countWords('a\u001fb')).toBe(1);
  });

  it('separates non-ASCII words by any Unicode white space, runs included', () => {
    expect(countWords('  赛德克 \u3000 巴莱  ')).toBe(2);
    expect(countWords('é\u00a0\u00a0b')).toBe(2);
    expect(countWords('\u3000')).toBe(0);
  });
});

describe('characters', () => {
  it('names the field and the first control character', () => {
    expect(checkCharacters('a\u0007b')).toBe('text "a\\u0007b" contains a control character (U+0007)');
    expect(checkCharacters('x\u009fy', 'translation')).toBe('translation "x\\u009fy" contains a control character (U+009F)');
    expect(checkCharacters('line\u2028break')).toBe('text "line\\u2028break" contains a control character (U+2028)');
  });

  it('refuses a lone surrogate and text with nothing visible, listing at most four code points', () => {
    expect(checkCharacters('a\ud800b')).toBe('text is not valid text: it contains a lone UTF-16 surrogate (U+D800), which is not a character');
    expect(checkCharacters('\u200b', 'translation')).toBe('translation has no visible characters (only zero-width, format or combining characters: U+200B)');
    expect(checkCharacters('\u200b\u200c\u200d\u2060')).toBe('text has no visible characters (only zero-width, format or combining characters: U+200B U+200C U+200D U+2060)');
    expect(checkCharacters('\u200b\u200c\u200d\u2060\ufeff')).toBe(
      'text has no visible characters (only zero-width, format or combining characters: U+200B U+200C U+200D U+2060 …)',
    );
    expect(checkCharacters('é')).toBeUndefined();
    expect(checkCharacters('𠮷')).toBeUndefined();
  });
});

describe('weights, languages and models, word for word', () => {
  it('names the super-hotword models, and the model the weight was given for', () => {
    const models = 'qwen-audio-3.0-asr-flash, qwen-audio-3.0-asr-flash-filetrans, qwen-audio-3.0-asr-flash-streaming';
    expect(checkWeight(50)).toBe(`weight 50 (a "super hotword") is allowed only on the Qwen-Audio 3.0 ASR Flash models (${models}); use an integer from 1 to 5`);
    expect(checkWeight(50, 'qwen-audio-3.0-asr-flash')).toBeUndefined();
    expect(checkWeight(5, 'qwen-audio-3.0-asr-flash')).toBeUndefined();
    expect(checkWeight(null)).toBe('weight must be an integer from 1 to 5, not empty');
  });

  it('leaves the languages of an unknown model to the target_model problem', () => {
    expect(checkLanguage('lang', 'xx', 'no-such-model')).toBeUndefined();
    expect(messages({ prefix: 'a', target_model: 'no-such-model', entries: [{ text: 'x', lang: 'xx' }, 'y'] })).toStrictEqual([
      `/target_model: unknown target_model "no-such-model"; models with custom vocabularies: ${listModelIds().join(', ')}`,
    ]);
  });
});

describe('a vocabulary file, field by field', () => {
  it('keeps the prefix, model, name and environments it can read, and nothing it cannot', () => {
    expect(checkVocabularyData({ prefix: 'movies', target_model: 'fun-asr', name: 'films', environments: ['prod', 3, 'dev'], entries: [] })).toStrictEqual({
      parts: { environments: ['prod', 'dev'], entries: [], entryIndexes: [], prefix: 'movies', target_model: 'fun-asr', name: 'films' },
      problems: [],
    });
    // The name defaults to the prefix; wrongly typed fields are left to the schema.
    expect(checkVocabularyData({ prefix: 'movies', name: 5, target_model: 7, environments: 'prod', entries: 'abc', defaults: null })).toStrictEqual({
      parts: { environments: null, entries: [], entryIndexes: [], prefix: 'movies', name: 'movies' },
      problems: [],
    });
    expect(checkVocabularyData({ prefix: 42, defaults: 'x' })).toStrictEqual({ parts: { environments: null, entries: [], entryIndexes: [] }, problems: [] });
  });

  it('reports a bad prefix at /prefix', () => {
    expect(checkVocabularyData({ prefix: 'My-List', entries: [] }).problems).toStrictEqual([
      { path: '/prefix', message: 'prefix "My-List" must be 1 to 9 lowercase letters or digits (a-z, 0-9)' },
    ]);
  });

  it('checks entries without a target model only for what needs none', () => {
    const { parts, problems } = checkVocabularyData({ prefix: 'a', defaults: { weight: 4, lang: 'xx', target_lang: 'en' }, entries: [{ text: 'x', target_lang: 'zz', translation: 'y', lang: 'qq' }, 'z'] });
    expect(problems).toStrictEqual([]);
    expect(parts.entries).toStrictEqual([
      { text: 'x', weight: 4, lang: 'qq', target_lang: 'zz', translation: 'y' },
      { text: 'z', weight: 4, lang: 'xx' },
    ]);
  });

  it('refuses target_lang in defaults for a model without translation, pointing at the key', () => {
    expect(checkVocabularyData({ prefix: 'a', target_model: 'fun-asr', defaults: { weight: 4, lang: 'zh', target_lang: 'en' }, entries: ['x'] })).toStrictEqual({
      parts: { environments: null, entries: [{ text: 'x', weight: 4, lang: 'zh' }], entryIndexes: [0], prefix: 'a', target_model: 'fun-asr', name: 'a' },
      problems: [
        {
          path: '/defaults/target_lang',
          pointsAt: 'key',
          message: 'target_lang is only for Gummy translation models (gummy-realtime-v1, gummy-chat-v1), not fun-asr',
        },
      ],
    });
  });

  it('keeps an entry\'s own lang over the one in defaults, and checks it', () => {
    const { parts, problems } = checkVocabularyData({ prefix: 'a', target_model: 'paraformer-v2', defaults: { weight: 4, lang: 'zh' }, entries: [{ text: 'x', lang: 'en' }, { text: 'y' }, { text: 'z', lang: 'es' }] });
    expect(parts.entries).toStrictEqual([
      { text: 'x', weight: 4, lang: 'en' },
      { text: 'y', weight: 4, lang: 'zh' },
    ]);
    expect(problems).toStrictEqual([
      { path: '/entries/2/lang', message: 'lang "es" is not supported by paraformer-v2 (supported: zh, en, ja, yue, ko, de, fr, ru) (did you mean "en"?)' },
    ]);
  });

  it('takes lang as written and normalises only the translation', () => {
    const { parts, problems } = checkVocabularyData({
      prefix: 'a',
      target_model: 'gummy-realtime-v1',
      entries: [{ text: '夏洛特烦恼', lang: ' zh' }, { text: '赛德克巴莱', target_lang: 'en', translation: ' Seediq Bale ' }],
    });
    expect(problems).toStrictEqual([{ path: '/entries/0/lang', message: 'lang " zh" is not supported by gummy-realtime-v1 (supported: zh) (did you mean "zh"?)' }]);
    expect(parts.entries).toStrictEqual([{ text: '赛德克巴莱', target_lang: 'en', translation: 'Seediq Bale' }]);
  });
});

describe('entries, one problem each, and only clean entries kept', () => {
  it('refuses every kind of entry that is not a text or a mapping with a text', () => {
    const { parts, problems } = checkVocabularyData({
      prefix: 'a',
      target_model: 'fun-asr',
      defaults: { weight: 4 },
      entries: [null, ['a'], true, 3.5, { text: { a: 1 } }, { text: true }, { text: 'x', lang: 5 }, 'kept'],
    });
    expect(problems).toStrictEqual([
      { path: '/entries/0', message: 'entry must be a text or a mapping with "text", not empty' },
      { path: '/entries/1', message: 'entry must be a text or a mapping with "text", not a list' },
      { path: '/entries/2', message: 'entry must be a string, not a boolean; quote it: "true"' },
      { path: '/entries/3', message: 'entry must be a string, not a number; quote it: "3.5"' },
      { path: '/entries/4/text', message: 'text must be a string, not a mapping' },
      { path: '/entries/5/text', message: 'text must be a string, not a boolean; quote it: "true"' },
      { path: '/entries/6/lang', message: 'lang must be a string, not an integer' },
    ]);
    expect(parts.entries).toStrictEqual([{ text: 'kept', weight: 4 }]);
    expect(parts.entryIndexes).toStrictEqual([7]);
  });

  it('keeps no entry that has a problem of its own: a bad weight, an unknown key, bad text', () => {
    const { parts, problems } = checkVocabularyData({
      prefix: 'a',
      target_model: 'fun-asr',
      defaults: { weight: 4 },
      entries: [{ text: 'x', weight: 9 }, { text: 'y', wieght: 3 }, { text: 'a\u0007b' }, 'c\u0007d', { text: 'ok' }],
    });
    expect(problems).toStrictEqual([
      { path: '/entries/0/weight', message: 'weight must be an integer from 1 to 5, not 9' },
      { path: '/entries/1/wieght', pointsAt: 'key', message: 'unknown key "wieght" (did you mean "weight"?)' },
      { path: '/entries/2/text', message: 'text "a\\u0007b" contains a control character (U+0007)' },
      { path: '/entries/3', message: 'text "c\\u0007d" contains a control character (U+0007)' },
    ]);
    expect(parts.entries).toStrictEqual([{ text: 'ok', weight: 4 }]);
    expect(parts.entryIndexes).toStrictEqual([4]);
  });

  it('reads only the entry\'s own keys, not inherited ones', () => {
    const entry = Object.assign(Object.create({ inherited: 1 }) as Record<string, unknown>, { text: 'x', weight: 4 });
    expect(checkVocabularyData({ prefix: 'a', target_model: 'fun-asr', entries: [entry] })).toStrictEqual({
      parts: { environments: null, entries: [{ text: 'x', weight: 4 }], entryIndexes: [0], prefix: 'a', target_model: 'fun-asr', name: 'a' },
      problems: [],
    });
  });

  it('points at the key of a translation field on a model without translation', () => {
    expect(checkVocabularyData({ prefix: 'a', target_model: 'fun-asr', entries: [{ text: 'x', weight: 4, translation: 'y' }] }).problems).toStrictEqual([
      { path: '/entries/0/translation', pointsAt: 'key', message: 'translation is only for Gummy translation models (gummy-realtime-v1, gummy-chat-v1), not fun-asr' },
    ]);
  });

  it('asks for a weight only on a known model whose weight is required and was not refused in defaults', () => {
    expect(messages({ prefix: 'a', target_model: 'fun-asr', defaults: { weight: 9 }, entries: ['x'] })).toStrictEqual([
      '/defaults/weight: weight must be an integer from 1 to 5, not 9',
    ]);
    expect(messages({ prefix: 'a', target_model: 'fun-asr', entries: [{ text: 'x', weight: 9 }] })).toStrictEqual([
      '/entries/0/weight: weight must be an integer from 1 to 5, not 9',
    ]);
  });

  it('checks a Gummy translation: a target language, not empty, only characters', () => {
    const { parts, problems } = checkVocabularyData({
      prefix: 'a',
      target_model: 'gummy-realtime-v1',
      entries: [
        { text: 'x', translation: 'y' },
        { text: 'y', target_lang: 'en', translation: '  ' },
        { text: 'z', target_lang: 'en', translation: 'a\u0007' },
        { text: 'w', target_lang: 'en', translation: 'fine' },
      ],
    });
    expect(problems).toStrictEqual([
      { path: '/entries/0/translation', message: 'translation needs a target_lang (on the entry or in "defaults")', pointsAt: 'key' },
      { path: '/entries/1/translation', message: 'translation is empty' },
      { path: '/entries/2/translation', message: 'translation "a\\u0007" contains a control character (U+0007)' },
    ]);
    expect(parts.entries).toStrictEqual([{ text: 'w', target_lang: 'en', translation: 'fine' }]);
  });

  it('words a duplicate with its languages', () => {
    expect(messages({ prefix: 'a', target_model: 'fun-asr', defaults: { weight: 4 }, entries: [{ text: 'x', lang: 'en' }, { text: 'x', lang: 'en' }] })).toStrictEqual([
      '/entries/1/text: duplicate entry "x" (lang en): the same text and language is already listed',
    ]);
    expect(
      messages({
        prefix: 'a',
        target_model: 'gummy-realtime-v1',
        entries: [
          { text: '夏洛特烦恼', lang: 'zh', target_lang: 'en', translation: 'a' },
          { text: '夏洛特烦恼', lang: 'zh', target_lang: 'en', translation: 'b' },
        ],
      }),
    ).toStrictEqual(['/entries/1/text: duplicate entry "夏洛特烦恼" (lang zh, target_lang en): the same text and language is already listed']);
  });

  it('finds a duplicate among several entries of one text in other languages', () => {
    const { parts, problems } = checkVocabularyData({
      prefix: 'a',
      target_model: 'fun-asr',
      defaults: { weight: 4 },
      entries: [{ text: 'x', lang: 'en' }, { text: 'x', lang: 'zh' }, { text: 'x', lang: 'ja' }, { text: 'x', lang: 'zh' }, { text: 'x' }],
    });
    expect(problems.map((p) => [p.path, p.relatedPath])).toStrictEqual([['/entries/3/text', '/entries/1']]);
    expect(parts.entryIndexes).toStrictEqual([0, 1, 2, 4]);
  });
});

describe('languages left out', () => {
  it('asks for no lang on a model that lists its languages', () => {
    expect(checkVocabularyData({ prefix: 'a', target_model: 'paraformer-v2', entries: [{ text: 'x', weight: 4 }] })).toStrictEqual({
      parts: { environments: null, entries: [{ text: 'x', weight: 4 }], entryIndexes: [0], prefix: 'a', target_model: 'paraformer-v2', name: 'a' },
      problems: [],
    });
  });
});
