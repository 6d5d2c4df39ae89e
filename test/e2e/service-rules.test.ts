/**
 * The service as it is today, end to end against the emulator: the newer models validate, plan
 * and apply; a list modified a minute ago plans with not_before; a workspace draws a warning;
 * lists made outside vocab's rules are shown, counted and exported with what validation will say.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  assertBuilt,
  directApi,
  expectExit,
  listsOf,
  makeRepo,
  newApiKey,
  parseJson,
  startEmulator,
  vocab,
} from './harness.js';
import type { Plan } from '../../src/plan/types.js';

assertBuilt();

describe('newer models', () => {
  it('validate, plan and apply: Qwen-Audio 3.0 with weight 50, Qwen-Audio 3.1, Fun-ASR flash 8k, Paraformer in Korean, Gummy with weights', async () => {
    const key = newApiKey();
    const server = await startEmulator({ apiKeys: [key] });
    const repo = await makeRepo({ environments: { test: { url: server.url, region: 'cn-beijing' } } });
    await repo.writeVocabulary('super', { prefix: 'super', target_model: 'qwen-audio-3.0-asr-flash', defaults: { weight: 4 }, entries: ['通义千问', { text: '百炼', weight: 50 }] });
    await repo.writeVocabulary('qwen31', { prefix: 'qwen31', target_model: 'qwen-audio-3.1-asr-flash-streaming', defaults: { weight: 4, lang: 'zh' }, entries: ['通义千问'] });
    await repo.writeVocabulary('phone', { prefix: 'phone', target_model: 'fun-asr-flash-8k-realtime', defaults: { weight: 3, lang: 'en' }, entries: ['refund', 'invoice'] });
    await repo.writeVocabulary('korean', { prefix: 'korean', target_model: 'paraformer-v2', defaults: { weight: 4, lang: 'ko' }, entries: ['안녕하세요'] });
    await repo.writeVocabulary('travel', {
      prefix: 'travel',
      target_model: 'gummy-realtime-v1',
      defaults: { weight: 4 },
      entries: [{ text: '夏洛特烦恼', target_lang: 'en', translation: 'Goodbye Mr. Loser' }],
    });
    expectExit(await vocab(repo, ['validate'], { key }), 0);
    const planned = await vocab(repo, ['plan', '--format', 'json'], { key });
    expectExit(planned, 0);
    expect(parseJson<Plan>(planned.stdout).summary.create).toBe(5);
    expectExit(await vocab(repo, ['apply', '--yes'], { key }), 0);
    const lists = listsOf(server, key);
    expect(lists.map((l) => l.target_model).sort()).toStrictEqual([
      'fun-asr-flash-8k-realtime',
      'gummy-realtime-v1',
      'paraformer-v2',
      'qwen-audio-3.0-asr-flash',
      'qwen-audio-3.1-asr-flash-streaming',
    ]);
    expect(lists.find((l) => l.prefix === 'super')!.vocabulary).toContainEqual({ text: '百炼', weight: 50 });
    expect(lists.find((l) => l.prefix === 'travel')!.vocabulary).toStrictEqual([
      { text: '夏洛特烦恼', weight: 4, target_lang: 'en', translation: 'Goodbye Mr. Loser' },
    ]);
    const again = await vocab(repo, ['plan', '--detailed-exitcode'], { key });
    expectExit(again, 0);
  });

  it('refuses weight 50 outside the Qwen-Audio 3.0 family, saying where it is allowed', async () => {
    const repo = await makeRepo({ environments: { test: { url: 'http://127.0.0.1:9/api/v1', region: 'cn-beijing' } } });
    await repo.writeVocabulary('loud', { prefix: 'loud', target_model: 'qwen-audio-3.1-asr-flash', entries: [{ text: '百炼', weight: 50 }] });
    const result = await vocab(repo, ['validate']);
    expectExit(result, 1);
    expect(result.stderr + result.stdout).toContain('weight 50 (a "super hotword") is allowed only on the Qwen-Audio 3.0 ASR Flash models');
  });
});

describe('update spacing', () => {
  it('plans an update of a list modified a minute ago with not_before, in JSON, text and markdown', async () => {
    const key = newApiKey();
    // The emulator's clock says the list was last written a minute ago.
    let clock = Date.now() - 60_000;
    const server = await startEmulator({ apiKeys: [key], now: () => clock });
    await directApi(server, key).create('recent', 'fun-asr', [{ text: 'old', weight: 4 }]);
    clock = Date.now();
    const repo = await makeRepo({ environments: { test: { url: server.url, region: 'cn-beijing', apply: { update_interval_seconds: 300 } } } });
    await repo.writeVocabulary('recent', { prefix: 'recent', target_model: 'fun-asr', defaults: { weight: 4 }, entries: ['new'] });
    const json = await vocab(repo, ['plan', '--format', 'json'], { key });
    expectExit(json, 0);
    const plan = parseJson<Plan>(json.stdout);
    const change = plan.changes.find((c) => c.prefix === 'recent')!;
    expect(change.action).toBe('update');
    // gmt_modified is UTC+8 without a zone; not_before is 300 s after it, in UTC.
    const modified = listsOf(server, key)[0]!.gmt_modified;
    const modifiedUtc = Date.parse(`${modified.replace(' ', 'T')}+08:00`);
    expect(change.not_before).toBe(new Date(modifiedUtc + 300_000).toISOString());
    expect(Date.parse(change.not_before!)).toBeGreaterThan(Date.parse(plan.created_at));
    const text = await vocab(repo, ['plan'], { key });
    expect(text.stdout).toMatch(/⏱ not before \d\d:\d\d:\d\d UTC\+8, in \d+ min \(updates of one list must be at least 5 minutes apart\)/);
    const markdown = await vocab(repo, ['plan', '--format', 'markdown'], { key });
    expect(markdown.stdout).toContain('⏱ not before');
  });
});

describe('workspaces', () => {
  it('warns that hotword lists work only in the primary workspace', async () => {
    const repo = await makeRepo({ environments: { test: { url: 'http://127.0.0.1:9/api/v1', region: 'cn-beijing', workspace: 'ws-sub' } } });
    await repo.writeVocabulary('a', { prefix: 'a', target_model: 'fun-asr', defaults: { weight: 4 }, entries: ['x'] });
    const result = await vocab(repo, ['validate']);
    expectExit(result, 0);
    expect(result.stderr + result.stdout).toContain('workspace is set: hotword lists work only in the primary workspace (sub-workspaces do not support them)');
  });
});

describe('lists made outside vocab\'s rules', () => {
  async function accountWithOddLists() {
    const key = newApiKey();
    const server = await startEmulator({ apiKeys: [key], prefixMaxLength: 10, checks: { targetModel: false, entries: false } });
    const api = directApi(server, key);
    await api.create('abcdefghij', 'fun-asr', [{ text: 'ten letters', weight: 4 }]);
    await api.create('odd', 'whisper-large', [{ text: 'hello', weight: 4 }]);
    await api.create('long', 'fun-asr', [{ text: 'one two three four five six seven eight', weight: 9 }]);
    const repo = await makeRepo({ environments: { test: { url: server.url, region: 'cn-beijing' } } });
    return { key, server, repo };
  }

  it('are shown and counted by plan, which does not crash', async () => {
    const { key, repo } = await accountWithOddLists();
    await repo.writeVocabulary('long', { prefix: 'long', target_model: 'fun-asr', defaults: { weight: 4 }, entries: ['short'] });
    await repo.writeConfig({ ownership: { prefixes: ['long', 'odd'] } });
    const planned = await vocab(repo, ['plan', '--format', 'json', '--out', 'plan.json'], { key });
    expectExit(planned, 0);
    const plan = parseJson<Plan>(planned.stdout);
    expect(plan.quota.used).toBe(3);
    expect(plan.unmanaged.map((u) => u.prefix)).toStrictEqual(['abcdefghij']);
    const byPrefix = Object.fromEntries(plan.changes.map((c) => [c.prefix, c]));
    expect(byPrefix['long']!.action).toBe('update');
    expect(byPrefix['long']!.entries.removed).toStrictEqual([{ text: 'one two three four five six seven eight', weight: 9 }]);
    expect(byPrefix['odd']!).toMatchObject({ action: 'delete', target_model: 'whisper-large' });
    const text = await vocab(repo, ['plan'], { key });
    expectExit(text, 0);
    expect(text.stdout).toContain('Unmanaged: 1 list, never touched: vocab-abcdefghij-');
    expect(text.stdout).toContain('destroy  odd (whisper-large)');
    // The saved plan (weight 9 among its removed entries) reads back and applies.
    expectExit(await vocab(repo, ['apply', 'plan.json'], { key }), 0);
  });

  it('are exported with a comment saying what validation will object to', async () => {
    const { key, repo } = await accountWithOddLists();
    const exported = await vocab(repo, ['export'], { key });
    expectExit(exported, 0);
    expect(exported.stdout).toMatch(/wrote vocabularies\/abcdefghij\.yaml \(vocab-abcdefghij-[0-9a-f]{32}, 1 entry; outside vocab's rules: 1 objection, listed in the file\)/);
    expect(exported.stderr).toContain("warning: 3 of 3 exported lists were made outside vocab's rules");
    const tenLetters = await readFile(repo.path('vocabularies', 'abcdefghij.yaml'), 'utf8');
    expect(tenLetters).toContain(`# this list was made outside vocab's rules; "vocab validate" will object (1):`);
    expect(tenLetters).toContain('#   /prefix: prefix "abcdefghij" must be 1 to 9 lowercase letters or digits (a-z, 0-9)');
    const odd = await readFile(repo.path('vocabularies', 'odd.yaml'), 'utf8');
    expect(odd).toContain('#   /target_model: unknown target_model "whisper-large"');
    const long = await readFile(repo.path('vocabularies', 'long.yaml'), 'utf8');
    expect(long).toContain('has 8 words; at most 7 space-separated words are allowed');
    expect(long).toContain('weight must be an integer from 1 to 5, not 9');
    const validated = await vocab(repo, ['validate'], { key });
    expectExit(validated, 1);
    expect(validated.stderr + validated.stdout).toContain('prefix "abcdefghij" must be 1 to 9 lowercase letters or digits');
  });
});
