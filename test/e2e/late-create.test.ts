/**
 * A single writer whose create commits late: the network holds the first create past the
 * client's timeout (33 s against 30 s in the field; 1.8 s against 1 s here), apply lists the
 * prefix, finds nothing and creates again, and then the first create lands. The final check
 * must leave one list and report the id that stays; a fresh plan must then have nothing to do.
 */
import { describe, expect, it } from 'vitest';
import { createHttpVocabularyService } from '../../src/dashscope/http-client.js';
import { applyPlanned, planEnvironment } from '../../src/run.js';
import type { ApplyProgressEvent } from '../../src/sync/apply.js';
import { startGateProxy } from './gate-proxy.js';
import { funAsr, listsOf, makeRepo, newApiKey, startEmulator, words } from './harness.js';

const CLIENT_TIMEOUT_MS = 1_000;
const HELD_MS = 1_800;

describe('a create that lands after its client gave up', () => {
  it('the final check keeps the oldest list, deletes the late copy and reports the id that stays', async () => {
    const key = newApiKey();
    const server = await startEmulator({ apiKeys: [key] });
    const proxy = await startGateProxy({ target: server.url, lateCreate: { nth: 1, delayMs: HELD_MS } });
    const repo = await makeRepo({
      environments: { test: { url: proxy.url } },
      vocabularies: { movies: funAsr('movies', words('movie', 3)) },
      config: { ownership: { prefixes: ['movies'] } },
    });
    const service = createHttpVocabularyService({ baseUrl: proxy.url, apiKey: key, timeoutMs: CLIENT_TIMEOUT_MS });
    const events: ApplyProgressEvent[] = [];
    try {
      const planned = await planEnvironment({ cwd: repo.dir, env: {}, service });
      // The final check waits until the held create has had twice the client's timeout to land.
      const result = await applyPlanned(planned, { settleMs: 2 * HELD_MS, onProgress: (e) => events.push(e) });
      await proxy.lateLanded();

      const lists = listsOf(server, key);
      expect(lists.map((l) => l.prefix)).toStrictEqual(['movies']);
      expect(result.summary).toStrictEqual({ applied: 1, failed: 0, skipped: 0 });
      expect(result.results[0]?.vocabulary_id).toBe(lists[0]?.vocabulary_id);
      // Two creates reached the service; the later one (the late landing) was deleted.
      const writes = server.requestLog.entries().filter((e) => e.status === 200 && e.action !== 'list_vocabulary' && e.action !== 'query_vocabulary');
      expect(writes.map((e) => e.action)).toStrictEqual(['create_vocabulary', 'create_vocabulary', 'delete_vocabulary']);
      expect(events.some((e) => e.kind === 'wait' && /timed out lands late/.test(e.message))).toBe(true);
      expect(result.results[0]?.notes?.some((n) => /a later copy of movies \(fun-asr\)/.test(n))).toBe(true);

      const again = await planEnvironment({ cwd: repo.dir, env: {}, service });
      expect(again.plan.changes.map((c) => `${c.action}:${c.vocabulary_id}`)).toStrictEqual([`noop:${lists[0]?.vocabulary_id}`]);
    } finally {
      await service.close?.();
    }
  });
});
