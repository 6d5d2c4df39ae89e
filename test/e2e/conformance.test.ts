/**
 * `vocab conformance` end to end: the built command against the emulator itself (every rule
 * agrees, exit 0) and against an emulator with one rule changed (the difference is reported,
 * exit 2); never more than one list created, never another list touched, no key recorded.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { ConformanceReport } from '../../src/conformance/run-conformance.js';
import { startEmulatorServer, type EmulatorServerOptions } from '../../src/emulator/server.js';
import { assertBuilt, directApi, expectExit, listsOf, makeRepo, newApiKey, parseJson, vocab, type EmulatorServer } from './harness.js';

assertBuilt();

/** An emulator with the same defaults as `vocab emulator` (the reference conformance starts), except `changes`. */
async function emulatorWith(key: string, changes: EmulatorServerOptions = {}): Promise<EmulatorServer> {
  const server = await startEmulatorServer({ port: 0, apiKeys: [key], ...changes });
  onTestFinished(() => server.close());
  return server;
}

async function setup(changes: EmulatorServerOptions = {}) {
  const key = newApiKey();
  const server = await emulatorWith(key, changes);
  await directApi(server, key).create('other', 'fun-asr', [{ text: 'keep me', weight: 4 }]);
  const other = structuredClone(listsOf(server, key)[0]!);
  const repo = await makeRepo({ environments: { emu: { url: server.url, region: 'cn-beijing' } } });
  return { key, server, repo, other };
}

describe('vocab conformance', () => {
  it('agrees with the emulator itself on every rule, exit 0; the recording has no key; other lists untouched', async () => {
    const { key, server, repo, other } = await setup();
    const result = await vocab(repo, ['conformance', '--env', 'emu', '--record', 'conformance.json', '--format', 'json'], { key });
    expectExit(result, 0);
    const report = parseJson<ConformanceReport>(result.stdout);
    expect(report.summary).toStrictEqual({ agree: report.results.length, disagree: 0, skipped: 0 });
    expect(report.results.map((r) => r.rule)).toContain('update-spacing');
    const recording = await readFile(repo.path('conformance.json'), 'utf8');
    expect(recording).not.toContain(key);
    expect(recording).not.toMatch(/authorization|bearer/i);
    expect((JSON.parse(recording) as { exchanges: unknown[] }).exchanges.length).toBeGreaterThan(5);
    // Only the other list is left, exactly as it was.
    expect(listsOf(server, key)).toStrictEqual([other]);
    const created = server.requestLog.entries().filter((e) => e.action === 'create_vocabulary' && e.status === 200);
    // The other list's create, and conformance's one list.
    expect(created).toHaveLength(2);
    const text = await vocab(repo, ['conformance', '--env', 'emu'], { key });
    expectExit(text, 0);
    expect(text.stdout).toMatch(/^query-unknown-id +400 InvalidParameter +400 InvalidParameter +yes$/m);
  });

  it('reports where a different service disagrees, exit 2, still creating at most one list', async () => {
    // A "service" that takes 10-character prefixes where the emulator refuses them.
    const { key, server, repo, other } = await setup({ prefixMaxLength: 10 });
    const result = await vocab(repo, ['conformance', '--env', 'emu'], { key });
    expectExit(result, 2);
    expect(result.stdout).toMatch(/^prefix-10-chars +200 +400 InvalidParameter +NO$/m);
    expect(result.stdout).toContain('Where the emulator differs from the service:');
    expect(result.stdout).toMatch(/\d+ agree, 1 differ, \d+ skipped\./);
    expect(listsOf(server, key)).toStrictEqual([other]);
    // The other list's create, and the one the different service took.
    const created = server.requestLog.entries().filter((e) => e.action === 'create_vocabulary' && e.status === 200);
    expect(created).toHaveLength(2);
  });

  it('refuses an account whose quota has no room for the one list, creating nothing', async () => {
    const { key, server, repo } = await setup({ maxVocabularies: 2 });
    await repo.writeConfig({ quota: { max_vocabularies: 1 } });
    const result = await vocab(repo, ['conformance', '--env', 'emu'], { key });
    expectExit(result, 1);
    expect(result.stderr).toContain('conformance refused: the account has 1 of 1 lists (quota.max_vocabularies)');
    expect(server.requestLog.entries().filter((e) => e.action !== 'list_vocabulary' && e.action !== 'create_vocabulary')).toStrictEqual([]);
    expect(listsOf(server, key)).toHaveLength(1);
  });
});
