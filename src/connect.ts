import { resolve } from 'node:path';
import type { EnvironmentConfig } from './config/types.js';
import { resolveBaseUrl, resolveBaseUrlSource } from './dashscope/base-url.js';
import { redactUrl } from './dashscope/redact.js';
import type { EndpointSource } from './plan/types.js';
import { createHttpVocabularyService } from './dashscope/http-client.js';
import type { VocabularyService } from './dashscope/types.js';
import { createLocalVocabularyService } from './emulator/local-service.js';
import { DEFAULT_LOCAL_STATE_FILE } from './config/defaults.js';
import { ConfigError } from './errors.js';

/** Options of `connectService`. */
export interface ConnectServiceOptions {
  /** Folder of the config file (relative paths resolve against it). */
  rootDir: string;
  /** Environment variables (the API key and DASHSCOPE_HTTP_BASE_URL are read from here). */
  env: Record<string, string | undefined>;
}

/**
 * The service an environment talks to: the embedded account for `endpoint: local`,
 * else the HTTP client with the key from the environment variable named by `api_key_env`.
 * `local` ignores DASHSCOPE_HTTP_BASE_URL on purpose: a variable left set for SDK work must
 * never turn the demo config into writes on a real account.
 */
export function connectService(environment: EnvironmentConfig, options: ConnectServiceOptions): VocabularyService {
  if (environment.endpoint === 'local') {
    return createLocalVocabularyService({
      stateFile: environment.local_state ?? resolve(options.rootDir, DEFAULT_LOCAL_STATE_FILE),
    });
  }
  const apiKey = options.env[environment.api_key_env];
  if (!apiKey) {
    throw new ConfigError(
      `environment "${environment.name}" needs an API key in the environment variable ${environment.api_key_env}, which is not set`,
    );
  }
  const baseUrl = resolveBaseUrl(
    { endpoint: environment.endpoint, region: environment.region },
    options.env,
  );
  return createHttpVocabularyService({
    baseUrl,
    apiKey,
    ...(environment.workspace ? { workspace: environment.workspace } : {}),
  });
}

/** The endpoint an environment talks to and where it comes from, without credentials. */
export interface ResolvedEndpoint {
  /** The HTTP base URL, or `local` for the embedded account. */
  url: string;
  from: EndpointSource;
}

/**
 * The endpoint `connectService` would use, without connecting: `local` for the embedded account,
 * else the base URL from DASHSCOPE_HTTP_BASE_URL, the config's `endpoint` or the region (the same
 * order). Throws `ConfigError` for a URL the client refuses.
 */
export function resolveEndpoint(environment: EnvironmentConfig, env: Record<string, string | undefined>): ResolvedEndpoint {
  if (environment.endpoint === 'local') return { url: 'local', from: 'local' };
  const { url, from } = resolveBaseUrlSource({ endpoint: environment.endpoint, region: environment.region }, env);
  // The URL was checked (no user name or password); redacting again costs nothing and keeps a promise.
  return { url: redactUrl(url), from };
}
