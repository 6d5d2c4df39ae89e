/**
 * The order of an apply: waves of steps that keep the account under its list quota at every
 * moment, even when the steps of one wave finish in the worst order (all creates first).
 */
import type { ReplaceStrategy } from '../config/types.js';
import type { Change } from './types.js';

/** One call to the service: the create, update or delete of one change (a replace has a create and a delete). */
export interface Step {
  /** Index of the change in the list given to `scheduleChanges`. */
  changeIndex: number;
  operation: 'create' | 'update' | 'delete';
}

/** The ordered apply. */
export interface Schedule {
  /** Steps of one wave may run concurrently in any order; a wave starts when the previous one is done. */
  waves: Step[][];
  /**
   * Most lists on the account at any moment of the apply (never less than `used`). When the
   * apply is infeasible: the fewest lists any safe order would need at its peak.
   */
  peak: number;
  feasible: boolean;
  /** Why the apply cannot fit in the quota, when it cannot. */
  reason?: string;
}

/** The list counts a schedule starts from. */
export interface QuotaState {
  /** The account's list quota. */
  limit: number;
  /** Lists on the account now, owned and unmanaged. */
  used: number;
}

/** How many lists of each kind a set of changes creates and deletes. */
export interface ChangeCounts {
  creates: number;
  deletes: number;
  replaces: number;
}

/** Counts the steps that move the list count: creates, deletes (duplicates included), replaces. */
export function countChanges(changes: readonly Change[]): ChangeCounts {
  const counts: ChangeCounts = { creates: 0, deletes: 0, replaces: 0 };
  for (const change of changes) {
    if (change.action === 'create') counts.creates++;
    else if (change.action === 'delete') counts.deletes++;
    else if (change.action === 'replace') counts.replaces++;
  }
  return counts;
}

/**
 * The fewest lists any safe order needs at its peak: deletes first, then each replace
 * created before its old list is deleted (one at a time, before the plain creates, so it
 * costs one extra list only when there is no create to hide behind), then the creates.
 * Under `destroy_before_create` a replace costs nothing extra (when there is no room).
 */
export function minimumPeak(counts: ChangeCounts, used: number, replaceStrategy: ReplaceStrategy): number {
  return Math.max(used, used - counts.deletes + counts.creates + replaceOverhead(counts, replaceStrategy));
}

/** The extra list a create-before-destroy replace needs at the peak, beyond the plain creates. */
export function replaceOverhead(counts: ChangeCounts, replaceStrategy: ReplaceStrategy): number {
  return replaceStrategy === 'create_before_destroy' && counts.replaces > 0 && counts.creates === 0 ? 1 : 0;
}

type ReplaceState =
  /** Nothing done yet. */
  | 'pending'
  /** New list created; its old list is deleted in the next wave. */
  | 'created'
  /** Old list deleted (destroy_before_create); the new list is created in a later wave. */
  | 'destroyed'
  | 'done';

interface ReplaceProgress {
  changeIndex: number;
  state: ReplaceState;
}

/**
 * Orders the steps of `changes` into waves that stay within `quota.limit`. Deletes and updates
 * go in the first wave; a replace is create-before-destroy whenever there is room, else as
 * `replaceStrategy` says (destroy_before_create: delete the old list, then create the new one;
 * create_before_destroy: infeasible). Creates wait for room that earlier waves free.
 */
export function scheduleChanges(changes: readonly Change[], quota: QuotaState, replaceStrategy: ReplaceStrategy): Schedule {
  const waves: Step[][] = [];
  const { firstWave, plainCreates, replaces } = sortByAction(changes);
  const creates: CreateQueue = { indices: plainCreates, next: 0 };
  let count = quota.used;
  let peak = quota.used;
  const finished = (): boolean => creates.next >= plainCreates.length && replaces.every((r) => r.state === 'done');

  for (let wave = firstWave; ; wave = []) {
    const created = fillWave(wave, replaces, creates, quota.limit - count, replaceStrategy);
    const deleted = wave.filter((s) => s.operation === 'delete').length;
    if (wave.length === 0) break;
    peak = Math.max(peak, count + created);
    count += created - deleted;
    waves.push(wave);
  }
  if (finished()) return { waves, peak, feasible: true };
  return {
    waves,
    peak: minimumPeak(countChanges(changes), quota.used, replaceStrategy),
    feasible: false,
    reason: describeBlocked(changes, replaces, plainCreates.slice(creates.next), count, quota.limit),
  };
}

/** The plain creates in order, and how many of them are scheduled. */
interface CreateQueue {
  indices: number[];
  next: number;
}

/** Deletes and updates (the first wave), plain creates and replaces, each in the order given. */
function sortByAction(changes: readonly Change[]): { firstWave: Step[]; plainCreates: number[]; replaces: ReplaceProgress[] } {
  const firstWave: Step[] = [];
  const plainCreates: number[] = [];
  const replaces: ReplaceProgress[] = [];
  changes.forEach((change, changeIndex) => {
    if (change.action === 'delete') firstWave.push({ changeIndex, operation: 'delete' });
    else if (change.action === 'update') firstWave.push({ changeIndex, operation: 'update' });
    else if (change.action === 'create') plainCreates.push(changeIndex);
    else if (change.action === 'replace') replaces.push({ changeIndex, state: 'pending' });
  });
  return { firstWave, plainCreates, replaces };
}

/** Adds to `wave` what fits in `room` free slots; returns how many lists the wave creates. */
function fillWave(wave: Step[], replaces: ReplaceProgress[], creates: CreateQueue, room: number, replaceStrategy: ReplaceStrategy): number {
  // Old lists of replaces whose new list the previous wave created.
  for (const r of replaces) {
    if (r.state === 'created') {
      wave.push({ changeIndex: r.changeIndex, operation: 'delete' });
      r.state = 'done';
    }
  }
  const deletes = wave.filter((s) => s.operation === 'delete').length;
  let created = 0;
  const create = (changeIndex: number): void => {
    wave.push({ changeIndex, operation: 'create' });
    created++;
    room--;
  };
  // Lists whose old version is already gone come back first; then replaces, which give
  // their slot back in the next wave; plain creates keep their slot, so they go last.
  for (const r of replaces) {
    if (room > 0 && r.state === 'destroyed') {
      create(r.changeIndex);
      r.state = 'done';
    }
  }
  for (const r of replaces) {
    if (room > 0 && r.state === 'pending') {
      create(r.changeIndex);
      r.state = 'created';
    }
  }
  while (room > 0 && creates.next < creates.indices.length) create(creates.indices[creates.next++]!);
  // No room now and none coming from this wave: only destroying first can make progress.
  // Stryker disable next-line ConditionalExpression: a replace is still pending only when the loop above ran out of room
  if (room <= 0 && deletes === 0 && replaceStrategy === 'destroy_before_create') {
    for (const r of replaces) {
      if (r.state === 'pending') {
        wave.push({ changeIndex: r.changeIndex, operation: 'delete' });
        r.state = 'destroyed';
      }
    }
  }
  return created;
}

function describeBlocked(
  changes: readonly Change[],
  replaces: readonly ReplaceProgress[],
  creates: readonly number[],
  count: number,
  limit: number,
): string {
  const label = (index: number): string => `${changes[index]!.prefix} (${changes[index]!.target_model})`;
  const blocked = [
    ...replaces.filter((r) => r.state !== 'done').map((r) => `replace ${label(r.changeIndex)}`),
    ...creates.map((index) => `create ${label(index)}`),
  ];
  return `no room left: ${count} of ${limit} lists in use and nothing more to delete; cannot ${blocked.join(', ')}`;
}
