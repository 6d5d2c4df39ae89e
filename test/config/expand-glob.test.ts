import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkGlobPattern, expandGlob } from '../../src/config/expand-glob.js';

const FILES = [
  'v/b.yaml',
  'v/a.yaml',
  'v/c.yml',
  'v/notes.txt',
  'v/list-1.yaml',
  'v/list-10.yaml',
  'v/a+b (1).yaml',
  'v/sub/d.yaml',
  'v/sub/deeper/e.yaml',
  'v/.hidden.yaml',
  'v/.git/x.yaml',
  'v/node_modules/x.yaml',
];

describe('expandGlob', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vocab-glob-'));
    for (const file of FILES) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), 'x');
    }
    await symlink(path.join(dir, 'v'), path.join(dir, 'v', 'sub', 'loop'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const relative = (files: string[]): string[] => files.map((f) => path.relative(dir, f).split(path.sep).join('/'));
  const files = async (pattern: string, cwd = dir): Promise<string[]> => relative((await expandGlob(pattern, cwd)).files);

  it('matches *, ?, {a,b} and [abc] within one folder, sorted, skipping dot-files', async () => {
    expect(await files('v/*.{yaml,yml}')).toStrictEqual(['v/a+b (1).yaml', 'v/a.yaml', 'v/b.yaml', 'v/c.yml', 'v/list-1.yaml', 'v/list-10.yaml']);
    expect(await files('v/list-?.yaml')).toStrictEqual(['v/list-1.yaml']);
    expect(await files('v/[ab].yaml')).toStrictEqual(['v/a.yaml', 'v/b.yaml']);
    expect(await files('v/[!ab].yaml')).toStrictEqual([]);
    expect(await files('v/{a,{b,c}}.yaml')).toStrictEqual(['v/a.yaml', 'v/b.yaml']);
    expect(await files('v/.hidden.yaml')).toStrictEqual(['v/.hidden.yaml']);
  });

  it('takes a literal name with characters other globs treat specially', async () => {
    expect(await files('v/a+b (1).yaml')).toStrictEqual(['v/a+b (1).yaml']);
  });

  it('descends with **, skipping dot-folders and node_modules, each real file once through links', async () => {
    const deep = await files('v/**/*.yaml');
    expect(deep).toStrictEqual(['v/a+b (1).yaml', 'v/a.yaml', 'v/b.yaml', 'v/list-1.yaml', 'v/list-10.yaml', 'v/sub/d.yaml', 'v/sub/deeper/e.yaml']);
    // A link is followed (to the folder above: its files are new here), and never round again.
    expect(await files('v/sub/**')).toStrictEqual([
      'v/sub/d.yaml',
      'v/sub/deeper/e.yaml',
      'v/sub/loop/a+b (1).yaml',
      'v/sub/loop/a.yaml',
      'v/sub/loop/b.yaml',
      'v/sub/loop/c.yml',
      'v/sub/loop/list-1.yaml',
      'v/sub/loop/list-10.yaml',
      'v/sub/loop/notes.txt',
    ]);
  });

  it('takes absolute patterns', async () => {
    expect(await files(path.join(dir, 'v', '*.yml'), tmpdir())).toStrictEqual(['v/c.yml']);
  });

  it('reports a literal directory and matches nothing for a missing path', async () => {
    expect(await expandGlob('v', dir)).toStrictEqual({ files: [], directories: [path.join(dir, 'v')], unreadable: [] });
    expect(await files('missing/*.yaml')).toStrictEqual([]);
    expect(await files('v/a.yaml')).toStrictEqual(['v/a.yaml']);
  });
});

describe('expandGlob on hostile folders', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vocab-glob-hostile-'));
    await mkdir(path.join(dir, 'v', 'folder.yaml'), { recursive: true });
    await writeFile(path.join(dir, 'v', 'ok.yaml'), 'x');
    await symlink('self.yaml', path.join(dir, 'v', 'self.yaml'));
    await symlink('gone.yaml', path.join(dir, 'v', 'dangling.yaml'));
    await symlink('ok.yaml', path.join(dir, 'v', 'twice.yaml'));
    if (process.platform !== 'win32') execFileSync('mkfifo', [path.join(dir, 'v', 'pipe.yaml')]);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns folders, FIFOs and broken links whose names match, so none is dropped without a word', async () => {
    const result = await expandGlob('v/*.yaml', dir);
    const names = result.files.map((f) => path.basename(f));
    expect(names).toContain('self.yaml');
    expect(names).toContain('dangling.yaml');
    if (process.platform !== 'win32') expect(names).toContain('pipe.yaml');
    expect(result.directories).toStrictEqual([path.join(dir, 'v', 'folder.yaml')]);
    // ok.yaml and twice.yaml are one real file: read once.
    expect(names.filter((n) => n === 'ok.yaml' || n === 'twice.yaml')).toStrictEqual(['ok.yaml']);
  });

  it('does not report folders for a pattern that names no files (`*`, `**`)', async () => {
    expect((await expandGlob('v/**', dir)).directories).toStrictEqual([]);
  });
});

describe('checkGlobPattern', () => {
  it('takes ordinary patterns', () => {
    for (const p of ['vocabularies/**/*.{yaml,yml}', 'v/*.yaml', 'a/**/b/**/*.yaml', 'v/{a,{b,c}}/*.yaml', 'v/*-*-*.yaml']) expect(checkGlobPattern(p)).toBeUndefined();
  });

  it('refuses patterns whose matching or walking explodes, saying which bound', () => {
    expect(checkGlobPattern('**/**/**/**/**/*.yaml')).toMatch(/5 "\*\*" segments; at most 4/);
    expect(checkGlobPattern('v/*a*a*a*b.yaml')).toMatch(/4 "\*" in one path segment; at most 3/);
    expect(checkGlobPattern('v/{a,{b,{c,{d,e}}}}.yaml')).toMatch(/nests "\{\.\.\.\}" 4 deep; at most 3/);
    expect(checkGlobPattern('{a,b}'.repeat(9))).toMatch(/9 "\{\.\.\.\}" groups; at most 8/);
    expect(checkGlobPattern(`${'a'.repeat(1100)}/*.yaml`)).toMatch(/1107 characters long, more than 1024/);
  });

  it('never quotes a pattern that looks like a key', () => {
    const key = 'sk-0123456789abcdef0123456789abcdef';
    expect(checkGlobPattern(`${key}/**/**/**/**/**/*.yaml`)).not.toContain(key);
  });

  it('refuses an exploding pattern before reading the disk', async () => {
    const result = await expandGlob(`${'{a,b,c,d}'.repeat(11)}/*.yaml`, tmpdir());
    expect(result.refused).toMatch(/groups; at most 8/);
    expect(result.files).toStrictEqual([]);
  });
});
