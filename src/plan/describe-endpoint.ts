/**
 * Where a plan talks to, in words: the endpoint actually used (`target.url`) and why. The plan's
 * header names it whenever it is not the official URL of the environment's region, so a plan
 * made against an emulator or a gateway never passes for one of the real account. Pure.
 */
import { DEFAULT_REGION, regionOfEndpoint } from '../catalog/index.js';
import { maskUrlCredentials } from '../util/secrets.js';
import type { PlanTarget } from './types.js';

/** A saved plan is untrusted and may hold a URL with a user name and password: never shown. */
const withoutCredentials = (url: string): string => maskUrlCredentials(url, '***');

/** The region whose official URL the environment would use without any override. */
function expectedRegion(target: Pick<PlanTarget, 'region' | 'endpoint'>): string {
  const implied = regionOfEndpoint(target.endpoint ?? '');
  return implied ?? target.region ?? DEFAULT_REGION;
}

/** `from DASHSCOPE_HTTP_BASE_URL`, `from the config's endpoint`, `the official cn-beijing URL`. */
function sourceOf(target: Pick<PlanTarget, 'url' | 'url_from' | 'region' | 'endpoint'>): string {
  switch (target.url_from) {
    case 'local':
      return 'the embedded account, in-process: no network, no key';
    case 'DASHSCOPE_HTTP_BASE_URL':
      return 'from DASHSCOPE_HTTP_BASE_URL';
    case 'endpoint':
      return "from the config's endpoint";
    case 'region':
      return `the official ${expectedRegion(target)} URL`;
  }
}

/** `http://127.0.0.1:8080/api/v1 (from DASHSCOPE_HTTP_BASE_URL)`: the endpoint and where it comes from. */
export function describeEndpointOf(target: Pick<PlanTarget, 'url' | 'url_from' | 'region' | 'endpoint'>): string {
  // The region's own URL says so in its source already; `local` is no URL.
  const official = target.url_from === 'region' ? undefined : regionOfEndpoint(target.url);
  return `${withoutCredentials(target.url)} (${sourceOf(target)}${official === undefined ? '' : `, the official ${official} URL`})`;
}

/**
 * The header line naming the endpoint when it is not the official URL of the environment's
 * region, e.g. `endpoint: http://127.0.0.1:8080/api/v1 (from DASHSCOPE_HTTP_BASE_URL, not the
 * official cn-beijing URL)`, or the embedded account; undefined for the official URL.
 */
export function endpointNotice(target: Pick<PlanTarget, 'url' | 'url_from' | 'region' | 'endpoint'>): string | undefined {
  if (target.url_from === 'local') return `endpoint: local (${sourceOf(target)})`;
  const region = expectedRegion(target);
  const official = regionOfEndpoint(target.url);
  if (official === region) return undefined;
  const what = official === undefined ? `not the official ${region} URL` : `the official ${official} URL, not ${region}'s`;
  return `endpoint: ${withoutCredentials(target.url)} (${sourceOf(target)}, ${what})`;
}
