import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { validateWithSchema } from '../../src/config/schema-validation.js';

const SCHEMA_FILES = { config: 'vocab.config.schema.json', vocabulary: 'vocabulary.schema.json' } as const;
const readSchema = (kind: keyof typeof SCHEMA_FILES): object =>
  JSON.parse(readFileSync(new URL(`../../schemas/${SCHEMA_FILES[kind]}`, import.meta.url), 'utf8')) as object;

describe('shipped JSON Schemas', () => {
  // The validators are compiled at build time without a meta-schema check: this is that check.
  it.each(['config', 'vocabulary'] as const)('the %s schema is a valid draft-07 schema', (kind) => {
    const ajv = new Ajv({ strict: true, allowUnionTypes: true });
    expect(ajv.validateSchema(readSchema(kind)), JSON.stringify(ajv.errors)).toBe(true);
  });

  it('the compiled validators match the schemas (run "node scripts/compile-schemas.mjs" after editing one)', async () => {
    const script = fileURLToPath(new URL('../../scripts/compile-schemas.mjs', import.meta.url));
    await expect(promisify(execFile)(process.execPath, [script, '--check'])).resolves.toBeDefined();
  });

  it('still reports what the schemas refuse', () => {
    expect(validateWithSchema('vocabulary', { prefix: 'a', target_model: 'fun-asr', entries: [], extra: 1 }).map((p) => p.path)).toContain('/extra');
    expect(validateWithSchema('config', { vocabularies: 3 }).length).toBeGreaterThan(0);
  });
});
