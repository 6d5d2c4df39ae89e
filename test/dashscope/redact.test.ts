import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { redactSecrets, redactUrl, sanitizeCause } from '../../src/dashscope/redact.js';

describe('redactSecrets', () => {
  it('replaces every occurrence of every secret, and any bearer token', () => {
    expect(redactSecrets('key sk-1 and sk-1 again', ['sk-1'])).toBe('key *** and *** again');
    expect(redactSecrets('Authorization: Bearer abc.def', [])).toBe('Authorization: Bearer ***');
    expect(redactSecrets('sk-12345 / sk-123', ['sk-123', 'sk-12345'])).toBe('*** / ***');
    expect(redactSecrets('nothing here', ['', undefined])).toBe('nothing here');
  });
});

describe('redactUrl', () => {
  it('masks user info and keeps the rest', () => {
    expect(redactUrl('https://u:p@host.example/api?x=1')).toBe('https://***@host.example/api?x=1');
    expect(redactUrl('https://host.example/a@b')).toBe('https://host.example/a@b');
  });
});

describe('sanitizeCause', () => {
  it('copies name, message, code and nested causes with secrets removed', () => {
    const inner = Object.assign(new Error('header Bearer sk-secret is invalid'), { code: 'ERR_X', headers: { authorization: 'sk-secret' } });
    const outer = new TypeError('fetch failed sk-secret', { cause: inner });
    const safe = sanitizeCause(outer, ['sk-secret']);
    expect(safe.name).toBe('TypeError');
    expect(safe.message).toBe('fetch failed ***');
    const safeInner = safe.cause as Error & { code?: string };
    expect(safeInner.message).toBe('header Bearer *** is invalid');
    expect(safeInner.code).toBe('ERR_X');
    expect(inspect(safe, { depth: 10, showHidden: true })).not.toContain('sk-secret');
  });

  it('handles thrown non-errors', () => {
    expect(sanitizeCause({ code: 'ECONNRESET', message: 'socket hang up' }, []).message).toBe('socket hang up');
    expect(sanitizeCause('plain sk-1', ['sk-1']).message).toBe('plain ***');
  });
});
