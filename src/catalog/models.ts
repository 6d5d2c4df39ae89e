/**
 * The model catalog as data: which models take custom vocabularies, in which region, with which
 * languages, entry shape and word cap. Every fact cites the vendor page it comes from (files in
 * `../shared/docs/dashscope/`, with the section). The pages disagree in places; where they do,
 * the choice is written next to the fact.
 */
/** The two official regions. */
export type Region = 'cn-beijing' | 'ap-southeast-1';

/** Where a fact comes from: the vendor page (file name) and its section. */
export interface Citation {
  page: string;
  section: string;
  /** What we chose when the page is silent or contradicts another one. */
  note?: string;
}

/** The vendor pages, by the file names under `docs/dashscope/`. */
export const VENDOR_PAGES = {
  sdkReferenceIntl: '000_22dba49c39d5f1c0.txt',
  userGuideIntl: '001_96e293d89aca4029.txt',
  httpApiReference: '002_4dc17e5a918d48d6.txt',
  beijingGuide: '003_fe9268d7c510465d.txt',
  gummyHotwords: '004_cf98ccaa885bd306.txt',
} as const;

/** Model families share languages and entry shape. */
export type ModelFamily = 'fun-asr' | 'paraformer' | 'gummy';

/**
 * `weighted`: `{text, weight 1-5, lang?}` (Fun-ASR, Paraformer).
 * `translation`: `{text, lang?, target_lang?, translation?}` and no weight (Gummy).
 */
export type EntryShape = 'weighted' | 'translation';

/** What every model of a family shares. */
export interface FamilyInfo {
  family: ModelFamily;
  entryShape: EntryShape;
  /** Valid values of an entry's `lang`. */
  languages: readonly string[];
  languagesSource: Citation;
  /** Valid values of `target_lang` (translation families only). */
  targetLanguages: readonly string[];
  targetLanguagesSource?: Citation;
  entryShapeSource: Citation;
}

/** One model that accepts custom vocabularies. */
export interface ModelInfo {
  id: string;
  family: ModelFamily;
  /** `realtime` for streaming recognition, `file` for audio-file (batch) recognition. */
  mode: 'realtime' | 'file';
  /** Regions whose service offers custom vocabularies for this model. */
  regions: readonly Region[];
  regionsSource: Citation;
  /** Entries per list for this model, before any region cap. */
  wordCap: number;
  wordCapSource: Citation;
}

/** Every official region, in the order the pages list them. */
export const REGIONS: readonly Region[] = ['cn-beijing', 'ap-southeast-1'];

export const FAMILIES: Readonly<Record<ModelFamily, FamilyInfo>> = {
  'fun-asr': {
    family: 'fun-asr',
    entryShape: 'weighted',
    languages: ['zh', 'en', 'ja'],
    languagesSource: {
      page: VENDOR_PAGES.httpApiReference,
      section: 'Hotword entry structure (lang: "Fun-ASR: zh (Chinese), en (English), ja (Japanese)")',
      note: `also ${VENDOR_PAGES.sdkReferenceIntl} "Hotword entry structure"`,
    },
    targetLanguages: [],
    entryShapeSource: { page: VENDOR_PAGES.httpApiReference, section: 'Hotword entry structure (text, weight, lang)' },
  },
  paraformer: {
    family: 'paraformer',
    entryShape: 'weighted',
    languages: ['zh', 'en'],
    languagesSource: {
      page: VENDOR_PAGES.userGuideIntl,
      section: 'Hotwords overview ("for Fun-ASR and Paraformer series models" example)',
      note:
        'no page lists Paraformer language codes (they point to the model API reference); we allow only the ' +
        `codes the pages use with Paraformer: zh and en (${VENDOR_PAGES.userGuideIntl} movie-title example), ` +
        `zh (${VENDOR_PAGES.beijingGuide} paraformer-realtime-v2 code example)`,
    },
    targetLanguages: [],
    entryShapeSource: { page: VENDOR_PAGES.beijingGuide, section: 'Overview (text, weight, lang)' },
  },
  gummy: {
    family: 'gummy',
    entryShape: 'translation',
    languages: ['zh'],
    languagesSource: {
      page: VENDOR_PAGES.gummyHotwords,
      section: '热词简介 (lang) and 应用场景示例',
      note: 'the page lists no codes ("请参见API详情"); its examples use only zh as the source language, so we allow zh',
    },
    targetLanguages: ['en', 'ja'],
    targetLanguagesSource: {
      page: VENDOR_PAGES.gummyHotwords,
      section: '热词简介 (target_lang: "将中文翻译成英文和日语") and 应用场景示例',
      note: 'the page lists no codes; its examples translate into en and ja, so we allow those two',
    },
    entryShapeSource: { page: VENDOR_PAGES.gummyHotwords, section: '热词简介 (text, lang, target_lang, translation; no weight)' },
  },
};

const SINGAPORE_FUN_ASR: Citation = {
  page: VENDOR_PAGES.userGuideIntl,
  section: 'Supported models: International (Singapore) and China (Beijing)',
};
const BEIJING_ONLY: Citation = {
  page: VENDOR_PAGES.userGuideIntl,
  section: 'Supported models: China (Beijing)',
  note: `also ${VENDOR_PAGES.beijingGuide} "Supported models"`,
};
const GUMMY_REGIONS: Citation = {
  page: VENDOR_PAGES.gummyHotwords,
  section: '支持的模型列表',
  note: 'a China-site page; the international page does not list Gummy, so Beijing only',
};
const CAP_10K: Citation = { page: VENDOR_PAGES.beijingGuide, section: 'Quotas ("fun-asr, fun-asr-2025-11-07: Up to 10,000")' };
const CAP_1K: Citation = { page: VENDOR_PAGES.beijingGuide, section: 'Quotas (Fun-ASR series "Others: Up to 1,000")' };
const CAP_PARAFORMER: Citation = { page: VENDOR_PAGES.beijingGuide, section: 'Quotas ("Paraformer series: Up to 500")' };
const CAP_GUMMY: Citation = { page: VENDOR_PAGES.gummyHotwords, section: '注意 ("每个热词列表最多添加500个词")' };

const BOTH: readonly Region[] = ['cn-beijing', 'ap-southeast-1'];
const BEIJING: readonly Region[] = ['cn-beijing'];

/** Every model that takes custom vocabularies, in the pages' order. */
export const MODELS: readonly ModelInfo[] = [
  { id: 'fun-asr-realtime', family: 'fun-asr', mode: 'realtime', regions: BOTH, regionsSource: SINGAPORE_FUN_ASR, wordCap: 1000, wordCapSource: CAP_1K },
  { id: 'fun-asr-realtime-2025-11-07', family: 'fun-asr', mode: 'realtime', regions: BOTH, regionsSource: SINGAPORE_FUN_ASR, wordCap: 1000, wordCapSource: CAP_1K },
  { id: 'fun-asr-realtime-2025-09-15', family: 'fun-asr', mode: 'realtime', regions: BEIJING, regionsSource: BEIJING_ONLY, wordCap: 1000, wordCapSource: CAP_1K },
  { id: 'fun-asr', family: 'fun-asr', mode: 'file', regions: BOTH, regionsSource: SINGAPORE_FUN_ASR, wordCap: 10000, wordCapSource: CAP_10K },
  { id: 'fun-asr-2025-11-07', family: 'fun-asr', mode: 'file', regions: BOTH, regionsSource: SINGAPORE_FUN_ASR, wordCap: 10000, wordCapSource: CAP_10K },
  { id: 'fun-asr-2025-08-25', family: 'fun-asr', mode: 'file', regions: BOTH, regionsSource: SINGAPORE_FUN_ASR, wordCap: 1000, wordCapSource: CAP_1K },
  { id: 'fun-asr-mtl', family: 'fun-asr', mode: 'file', regions: BOTH, regionsSource: SINGAPORE_FUN_ASR, wordCap: 1000, wordCapSource: CAP_1K },
  { id: 'fun-asr-mtl-2025-08-25', family: 'fun-asr', mode: 'file', regions: BOTH, regionsSource: SINGAPORE_FUN_ASR, wordCap: 1000, wordCapSource: CAP_1K },
  { id: 'paraformer-realtime-v2', family: 'paraformer', mode: 'realtime', regions: BEIJING, regionsSource: BEIJING_ONLY, wordCap: 500, wordCapSource: CAP_PARAFORMER },
  { id: 'paraformer-realtime-8k-v2', family: 'paraformer', mode: 'realtime', regions: BEIJING, regionsSource: BEIJING_ONLY, wordCap: 500, wordCapSource: CAP_PARAFORMER },
  { id: 'paraformer-v2', family: 'paraformer', mode: 'file', regions: BEIJING, regionsSource: BEIJING_ONLY, wordCap: 500, wordCapSource: CAP_PARAFORMER },
  { id: 'paraformer-8k-v2', family: 'paraformer', mode: 'file', regions: BEIJING, regionsSource: BEIJING_ONLY, wordCap: 500, wordCapSource: CAP_PARAFORMER },
  { id: 'gummy-realtime-v1', family: 'gummy', mode: 'realtime', regions: BEIJING, regionsSource: GUMMY_REGIONS, wordCap: 500, wordCapSource: CAP_GUMMY },
  { id: 'gummy-chat-v1', family: 'gummy', mode: 'realtime', regions: BEIJING, regionsSource: GUMMY_REGIONS, wordCap: 500, wordCapSource: CAP_GUMMY },
];

/**
 * A cap on every list in a region, whatever the model. Combined with the model's cap by taking
 * the smaller one: the Singapore page states a flat 500 per list while the Beijing page gives
 * per-model caps up to 10,000, so a Singapore list is held to 500 even on fun-asr.
 */
export const REGION_WORD_CAPS: Readonly<Partial<Record<Region, { cap: number; source: Citation }>>> = {
  'ap-southeast-1': {
    cap: 500,
    source: { page: VENDOR_PAGES.userGuideIntl, section: 'Hotword quantity limits ("Each hotword list can have up to 500 words")' },
  },
};

/** The cap used for a model the catalog does not know (only reachable through in-memory states). */
export const UNKNOWN_MODEL_WORD_CAP = 500;

/** Official API hosts and the region each one serves. */
export const OFFICIAL_HOSTS: readonly { pattern: RegExp; region: Region; source: Citation }[] = [
  { pattern: /^dashscope\.aliyuncs\.com$/, region: 'cn-beijing', source: { page: VENDOR_PAGES.userGuideIntl, section: 'RESTful API: URL' } },
  { pattern: /^dashscope-intl\.aliyuncs\.com$/, region: 'ap-southeast-1', source: { page: VENDOR_PAGES.userGuideIntl, section: 'RESTful API: URL' } },
  {
    pattern: /^[a-z0-9-]+\.cn-beijing\.maas\.aliyuncs\.com$/,
    region: 'cn-beijing',
    source: { page: 'dashscope-wire.md', section: 'Endpoint (workspace hosts)' },
  },
];
