/**
 * The service's update spacing rule as the plan sees it: updates of one list must be at least
 * `apply.update_interval_seconds` (5 minutes) apart, counted from the list's `gmt_modified`.
 * Pure: the plan's own time is passed in.
 */
import type { Change, RemoteVocabulary } from './types.js';

/** The service's times carry no zone: they are UTC+8 (Beijing time). */
export const SERVICE_TIME_OFFSET_MS = 8 * 60 * 60 * 1000;
const SERVICE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

/** Epoch ms of a service time `YYYY-MM-DD HH:MM:SS` (UTC+8), or undefined when it has another shape. */
export function parseServiceTime(text: string): number | undefined {
  const match = SERVICE_TIME.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  const back = new Date(utc);
  // 2026-02-31 and 2026-13-01 roll over in Date.UTC into another month: not a real time (a day
  // past the month's end always lands in another month, so the month alone tells).
  if (back.getUTCMonth() !== month - 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  return utc - SERVICE_TIME_OFFSET_MS;
}

/**
 * The earliest time (ISO 8601, UTC) a change of a list last modified at `gmtModified` may run,
 * or undefined when it may run at `now` (or the time cannot be read, or the rule is off).
 */
export function notBeforeOf(gmtModified: string, intervalSeconds: number, now: string): string | undefined {
  if (!(intervalSeconds > 0)) return undefined;
  const modified = parseServiceTime(gmtModified);
  const at = Date.parse(now);
  if (modified === undefined || Number.isNaN(at)) return undefined;
  const earliest = modified + intervalSeconds * 1000;
  return earliest > at ? new Date(earliest).toISOString() : undefined;
}

/** Sets `not_before` on every update and replace whose list was modified too recently. */
export function markNotBefore(changes: Change[], owned: readonly RemoteVocabulary[], intervalSeconds: number, now: string): void {
  const modifiedById = new Map(owned.map((r) => [r.vocabulary_id, r.gmt_modified]));
  for (const change of changes) {
    if (change.action !== 'update' && change.action !== 'replace') continue;
    // The list updated, or the old list of a replace: its id is the change's (`vocabulary_id`).
    const modified = modifiedById.get(change.vocabulary_id ?? '');
    const notBefore = modified === undefined ? undefined : notBeforeOf(modified, intervalSeconds, now);
    if (notBefore !== undefined) change.not_before = notBefore;
  }
}
