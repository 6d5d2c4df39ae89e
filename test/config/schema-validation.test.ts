import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { readSchema, validateWithSchema } from '../../src/config/schema-validation.js';

describe('shipped JSON Schemas', () => {
  // The loader compiles them without checking them against the meta-schema (it costs every run): this is that check.
  it.each(['config', 'vocabulary'] as const)('the %s schema is a valid draft-07 schema', (kind) => {
    const ajv = new Ajv({ strict: true, allowUnionTypes: true });
    expect(ajv.validateSchema(readSchema(kind)), JSON.stringify(ajv.errors)).toBe(true);
  });

  it('still reports what the schemas refuse', () => {
    expect(validateWithSchema('vocabulary', { prefix: 'a', target_model: 'fun-asr', entries: [], extra: 1 }).map((p) => p.path)).toContain('/extra');
    expect(validateWithSchema('config', { vocabularies: 3 }).length).toBeGreaterThan(0);
  });
});
