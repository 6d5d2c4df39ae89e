/**
 * Why a saved plan no longer matches the account: what `vocab apply PLAN_FILE` prints when it
 * refuses a stale plan.
 */
import { canonicalDesired } from './build-plan.js';
import type { ObservedVocabulary, Plan } from './types.js';

function describeList(o: ObservedVocabulary): string {
  return `${o.vocabulary_id} (${o.content_hash === null ? 'unmanaged ' : ''}prefix ${o.prefix})`;
}

/**
 * Human-readable differences between the remote the saved plan observed and the fresh one, and
 * between their desired states. Empty exactly when the fingerprints are equal.
 */
export function describeStaleness(saved: Plan, fresh: Plan): string[] {
  if (saved.fingerprint === fresh.fingerprint) return [];
  const lines: string[] = [];
  if (saved.environment !== fresh.environment) {
    lines.push(`the plan is for environment "${saved.environment}", not "${fresh.environment}"`);
  }
  const before = new Map(saved.observed.map((o) => [o.vocabulary_id, o]));
  const after = new Map(fresh.observed.map((o) => [o.vocabulary_id, o]));
  for (const [id, was] of before) {
    if (!after.has(id)) lines.push(`${describeList(was)} was deleted`);
  }
  for (const [id, now] of after) {
    const was = before.get(id);
    if (!was) {
      lines.push(`${describeList(now)} was added`);
      continue;
    }
    const parts: string[] = [];
    // Unmanaged lists carry no modification time: only a change between two known times is news.
    if (was.gmt_modified !== null && now.gmt_modified !== null && was.gmt_modified !== now.gmt_modified) {
      parts.push(`modified at ${now.gmt_modified} (was ${was.gmt_modified})`);
    }
    if (was.content_hash !== null && now.content_hash !== null && was.content_hash !== now.content_hash) parts.push('content changed');
    if ((was.content_hash === null) !== (now.content_hash === null)) {
      parts.push(now.content_hash === null ? 'is no longer owned' : 'is now owned');
    }
    if (was.prefix !== now.prefix) parts.push(`prefix ${now.prefix} (was ${was.prefix})`);
    if (parts.length > 0) lines.push(`${id} ${parts.join(', ')}`);
  }
  if (canonicalDesired(saved.desired) !== canonicalDesired(fresh.desired)) {
    lines.push("the desired state differs from the plan's");
  }
  // A fingerprint made by another version, or a hand-edited plan file.
  if (lines.length === 0) lines.push(`the fingerprint differs (${saved.fingerprint} vs ${fresh.fingerprint})`);
  return lines;
}
