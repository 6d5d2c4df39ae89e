/** Renderers of `vocab outputs`: the live ids of the declared vocabularies, for applications. */
import type { VocabularyOutputs } from '../plan/types.js';

export type { VocabularyOutput, VocabularyOutputs } from '../plan/types.js';


/** `{ "<name>": { vocabulary_id, prefix, target_model, status } }`. */
export function renderOutputsJson(outputs: VocabularyOutputs): string {
  return `${JSON.stringify(outputs, null, 2)}\n`;
}

/** `movies` -> `MOVIES`, `support-cn` -> `SUPPORT_CN`: a valid environment variable name part. */
export function toEnvName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/** dotenv lines: `VOCAB_<NAME>_ID=...`, plus the model and status as comments for humans. */
export function renderOutputsDotenv(outputs: VocabularyOutputs): string {
  const lines: string[] = [];
  for (const [name, o] of Object.entries(outputs)) {
    lines.push(`# ${name}: ${o.prefix} on ${o.target_model}, ${o.status}`);
    lines.push(`VOCAB_${toEnvName(name)}_ID=${o.vocabulary_id ?? ''}`);
  }
  return `${lines.join('\n')}\n`;
}

/** GitHub step outputs: `<name>_vocabulary_id=...` and `<name>_status=...` lines, plus `vocabularies` as JSON. */
export function renderOutputsGithub(outputs: VocabularyOutputs): string {
  const safe = (name: string): string => name.replace(/[^A-Za-z0-9_-]+/g, '_');
  const lines: string[] = [];
  for (const [name, o] of Object.entries(outputs)) {
    lines.push(`${safe(name)}_vocabulary_id=${o.vocabulary_id ?? ''}`);
    lines.push(`${safe(name)}_status=${o.status}`);
  }
  lines.push(`vocabularies=${JSON.stringify(outputs)}`);
  return `${lines.join('\n')}\n`;
}
