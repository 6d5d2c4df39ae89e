/**
 * Minimal reproductions of what the bad-input suite found (seed 20261121, kinds "recursive
 * alias" and "deeply nested flow"): a self-referencing alias and a deep flow collection.
 * Both must be answered with a located, readable problem, never a RangeError. And what the
 * security suite found: a key written as `api_key_env` is quoted back in the message.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { validate } from '../../src/index.js';
import { assertBuilt, removeDir, runVocab } from './support.js';

const CONFIG = 'vocabularies: [vocabularies/*.yaml]\nenvironments:\n  local:\n    endpoint: local\n';
let dir = '';

async function repoWith(vocabulary: string): Promise<string> {
  dir = await mkdtemp(path.join(tmpdir(), 'vocab-reliability-bug-'));
  await mkdir(path.join(dir, 'vocabularies'));
  await writeFile(path.join(dir, 'vocab.config.yaml'), CONFIG);
  await writeFile(path.join(dir, 'vocabularies/movies.yaml'), vocabulary);
  return dir;
}

beforeAll(() => assertBuilt());
afterEach(() => removeDir(dir));

describe('the API key found by the security suite', () => {
  it('an API key written where the variable name belongs is not repeated in the message', async () => {
    const key = 'sk-reliability-0123456789abcdef01234567';
    dir = await mkdtemp(path.join(tmpdir(), 'vocab-reliability-bug-'));
    await mkdir(path.join(dir, 'vocabularies'));
    await writeFile(
      path.join(dir, 'vocab.config.yaml'),
      `vocabularies: [vocabularies/*.yaml]\nenvironments:\n  test: { endpoint: "http://127.0.0.1:9/api/v1", api_key_env: ${key} }\n`,
    );
    await writeFile(path.join(dir, 'vocabularies/movies.yaml'), 'prefix: movies\ntarget_model: fun-asr\nentries: [{ text: a, weight: 3, lang: en }]\n');
    const problems = await validate({ cwd: dir });
    expect(problems.length).toBeGreaterThan(0);
    expect(JSON.stringify(problems)).not.toContain(key);
    const run = await runVocab(['validate'], { cwd: dir, timeoutMs: 30_000 });
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).not.toContain(key);
  });
});

describe('bad input found by the reliability suite', () => {
  const selfAlias = 'prefix: movies\ntarget_model: fun-asr\nentries: &a [*a, *a]\n';
  const deepFlow = `prefix: movies\ntarget_model: fun-asr\nentries: ${'['.repeat(2000)}1${']'.repeat(2000)}\n`;

  it('a self-referencing alias is a located problem, not a RangeError (library)', async () => {
    const problems = await validate({ cwd: await repoWith(selfAlias) });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]!.file).toBe('vocabularies/movies.yaml');
    expect(problems[0]!.line).toBe(3);
  });

  it('a self-referencing alias is a located problem, not "Maximum call stack size exceeded" (vocab validate)', async () => {
    const run = await runVocab(['validate'], { cwd: await repoWith(selfAlias), timeoutMs: 30_000 });
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toMatch(/^vocabularies\/movies\.yaml:3:\d+: /m);
    expect(run.stdout + run.stderr).not.toMatch(/Maximum call stack/);
  });

  it('a flow collection nested 2,000 deep gets a readable message, not a RangeError text', async () => {
    const problems = await validate({ cwd: await repoWith(deepFlow) });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.map((p) => p.message).join('\n')).not.toMatch(/Maximum call stack/);
  });
});
