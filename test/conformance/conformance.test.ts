import { afterEach, describe, expect, it } from 'vitest';
import { outcomeOf } from '../../src/conformance/contract.js';
import { listAccountIds, runConformance, throwawayPrefix } from '../../src/conformance/run-conformance.js';
import { createWireTransport } from '../../src/conformance/transport.js';
import { startEmulatorServer, type EmulatorServer } from '../../src/emulator/server.js';
import { ConfigError } from '../../src/errors.js';

const KEY = 'sk-conformance-test-0123456789abcdef';

let server: EmulatorServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('the wire transport', () => {
  it('records requests and answers without the key, even when the service echoes it', async () => {
    const fetch: typeof globalThis.fetch = () =>
      Promise.resolve(new Response(JSON.stringify({ code: 'InvalidApiKey', message: `bad key ${KEY}` }), { status: 401 }));
    const transport = createWireTransport({ baseUrl: 'https://dashscope.aliyuncs.com/api/v1', apiKey: KEY, fetch });
    const answer = await transport.send('probe', { action: 'list_vocabulary', note: KEY });
    expect(answer.status).toBe(401);
    const recorded = JSON.stringify(transport.exchanges);
    expect(recorded).not.toContain(KEY);
    expect(recorded).toContain('bad key ***');
    expect(transport.exchanges[0]!.rule).toBe('probe');
  });

  it('reports no answer as status 0 instead of throwing', async () => {
    const transport = createWireTransport({ baseUrl: 'http://127.0.0.1:9/api/v1', apiKey: KEY, timeoutMs: 2_000 });
    const answer = await transport.send('probe', { action: 'list_vocabulary' });
    expect(answer.status).toBe(0);
    expect(outcomeOf(answer)).toBe('no answer');
  });
});

describe('observations', () => {
  it('show only the status and the code\'s word characters', () => {
    expect(outcomeOf({ status: 200, body: {} })).toBe('200');
    expect(outcomeOf({ status: 400, body: { code: 'InvalidParameter', message: 'x' } })).toBe('400 InvalidParameter');
    expect(outcomeOf({ status: 403, body: { code: '\u001b[31mAccess\nDenied' } })).toBe('403 31mAccessDenied');
    expect(outcomeOf({ status: 502, body: '<html>' })).toBe('502 (no code)');
  });

  it('use a throwaway prefix no list on the account has', () => {
    for (let i = 0; i < 20; i++) {
      const prefix = throwawayPrefix([]);
      expect(prefix).toMatch(/^vc[a-z0-9]{7}$/);
    }
    const taken = Array.from({ length: 5 }, () => throwawayPrefix([]));
    const fresh = throwawayPrefix(taken.map((p) => `vocab-${p}-${'0'.repeat(32)}`));
    expect(taken).not.toContain(fresh);
  });
});

describe('runConformance', () => {
  it('counts an account across pages, even when the server caps them silently', async () => {
    server = await startEmulatorServer({ apiKeys: [KEY], maxPageSize: 3 });
    const transport = createWireTransport({ baseUrl: server.url, apiKey: KEY });
    for (let i = 0; i < 7; i++) {
      await transport.send('setup', { action: 'create_vocabulary', target_model: 'fun-asr', prefix: `p${i}`, vocabulary: [{ text: 'x', weight: 4 }] });
    }
    expect(await listAccountIds(transport)).toHaveLength(7);
  });

  it('agrees with an emulator of the same defaults, and deletes its one list', async () => {
    server = await startEmulatorServer({ apiKeys: [KEY] });
    const target = createWireTransport({ baseUrl: server.url, apiKey: KEY });
    const report = await runConformance({ environment: 'emu', baseUrl: server.url, target, region: 'cn-beijing', maxVocabularies: 10, prefix: 'vctest123' });
    expect(report.summary).toStrictEqual({ agree: report.results.length, disagree: 0, skipped: 0 });
    expect(server.accountState(KEY)?.vocabularies ?? []).toStrictEqual([]);
    expect(report.results.find((r) => r.rule === 'create')!.service).toBe('200, id vocab-PREFIX-<32 hex>');
  });

  it('refuses a full account before creating anything', async () => {
    server = await startEmulatorServer({ apiKeys: [KEY] });
    const target = createWireTransport({ baseUrl: server.url, apiKey: KEY });
    await target.send('setup', { action: 'create_vocabulary', target_model: 'fun-asr', prefix: 'full', vocabulary: [{ text: 'x', weight: 4 }] });
    await expect(runConformance({ environment: 'emu', baseUrl: server.url, target, maxVocabularies: 1 })).rejects.toBeInstanceOf(ConfigError);
    expect(target.exchanges.filter((e) => e.request.input['action'] !== 'list_vocabulary').map((e) => e.rule)).toStrictEqual(['setup']);
  });

  it('names a list the service would not delete, so the user can', async () => {
    server = await startEmulatorServer({ apiKeys: [KEY] });
    // Every delete fails: the unknown id's, the list's own, and the clean-up's.
    server.scriptFaults(...Array.from({ length: 3 }, () => ({ action: 'delete_vocabulary', fault: 'http-500' as const })));
    const target = createWireTransport({ baseUrl: server.url, apiKey: KEY });
    const report = await runConformance({ environment: 'emu', baseUrl: server.url, target, maxVocabularies: 10, prefix: 'vcstuck12' });
    const left = server.accountState(KEY)!.vocabularies.map((v) => v.vocabulary_id);
    expect(left).toHaveLength(1);
    expect(report.left_on_account).toStrictEqual(left);
    expect(report.results.find((r) => r.rule === 'delete')).toMatchObject({ service: '500 InternalError', emulator: '200', agrees: false });
  });

  it('finds and deletes a list that a failed create made anyway', async () => {
    server = await startEmulatorServer({ apiKeys: [KEY] });
    // Every create the service takes answers 500 anyway (committed, then failed).
    const failingCreates: typeof globalThis.fetch = async (url, init) => {
      const response = await globalThis.fetch(url, init);
      const sent = JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as { input: { action: string } };
      if (sent.input.action !== 'create_vocabulary' || response.status !== 200) return response;
      return new Response(JSON.stringify({ code: 'InternalError', message: 'committed, then failed' }), { status: 500 });
    };
    const target = createWireTransport({ baseUrl: server.url, apiKey: KEY, fetch: failingCreates });
    const report = await runConformance({ environment: 'emu', baseUrl: server.url, target, maxVocabularies: 10, prefix: 'vcsweep12' });
    expect(report.results.find((r) => r.rule === 'create')).toMatchObject({ service: '500 InternalError', agrees: false });
    expect(server.accountState(KEY)!.vocabularies).toStrictEqual([]);
    expect(report.left_on_account).toStrictEqual([]);
    expect(target.exchanges.filter((e) => e.rule === 'cleanup (sweep)' && e.request.input['action'] === 'delete_vocabulary')).toHaveLength(1);
  });
});
