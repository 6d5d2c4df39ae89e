/** The desired state: find, read, validate and normalise the config and vocabulary files. */
export type {
  ApplySettings,
  DesiredEntry,
  DesiredState,
  DesiredVocabulary,
  EnvironmentConfig,
  OwnershipSettings,
  Problem,
  QuotaSettings,
  Region,
  ReplaceStrategy,
  SafetySettings,
  SourcePosition,
  VocabularyFieldPositions,
} from './types.js';
export {
  displayPath,
  isError,
  loadDesiredState,
  loadValidState,
  loadVocabularyFile,
  sortProblems,
  type LoadOptions,
  type LoadValidStateOptions,
  type ReadConfig,
  type ValidState,
} from './load-desired-state.js';
export { loadEnvironment } from './load-environment.js';
export { findEnvironment, ownedPrefixes, ownershipBlock, unknownEnvironmentMessage, validateDesiredState, vocabulariesForEnvironment, type ValidateStateOptions } from './validate-state.js';
export {
  checkPrefix,
  checkText,
  checkVocabularyData,
  checkWeight,
  countCodePoints,
  countWords,
} from './entry-rules.js';
export * as defaults from './defaults.js';
