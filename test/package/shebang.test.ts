/**
 * `npx vocab` and node_modules/.bin/vocab run the built command by its shebang, so the build
 * must leave it executable (the bundler writes files 0644; scripts/bundle.mjs sets the mode).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertBuilt, BIN } from '../e2e/harness.js';

describe('the built command', () => {
  it('is executable and runs by its shebang, without "node" in front', () => {
    assertBuilt();
    expect(statSync(BIN).mode & 0o111).toBe(0o111);
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(execFileSync(BIN, ['--version'], { encoding: 'utf8' })).toBe(`${version}\n`);
  });
});
