/**
 * The admin API under /_vocab/: state, reset, request log, faults, clock, accounts; its input
 * checks; who may call it.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { adminRefusal } from '../../src/emulator/admin-api.js';
import type { EmulatorServer } from '../../src/emulator/server.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KEY, callAction, createList, listPage, makeTempDir, outputOf, removeDir, closedAfterEachTest } from './helpers.js';

const start = closedAfterEachTest();

interface AdminResult {
  status: number;
  body: Record<string, unknown>;
}

async function admin(server: EmulatorServer, method: string, path: string, body?: unknown, raw?: string): Promise<AdminResult> {
  const init: RequestInit = { method, headers: { 'content-type': 'application/json' } };
  if (raw !== undefined) init.body = raw;
  else if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(`${server.adminUrl}${path}`, init);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function expectBadRequest(result: AdminResult, messagePart: string): void {
  expect(result.status).toBe(400);
  expect(result.body.api_version).toBe(1);
  const error = result.body.error as { code: string; message: string };
  expect(error.code).toBe('BadRequest');
  expect(error.message).toContain(messagePart);
}

const create = { action: 'create_vocabulary', target_model: 'fun-asr', prefix: 'adm', vocabulary: [{ text: 'word', weight: 4 }] };

describe('GET /_vocab/', () => {
  it('describes the routes, with api_version 1', async () => {
    const { server } = await start();
    const res = await admin(server, 'GET', '/');
    expect(res.status).toBe(200);
    expect(res.body.api_version).toBe(1);
    expect(res.body.routes).toContain('PUT /_vocab/faults');
    expect((await admin(server, 'GET', '/nothing')).status).toBe(404);
    const wrongMethod = await admin(server, 'POST', '/state');
    expect(wrongMethod.status).toBe(405);
    expect((wrongMethod.body.error as { message: string }).message).toContain('use GET, PUT');
  });
});

describe('state', () => {
  it('exports the whole account state and imports it into another emulator', async () => {
    const { server } = await start();
    const id = await createList(server.url);
    const exported = await admin(server, 'GET', '/state');
    expect(exported.status).toBe(200);
    const state = exported.body.state as { accounts: Record<string, { vocabularies: { vocabulary_id: string }[] }> };
    expect(Object.values(state.accounts)[0]!.vocabularies.map((v) => v.vocabulary_id)).toEqual([id]);
    expect(JSON.stringify(exported.body)).not.toContain(KEY);

    const { server: other } = await start();
    const imported = await admin(other, 'PUT', '/state', exported.body);
    expect(imported.body).toEqual({ api_version: 1, accounts: 1, vocabularies: 1 });
    expect((await listPage(other.url)).map((v) => v.vocabulary_id)).toEqual([id]);
    // a bare state (as a --state file holds it) is taken too
    expect((await admin(other, 'PUT', '/state', { format_version: 1, accounts: {} })).status).toBe(200);
    expect(await listPage(other.url)).toEqual([]);
  });

  it('refuses what is not a state, saying why', async () => {
    const { server } = await start();
    expectBadRequest(await admin(server, 'PUT', '/state', undefined, '{"state": '), 'not valid JSON');
    expectBadRequest(await admin(server, 'PUT', '/state', { state: { format_version: 2, accounts: {} } }), 'format_version');
    expectBadRequest(await admin(server, 'PUT', '/state', { format_version: 1, accounts: { nope: {} } }), 'sha256 fingerprints');
    expectBadRequest(await admin(server, 'PUT', '/state', [1, 2]), 'expected a JSON object');
  });
});

describe('reset', () => {
  it('empties every list, the request log, the faults and the clock offset', async () => {
    const { server } = await start();
    await createList(server.url);
    await admin(server, 'PUT', '/faults', [{ action: 'delete_vocabulary', status: 503 }]);
    await admin(server, 'PUT', '/clock', { advance_seconds: 60 });
    const res = await admin(server, 'POST', '/reset');
    expect(res.body).toMatchObject({ api_version: 1, reset: true });
    expect((await admin(server, 'GET', '/faults')).body.faults).toEqual([]);
    expect((await admin(server, 'GET', '/clock')).body.offset_ms).toBe(0);
    expect((await admin(server, 'GET', '/requests')).body.requests).toEqual([]);
    expect(await listPage(server.url)).toEqual([]);
  });
});

describe('requests', () => {
  it('lists the log filtered by action and status, keys only as fingerprints, and clears it', async () => {
    const { server } = await start();
    await createList(server.url);
    await listPage(server.url);
    await callAction(server.url, { action: 'query_vocabulary', vocabulary_id: 'vocab-none-1' });
    const all = (await admin(server, 'GET', '/requests')).body.requests as Record<string, unknown>[];
    expect(all.map((r) => [r.action, r.status])).toEqual([
      ['create_vocabulary', 200],
      ['list_vocabulary', 200],
      ['query_vocabulary', 400],
    ]);
    expect(all[0]!.key_fingerprint).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect(JSON.stringify(all)).not.toContain(KEY);
    const failed = (await admin(server, 'GET', '/requests?status=400')).body.requests as Record<string, unknown>[];
    expect(failed.map((r) => r.code)).toEqual(['InvalidParameter']);
    const lists = (await admin(server, 'GET', '/requests?action=list_vocabulary&limit=1')).body.requests as unknown[];
    expect(lists).toHaveLength(1);
    expectBadRequest(await admin(server, 'GET', '/requests?status=teapot'), 'status must be');
    expectBadRequest(await admin(server, 'GET', '/requests?limit=0'), 'limit');
    expectBadRequest(await admin(server, 'GET', '/requests?colour=red'), 'unknown query parameter');
    expect((await admin(server, 'DELETE', '/requests')).body).toEqual({ api_version: 1, deleted: 3 });
    expect((await admin(server, 'GET', '/requests')).body.requests).toEqual([]);
  });
});

describe('faults', () => {
  it('fails the matching action with the chosen status and code, count times, then goes away', async () => {
    const { server } = await start();
    const put = await admin(server, 'PUT', '/faults', { faults: [{ action: 'create_vocabulary', status: 503, code: 'ServiceUnavailable', message: 'down', count: 2 }] });
    expect(put.status).toBe(200);
    expect(put.body.faults).toEqual([
      { id: null, action: 'create_vocabulary', effect: 'error', status: 503, code: 'ServiceUnavailable', message: 'down', probability: 1, latency_ms: 0, count: 2 },
    ]);
    expect((await listPage(server.url))).toEqual([]);
    for (let i = 0; i < 2; i++) {
      const res = await callAction(server.url, create);
      expect(res.status).toBe(503);
      expect(res.json).toMatchObject({ code: 'ServiceUnavailable', message: 'down' });
    }
    expect((await callAction(server.url, create)).status).toBe(200);
    expect((await admin(server, 'GET', '/faults')).body.faults).toEqual([]);
    const logged = (await admin(server, 'GET', '/requests?status=503')).body.requests as Record<string, unknown>[];
    expect(logged.map((r) => r.fault)).toEqual(['error 503', 'error 503']);
  });

  it('commit-then-fail carries the action out and answers 500; commit-then-drop carries it out and drops the connection', async () => {
    const { server } = await start();
    await admin(server, 'PUT', '/faults', [{ action: 'create_vocabulary', effect: 'commit-then-fail', count: 1 }]);
    const failed = await callAction(server.url, create);
    expect(failed.status).toBe(500);
    expect(failed.json.code).toBe('InternalError');
    expect(server.accountState(KEY)?.vocabularies).toHaveLength(1);
    await admin(server, 'PUT', '/faults', [{ action: 'create_vocabulary', effect: 'commit-then-drop', count: 1 }]);
    await expect(callAction(server.url, { ...create, prefix: 'dropped' })).rejects.toThrow();
    expect(server.accountState(KEY)?.vocabularies.map((v) => v.prefix)).toEqual(['adm', 'dropped']);
  });

  it('draws by probability (seeded), delays by latency_ms, and DELETE clears them', async () => {
    const waits: number[] = [];
    const { server } = await start({ sleep: async (ms) => void waits.push(ms) });
    await admin(server, 'PUT', '/faults', [{ effect: 'latency', latency_ms: 1500 }]);
    await listPage(server.url);
    expect(waits).toEqual([1500]);
    await admin(server, 'PUT', '/faults', [{ action: 'list_vocabulary', status: 429, probability: 0.5 }]);
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await callAction(server.url, { action: 'list_vocabulary' })).status);
    expect(statuses).toContain(429);
    expect(statuses).toContain(200);
    expect((await admin(server, 'DELETE', '/faults')).body).toEqual({ api_version: 1, faults: [] });
    expect((await callAction(server.url, { action: 'list_vocabulary' })).status).toBe(200);
  });

  it('refuses bad rules, naming the field', async () => {
    const { server } = await start();
    expectBadRequest(await admin(server, 'PUT', '/faults', undefined, 'not json'), 'not valid JSON');
    expectBadRequest(await admin(server, 'PUT', '/faults', { faults: 'all' }), 'expected a list');
    expectBadRequest(await admin(server, 'PUT', '/faults', [{ status: '500' }]), 'faults[0].status must be a whole number from 400 to 599');
    expectBadRequest(await admin(server, 'PUT', '/faults', [{ probability: 2 }]), 'faults[0].probability');
    expectBadRequest(await admin(server, 'PUT', '/faults', [{ effect: 'explode' }]), 'faults[0].effect must be one of');
    expectBadRequest(await admin(server, 'PUT', '/faults', [{ count: 0 }]), 'faults[0].count');
    expectBadRequest(await admin(server, 'PUT', '/faults', [{ colour: 'red' }]), 'unknown field "colour"');
    expect((await admin(server, 'GET', '/faults')).body.faults).toEqual([]);
  });
});

describe('clock', () => {
  it('moves forward so the UNDEPLOYED delay and the update spacing pass without waiting', async () => {
    const { server } = await start({ undeployedMs: 60_000, updateIntervalMs: 300_000 });
    const id = await createList(server.url);
    expect((await listPage(server.url))[0]!.status).toBe('UNDEPLOYED');
    const update = { action: 'update_vocabulary', vocabulary_id: id, vocabulary: [{ text: 'later', weight: 3 }] };
    expect((await callAction(server.url, update)).json.code).toBe('InvalidParameter.UpdateInterval');
    const moved = await admin(server, 'PUT', '/clock', { advance_seconds: 300 });
    expect(moved.body).toMatchObject({ api_version: 1, offset_ms: 300_000, service_time: '2024-11-05 16:36:32' });
    expect((await listPage(server.url))[0]!.status).toBe('OK');
    expect((await callAction(server.url, update)).status).toBe(200);
    expect(outputOf(await callAction(server.url, { action: 'query_vocabulary', vocabulary_id: id })).gmt_modified).toBe('2024-11-05 16:36:32');
    expect((await admin(server, 'PUT', '/clock', { advance_ms: 500 })).body.offset_ms).toBe(300_500);
  });

  it('refuses a clock moved back, or a body that is not one amount', async () => {
    const { server } = await start();
    expectBadRequest(await admin(server, 'PUT', '/clock', { advance_seconds: -1 }), 'advance_seconds must be a number from 0');
    expectBadRequest(await admin(server, 'PUT', '/clock', { advance_seconds: '5' }), 'advance_seconds must be a number');
    expectBadRequest(await admin(server, 'PUT', '/clock', { advance_seconds: 1, advance_ms: 1 }), 'exactly one');
    expectBadRequest(await admin(server, 'PUT', '/clock', { set: 0 }), 'unknown field');
    expectBadRequest(await admin(server, 'PUT', '/clock', 5), 'expected {"advance_seconds"');
  });
});

describe('accounts', () => {
  it('creates (201) and updates (200) an account by key, listed by fingerprint only', async () => {
    const { server } = await start();
    const key = 'sk-team-a-0001';
    const made = await admin(server, 'PUT', `/accounts/${encodeURIComponent(key)}`, { max_vocabularies: 3, region: 'ap-southeast-1' });
    expect(made.status).toBe(201);
    const again = await admin(server, 'PUT', `/accounts/${key}`, { max_vocabularies: 4, workspaces: { primary: 'ws-1', sub: ['ws-2'] } });
    expect(again.status).toBe(200);
    const listed = (await admin(server, 'GET', '/accounts')).body.accounts as Record<string, unknown>[];
    expect(listed).toEqual([
      { fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), settings: { max_vocabularies: 4, workspaces: { primary: 'ws-1', sub: ['ws-2'] } }, vocabularies: 0 },
    ]);
    expect(JSON.stringify(listed)).not.toContain(key);
  });

  it('keeps accounts and their settings in the state file across a restart', async () => {
    const dir = await makeTempDir();
    try {
      const stateFile = join(dir, 'state.json');
      const { server } = await start({ stateFile });
      await admin(server, 'PUT', '/accounts/sk-kept-account', { max_vocabularies: 2 });
      await server.close();
      expect(await readFile(stateFile, 'utf8')).not.toContain('sk-kept-account');
      const { server: again } = await start({ stateFile });
      expect((await callAction(again.url, { action: 'list_vocabulary' }, 'sk-kept-account')).status).toBe(200);
      expect((await admin(again, 'GET', '/accounts')).body.accounts).toEqual([
        { fingerprint: expect.stringMatching(/^sha256:/), settings: { max_vocabularies: 2 }, vocabularies: 0 },
      ]);
    } finally {
      await removeDir(dir);
    }
  });

  it('refuses bad settings', async () => {
    const { server } = await start();
    expectBadRequest(await admin(server, 'PUT', '/accounts/sk-x', { max_vocabularies: -1 }), 'max_vocabularies');
    expectBadRequest(await admin(server, 'PUT', '/accounts/sk-x', { region: 'mars' }), 'region must be one of');
    expectBadRequest(await admin(server, 'PUT', '/accounts/sk-x', { workspaces: { primary: 'a b' } }), 'workspaces.primary');
    expectBadRequest(await admin(server, 'PUT', '/accounts/sk-x', { workspaces: { primary: 'w', sub: ['w'] } }), 'both primary and sub');
    expectBadRequest(await admin(server, 'PUT', '/accounts/sk-x', { quota: 3 }), 'unknown field "quota"');
    expectBadRequest(await admin(server, 'PUT', '/accounts', {}), 'expected PUT /_vocab/accounts/{api_key}');
    expect((await admin(server, 'GET', '/accounts')).body.accounts).toEqual([]);
  });
});

function rawRequest(server: EmulatorServer, path: string, headers: Record<string, string>): Promise<IncomingMessage & { text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, method: 'GET', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve(Object.assign(res, { text })));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('who may call it', () => {
  function fakeRequest(remoteAddress: string, headers: Record<string, string> = {}) {
    return { headers: { host: '127.0.0.1:1', ...headers }, socket: { remoteAddress } } as unknown as Parameters<typeof adminRefusal>[0];
  }

  it('lets loopback callers in and refuses others unless they send the admin key', () => {
    expect(adminRefusal(fakeRequest('127.0.0.1'), undefined)).toBeNull();
    expect(adminRefusal(fakeRequest('::1'), undefined)).toBeNull();
    expect(adminRefusal(fakeRequest('::ffff:127.0.0.1'), undefined)).toBeNull();
    expect(adminRefusal(fakeRequest('10.1.2.3'), undefined)).toContain('loopback callers only');
    expect(adminRefusal(fakeRequest('10.1.2.3'), 'admin-secret-1')).toContain('x-vocab-admin-key');
    expect(adminRefusal(fakeRequest('10.1.2.3', { 'x-vocab-admin-key': 'admin-secret-1' }), 'admin-secret-1')).toBeNull();
    expect(adminRefusal(fakeRequest('10.1.2.3', { 'x-vocab-admin-key': 'wrong' }), 'admin-secret-1')).toContain('wrong');
    expect(adminRefusal(fakeRequest('127.0.0.1', { host: 'evil.example@127.0.0.1' }), undefined)).toContain('Host header');
    expect(adminRefusal(fakeRequest('127.0.0.1', { host: '[::1]:8787' }), undefined)).toBeNull();
    expect(adminRefusal(fakeRequest('127.0.0.1', { host: 'LOCALHOST' }), undefined)).toBeNull();
  });

  it('refuses a page of another site (Origin) and a non-loopback Host (DNS rebinding), over real HTTP', async () => {
    const { server } = await start();
    const ok = await rawRequest(server, '/_vocab/faults', { host: `127.0.0.1:${server.port}` });
    expect(ok.statusCode).toBe(200);
    const sameOrigin = await rawRequest(server, '/_vocab/faults', { host: `localhost:${server.port}`, origin: `http://localhost:${server.port}` });
    expect(sameOrigin.statusCode).toBe(200);
    const foreign = await rawRequest(server, '/_vocab/faults', { host: `127.0.0.1:${server.port}`, origin: 'http://evil.example' });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.text).toContain('http://evil.example');
    const rebound = await rawRequest(server, '/_vocab/state', { host: 'evil.example' });
    expect(rebound.statusCode).toBe(403);
    expect(rebound.text).not.toContain('accounts');
  });
});
