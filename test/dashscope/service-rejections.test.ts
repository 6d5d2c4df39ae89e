/**
 * The client's named refusals: "this vocabulary does not exist" (one rule, shared with apply),
 * the update spacing rule and the primary-workspace rule, told in words and not retried blindly.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { classifyRejection, DashScopeError, isVocabularyNotFound } from '../../src/dashscope/errors.js';
import { createHttpVocabularyService, type ClientEvent } from '../../src/dashscope/http-client.js';
import { startEmulatorServer, type EmulatorServer } from '../../src/emulator/server.js';

const KEY = 'sk-test-rejections-0123456789abcdef';

/** A fetch that answers from a queue and counts its calls. */
function scripted(answers: { status: number; body: unknown }[]): { fetch: typeof globalThis.fetch; calls: () => number } {
  let calls = 0;
  const fetch: typeof globalThis.fetch = () => {
    const answer = answers[Math.min(calls, answers.length - 1)]!;
    calls++;
    return Promise.resolve(new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } }));
  };
  return { fetch, calls: () => calls };
}

function client(fetch: typeof globalThis.fetch, workspace?: string) {
  return createHttpVocabularyService({
    baseUrl: 'https://dashscope.aliyuncs.com/api/v1',
    apiKey: KEY,
    fetch,
    sleep: () => Promise.resolve(),
    ...(workspace ? { workspace } : {}),
  });
}

async function failureOf(promise: Promise<unknown>): Promise<DashScopeError> {
  const error: unknown = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof DashScopeError)) throw new Error(`expected a DashScopeError, got ${String(error)}`);
  return error;
}

describe('"this vocabulary does not exist"', () => {
  const error = (status: number, code: string, message: string): DashScopeError =>
    new DashScopeError({ action: 'query_vocabulary', status, code, message, outcomeUnknown: false });

  it('matches the emulator\'s 400, the vendor\'s 404 NotFound, and not ModelNotFound or other 400s', () => {
    expect(isVocabularyNotFound(error(400, 'InvalidParameter', 'HTTP 400 InvalidParameter: vocabulary_id "vocab-a-1" does not exist in this account.'))).toBe(true);
    expect(isVocabularyNotFound(error(404, 'NotFound', 'HTTP 404 NotFound'))).toBe(true);
    expect(isVocabularyNotFound(error(400, 'Vocabulary.NotExist', 'gone'))).toBe(true);
    expect(isVocabularyNotFound(error(404, 'ModelNotFound', 'no model'))).toBe(false);
    expect(isVocabularyNotFound(error(400, 'InvalidParameter', 'prefix is invalid'))).toBe(false);
    expect(isVocabularyNotFound(new Error('does not exist'))).toBe(false);
  });

  let emulator: EmulatorServer | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  it('lets a delete retried after an uncertain attempt finish against the emulator', async () => {
    emulator = await startEmulatorServer({ apiKeys: [KEY], undeployedMs: 0 });
    const events: ClientEvent[] = [];
    const service = createHttpVocabularyService({ baseUrl: emulator.url, apiKey: KEY, sleep: () => Promise.resolve(), onEvent: (e) => events.push(e) });
    const id = await service.createVocabulary({ prefix: 'gone', targetModel: 'fun-asr', vocabulary: [{ text: 'x', weight: 4 }] });
    emulator.scriptFaults({ action: 'delete_vocabulary', fault: 'commit-then-fail' });
    await service.deleteVocabulary(id);
    expect(events.filter((e) => e.type === 'already-deleted')).toHaveLength(1);
    const again = await failureOf(service.deleteVocabulary(id));
    expect(isVocabularyNotFound(again)).toBe(true);
  });
});

describe('the update spacing rule', () => {
  it('is named in words when the message says so, and the update is not retried', async () => {
    const fake = scripted([{ status: 429, body: { code: 'Throttling', message: 'Update too frequent, please retry after the interval', request_id: 'r1' } }]);
    const error = await failureOf(client(fake.fetch).updateVocabulary('vocab-a-1', [{ text: 'x', weight: 4 }]));
    expect(fake.calls()).toBe(1);
    expect(error.rejection).toBe('update_interval');
    expect(error.message).toBe(
      'HTTP 429 Throttling: Update too frequent, please retry after the interval (this looks like the update spacing rule: updates of one list must be at least 5 minutes apart; apply it again later)',
    );
  });

  it('is suspected for an undocumented code on an update, and not for documented ones', () => {
    const update = (status: number, code: string, message = 'refused') => classifyRejection({ action: 'update_vocabulary', status, code, message }, {});
    expect(update(400, 'Vocabulary.UpdateLimited')).toBe('update_interval');
    expect(update(400, 'InvalidParameter', 'must wait 5 minutes between updates')).toBe('update_interval');
    expect(update(400, 'InvalidParameter')).toBeUndefined();
    expect(update(429, 'Throttling.RateQuota', 'rate limit')).toBeUndefined();
    // A rate limit saying "too frequently" stays a rate limit (retried); other codes with those words do not.
    expect(update(429, 'Throttling.RateQuota', 'You are calling too frequently')).toBeUndefined();
    expect(update(400, 'InvalidParameter', 'Vocabulary updated too often')).toBe('update_interval');
    expect(update(429, 'Throttling', 'update interval not reached')).toBe('update_interval');
    expect(classifyRejection({ action: 'query_vocabulary', status: 400, code: 'InvalidParameter', message: 'interval' }, {})).toBeUndefined();
    expect(update(500, 'Vocabulary.UpdateLimited')).toBeUndefined();
    expect(classifyRejection({ action: 'create_vocabulary', status: 400, code: 'Odd', message: 'refused' }, {})).toBeUndefined();
  });
});

describe('the primary-workspace rule', () => {
  it('explains a refusal when a workspace is set, in the vendor\'s words', async () => {
    const fake = scripted([{ status: 403, body: { code: 'AccessDenied', message: 'Workspace does not support this operation', request_id: 'r2' } }]);
    const error = await failureOf(client(fake.fetch, 'ws-sub-1').listVocabularies());
    expect(error.rejection).toBe('workspace');
    expect(error.message).toContain('hotword lists work only in the primary workspace (sub-workspaces do not support them)');
    expect(error.message).not.toContain('ws-sub-1');
    expect(fake.calls()).toBe(1);
  });

  it('says nothing of workspaces when none is set', async () => {
    const fake = scripted([{ status: 403, body: { code: 'AccessDenied', message: 'denied' } }]);
    const error = await failureOf(client(fake.fetch).listVocabularies());
    expect(error.rejection).toBeUndefined();
    expect(error.message).toBe('HTTP 403 AccessDenied: denied');
  });
});

describe('the emulator\'s answers for both rules', () => {
  let server: EmulatorServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('names the update spacing in words, without retrying', async () => {
    server = await startEmulatorServer({ apiKeys: [KEY], updateIntervalMs: 300_000 });
    const events: ClientEvent[] = [];
    const service = createHttpVocabularyService({ baseUrl: server.url, apiKey: KEY, sleep: () => Promise.resolve(), onEvent: (e) => events.push(e) });
    const id = await service.createVocabulary({ prefix: 'spaced', targetModel: 'fun-asr', vocabulary: [{ text: 'x', weight: 4 }] });
    const error = await failureOf(service.updateVocabulary(id, [{ text: 'y', weight: 4 }]));
    expect(error.rejection).toBe('update_interval');
    expect(error.message).toContain('updates of one list must be at least 5 minutes apart');
    expect(events.filter((e) => e.type === 'retry')).toStrictEqual([]);
  });

  it('explains a sub-workspace\'s refusal in the vendor\'s words', async () => {
    server = await startEmulatorServer({ apiKeys: [KEY] });
    const admin = await fetch(`${server.url.replace(/\/api\/v1$/, '')}/_vocab/accounts/${KEY}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workspaces: { primary: 'ws-main', sub: ['ws-team'] } }),
    });
    expect(admin.ok).toBe(true);
    const service = createHttpVocabularyService({ baseUrl: server.url, apiKey: KEY, workspace: 'ws-team', sleep: () => Promise.resolve() });
    const error = await failureOf(service.listVocabularies());
    expect(error.rejection).toBe('workspace');
    expect(error.message).toContain('hotword lists work only in the primary workspace (sub-workspaces do not support them)');
  });
});

