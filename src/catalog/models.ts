/**
 * The model catalog as data: which models take custom vocabularies, in which region, with which
 * languages, entry shape and word cap. Every fact cites the vendor page it comes from (files in
 * `../shared/docs/dashscope/`, with the section), or one of the later sources collected in
 * `../shared/docs/dashscope-updates.md` (`UPDATE_SOURCES`), one of which is the vendor's own
 * command-line tool rather than a documentation page. The sources disagree in places; where
 * they do, and where a fact is unknown, the choice is written next to the fact.
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

/**
 * The sources collected after the five pages (`docs/dashscope-updates.md`, "Sources"), by their
 * tags there. `bl` is the vendor's own command-line tool, not a documentation page.
 */
export const UPDATE_SOURCES = {
  improve: '[improve] Model Studio "Improve recognition accuracy" (improve-asr-accuracy, 2026-07-07)',
  models: '[models] Model Studio "Speech Recognition" model list (model-list-speech-recognition, 2026-09-22)',
  asrOverview: '[asr-overview] Model Studio "语音识别概述" (help.aliyun.com/zh/model-studio/asr-model)',
  bl: '[bl] the vendor\'s CLI (vendor tool, not a page): modelstudioai/cli packages/commands/src/commands/speech/vocabulary/shared.ts and create.ts',
  gummyNew: '[gummy-new] the current Chinese Gummy hotword page (custom-hot-words-for-gummy)',
} as const;

/** Model families share languages and entry shape. */
export type ModelFamily = 'fun-asr' | 'paraformer' | 'gummy' | 'qwen-audio';

/**
 * `weighted`: `{text, weight 1-5, lang?}` (Fun-ASR, Paraformer, Qwen-Audio); weight required.
 * `translation`: `{text, lang?, target_lang?, translation?, weight?}` (Gummy); weight optional.
 */
export type EntryShape = 'weighted' | 'translation';

/** What every model of a family shares. */
export interface FamilyInfo {
  family: ModelFamily;
  entryShape: EntryShape;
  /** Valid values of an entry's `lang`; `'unchecked'` when no source lists them (any code is sent as is). */
  languages: readonly string[] | 'unchecked';
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
  /** True when no source gives this model's cap and `wordCap` is an assumption (see its source's note). */
  wordCapAssumed?: boolean;
  /** Weights allowed besides 1 to 5 (Qwen-Audio 3.0: 50, the "super hotword"). */
  extraWeights?: readonly number[];
  extraWeightsSource?: Citation;
}

/** Every official region, in the order the pages list them. */
export const REGIONS: readonly Region[] = ['cn-beijing', 'ap-southeast-1'];

/** The region of an environment that names neither an endpoint nor a region: the vendor's own default (Beijing). */
export const DEFAULT_REGION: Region = 'cn-beijing';

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
    languages: ['zh', 'en', 'ja', 'yue', 'ko', 'de', 'fr', 'ru'],
    languagesSource: {
      page: UPDATE_SOURCES.bl,
      section: '--lang flag ("Paraformer: zh/en/ja/yue/ko/de/fr/ru")',
      note: `the five pages list no Paraformer codes (they use zh and en: ${VENDOR_PAGES.userGuideIntl} movie-title example); the vendor tool lists these eight`,
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
    entryShapeSource: {
      page: UPDATE_SOURCES.gummyNew,
      section: 'examples ("weight": 4 next to target_lang and translation)',
      note: `${VENDOR_PAGES.gummyHotwords} 热词简介 lists text, lang, target_lang, translation and no weight; the current page adds an optional weight`,
    },
  },
  'qwen-audio': {
    family: 'qwen-audio',
    entryShape: 'weighted',
    languages: 'unchecked',
    languagesSource: {
      page: UPDATE_SOURCES.models,
      section: 'Qwen-Audio ASR models',
      note: 'unknown: no source lists the lang codes of Qwen-Audio hotwords, so lang is not checked (sent as written)',
    },
    targetLanguages: [],
    entryShapeSource: {
      page: UPDATE_SOURCES.bl,
      section: '--words flag ("Weight 1-5 (4 recommended)"; entries as the API entry array with per-entry lang)',
    },
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
const FLASH_8K_REGIONS: Citation = {
  page: UPDATE_SOURCES.models,
  section: 'fun-asr-flash-8k-realtime',
  note: `listed for China (Beijing); whether it takes hotword lists follows the Fun-ASR family rule of ${UPDATE_SOURCES.improve} ("The Fun-ASR and Paraformer families (real-time and file)"); Singapore: not listed`,
};
const CAP_FLASH_8K: Citation = {
  page: VENDOR_PAGES.beijingGuide,
  section: 'Quotas (Fun-ASR series "Others: Up to 1,000")',
  note: 'unknown for this model: no source gives its cap; using the Beijing rule for Fun-ASR models other than fun-asr and fun-asr-2025-11-07',
};
const QWEN_AUDIO_REGIONS: Citation = {
  page: UPDATE_SOURCES.asrOverview,
  section: 'Qwen-Audio ASR (hotwords with the 3.1 flash, filetrans and streaming models; -message takes precompiled hotwords by vocabulary id)',
  note: `also ${UPDATE_SOURCES.models} and ${UPDATE_SOURCES.bl} (weight 50 on the 3.0 ASR Flash series); a China-site page, so Beijing only: Singapore is unknown`,
};
const CAP_QWEN_AUDIO: Citation = {
  page: VENDOR_PAGES.userGuideIntl,
  section: 'Hotword quantity limits ("Each hotword list can have up to 500 words")',
  note: 'unknown for Qwen-Audio: no source gives its cap; using the region\'s cap, 500, the one cap every page agrees on (Singapore per list; Beijing Paraformer and Gummy). quota.word_caps can raise it',
};
/** The "super hotword" weight of the Qwen-Audio 3.0 ASR Flash series. */
const SUPER_HOTWORD_WEIGHTS: readonly number[] = [50];
const SUPER_HOTWORD: Citation = {
  page: UPDATE_SOURCES.bl,
  section: 'VOCABULARY_LIMIT_NOTES ("when the vocabulary target_model is a Qwen-Audio-3.0-ASR-Flash series model, 50 is also allowed as super hot word")',
};

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
  { id: 'fun-asr-flash-8k-realtime', family: 'fun-asr', mode: 'realtime', regions: BEIJING, regionsSource: FLASH_8K_REGIONS, wordCap: 1000, wordCapSource: CAP_FLASH_8K, wordCapAssumed: true },
  { id: 'qwen-audio-3.0-asr-flash', family: 'qwen-audio', mode: 'file', regions: BEIJING, regionsSource: QWEN_AUDIO_REGIONS, wordCap: 500, wordCapSource: CAP_QWEN_AUDIO, wordCapAssumed: true, extraWeights: SUPER_HOTWORD_WEIGHTS, extraWeightsSource: SUPER_HOTWORD },
  { id: 'qwen-audio-3.0-asr-flash-filetrans', family: 'qwen-audio', mode: 'file', regions: BEIJING, regionsSource: QWEN_AUDIO_REGIONS, wordCap: 500, wordCapSource: CAP_QWEN_AUDIO, wordCapAssumed: true, extraWeights: SUPER_HOTWORD_WEIGHTS, extraWeightsSource: SUPER_HOTWORD },
  { id: 'qwen-audio-3.0-asr-flash-streaming', family: 'qwen-audio', mode: 'realtime', regions: BEIJING, regionsSource: QWEN_AUDIO_REGIONS, wordCap: 500, wordCapSource: CAP_QWEN_AUDIO, wordCapAssumed: true, extraWeights: SUPER_HOTWORD_WEIGHTS, extraWeightsSource: SUPER_HOTWORD },
  { id: 'qwen-audio-3.1-asr-flash', family: 'qwen-audio', mode: 'file', regions: BEIJING, regionsSource: QWEN_AUDIO_REGIONS, wordCap: 500, wordCapSource: CAP_QWEN_AUDIO, wordCapAssumed: true },
  { id: 'qwen-audio-3.1-asr-flash-filetrans', family: 'qwen-audio', mode: 'file', regions: BEIJING, regionsSource: QWEN_AUDIO_REGIONS, wordCap: 500, wordCapSource: CAP_QWEN_AUDIO, wordCapAssumed: true },
  { id: 'qwen-audio-3.1-asr-flash-streaming', family: 'qwen-audio', mode: 'realtime', regions: BEIJING, regionsSource: QWEN_AUDIO_REGIONS, wordCap: 500, wordCapSource: CAP_QWEN_AUDIO, wordCapAssumed: true },
  { id: 'qwen-audio-3.1-asr-flash-message', family: 'qwen-audio', mode: 'file', regions: BEIJING, regionsSource: QWEN_AUDIO_REGIONS, wordCap: 500, wordCapSource: CAP_QWEN_AUDIO, wordCapAssumed: true },
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
  {
    pattern: /^[a-z0-9-]+\.ap-southeast-1\.maas\.aliyuncs\.com$/,
    region: 'ap-southeast-1',
    source: {
      page: 'dashscope-wire.md',
      section: 'Endpoint (workspace hosts `https://{WorkspaceId}.cn-beijing.maas.aliyuncs.com/api/v1`)',
      note: `the Singapore counterpart, {WorkspaceId}.ap-southeast-1.maas.aliyuncs.com, is the vendor's workspace host for Singapore; ${UPDATE_SOURCES.bl} notes Singapore sub-workspaces`,
    },
  },
];

/**
 * Hotword lists work only in an account's primary workspace: sub-workspaces do not support them
 * (the vendor tool says so of Singapore sub-workspaces and passes the service's error through).
 */
export const WORKSPACE_RULE: { message: string; source: Citation } = {
  message: 'hotword lists work only in the primary workspace (sub-workspaces do not support them)',
  source: {
    page: UPDATE_SOURCES.improve,
    section: 'custom hotwords ("supported only in the primary workspace")',
    note: `also ${UPDATE_SOURCES.bl} VOCABULARY_LIMIT_NOTES; the service's error code for it is not documented`,
  },
};

/** Updates of one list must be at least this far apart. */
export const UPDATE_INTERVAL: { seconds: number; source: Citation } = {
  seconds: 300,
  source: {
    page: UPDATE_SOURCES.bl,
    section: 'VOCABULARY_LIMIT_NOTES ("updates must be at least 5 minutes apart")',
    note: 'the error the service returns when this is broken is not documented',
  },
};
