/** The model catalog: data (`models.ts`) and the questions asked of it (`query-catalog.ts`). */
export {
  FAMILIES,
  MODELS,
  OFFICIAL_HOSTS,
  REGION_WORD_CAPS,
  REGIONS,
  UNKNOWN_MODEL_WORD_CAP,
  VENDOR_PAGES,
  type Citation,
  type EntryShape,
  type FamilyInfo,
  type ModelFamily,
  type ModelInfo,
  type Region,
} from './models.js';
export {
  effectiveRegion,
  familyOf,
  findModel,
  isRegion,
  isTranslationModel,
  languagesOf,
  listModelIds,
  modelsInRegion,
  regionOfEndpoint,
  targetLanguagesOf,
  wordCap,
} from './query-catalog.js';
