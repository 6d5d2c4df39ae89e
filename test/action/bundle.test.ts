/**
 * The action runs the committed action/dist/index.js: it must be exactly what the sources
 * build to today, and action.yml must point at it with the inputs and outputs the README lists.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../e2e/harness.js';
import { actionMetadata } from './run-action.js';

describe('the action bundle', { timeout: 120_000 }, () => {
  it('is fresh: bundling the sources again gives the committed file (else run "npm run bundle:action")', async () => {
    const { bundle, TARGETS } = (await import(path.join(ROOT, 'scripts/bundle.mjs'))) as {
      bundle(name: string): Promise<string>;
      TARGETS: Record<string, { outfile: string }>;
    };
    const committed = await readFile(path.join(ROOT, TARGETS.action!.outfile), 'utf8');
    const fresh = await bundle('action');
    expect(fresh === committed, 'action/dist/index.js is out of date: run "npm run bundle:action" and commit it').toBe(true);
  });

  it('action.yml runs it on node20 with the documented inputs and outputs', async () => {
    const meta = await actionMetadata();
    expect(meta.runs).toEqual({ using: 'node20', main: 'action/dist/index.js' });
    expect(Object.keys(meta.inputs).sort()).toEqual(['all-environments', 'args', 'command', 'comment', 'config', 'environment', 'force', 'github-token'].sort());
    expect(meta.inputs['github-token']!.default).toBe('${{ github.token }}');
    expect(Object.keys(meta.outputs).sort()).toEqual(['drift', 'exit-code', 'has-changes', 'plan-json', 'vocabularies']);
  });
});
