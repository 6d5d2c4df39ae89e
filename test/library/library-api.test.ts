import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
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
    for (const name of ['loadDesiredState', 'validate', 'plan', 'apply', 'drift', 'readPlanFile', 'startEmulatorServer', 'createLocalVocabularyService', 'createHttpVocabularyService', 'ConfigError', 'DashScopeError', 'renderPlanMarkdown']) {
      expect(typeof api[name], name).toBe('function');
    }
  });
});
