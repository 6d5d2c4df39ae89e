import { resolve } from 'node:path';
import type { EnvironmentConfig } from './config/types.js';
import { resolveBaseUrl } from './dashscope/base-url.js';
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
