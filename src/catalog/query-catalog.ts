/** Questions the rest of the tool asks the model catalog. Pure: data in, answers out. */
import {
  FAMILIES,
  MODELS,
  OFFICIAL_HOSTS,
  REGION_WORD_CAPS,
  REGIONS,
  UNKNOWN_MODEL_WORD_CAP,
  type FamilyInfo,
  type ModelInfo,
  type Region,
} from './models.js';

const BY_ID = new Map(MODELS.map((m) => [m.id, m]));

/** The catalog entry of a model id, or undefined for a model without custom vocabularies. */
export function findModel(id: string): ModelInfo | undefined {
  return BY_ID.get(id);
}

/** Every model id in the catalog, in the pages' order. */
export function listModelIds(): string[] {
  return MODELS.map((m) => m.id);
}

/** The ids of the models offered in a region; every model when the region is undefined. */
export function modelsInRegion(region: Region | undefined): string[] {
  return MODELS.filter((m) => region === undefined || m.regions.includes(region)).map((m) => m.id);
}

/** The family facts (languages, entry shape) of a model, or undefined for an unknown model. */
export function familyOf(modelId: string): FamilyInfo | undefined {
  const model = findModel(modelId);
  return model === undefined ? undefined : FAMILIES[model.family];
}

/** True for models whose entries are translations without weight (Gummy). */
export function isTranslationModel(modelId: string): boolean {
  const family = familyOf(modelId);
  // An unknown `gummy-*` id still gets Gummy's shape, so one wrong letter in the model
  // does not also flood the output with weight errors.
  return family ? family.entryShape === 'translation' : modelId.startsWith('gummy-');
}

/** Valid `lang` values for a model: empty for an unknown model, `'unchecked'` when no source lists them. */
export function languagesOf(modelId: string): readonly string[] | 'unchecked' {
  return familyOf(modelId)?.languages ?? [];
}

/** The weights a model takes besides 1 to 5 (Qwen-Audio 3.0: 50); empty for the others and unknown models. */
export function extraWeightsOf(modelId: string): readonly number[] {
  return findModel(modelId)?.extraWeights ?? [];
}

/** The models that take a given extra weight (e.g. 50, the "super hotword"). */
export function modelsWithExtraWeight(weight: number): string[] {
  return MODELS.filter((m) => m.extraWeights?.includes(weight)).map((m) => m.id);
}

/** Valid `target_lang` values for a model (empty unless it translates). */
export function targetLanguagesOf(modelId: string): readonly string[] {
  return familyOf(modelId)?.targetLanguages ?? [];
}

/** True when the string is one of the official regions. */
export function isRegion(value: string): value is Region {
  return (REGIONS as readonly string[]).includes(value);
}

/** The region an official base URL serves, or undefined for any other URL (or not a URL). */
export function regionOfEndpoint(endpoint: string): Region | undefined {
  let host: string;
  try {
    host = new URL(endpoint).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  return OFFICIAL_HOSTS.find((h) => h.pattern.test(host))?.region;
}

/**
 * The region whose rules apply to an environment: the region an official endpoint URL implies,
 * else the `region` setting, else undefined (every model allowed: `endpoint: local` without a
 * region, or a private gateway URL).
 */
export function effectiveRegion(env: { readonly endpoint?: string; readonly region?: Region }): Region | undefined {
  if (env.endpoint !== undefined && env.endpoint !== 'local') {
    const implied = regionOfEndpoint(env.endpoint);
    if (implied !== undefined) return implied;
  }
  return env.region;
}

/**
 * The most entries one list may hold. An override in `quota.word_caps` for the model wins
 * outright (the account's real limit may have been raised). Otherwise the smaller of the
 * model's cap and the region's flat cap (Singapore: 500 for every list); with no region
 * (local or private endpoint) the model's own cap.
 */
export function wordCap(modelId: string, region: Region | undefined, overrides: Readonly<Record<string, number>> = {}): number {
  const override = overrides[modelId];
  if (override !== undefined) return override;
  const modelCap = findModel(modelId)?.wordCap ?? UNKNOWN_MODEL_WORD_CAP;
  const regionCap = region === undefined ? undefined : REGION_WORD_CAPS[region]?.cap;
  return regionCap === undefined ? modelCap : Math.min(modelCap, regionCap);
}
