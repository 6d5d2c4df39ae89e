import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { planBody, planMarker } from '../../src/action/bodies.js';
import { readInputs, splitArgs } from '../../src/action/context.js';
import { setOutput } from '../../src/action/runner.js';
import { parseOutputFile } from './run-action.js';

describe('action inputs', () => {
  it('splits args on spaces, keeping quoted words together', () => {
    expect(splitArgs(`--target movies  --out "my plan.json" '--x y'`)).toEqual(['--target', 'movies', '--out', 'my plan.json', '--x y']);
    expect(splitArgs('')).toEqual([]);
  });

  it('reads INPUT_* with hyphens kept, refuses a boolean that is not one', () => {
    const inputs = readInputs({ INPUT_COMMAND: 'drift', 'INPUT_ALL-ENVIRONMENTS': 'true', INPUT_COMMENT: 'false', 'INPUT_GITHUB-TOKEN': 't' });
    expect(inputs).toMatchObject({ command: 'drift', allEnvironments: true, comment: false, force: false, token: 't' });
    expect(() => readInputs({ INPUT_FORCE: 'maybe' })).toThrow('input "force" must be true or false, not "maybe"');
  });
});

describe('step outputs', () => {
  it('a value holding newlines or a fake delimiter stays one output', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vocab-out-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'out');
    const tricky = 'a\nEOF\nexit-code<<X\nghadelimiter_1\nhas-changes=true';
    setOutput('vocabularies', tricky, { GITHUB_OUTPUT: file });
    setOutput('exit-code', '2', { GITHUB_OUTPUT: file });
    expect(parseOutputFile(await readFile(file, 'utf8'))).toEqual({ vocabularies: tricky, 'exit-code': '2' });
  });
});

describe('plan comment', () => {
  it('a marker per environment, the plain one for every environment', () => {
    expect(planMarker('')).toBe('<!-- vocab-sync-plan -->');
    expect(planMarker('prod')).toBe('<!-- vocab-sync-plan env=prod -->');
    expect(planMarker('a b-->')).toBe('<!-- vocab-sync-plan env=a_b--_ -->');
  });

  it('an error shows the end of the log in a fence longer than any it contains', () => {
    const body = planBody({ marker: '<!-- m -->', code: 1, markdown: '', stderr: 'error: ```boom```', footer: 'f\n' });
    expect(body).toContain('### vocab plan: failed or refused (exit 1)');
    expect(body).toContain('````\nerror: ```boom```\n````');
  });
});
