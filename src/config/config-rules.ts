/**
 * Rules of the config file that JSON Schema cannot say, and the merge of each environment's
 * overrides over the top-level settings. Pure: parsed data in, problems and settings out.
 */
import path from 'node:path';
import { findModel, isRegion, listModelIds, regionOfEndpoint, WORKSPACE_RULE } from '../catalog/index.js';
import { didYouMean } from '../util/did-you-mean.js';
import { looksLikeApiKey, looksLikeSecret } from '../util/secrets.js';
import {
  DEFAULT_API_KEY_ENV,
  DEFAULT_CONCURRENCY,
  DEFAULT_LOCAL_STATE_FILE,
  DEFAULT_MAX_REMOVED_RATIO,
  DEFAULT_MAX_VOCABULARIES,
  DEFAULT_REPLACE_STRATEGY,
  DEFAULT_UPDATE_INTERVAL_SECONDS,
  DEFAULT_WAIT_TIMEOUT_SECONDS,
} from './defaults.js';
import { quote } from './entry-rules.js';
import { joinPath, type RuleProblem } from './rule-problem.js';
import type { ApplySettings, EnvironmentConfig, OwnershipSettings, QuotaSettings, SafetySettings } from './types.js';
import { asRecord as record } from '../util/is-record.js';
import { isLoopbackHost } from '../util/loopback.js';

type Data = Readonly<Record<string, unknown>>;

function environmentNames(data: Data): string[] {
  return Object.keys(record(data['environments']) ?? {});
}

/** Why an endpoint setting is unusable, or undefined. */
export function checkEndpoint(endpoint: string): string | undefined {
  if (endpoint === 'local') return undefined;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return `endpoint ${quote(endpoint)} is not a valid URL`;
  }
  if (url.username !== '' || url.password !== '') {
    return 'endpoint must not contain credentials; the API key is read from the variable named by api_key_env';
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return `endpoint ${quote(`${url.protocol}//${url.host}`)} uses plain http://, which is refused unless the host is loopback (localhost, 127.0.0.1, ::1); use https://`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `endpoint must be "local" or an http(s):// URL`;
  return undefined;
}

// Control characters, line separators and lone UTF-16 surrogates: no config value (names, paths,
// URLs, a workspace sent as a header) may hold one.
const NOT_TEXT = /[\x00-\x1f\x7f-\x9f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Keys and string values of the config that are not valid text (see NOT_TEXT), wherever they are. */
export function findInvalidText(data: unknown, at: (string | number)[] = []): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const describe = (text: string): string => {
    const bad = NOT_TEXT.exec(text)![0];
    const code = `U+${bad.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    return bad.length === 1 && bad >= '\ud800' && bad <= '\udfff'
      ? `a lone UTF-16 surrogate (${code}), which is not a character`
      : `a control character or line separator (${code})`;
  };
  if (typeof data === 'string') {
    if (NOT_TEXT.test(data)) problems.push({ path: joinPath(...at), message: `this value is not valid text: it contains ${describe(data)}` });
  } else if (Array.isArray(data)) {
    data.forEach((item, i) => problems.push(...findInvalidText(item, [...at, i])));
  } else if (data !== null && typeof data === 'object') {
    for (const [key, value] of Object.entries(data)) {
      if (NOT_TEXT.test(key)) problems.push({ path: joinPath(...at, key), pointsAt: 'key', message: `this key is not valid text: it contains ${describe(key)}` });
      else problems.push(...findInvalidText(value, [...at, key]));
    }
  }
  return problems;
}

/** The config rules beyond the schema: default environment, endpoints, regions, word-cap models. */
export function checkConfigData(data: Data): RuleProblem[] {
  const problems: RuleProblem[] = findInvalidText(data);
  const names = environmentNames(data);
  const chosen = data['default_environment'];
  if (typeof chosen === 'string' && names.length > 0 && !names.includes(chosen)) {
    problems.push({
      path: '/default_environment',
      message: `default_environment ${quote(chosen)} is not a declared environment${didYouMean(chosen, names)} (environments: ${names.join(', ')})`,
    });
  } else if (chosen === undefined && names.length > 1) {
    problems.push({
      path: '/environments',
      pointsAt: 'key',
      message: `default_environment is required when several environments are declared (${names.join(', ')})`,
    });
  }
  checkWordCaps(record(data['quota']), '/quota', problems);
  const environments = record(data['environments']) ?? {};
  for (const name of names) {
    const env = record(environments[name]);
    if (env === undefined) continue;
    const base = joinPath('environments', name);
    checkWordCaps(record(env['quota']), `${base}/quota`, problems);
    if (typeof env['workspace'] === 'string') {
      // The value is not quoted back: a key pasted in the wrong place must never be shown.
      problems.push({ path: `${base}/workspace`, severity: 'warning', message: `workspace is set: ${WORKSPACE_RULE.message}; use the primary workspace's id or leave workspace unset` });
    }
    const keyEnv = env['api_key_env'];
    if (typeof keyEnv === 'string' && looksLikeSecret(keyEnv) && !looksLikeApiKey(keyEnv)) {
      // (An sk- key is reported by findApiKeys already.)
      problems.push({
        path: `${base}/api_key_env`,
        message: 'api_key_env looks like a secret such as an API key (not shown), not the name of an environment variable; remove it, rotate the key, and name the variable that holds it',
      });
    }
    const endpoint = env['endpoint'];
    const region = env['region'];
    if (typeof endpoint === 'string') {
      const why = checkEndpoint(endpoint);
      if (why) problems.push({ path: `${base}/endpoint`, message: why });
      const implied = endpoint === 'local' ? undefined : regionOfEndpoint(endpoint);
      if (implied !== undefined && typeof region === 'string' && isRegion(region) && region !== implied) {
        problems.push({
          path: `${base}/region`,
          message: `region ${region} contradicts the endpoint, which is the official ${implied} host`,
        });
      }
      if (endpoint !== 'local' && env['state_file'] !== undefined) {
        problems.push({ path: `${base}/state_file`, pointsAt: 'key', severity: 'warning', message: 'state_file is used only with endpoint: local' });
      }
    } else if (endpoint === undefined && region === undefined) {
      problems.push({
        path: joinPath('environments', name),
        pointsAt: 'key',
        severity: 'warning',
        message: `environment ${quote(name)} sets neither region nor endpoint, so the models it offers and its word caps cannot be checked; set region (cn-beijing or ap-southeast-1)`,
      });
    }
  }
  return problems;
}

function checkWordCaps(quota: Data | undefined, base: string, problems: RuleProblem[]): void {
  const caps = record(quota?.['word_caps']);
  if (caps === undefined) return;
  for (const model of Object.keys(caps)) {
    if (findModel(model) === undefined) {
      problems.push({
        path: `${base}/word_caps${joinPath(model)}`,
        pointsAt: 'key',
        message: `word_caps: unknown model ${quote(model)}${didYouMean(model, listModelIds())}`,
      });
    }
  }
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function mergeOwnership(top: Data | undefined, own: Data | undefined): OwnershipSettings {
  return { prefixes: stringList(own?.['prefixes']) ?? stringList(top?.['prefixes']) ?? null };
}

function wordCaps(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [model, cap] of Object.entries(record(value) ?? {})) if (typeof cap === 'number') out[model] = cap;
  return out;
}

function mergeQuota(top: Data | undefined, own: Data | undefined): QuotaSettings {
  return {
    max_vocabularies: numberOr(own?.['max_vocabularies'], numberOr(top?.['max_vocabularies'], DEFAULT_MAX_VOCABULARIES)),
    // Caps merge per model: an environment overrides only the models it names.
    word_caps: { ...wordCaps(top?.['word_caps']), ...wordCaps(own?.['word_caps']) },
  };
}

function mergeSafety(top: Data | undefined, own: Data | undefined): SafetySettings {
  return {
    protect: stringList(own?.['protect']) ?? stringList(top?.['protect']) ?? [],
    max_removed_ratio: numberOr(own?.['max_removed_ratio'], numberOr(top?.['max_removed_ratio'], DEFAULT_MAX_REMOVED_RATIO)),
  };
}

/**
 * The apply settings of one environment. The update interval defaults to the service's 300 s,
 * but to 0 for `endpoint: local`: the embedded account has no update spacing.
 */
function mergeApply(top: Data | undefined, own: Data | undefined, local: boolean): ApplySettings {
  const replace = own?.['replace'] ?? top?.['replace'];
  return {
    concurrency: numberOr(own?.['concurrency'], numberOr(top?.['concurrency'], DEFAULT_CONCURRENCY)),
    replace: replace === 'destroy_before_create' || replace === 'create_before_destroy' ? replace : DEFAULT_REPLACE_STRATEGY,
    wait_timeout_seconds: numberOr(own?.['wait_timeout_seconds'], numberOr(top?.['wait_timeout_seconds'], DEFAULT_WAIT_TIMEOUT_SECONDS)),
    update_interval_seconds: numberOr(own?.['update_interval_seconds'], numberOr(top?.['update_interval_seconds'], local ? 0 : DEFAULT_UPDATE_INTERVAL_SECONDS)),
  };
}

/** Every environment with its overrides merged over the top-level settings and defaults applied. */
export function buildEnvironments(data: Data, rootDir: string): Record<string, EnvironmentConfig> {
  const out: Record<string, EnvironmentConfig> = {};
  const environments = record(data['environments']) ?? {};
  for (const name of Object.keys(environments)) {
    const env = record(environments[name]) ?? {};
    const config: EnvironmentConfig = {
      name,
      api_key_env: typeof env['api_key_env'] === 'string' ? env['api_key_env'] : DEFAULT_API_KEY_ENV,
      ownership: mergeOwnership(record(data['ownership']), record(env['ownership'])),
      quota: mergeQuota(record(data['quota']), record(env['quota'])),
      safety: mergeSafety(record(data['safety']), record(env['safety'])),
      apply: mergeApply(record(data['apply']), record(env['apply']), env['endpoint'] === 'local'),
    };
    if (typeof env['endpoint'] === 'string') config.endpoint = env['endpoint'];
    if (typeof env['region'] === 'string' && isRegion(env['region'])) config.region = env['region'];
    if (typeof env['workspace'] === 'string') config.workspace = env['workspace'];
    if (config.endpoint === 'local') {
      const stateFile = typeof env['state_file'] === 'string' ? env['state_file'] : DEFAULT_LOCAL_STATE_FILE;
      config.local_state = path.resolve(rootDir, stateFile);
    }
    out[name] = config;
  }
  return out;
}

/** The default environment: the declared one, else the only one; '' when neither applies (already reported). */
export function chooseDefaultEnvironment(data: Data): string {
  const chosen = data['default_environment'];
  if (typeof chosen === 'string') return chosen;
  const names = environmentNames(data);
  return names.length === 1 ? names[0]! : '';
}
