import { describe, expect, it } from 'vitest';
import { describeEndpointOf, endpointNotice } from '../../src/plan/describe-endpoint.js';
import type { PlanTarget } from '../../src/plan/types.js';

const BEIJING = 'https://dashscope.aliyuncs.com/api/v1';
const SINGAPORE = 'https://dashscope-intl.aliyuncs.com/api/v1';

function target(fields: Partial<PlanTarget>): PlanTarget {
  return { api_key_env: 'DASHSCOPE_API_KEY', url: BEIJING, url_from: 'region', ...fields };
}

describe('endpointNotice', () => {
  it('says nothing for the official URL of the region', () => {
    expect(endpointNotice(target({}))).toBeUndefined();
    expect(endpointNotice(target({ region: 'ap-southeast-1', url: SINGAPORE }))).toBeUndefined();
    expect(endpointNotice(target({ endpoint: BEIJING, url: BEIJING, url_from: 'endpoint' }))).toBeUndefined();
    // An official endpoint implies its region, whatever `region` is left unset.
    expect(endpointNotice(target({ endpoint: SINGAPORE, url: SINGAPORE, url_from: 'endpoint' }))).toBeUndefined();
    expect(endpointNotice(target({ endpoint: SINGAPORE, url: BEIJING, url_from: 'DASHSCOPE_HTTP_BASE_URL' }))).toBe(
      `endpoint: ${BEIJING} (from DASHSCOPE_HTTP_BASE_URL, the official cn-beijing URL, not ap-southeast-1's)`,
    );
  });

  it('names an override and why', () => {
    expect(endpointNotice(target({ url: 'http://127.0.0.1:8080/api/v1', url_from: 'DASHSCOPE_HTTP_BASE_URL' }))).toBe(
      'endpoint: http://127.0.0.1:8080/api/v1 (from DASHSCOPE_HTTP_BASE_URL, not the official cn-beijing URL)',
    );
    expect(endpointNotice(target({ region: 'ap-southeast-1', endpoint: 'https://gw.example.com/api/v1', url: 'https://gw.example.com/api/v1', url_from: 'endpoint' }))).toBe(
      "endpoint: https://gw.example.com/api/v1 (from the config's endpoint, not the official ap-southeast-1 URL)",
    );
    expect(endpointNotice(target({ region: 'cn-beijing', url: SINGAPORE, url_from: 'DASHSCOPE_HTTP_BASE_URL' }))).toBe(
      `endpoint: ${SINGAPORE} (from DASHSCOPE_HTTP_BASE_URL, the official ap-southeast-1 URL, not cn-beijing's)`,
    );
  });

  it('names the embedded account as such', () => {
    expect(endpointNotice(target({ endpoint: 'local', url: 'local', url_from: 'local' }))).toBe('endpoint: local (the embedded account, in-process: no network, no key)');
  });

  it('never shows a user name or password, even from an edited plan file', () => {
    const shown = describeEndpointOf(target({ url: 'http://user:s3cret@127.0.0.1:9/api/v1', url_from: 'DASHSCOPE_HTTP_BASE_URL' }));
    expect(shown).toBe('http://***@127.0.0.1:9/api/v1 (from DASHSCOPE_HTTP_BASE_URL)');
    expect(endpointNotice(target({ url: 'http://u:p@ss@127.0.0.1:9/api/v1', url_from: 'endpoint' }))).not.toMatch(/ss@|u:p/);
  });
});

describe('describeEndpointOf', () => {
  it('says where the endpoint comes from, and when it is an official URL', () => {
    expect(describeEndpointOf(target({}))).toBe(`${BEIJING} (the official cn-beijing URL)`);
    expect(describeEndpointOf(target({ region: 'ap-southeast-1', url: SINGAPORE }))).toBe(`${SINGAPORE} (the official ap-southeast-1 URL)`);
    expect(describeEndpointOf(target({ endpoint: BEIJING, url_from: 'endpoint' }))).toBe(`${BEIJING} (from the config's endpoint, the official cn-beijing URL)`);
    expect(describeEndpointOf(target({ url: 'http://127.0.0.1:9/api/v1', url_from: 'endpoint' }))).toBe("http://127.0.0.1:9/api/v1 (from the config's endpoint)");
    expect(describeEndpointOf(target({ url: 'local', url_from: 'local' }))).toBe('local (the embedded account, in-process: no network, no key)');
  });
});
