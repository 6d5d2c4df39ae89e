import { describe, expect, it } from 'vitest';
import { checkBaseUrl, resolveBaseUrl } from '../../src/dashscope/base-url.js';
import { isLoopbackHost } from '../../src/util/loopback.js';
import { ConfigError } from '../../src/errors.js';

describe('resolveBaseUrl', () => {
  it('defaults to the Beijing URL when nothing is configured', () => {
    expect(resolveBaseUrl({}, {})).toBe('https://dashscope.aliyuncs.com/api/v1');
  });

  it('picks the official URL of each region', () => {
    expect(resolveBaseUrl({ region: 'cn-beijing' }, {})).toBe('https://dashscope.aliyuncs.com/api/v1');
    expect(resolveBaseUrl({ region: 'ap-southeast-1' }, {})).toBe('https://dashscope-intl.aliyuncs.com/api/v1');
  });

  it('prefers an explicit endpoint over the region and strips trailing slashes', () => {
    expect(resolveBaseUrl({ endpoint: 'https://ws-1.cn-beijing.maas.aliyuncs.com/api/v1/', region: 'ap-southeast-1' }, {})).toBe(
      'https://ws-1.cn-beijing.maas.aliyuncs.com/api/v1',
    );
  });

  it('lets DASHSCOPE_HTTP_BASE_URL override both endpoint and region', () => {
    const env = { DASHSCOPE_HTTP_BASE_URL: 'http://127.0.0.1:8080/api/v1' };
    expect(resolveBaseUrl({ endpoint: 'https://example.com/api/v1', region: 'ap-southeast-1' }, env)).toBe(
      'http://127.0.0.1:8080/api/v1',
    );
    expect(resolveBaseUrl({}, { DASHSCOPE_HTTP_BASE_URL: '  ' })).toBe('https://dashscope.aliyuncs.com/api/v1');
  });

  it('refuses to resolve the embedded local account, even with the override set', () => {
    expect(() => resolveBaseUrl({ endpoint: 'local' }, {})).toThrow(/endpoint "local" is the embedded account/);
    expect(() => resolveBaseUrl({ endpoint: 'local' }, { DASHSCOPE_HTTP_BASE_URL: 'https://x.example' })).toThrow(ConfigError);
  });

  it('rejects an unknown region with the known ones', () => {
    expect(() => resolveBaseUrl({ region: 'us-east-1' }, {})).toThrow(/unknown region "us-east-1".*cn-beijing, ap-southeast-1/);
  });

  it('refuses plain http to a remote host, naming the URL with its password redacted', () => {
    let error: unknown;
    try {
      resolveBaseUrl({}, { DASHSCOPE_HTTP_BASE_URL: 'http://user:hunter2@dashscope.example.com/api/v1' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('DASHSCOPE_HTTP_BASE_URL');
    expect(message).toContain('http://***@dashscope.example.com/api/v1');
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('user:');
  });

  it('refuses http to a remote host given as endpoint', () => {
    expect(() => resolveBaseUrl({ endpoint: 'http://dashscope.aliyuncs.com/api/v1' }, {})).toThrow(
      /refusing plain http:\/\/ URL "http:\/\/dashscope.aliyuncs.com\/api\/v1"/,
    );
  });
});

describe('checkBaseUrl', () => {
  it.each([
    'http://127.0.0.1:9000/api/v1',
    'http://127.8.9.10/api/v1',
    'http://localhost:9000/api/v1',
    'http://LOCALHOST:9000',
    'http://[::1]:9000/api/v1',
    'http://2130706433:9000', // 127.0.0.1 spelled as an integer
  ])('accepts loopback http %s', (url) => {
    expect(checkBaseUrl(url)).toMatch(/^http:\/\//);
  });

  it.each(['http://128.0.0.1/', 'http://localhost.evil.example/', 'http://10.0.0.1/', 'http://[::2]/', 'http://127.0.0.1.nip.io/'])(
    'refuses non-loopback http %s',
    (url) => {
      expect(() => checkBaseUrl(url)).toThrow(/refusing plain http/);
    },
  );

  it('refuses credentials even over https, without showing them', () => {
    expect(() => checkBaseUrl('https://me:s3cret@dashscope.aliyuncs.com/api/v1')).toThrow(/user name or password/);
    expect(() => checkBaseUrl('https://me:s3cret@dashscope.aliyuncs.com/api/v1')).not.toThrow(/s3cret/);
  });

  it('refuses other schemes, query strings and garbage', () => {
    expect(() => checkBaseUrl('ftp://dashscope.aliyuncs.com/')).toThrow(/must be an https/);
    expect(() => checkBaseUrl('https://dashscope.aliyuncs.com/api/v1?x=1')).toThrow(/query string/);
    expect(() => checkBaseUrl('dashscope.aliyuncs.com')).toThrow(/not a valid URL/);
  });
});

describe('isLoopbackHost', () => {
  it('knows loopback from the rest', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('127.0.0.1.example.com')).toBe(false);
    expect(isLoopbackHost('example.com')).toBe(false);
  });

  it('is one rule for URLs, bind addresses and sockets: 127.0.0.0/8, ::1 and localhost', () => {
    for (const host of ['127.255.0.9', '::1', '[::1]', 'LOCALHOST', '::ffff:127.0.0.1']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['127.0.0.256', '128.0.0.1', '0.0.0.0', '::2', '[::ffff:10.0.0.1]', undefined]) expect(isLoopbackHost(host)).toBe(false);
  });
});
