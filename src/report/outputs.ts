/**
 * Renderers of `vocab outputs`: the live ids of the declared vocabularies, for applications and
 * for later CI jobs. CI reads these files as commands, so every key is built from one rule and
 * every value is checked: a value that could start a new line (and so define another variable)
 * is never written as is.
 */
import { dotenvIdKey, dotenvNamePart, githubNamePart, outputCollisionKey } from '../config/output-names.js';
import type { VocabularyOutputs } from '../plan/types.js';

export type { VocabularyOutput, VocabularyOutputs } from '../plan/types.js';

/** An output that cannot be written safely (two names on one key, or a value that would break the format). */
export class UnsafeOutputError extends Error {
  override readonly name = 'UnsafeOutputError';
}

/** `{ "<name>": { vocabulary_id, prefix, target_model, status } }`. */
export function renderOutputsJson(outputs: VocabularyOutputs): string {
  return `${JSON.stringify(outputs, null, 2)}\n`;
}

/** What a dotenv value may hold unquoted in every reader (GitLab's dotenv reports, docker, shells): ids and words. */
const DOTENV_VALUE = /^[A-Za-z0-9._:-]*$/;

/** The names in the order they are written, refusing two that share a variable. */
function checkedNames(outputs: VocabularyOutputs): string[] {
  const seen = new Map<string, string>();
  const names = Object.keys(outputs);
  for (const name of names) {
    const key = outputCollisionKey(name);
    const other = seen.get(key);
    if (other !== undefined) {
      throw new UnsafeOutputError(`the vocabularies "${other}" and "${name}" would both be written as ${dotenvIdKey(name)}; rename one`);
    }
    seen.set(key, name);
  }
  return names;
}

function dotenvLine(key: string, value: string): string {
  if (!DOTENV_VALUE.test(value)) {
    throw new UnsafeOutputError(`refusing to write ${key}: its value ${JSON.stringify(value)} holds characters a dotenv file cannot carry safely`);
  }
  return `${key}=${value}`;
}

/**
 * dotenv lines and nothing else (GitLab's dotenv reports reject comments and blank lines):
 * `VOCAB_<NAME>_ID=vocab-…` (empty when the list does not exist yet) and `VOCAB_<NAME>_STATUS=OK`.
 */
export function renderOutputsDotenv(outputs: VocabularyOutputs): string {
  const lines: string[] = [];
  for (const name of checkedNames(outputs)) {
    const output = outputs[name]!;
    lines.push(dotenvLine(dotenvIdKey(name), output.vocabulary_id ?? ''));
    lines.push(dotenvLine(`VOCAB_${dotenvNamePart(name)}_STATUS`, output.status));
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** A heredoc delimiter that occurs nowhere in `value`. */
function delimiterFor(value: string): string {
  let delimiter = 'VOCAB_SYNC_EOF';
  for (let n = 1; value.includes(delimiter); n++) delimiter = `VOCAB_SYNC_EOF_${n}`;
  return delimiter;
}

/** `key=value` on one line, or the multi-line form with a delimiter the value cannot hold. */
function githubLine(key: string, value: string): string {
  if (!/[\r\n]/.test(value)) return `${key}=${value}`;
  const delimiter = delimiterFor(value);
  return `${key}<<${delimiter}\n${value}\n${delimiter}`;
}

/**
 * GitHub step outputs: `<name>_vocabulary_id`, `<name>_status` (keys usable as
 * `steps.ID.outputs.KEY`) and `vocabularies` (all of it as JSON, on one line).
 */
export function renderOutputsGithub(outputs: VocabularyOutputs): string {
  const lines: string[] = [];
  for (const name of checkedNames(outputs)) {
    const output = outputs[name]!;
    lines.push(githubLine(`${githubNamePart(name)}_vocabulary_id`, output.vocabulary_id ?? ''));
    lines.push(githubLine(`${githubNamePart(name)}_status`, output.status));
  }
  lines.push(githubLine('vocabularies', JSON.stringify(outputs)));
  return `${lines.join('\n')}\n`;
}
