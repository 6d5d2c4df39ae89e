/**
 * The JSON Schemas in `schemas/`, compiled to code at build time, and ajv's errors turned
 * into messages for people, at paths the loader maps back to FILE:LINE:COL.
 */
import type { ErrorObject } from 'ajv';
import { validateConfig, validateVocabulary } from './schema-validators.generated.js';
import { looksLikeSecret } from '../util/secrets.js';
import { quote } from './entry-rules.js';
import { describeType, joinPath, splitPath, suggest, type RuleProblem } from './rule-problem.js';

/** The two file kinds with a schema. */
export type SchemaKind = 'config' | 'vocabulary';

/** A validator compiled from a schema: ajv's interface, without ajv at run time. */
type CompiledValidator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

// Compiled at build time by scripts/compile-schemas.mjs (a test checks that the generated file
// matches the schemas): loading ajv and compiling both schemas was a third of the start-up of
// `vocab validate`. The vocabulary schema is compiled with `entries` items left open: entries
// are checked by hand in entry-rules.ts (one pass that also normalises, with messages that
// know the model).
const VALIDATORS: Record<SchemaKind, CompiledValidator> = {
  config: validateConfig as CompiledValidator,
  vocabulary: validateVocabulary as CompiledValidator,
};

/** Checks parsed data against a schema; problems carry paths relative to `base`. */
export function validateWithSchema(kind: SchemaKind, data: unknown): RuleProblem[] {
  const validate = VALIDATORS[kind];
  if (validate(data)) return [];
  const problems: RuleProblem[] = [];
  for (const error of validate.errors ?? []) {
    const problem = describeSchemaError(error);
    if (problem) problems.push(problem);
  }
  return problems;
}

/** `environments.prod.region`, `vocabularies[0]`, or `the file` for the root. */
function label(path: string): string {
  // A key that looks like a secret (an API key pasted as an environment name) is not repeated.
  const segments = splitPath(path).map((s) => (looksLikeSecret(s) ? '(a key that looks like a secret)' : s));
  if (segments.length === 0) return 'the file';
  return segments.reduce((out, s) => (/^\d+$/.test(s) ? `${out}[${s}]` : out === '' ? s : `${out}.${s}`), '');
}

/** Last segment that is a key rather than a list index. */
function fieldName(path: string): string {
  return [...splitPath(path)].reverse().find((s) => !/^\d+$/.test(s)) ?? '';
}

const PATTERN_MESSAGES: Record<string, string> = {
  prefix: 'must be 1 to 9 lowercase letters or digits (a-z, 0-9)',
  prefixes: 'must be 1 to 9 lowercase letters or digits (a-z, 0-9)',
  protect: 'must be 1 to 9 lowercase letters or digits (a-z, 0-9)',
  api_key_env:
    'must be the name of an environment variable such as DASHSCOPE_API_KEY (letters, digits and _), not the key itself (if a key was pasted here, remove it and rotate it)',
  endpoint: 'must be "local" or an http(s):// URL',
  name: 'must start with a letter or digit and use only letters, digits, "_", "." and "-" (at most 64)',
};

/** Fields whose wrong values are not quoted back, because they may be secrets. */
const SECRET_FIELDS = new Set(['api_key_env']);

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'empty',
};

/** An `additionalProperties` error: the unknown key, with a suggestion or the known keys. */
function describeUnknownKey(error: ErrorObject, key: string): RuleProblem {
  const properties = (error.parentSchema?.['properties'] ?? {}) as Record<string, unknown>;
  const known = Object.keys(properties).filter((k) => k !== '$schema');
  const guess = suggest(key, known);
  const hint = guess || (known.length > 0 ? ` (known keys: ${known.join(', ')})` : '');
  return { path: `${error.instancePath}${joinPath(key)}`, pointsAt: 'key', message: `unknown key ${quote(key)}${hint}` };
}

/** A `pattern` error, on a key (an environment name) or on a value. */
function describePatternMismatch(error: ErrorObject): RuleProblem {
  const path = error.instancePath;
  if (error.propertyName !== undefined) {
    return {
      path: `${path}${joinPath(error.propertyName)}`,
      pointsAt: 'key',
      message: `${fieldName(path) === 'environments' ? 'environment name' : 'key'} ${quote(error.propertyName)} must start with a letter or digit and use only letters, digits, "_" and "-"`,
    };
  }
  const field = fieldName(path);
  // A wrong api_key_env is most often the key itself pasted in: never repeat it.
  const value = typeof error.data === 'string' && !SECRET_FIELDS.has(field) ? ` (${quote(error.data)})` : '';
  return { path, message: `${label(path)}${value} ${PATTERN_MESSAGES[field] ?? 'does not have the expected format'}` };
}

function describeSchemaError(error: ErrorObject): RuleProblem | undefined {
  const path = error.instancePath;
  const what = label(path);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return describeUnknownKey(error, String(params['additionalProperty']));
    case 'required':
      return { path, message: `missing required key "${String(params['missingProperty'])}"${path === '' ? '' : ` in ${what}`}` };
    case 'type': {
      const types = String(params['type']).split(',');
      const expected = types.map((t) => TYPE_WORDS[t] ?? t).join(' or ');
      return { path, message: `${what} must be ${expected}, not ${describeType(error.data)}` };
    }
    case 'enum': {
      const allowed = ((params['allowedValues'] as unknown[]) ?? []).map(String);
      const value = typeof error.data === 'string' ? quote(error.data) : describeType(error.data);
      const guess = typeof error.data === 'string' ? suggest(error.data, allowed) : '';
      return { path, message: `${what} must be one of ${allowed.join(', ')}, not ${value}${guess}` };
    }
    case 'pattern':
      return describePatternMismatch(error);
    case 'propertyNames':
      return undefined; // the nested error (with propertyName) says what is wrong
    case 'minimum':
    case 'exclusiveMinimum':
      return { path, message: `${what} must be at least ${String(params['limit'])}, not ${String(error.data)}` };
    case 'maximum':
    case 'exclusiveMaximum':
      return { path, message: `${what} must be at most ${String(params['limit'])}, not ${String(error.data)}` };
    case 'minLength':
      return { path, message: `${what} must not be empty` };
    case 'minItems':
      return { path, message: `${what} must not be an empty list` };
    case 'minProperties':
      return { path, message: `${what} must not be empty${fieldName(path) === 'environments' ? ': declare at least one environment' : ''}` };
    case 'uniqueItems': {
      const later = Math.max(Number(params['i']), Number(params['j']));
      const items = Array.isArray(error.data) ? (error.data as unknown[]) : [];
      const item = items[later];
      const shown = typeof item === 'string' ? quote(item) : 'an item';
      return { path: `${path}/${later}`, message: `${what} lists ${shown} more than once` };
    }
    default:
      return { path, message: `${what} ${error.message ?? 'is invalid'}` };
  }
}
