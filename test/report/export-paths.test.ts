import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VocabularyDetail, VocabularyService } from '../../src/dashscope/types.js';
import { ConfigError } from '../../src/errors.js';
import { exportFilePath, exportRemote } from '../../src/sync/export-remote.js';

const HEX = '0123456789abcdef0123456789abcdef';

/** An in-process account holding the given lists. */
function account(lists: { id: string; model: string }[]): VocabularyService {
  const details = new Map<string, VocabularyDetail>(
    lists.map((l) => [
      l.id,
      { vocabulary_id: l.id, target_model: l.model, status: 'OK', gmt_create: '2025-01-01 00:00:00', gmt_modified: '2025-01-01 00:00:00', vocabulary: [{ text: 'a', weight: 3 }] },
    ]),
  );
  return {
    listVocabularies: async (input = {}) =>
      (input.pageIndex ?? 0) > 0 ? [] : lists.map((l) => ({ vocabulary_id: l.id, status: 'OK', gmt_create: '2025-01-01 00:00:00', gmt_modified: '2025-01-01 00:00:00' })),
    queryVocabulary: async (id) => details.get(id)!,
    createVocabulary: () => Promise.reject(new Error('unused')),
    updateVocabulary: () => Promise.reject(new Error('unused')),
    deleteVocabulary: () => Promise.reject(new Error('unused')),
  };
}

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'vocab-export-paths-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('export file names from remote data', () => {
  it.each([['../evil'], ['/etc/passwd'], ['a/b'], ['a\\b'], ['..'], ['.hidden'], [''], ['x'.repeat(65)], ['a..b']])('refuses the name %j', (name) => {
    expect(() => exportFilePath(join(root, 'out'), name, `vocab-p-${HEX}`)).toThrow(ConfigError);
  });

  it('accepts a prefix and a prefix-model name inside the folder', () => {
    expect(exportFilePath(join(root, 'out'), 'movies', 'x')).toBe(join(root, 'out', 'movies.yaml'));
    expect(exportFilePath(join(root, 'out'), 'p-fun-asr-2025-11-07', 'x')).toBe(join(root, 'out', 'p-fun-asr-2025-11-07.yaml'));
  });

  it('refuses, writing nothing, a list whose remote model would put the file outside --out-dir', async () => {
    const service = account([
      { id: `vocab-p-${HEX}`, model: 'fun-asr' },
      { id: `vocab-p-${HEX.replace('0', '1')}`, model: '../../../../escaped' },
    ]);
    const outDir = join(root, 'out');
    const error = await exportRemote({ service, prefixes: [], outDir, force: false, environment: 'prod', now: new Date(0) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('not a plain file name');
    expect(await readdir(root)).toStrictEqual([]);
  });

  it('writes a list with an unknown but harmless model, named prefix-model, inside the folder', async () => {
    const service = account([
      { id: `vocab-p-${HEX}`, model: 'fun-asr' },
      { id: `vocab-p-${HEX.replace('0', '1')}`, model: 'future-model-v9' },
    ]);
    const outDir = join(root, 'out');
    const result = await exportRemote({ service, prefixes: [], outDir, force: false, environment: 'prod', now: new Date(0) });
    expect(result.files.map((f) => f.path).sort()).toStrictEqual([join(outDir, 'p-fun-asr.yaml'), join(outDir, 'p-future-model-v9.yaml')]);
  });
});
