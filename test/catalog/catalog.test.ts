import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  effectiveRegion,
  extraWeightsOf,
  FAMILIES,
  findModel,
  isTranslationModel,
  languagesOf,
  listModelIds,
  MODELS,
  modelsInRegion,
  modelsWithExtraWeight,
  regionOfEndpoint,
  targetLanguagesOf,
  UPDATE_SOURCES,
  VENDOR_PAGES,
  wordCap,
} from '../../src/catalog/index.js';

describe('model catalog', () => {
  it('offers the Singapore models in Singapore and Paraformer and Gummy only in Beijing', () => {
    expect(modelsInRegion('ap-southeast-1')).toEqual([
      'fun-asr-realtime',
      'fun-asr-realtime-2025-11-07',
      'fun-asr',
      'fun-asr-2025-11-07',
      'fun-asr-2025-08-25',
      'fun-asr-mtl',
      'fun-asr-mtl-2025-08-25',
    ]);
    const beijing = modelsInRegion('cn-beijing');
    expect(beijing).toHaveLength(22);
    expect(beijing).toContain('fun-asr-flash-8k-realtime');
    expect(beijing).toContain('qwen-audio-3.0-asr-flash');
    expect(beijing).toContain('qwen-audio-3.1-asr-flash-message');
    expect(beijing).toContain('fun-asr-realtime-2025-09-15');
    expect(beijing).toContain('paraformer-8k-v2');
    expect(beijing).toContain('gummy-chat-v1');
    expect(modelsInRegion(undefined)).toEqual(listModelIds());
  });

  it('has word caps per model (Beijing page) and caps every Singapore list at 500', () => {
    expect(wordCap('fun-asr', 'cn-beijing')).toBe(10000);
    expect(wordCap('fun-asr-2025-11-07', 'cn-beijing')).toBe(10000);
    expect(wordCap('fun-asr-realtime', 'cn-beijing')).toBe(1000);
    expect(wordCap('fun-asr-mtl', 'cn-beijing')).toBe(1000);
    expect(wordCap('paraformer-v2', 'cn-beijing')).toBe(500);
    expect(wordCap('gummy-realtime-v1', 'cn-beijing')).toBe(500);
    expect(wordCap('fun-asr', 'ap-southeast-1')).toBe(500);
    expect(wordCap('fun-asr', undefined)).toBe(10000);
  });

  it('lets quota.word_caps override the built-in cap, for that model only', () => {
    expect(wordCap('fun-asr', 'ap-southeast-1', { 'fun-asr': 2000 })).toBe(2000);
    expect(wordCap('fun-asr-realtime', 'ap-southeast-1', { 'fun-asr': 2000 })).toBe(500);
  });

  it('knows the languages and entry shape of each family', () => {
    expect(languagesOf('fun-asr')).toEqual(['zh', 'en', 'ja']);
    expect(languagesOf('paraformer-realtime-v2')).toStrictEqual(['zh', 'en', 'ja', 'yue', 'ko', 'de', 'fr', 'ru']);
    expect(languagesOf('qwen-audio-3.0-asr-flash')).toBe('unchecked');
    expect(isTranslationModel('qwen-audio-3.0-asr-flash')).toBe(false);
    expect(targetLanguagesOf('gummy-realtime-v1')).toEqual(['en', 'ja']);
    expect(targetLanguagesOf('fun-asr')).toEqual([]);
    expect(isTranslationModel('gummy-chat-v1')).toBe(true);
    expect(isTranslationModel('paraformer-v2')).toBe(false);
    expect(findModel('whisper')).toBeUndefined();
  });

  it('derives the region from official endpoints, else the region setting', () => {
    expect(regionOfEndpoint('https://dashscope.aliyuncs.com/api/v1')).toBe('cn-beijing');
    expect(regionOfEndpoint('https://dashscope-intl.aliyuncs.com/api/v1')).toBe('ap-southeast-1');
    expect(regionOfEndpoint('https://ws-42.cn-beijing.maas.aliyuncs.com/api/v1')).toBe('cn-beijing');
    expect(regionOfEndpoint('https://ws-42.ap-southeast-1.maas.aliyuncs.com/api/v1')).toBe('ap-southeast-1');
    expect(effectiveRegion({ endpoint: 'https://ws-42.ap-southeast-1.maas.aliyuncs.com/api/v1' })).toBe('ap-southeast-1');
    expect(regionOfEndpoint('https://gateway.example.com/api/v1')).toBeUndefined();
    expect(effectiveRegion({ endpoint: 'https://dashscope-intl.aliyuncs.com/api/v1', region: 'cn-beijing' })).toBe('ap-southeast-1');
    expect(effectiveRegion({ endpoint: 'https://gateway.example.com/api/v1', region: 'cn-beijing' })).toBe('cn-beijing');
    expect(effectiveRegion({ endpoint: 'local' })).toBeUndefined();
    expect(effectiveRegion({ endpoint: 'local', region: 'ap-southeast-1' })).toBe('ap-southeast-1');
    expect(effectiveRegion({})).toBeUndefined();
  });

  it('cites a vendor page for every fact', () => {
    const pages = new Set<string>([...Object.values(VENDOR_PAGES), ...Object.values(UPDATE_SOURCES), 'dashscope-wire.md']);
    for (const model of MODELS) {
      expect(pages.has(model.regionsSource.page)).toBe(true);
      expect(pages.has(model.wordCapSource.page)).toBe(true);
      expect(model.wordCapSource.section).not.toBe('');
    }
    for (const family of Object.values(FAMILIES)) expect(pages.has(family.languagesSource.page)).toBe(true);
    // The vendor tool is cited as a tool, not as a documentation page.
    expect(UPDATE_SOURCES.bl).toMatch(/vendor tool/);
  });

  it('says where a cap is assumed, and uses the region\'s cap for it', () => {
    const assumed = MODELS.filter((m) => m.wordCapAssumed === true);
    expect(assumed.map((m) => m.id)).toStrictEqual([
      'fun-asr-flash-8k-realtime',
      'qwen-audio-3.0-asr-flash',
      'qwen-audio-3.0-asr-flash-filetrans',
      'qwen-audio-3.0-asr-flash-streaming',
      'qwen-audio-3.1-asr-flash',
      'qwen-audio-3.1-asr-flash-filetrans',
      'qwen-audio-3.1-asr-flash-streaming',
      'qwen-audio-3.1-asr-flash-message',
    ]);
    for (const model of assumed) expect(model.wordCapSource.note).toMatch(/^unknown/);
    expect(wordCap('qwen-audio-3.0-asr-flash', 'cn-beijing')).toBe(500);
    expect(wordCap('fun-asr-flash-8k-realtime', 'cn-beijing')).toBe(1000);
    expect(modelsWithExtraWeight(50)).toStrictEqual(['qwen-audio-3.0-asr-flash', 'qwen-audio-3.0-asr-flash-filetrans', 'qwen-audio-3.0-asr-flash-streaming']);
    expect(extraWeightsOf('qwen-audio-3.1-asr-flash')).toStrictEqual([]);
  });

  it('lists exactly the catalog models in the vocabulary schema', () => {
    const schema = JSON.parse(readFileSync(new URL('../../schemas/vocabulary.schema.json', import.meta.url), 'utf8')) as {
      properties: { target_model: { enum: string[] } };
    };
    expect(schema.properties.target_model.enum).toEqual(listModelIds());
  });
});
