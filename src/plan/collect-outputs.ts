import type { Plan, RemoteSnapshot, VocabularyOutputs } from './types.js';
import { compareText } from '../util/text.js';

/**
 * The live list of every declared vocabulary: the one the plan keeps for its identity
 * (noop or update), with its status; null and `missing` when the plan would create it.
 */
export function collectOutputs(plan: Plan, snapshot: RemoteSnapshot): VocabularyOutputs {
  const status = new Map(snapshot.owned.map((v) => [v.vocabulary_id, v.status]));
  // Built from entries, so a name such as "__proto__" is an own key like any other.
  const outputs: [string, VocabularyOutputs[string]][] = [];
  for (const desired of [...plan.desired].sort((a, b) => compareText(a.name, b.name))) {
    const kept = plan.changes.find(
      (c) =>
        c.prefix === desired.prefix &&
        c.target_model === desired.target_model &&
        (c.action === 'noop' || c.action === 'update') &&
        c.vocabulary_id !== null,
    );
    const id = kept?.vocabulary_id ?? null;
    outputs.push([
      desired.name,
      {
        vocabulary_id: id,
        prefix: desired.prefix,
        target_model: desired.target_model,
        status: id === null ? 'missing' : String(status.get(id) ?? 'missing'),
      },
    ]);
  }
  return Object.fromEntries(outputs);
}
