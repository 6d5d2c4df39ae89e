/**
 * Rules over the whole desired state: across files (identity and name unique, environments
 * named by vocabularies exist) and per environment (model offered in the region, word caps,
 * ownership). Pure: no fs, no process.
 */
import { effectiveRegion, findModel, modelsInRegion, wordCap } from '../catalog/index.js';
import { didYouMean } from '../util/did-you-mean.js';
import { dotenvIdKey, outputCollisionKey } from './output-names.js';
import { looksLikeSecret, quoteValue } from '../util/secrets.js';
import type { DesiredState, DesiredVocabulary, EnvironmentConfig, Problem, SourcePosition } from './types.js';

/** Options of `validateDesiredState`. */
export interface ValidateStateOptions {
  /** Check only this environment's rules; default: every environment. */
  environment?: string;
}

/**
 * The environment with this name, or undefined. Names come from users (--env, vocabulary
 * files): an own-property lookup, so `constructor` or `__proto__` is an ordinary unknown name,
 * never something inherited from Object.prototype.
 */
export function findEnvironment(environments: Readonly<Record<string, EnvironmentConfig>>, name: string): EnvironmentConfig | undefined {
  return Object.hasOwn(environments, name) ? environments[name] : undefined;
}

/**
 * "unknown environment NAME (did you mean …?); environments: …", the one wording for a name
 * from --env or a vocabulary file. A name that looks like a secret (an API key given as
 * --env) is never repeated, nor matched against the known names.
 */
export function unknownEnvironmentMessage(name: string, known: readonly string[], separator: '; ' | ' (' = '; '): string {
  const hint = looksLikeSecret(name) ? '' : didYouMean(name, known);
  const list = known.join(', ') || '(none)';
  return `unknown environment ${quoteValue(name)}${hint}${separator === '; ' ? `; environments: ${list}` : ` (environments: ${list})`}`;
}

/** The vocabularies declared for an environment (those without `environments:` are in every one). */
export function vocabulariesForEnvironment(state: Pick<DesiredState, 'vocabularies'>, envName: string): DesiredVocabulary[] {
  return state.vocabularies.filter((v) => v.environments === null || v.environments.includes(envName));
}

/**
 * The prefixes an environment manages: `ownership.prefixes` (required in a config, so that
 * removing a file plans the deletion of its list). A state built by hand without it falls back
 * to every prefix in `vocabularies`, sorted.
 */
export function ownedPrefixes(env: EnvironmentConfig, vocabularies: readonly DesiredVocabulary[]): string[] {
  if (env.ownership.prefixes !== null) return [...env.ownership.prefixes];
  return [...new Set(vocabularies.map((v) => v.prefix))].sort();
}

const at = (position: SourcePosition, path: string, message: string): Problem => ({ ...position, path, message });
const where = (p: SourcePosition): string => `${p.file}:${p.line}`;
const fieldAt = (v: DesiredVocabulary, field: 'prefix' | 'target_model' | 'name' | 'entries'): SourcePosition =>
  v.fieldPositions?.[field] ?? v.source;

/**
 * Two names that `vocab outputs` would write to one variable (`support-cn` and `support_cn` are
 * both VOCAB_SUPPORT_CN_ID): one would silently overwrite the other in CI.
 */
function findOutputCollisions(vocabularies: readonly DesiredVocabulary[]): Problem[] {
  const problems: Problem[] = [];
  const byKey = new Map<string, DesiredVocabulary>();
  for (const v of vocabularies) {
    const key = outputCollisionKey(v.name);
    const first = byKey.get(key);
    if (first === undefined) {
      byKey.set(key, v);
      continue;
    }
    if (first.name === v.name) continue; // the same name twice is reported as such above
    const position = v.fieldPositions?.name ?? v.fieldPositions?.prefix ?? v.source;
    problems.push(
      at(position, '/name', `name "${v.name}" and name "${first.name}" (${where(first.fieldPositions?.name ?? first.fieldPositions?.prefix ?? first.source)}) both become the output variable ${dotenvIdKey(v.name)}; rename one so that "vocab outputs" can tell them apart`),
    );
  }
  return problems;
}

/** The environment-dependent and cross-file rules. Returns every problem found (empty: valid). */
export function validateDesiredState(state: DesiredState, options: ValidateStateOptions = {}): Problem[] {
  const envNames = Object.keys(state.environments);
  const checked = options.environment === undefined ? envNames : [options.environment];
  return [
    ...checkUniqueIdentities(state),
    ...findOutputCollisions(state.vocabularies),
    ...checkNamedEnvironments(state, envNames),
    ...[checkOwnershipDeclared(state, checked)].filter((p): p is Problem => p !== undefined),
    ...checkPerEnvironment(state, checked, envNames),
  ];
}

/** Identity (prefix, target_model) and name are unique across files. */
function checkUniqueIdentities(state: DesiredState): Problem[] {
  const problems: Problem[] = [];
  const byIdentity = new Map<string, DesiredVocabulary>();
  const byName = new Map<string, DesiredVocabulary>();
  for (const v of state.vocabularies) {
    const identity = `${v.prefix}\u0000${v.target_model}`;
    const first = byIdentity.get(identity);
    if (first) {
      problems.push(
        at(fieldAt(v, 'prefix'), '/prefix', `prefix "${v.prefix}" with target_model ${v.target_model} is already declared at ${where(fieldAt(first, 'prefix'))}; the pair (prefix, target_model) must be unique`),
      );
    } else byIdentity.set(identity, v);
    const sameName = byName.get(v.name);
    if (sameName && !first) {
      problems.push(at(fieldAt(v, 'name'), '/name', `name "${v.name}" is already used at ${where(fieldAt(sameName, 'name'))}; names must be unique (set "name" to tell them apart)`));
    } else if (!sameName) byName.set(v.name, v);
  }
  return problems;
}

/** Environments named by vocabulary files exist. */
function checkNamedEnvironments(state: DesiredState, envNames: string[]): Problem[] {
  const problems: Problem[] = [];
  for (const v of state.vocabularies) {
    (v.environments ?? []).forEach((name, i) => {
      if (findEnvironment(state.environments, name) !== undefined) return;
      const position = v.fieldPositions?.environments?.[i] ?? v.source;
      problems.push(at(position, `/environments/${i}`, unknownEnvironmentMessage(name, envNames, ' (')));
    });
  }
  return problems;
}

/** A finding that may hold in several environments, reported once naming all of them. */
interface Finding {
  position: SourcePosition;
  path: string;
  message: (envs: string) => string;
  envs: string[];
}
type NoteFinding = (key: string, position: SourcePosition, path: string, message: (envs: string) => string, env: string) => void;

const envLabel = (envs: string[]): string => (envs.length === 1 ? `environment "${envs[0]}"` : `environments ${envs.map((e) => `"${e}"`).join(', ')}`);

/** Region, word-cap and ownership rules, per checked environment; one message per vocabulary and finding. */
function checkPerEnvironment(state: DesiredState, checked: string[], envNames: string[]): Problem[] {
  const problems: Problem[] = [];
  const findings = new Map<string, Finding>();
  const note: NoteFinding = (key, position, path, message, env) => {
    const found = findings.get(key);
    if (found) found.envs.push(env);
    else findings.set(key, { position, path, message, envs: [env] });
  };
  for (const envName of checked) {
    const env = findEnvironment(state.environments, envName);
    if (env === undefined) {
      problems.push({ file: state.configFile, line: 1, column: 1, path: '/environments', message: unknownEnvironmentMessage(envName, envNames, ' (') });
      continue;
    }
    checkEnvironment(state, envName, env, note);
  }
  for (const f of findings.values()) problems.push(at(f.position, f.path, f.message(envLabel(f.envs))));
  return problems;
}

function checkEnvironment(state: DesiredState, envName: string, env: EnvironmentConfig, note: NoteFinding): void {
  const region = effectiveRegion(env);
  const offered = modelsInRegion(region);
  state.vocabularies.forEach((v, index) => {
    if (v.environments !== null && !v.environments.includes(envName)) return;
    const known = findModel(v.target_model) !== undefined;
    if (known && region !== undefined && !offered.includes(v.target_model)) {
      note(`${index}:region:${region}`, fieldAt(v, 'target_model'), '/target_model', (envs) =>
        `target_model ${v.target_model} is not offered in region ${region} (${envs}); models there: ${offered.join(', ')}`, envName);
      return;
    }
    const cap = wordCap(v.target_model, region, env.quota.word_caps);
    if (v.entries.length > cap) {
      const overridden = Object.hasOwn(env.quota.word_caps, v.target_model);
      const why = overridden ? 'quota.word_caps' : `the ${v.target_model} cap${region ? ` in ${region}` : ''}`;
      note(`${index}:cap:${cap}`, fieldAt(v, 'entries'), '/entries', (envs) =>
        `vocabulary "${v.name}" has ${v.entries.length} entries, over the limit of ${cap} (${why}; ${envs})${overridden ? '' : '; quota.word_caps can raise it if your account allows more'}`, envName);
    }
    if (env.ownership.prefixes !== null && !env.ownership.prefixes.includes(v.prefix)) {
      note(`${index}:owner`, fieldAt(v, 'prefix'), '/prefix', (envs) =>
        `prefix "${v.prefix}" is not in ownership.prefixes (${envs}); add it there, or this vocabulary would be created but never managed`, envName);
    }
  });
}

/**
 * `ownership.prefixes` is required (top level or in each environment): inferred from the files,
 * removing a file would leave its list behind unseen. The message gives the lines to add.
 */
function checkOwnershipDeclared(state: DesiredState, checked: readonly string[]): Problem | undefined {
  const missing = checked.filter((name) => findEnvironment(state.environments, name)?.ownership.prefixes === null);
  if (missing.length === 0) return undefined;
  const declared = [...new Set(state.vocabularies.map((v) => v.prefix))].sort();
  const position = state.configPosition ?? { file: state.configFile, line: 1, column: 1 };
  const scope = missing.length === Object.keys(state.environments).length ? '' : ` (environments without their own: ${missing.join(', ')})`;
  return at(position, '/ownership', [
    `ownership.prefixes is required${scope}: it names the prefixes this repository manages, so that removing a vocabulary file plans the deletion of its list. Add these lines to ${position.file}:`,
    ...ownershipBlock(declared).map((line) => `    ${line}`),
  ].join('\n'));
}

/** The YAML lines of an ownership block owning `prefixes` (what validate and export advise). */
export function ownershipBlock(prefixes: readonly string[]): string[] {
  return ['ownership:', `  prefixes: [${prefixes.join(', ')}]`];
}
