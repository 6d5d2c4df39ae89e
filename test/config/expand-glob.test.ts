import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandBraces, expandGlob, matchGlob } from '../../src/config/expand-glob.js';

describe('matchGlob', () => {
  it('matches *, ?, **, {a,b} and [abc] like a shell', () => {
    expect(matchGlob('vocabularies/*.yaml', 'vocabularies/movies.yaml')).toBe(true);
    expect(matchGlob('vocabularies/*.yaml', 'vocabularies/sub/movies.yaml')).toBe(false);
    expect(matchGlob('vocabularies/**/*.yaml', 'vocabularies/movies.yaml')).toBe(true);
    expect(matchGlob('vocabularies/**/*.yaml', 'vocabularies/a/b/movies.yaml')).toBe(true);
    expect(matchGlob('v/*.{yaml,yml}', 'v/a.yml')).toBe(true);
    expect(matchGlob('v/*.{yaml,yml}', 'v/a.json')).toBe(false);
    expect(matchGlob('v/list-?.yaml', 'v/list-1.yaml')).toBe(true);
    expect(matchGlob('v/list-?.yaml', 'v/list-10.yaml')).toBe(false);
    expect(matchGlob('v/[ab].yaml', 'v/b.yaml')).toBe(true);
    expect(matchGlob('v/[!ab].yaml', 'v/b.yaml')).toBe(false);
    expect(matchGlob('v/*.yaml', 'v/.hidden.yaml')).toBe(false);
    expect(matchGlob('v/**/*.yaml', 'v/.git/x.yaml')).toBe(false);
    expect(matchGlob('v/a+b (1).yaml', 'v/a+b (1).yaml')).toBe(true);
  });

  it('expands nested braces', () => {
    expect(expandBraces('a/{b,c/{d,e}}.yaml')).toEqual(['a/b.yaml', 'a/c/d.yaml', 'a/c/e.yaml']);
    expect(expandBraces('a/{b}.yaml')).toEqual(['a/{b}.yaml']);
  });
});

describe('expandGlob', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vocab-glob-'));
    for (const file of ['v/b.yaml', 'v/a.yaml', 'v/c.yml', 'v/notes.txt', 'v/sub/d.yaml', 'v/.hidden.yaml', 'v/node_modules/x.yaml']) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), 'x');
    }
    await symlink(path.join(dir, 'v'), path.join(dir, 'v', 'sub', 'loop'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const relative = (files: string[]): string[] => files.map((f) => path.relative(dir, f).split(path.sep).join('/'));

  it('returns sorted files, skipping hidden files and node_modules, without looping on symlinks', async () => {
    expect(relative((await expandGlob('v/*.{yaml,yml}', dir)).files)).toEqual(['v/a.yaml', 'v/b.yaml', 'v/c.yml']);
    const deep = relative((await expandGlob('v/**/*.yaml', dir)).files);
    expect(deep).toContain('v/sub/d.yaml');
    expect(deep).not.toContain('v/.hidden.yaml');
    expect(deep).not.toContain('v/node_modules/x.yaml');
    expect(new Set(deep).size).toBe(deep.length);
  });

  it('reports a literal directory and matches nothing for a missing path', async () => {
    expect(await expandGlob('v', dir)).toEqual({ files: [], directories: [path.join(dir, 'v')], unreadable: [] });
    expect((await expandGlob('missing/*.yaml', dir)).files).toEqual([]);
    expect(relative((await expandGlob('v/a.yaml', dir)).files)).toEqual(['v/a.yaml']);
  });
});
