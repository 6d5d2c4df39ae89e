/**
 * An API key written into a config or vocabulary file is an error: keys are read only from the
 * environment variable named by `api_key_env`. Messages never repeat the key.
 */
import { looksLikeApiKey } from '../util/secrets.js';
import { joinPath, type RuleProblem } from './rule-problem.js';

export { looksLikeApiKey };

/** Key names (lower-cased, `_` and `-` removed) that mean "an API key is written here". */
const SECRET_KEY_NAMES = new Set(['apikey', 'dashscopeapikey', 'accesskey', 'accesskeysecret', 'secretkey', 'apitoken', 'apisecret']);

/** True when a key name says it holds a secret (`api_key`, `apiKey`, `dashscope_api_key`, ...). */
export function isSecretKeyName(key: string): boolean {
  return SECRET_KEY_NAMES.has(key.toLowerCase().replace(/[_-]/g, ''));
}

const ADVICE = 'put the key in an environment variable and name it with api_key_env';

/**
 * Letters every secret key name has in this order (`api`, `access` or `secret`), with the `_`
 * and `-` that `isSecretKeyName` ignores allowed between them, in any case.
 */
const SECRET_NAME_LETTERS = /a[-_]*p[-_]*i|a[-_]*c[-_]*c[-_]*e[-_]*s[-_]*s|s[-_]*e[-_]*c[-_]*r[-_]*e[-_]*t/i;

/**
 * True when `findApiKeys` cannot find anything in data whose every key and value is written out
 * in `text` as it is (what the fast reader takes: no escapes but \" and \\): no value or key
 * without "sk-" looks like a key, and no key without those letters is a secret name. A search
 * of the text instead of a walk of 100,000 entries.
 */
export function cannotHoldApiKeys(text: string): boolean {
  return !text.includes('sk-') && !SECRET_NAME_LETTERS.test(text);
}

/** Finds secret-named keys and key-shaped strings anywhere in parsed file data. */
export function findApiKeys(data: unknown, base: (string | number)[] = []): RuleProblem[] {
  const problems: RuleProblem[] = [];
  // One path stack and one verdict per key name: a vocabulary file repeats `text`, `weight` and
  // `lang` 100,000 times, and copying the path or lower-casing each key showed in profiles.
  const path: (string | number)[] = [...base];
  const secretNames = new Map<string, boolean>();
  const isSecret = (key: string): boolean => {
    let secret = secretNames.get(key);
    if (secret === undefined) {
      secret = isSecretKeyName(key);
      secretNames.set(key, secret);
    }
    return secret;
  };
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      if (looksLikeApiKey(value)) {
        problems.push({ path: joinPath(...path), message: `this value looks like a DashScope API key; never write keys into files: ${ADVICE}` });
      }
      return;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        visit(value[i]);
        path.pop();
      }
      return;
    }
    if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
      // for...in with an own-property check visits what Object.keys lists, in the same order,
      // without an array per object (100,000 entry mappings).
      for (const key in value) {
        if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
        if (looksLikeApiKey(key)) {
          problems.push({ path: joinPath(...path, key), pointsAt: 'key', message: `this key looks like a DashScope API key; never write keys into files: ${ADVICE}` });
          continue;
        }
        if (isSecret(key)) {
          problems.push({
            path: joinPath(...path, key),
            pointsAt: 'key',
            message: `"${key}": an API key must not be written in a file; ${ADVICE}`,
          });
          continue;
        }
        path.push(key);
        visit((value as Record<string, unknown>)[key]);
        path.pop();
      }
    }
  };
  visit(data);
  return problems;
}
