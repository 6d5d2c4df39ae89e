import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (relative: string): string => readFileSync(new URL(`../../${relative}`, import.meta.url), 'utf8');

describe('README.md configuration examples', () => {
  const fragment = read('README.md');
  const blocks = [...fragment.matchAll(/`(\S+\.yaml)`:\n\n```yaml\n([\s\S]*?)```/g)];
  const whole = [...fragment.matchAll(/This is the repository's own `vocab\.config\.yaml`:\n\n```yaml\n([\s\S]*?)```/g)];

  it('quotes the validated example files, line for line and in order', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    for (const [, file, body] of blocks) {
      const source = read(file!).split('\n');
      let at = 0;
      for (const line of body!.trimEnd().split('\n')) {
        const found = source.indexOf(line, at);
        expect(found, `${file}: ${line}`).toBeGreaterThanOrEqual(at);
        at = found + 1;
      }
    }
  });

  it('shows the repository config exactly', () => {
    expect(whole).toHaveLength(1);
    expect(whole[0]![1]).toBe(read('vocab.config.yaml'));
  });
});
