import { ConfigError } from '../errors.js';
import { DEFAULT_REGION } from '../catalog/models.js';
import { BASE_URL_ENV_VAR, BEIJING_BASE_URL, SINGAPORE_BASE_URL } from './defaults.js';
import { redactUrl } from './redact.js';
import { isLoopbackHost } from '../util/loopback.js';

/** Official base URL of each region. */
export const REGION_BASE_URLS: Readonly<Record<string, string>> = Object.freeze({
  'cn-beijing': BEIJING_BASE_URL,
  'ap-southeast-1': SINGAPORE_BASE_URL,
});

/** The endpoint value that names the embedded, in-process account (no HTTP at all). */
const LOCAL_ENDPOINT = 'local';

/**
 * The base URL of an environment: `DASHSCOPE_HTTP_BASE_URL` when set (as in the official SDKs),
 * else the explicit `endpoint`, else the official URL of `region`, else the Beijing URL (the
 * vendor's default region). Throws `ConfigError` for `endpoint: local`, unknown regions and unsafe URLs.
 */
export function resolveBaseUrl(
  env: { endpoint?: string | undefined; region?: string | undefined },
  processEnv: Record<string, string | undefined>,
): string {
  return resolveBaseUrlSource(env, processEnv).url;
}

/** Where a base URL comes from, in the order `resolveBaseUrl` looks. */
export type BaseUrlSource = typeof BASE_URL_ENV_VAR | 'endpoint' | 'region';

/** `resolveBaseUrl`, saying where the URL comes from (for the plan's header and saved plans). */
export function resolveBaseUrlSource(
  env: { endpoint?: string | undefined; region?: string | undefined },
  processEnv: Record<string, string | undefined>,
): { url: string; from: BaseUrlSource } {
  if (env.endpoint?.trim() === LOCAL_ENDPOINT) {
    // The embedded account runs in-process; it has no base URL and needs no HTTP client.
    throw new ConfigError(
      'endpoint "local" is the embedded account and has no HTTP base URL; use the in-process service for it',
    );
  }
  const override = processEnv[BASE_URL_ENV_VAR]?.trim();
  if (override) return { url: checkBaseUrl(override, `${BASE_URL_ENV_VAR}`), from: BASE_URL_ENV_VAR };
  const endpoint = env.endpoint?.trim();
  if (endpoint) return { url: checkBaseUrl(endpoint, 'endpoint'), from: 'endpoint' };
  const region = env.region ?? DEFAULT_REGION;
  const url = REGION_BASE_URLS[region];
  if (url === undefined) {
    throw new ConfigError(
      `unknown region "${region}": expected one of ${Object.keys(REGION_BASE_URLS).join(', ')}, or set an explicit endpoint`,
    );
  }
  return { url, from: 'region' };
}

/**
 * Checks that `url` is a usable base URL and returns it without trailing slashes. Refuses plain
 * `http://` unless the host is loopback (127.0.0.0/8, `localhost`, `[::1]`), credentials in the
 * URL, and query strings or fragments. `source` names where the URL came from, for the message.
 */
export function checkBaseUrl(url: string, source = 'base URL'): string {
  const shown = redactUrl(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`${source}: "${shown}" is not a valid URL (expected e.g. ${BEIJING_BASE_URL})`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new ConfigError(
      `${source}: "${redactUrl(parsed.href)}" contains a user name or password; the API key is read from the environment, not the URL`,
    );
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    throw new ConfigError(`${source}: "${shown}" must not have a query string or fragment`);
  }
  if (parsed.protocol === 'http:') {
    if (!isLoopbackHost(parsed.hostname)) {
      throw new ConfigError(
        `${source}: refusing plain http:// URL "${shown}": the API key would travel unencrypted; ` +
          'use https://, or a loopback host (127.0.0.0/8, localhost, [::1]) for a local emulator',
      );
    }
  } else if (parsed.protocol !== 'https:') {
    throw new ConfigError(`${source}: "${shown}" must be an https:// URL`);
  }
  return parsed.href.replace(/\/+$/, '');
}

