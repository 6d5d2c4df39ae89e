import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const example = join(root, 'examples/library/sync.mjs');

describe('library API (examples/library/sync.mjs)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vocab-library-'));
    await cp(join(root, 'examples/fun-asr-movies'), dir, { recursive: true });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('validates, plans, applies and reports no drift on the embedded account', async () => {
    // The script imports 'vocab-sync' by name: run it from its own folder inside the package.
    const { stdout, stderr } = await run(process.execPath, [example, 'local'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    expect(stdout).toContain('+ create');
    expect(stdout).toMatch(/applied [1-9]\d*, failed 0/);
    expect(stdout).toContain('in sync');
    expect(stderr).toContain('done: ');
    const state = JSON.parse(await readFile(join(dir, '.vocab/local-account.json'), 'utf8')) as object;
    expect(JSON.stringify(state)).toContain('vocab-movies-');
  });

  it('is quoted exactly in the README', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const source = await readFile(example, 'utf8');
    expect(readme).toContain(source.trim());
  });

  it('exports the documented names and types resolve from the package name', async () => {
    const api = (await import('vocab-sync')) as Record<string, unknown>;
    for (const name of ['loadDesiredState', 'validate', 'plan', 'apply', 'drift', 'exportVocabularies', 'collectOutputs', 'readPlanFile', 'startEmulatorServer', 'createLocalVocabularyService', 'createHttpVocabularyService', 'ConfigError', 'DashScopeError', 'renderPlanMarkdown']) {
      expect(typeof api[name], name).toBe('function');
    }
  });

  it('covers export and outputs: the live ids after an apply, and the account written back as files', async () => {
    const api = await import('vocab-sync');
    const options = { cwd: dir, env: {} };
    const before = await api.collectOutputs(options);
    expect(Object.values(before).every((o) => o.vocabulary_id === null && o.status === 'missing')).toBe(true);
    await api.apply(options);
    const after = await api.collectOutputs(options);
    const names = Object.keys(after);
    expect(names.length).toBeGreaterThan(0);
    for (const output of Object.values(after)) {
      expect(output.vocabulary_id).toMatch(new RegExp(`^vocab-${output.prefix}-[0-9a-f]+$`));
      expect(output.status).toBe('OK');
    }
    const exported = await api.exportVocabularies({ ...options, outDir: 'adopted' });
    const files = (await readdir(join(dir, 'adopted'))).sort();
    expect(files).toStrictEqual(exported.files.map((f) => f.path.split('/').pop()).sort());
    expect(exported.files.map((f) => f.vocabulary_id).sort()).toStrictEqual(Object.values(after).map((o) => o.vocabulary_id).sort());
    expect(files.length).toBe(names.length);
  });
});
