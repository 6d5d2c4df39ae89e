/**
 * The emulator's rules that follow the vendor's current pages and tool: region word caps, an
 * empty vocabulary, the 500 message, the update spacing, the super hotword weight, workspaces.
 */
import { describe, expect, it } from 'vitest';
import { INTERNAL_ERROR_MESSAGE } from '../../src/emulator/constants.js';
import type { EmulatorServer } from '../../src/emulator/server.js';
import { KEY, callAction, createList, outputOf, postRaw, pythonSdkHeaders, closedAfterEachTest } from './helpers.js';

const start = closedAfterEachTest();

function entries(count: number): { text: string; weight: number }[] {
  return Array.from({ length: count }, (_, i) => ({ text: `word${i}`, weight: 4 }));
}

async function adminPut(server: EmulatorServer, path: string, body: unknown): Promise<Response> {
  return fetch(`${server.adminUrl}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('word caps by region', () => {
  it('Singapore (ap-southeast-1): 500 words per list, even for fun-asr (10,000 in Beijing)', async () => {
    const { server: sg } = await start({ region: 'ap-southeast-1' });
    const create = (n: number) => callAction(sg.url, { action: 'create_vocabulary', target_model: 'fun-asr', prefix: 'cap', vocabulary: entries(n) });
    expect((await create(500)).status).toBe(200);
    const over = await create(501);
    expect(over.status).toBe(400);
    expect(over.json.code).toBe('InvalidParameter');
    expect(over.json.message).toContain('at most 500');
    const { server: bj } = await start({ region: 'cn-beijing' });
    expect((await callAction(bj.url, { action: 'create_vocabulary', target_model: 'fun-asr', prefix: 'cap', vocabulary: entries(501) })).status).toBe(200);
  });
});

describe('an empty vocabulary', () => {
  it('is refused on create and on update with 400 InvalidParameter, and changes nothing', async () => {
    const { server } = await start();
    const create = await callAction(server.url, { action: 'create_vocabulary', target_model: 'fun-asr', prefix: 'empty', vocabulary: [] });
    expect(create.status).toBe(400);
    expect(create.json.code).toBe('InvalidParameter');
    expect(server.accountState(KEY)?.vocabularies ?? []).toEqual([]);
    const id = await createList(server.url);
    const update = await callAction(server.url, { action: 'update_vocabulary', vocabulary_id: id, vocabulary: [] });
    expect(update.status).toBe(400);
    expect(update.json.code).toBe('InvalidParameter');
    expect(outputOf(await callAction(server.url, { action: 'query_vocabulary', vocabulary_id: id })).vocabulary).toHaveLength(1);
  });
});

describe('the 500 answer', () => {
  it('carries the message of the vendor status code table', async () => {
    const { server } = await start({ faults: [{ fault: 'http-500' }] });
    const res = await callAction(server.url, { action: 'list_vocabulary' });
    expect(res.status).toBe(500);
    expect(res.json).toMatchObject({ code: 'InternalError', message: 'An internal error has occured, please try again later or contact service support.' });
    expect(res.json.message).toBe(INTERNAL_ERROR_MESSAGE);
  });
});

describe('update spacing', () => {
  it('is on by default: a list written less than 300 s ago is refused 400 InvalidParameter.UpdateInterval, then accepted', async () => {
    const { server, clock } = await start({ updateIntervalMs: undefined });
    const id = await createList(server.url);
    clock.advance(299_000);
    const early = await callAction(server.url, { action: 'update_vocabulary', vocabulary_id: id, vocabulary: entries(2) });
    expect(early.status).toBe(400);
    expect(early.json.code).toBe('InvalidParameter.UpdateInterval');
    expect(early.json.message).toBe(
      `Updates must be at least 5 minutes apart: ${id} was last modified at 2024-11-05 16:31:32 and can be updated again at 2024-11-05 16:36:32.`,
    );
    clock.advance(1_000);
    expect((await callAction(server.url, { action: 'update_vocabulary', vocabulary_id: id, vocabulary: entries(2) })).status).toBe(200);
    // the spacing runs again from this update
    clock.advance(60_000);
    expect((await callAction(server.url, { action: 'update_vocabulary', vocabulary_id: id, vocabulary: entries(3) })).status).toBe(400);
  });

  it('follows the knob; 0 turns it off; deletes are never spaced', async () => {
    const { server, clock } = await start({ updateIntervalMs: 10_000 });
    const id = await createList(server.url);
    clock.advance(9_999);
    const early = await callAction(server.url, { action: 'update_vocabulary', vocabulary_id: id, vocabulary: entries(2) });
    expect(early.json.message).toContain('at least 10 seconds apart');
    expect((await callAction(server.url, { action: 'delete_vocabulary', vocabulary_id: id })).status).toBe(200);
    const { server: off } = await start({ updateIntervalMs: 0 });
    const other = await createList(off.url);
    expect((await callAction(off.url, { action: 'update_vocabulary', vocabulary_id: other, vocabulary: entries(2) })).status).toBe(200);
  });
});

describe('weights', () => {
  it('takes 50 ("super hotword") only on the Qwen-Audio 3.0 ASR Flash family', async () => {
    const { server } = await start();
    const create = (model: string, weight: number) =>
      callAction(server.url, { action: 'create_vocabulary', target_model: model, prefix: 'qwen', vocabulary: [{ text: 'Speech Lab', weight }] });
    expect((await create('qwen-audio-3.0-asr-flash', 50)).status).toBe(200);
    expect((await create('qwen-audio-3.0-asr-flash', 6)).status).toBe(400);
    expect((await create('fun-asr', 50)).status).toBe(400);
    expect((await create('qwen-audio-3.1-asr-flash', 50)).status).toBe(400);
    expect((await create('fun-asr-flash-8k-realtime', 4)).status).toBe(200);
  });
});

describe('workspaces', () => {
  it('ignores X-DashScope-WorkSpace for an account without workspace settings', async () => {
    const { server } = await start();
    const res = await postRaw(server.url, JSON.stringify({ model: 'speech-biasing', input: { action: 'list_vocabulary' } }), {
      ...pythonSdkHeaders(),
      'X-DashScope-WorkSpace': 'ws-anything',
    });
    expect(res.status).toBe(200);
  });

  it('serves the primary workspace, refuses sub-workspaces and unknown ones with 403 AccessDenied', async () => {
    const { server } = await start();
    const key = 'sk-workspace-account';
    const made = await adminPut(server, `/accounts/${key}`, { workspaces: { primary: 'ws-main', sub: ['ws-team'] } });
    expect(made.status).toBe(201);
    const call = (workspace?: string) =>
      postRaw(server.url, JSON.stringify({ model: 'speech-biasing', input: { action: 'list_vocabulary' } }), {
        ...pythonSdkHeaders(key),
        ...(workspace === undefined ? {} : { 'X-DashScope-WorkSpace': workspace }),
      });
    expect((await call()).status).toBe(200);
    expect((await call('ws-main')).status).toBe(200);
    const sub = await call('ws-team');
    expect(sub.status).toBe(403);
    expect(sub.json.code).toBe('AccessDenied');
    expect(sub.json.message).toContain('supported only in the primary workspace');
    const unknown = await call('ws-nope');
    expect(unknown.status).toBe(403);
    expect(unknown.json.message).toContain('does not exist');
    expect(server.requestLog.entries().map((e) => e.workspace)).toEqual([null, 'ws-main', 'ws-team', 'ws-nope']);
  });
});

describe('accounts of their own', () => {
  it('have their own quota and region, and their key is accepted', async () => {
    const { server } = await start();
    const key = 'sk-small-account';
    expect((await callAction(server.url, { action: 'list_vocabulary' }, key)).status).toBe(401);
    expect((await adminPut(server, `/accounts/${key}`, { max_vocabularies: 1, region: 'ap-southeast-1' })).status).toBe(201);
    await createList(server.url, 'one', undefined, 'fun-asr', key);
    const second = await callAction(server.url, { action: 'create_vocabulary', target_model: 'fun-asr', prefix: 'two', vocabulary: entries(1) }, key);
    expect(second.status).toBe(429);
    expect(second.json.code).toBe('Throttling.AllocationQuota');
    // Singapore has no Paraformer
    const para = await callAction(server.url, { action: 'create_vocabulary', target_model: 'paraformer-v2', prefix: 'p', vocabulary: entries(1) }, key);
    expect(para.status).toBe(400);
    // the emulator's own key still has the default quota and Beijing's models
    await createList(server.url, 'mine', undefined, 'paraformer-v2');
    await createList(server.url, 'mine', undefined, 'fun-asr');
  });
});
