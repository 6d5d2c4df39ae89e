/** How a change that must wait for the update spacing rule is told: "not before 14:05:10 UTC+8, in 3 min". */
import type { Change } from '../plan/types.js';
import { SERVICE_TIME_OFFSET_MS as UTC8_MS } from '../plan/update-spacing.js';

/** `HH:MM:SS UTC+8` (with the date when it is not the plan's day), service time as the console shows it. */
function serviceClock(atMs: number, planMs: number): string {
  const at = new Date(atMs + UTC8_MS).toISOString();
  const sameDay = !Number.isNaN(planMs) && new Date(planMs + UTC8_MS).toISOString().slice(0, 10) === at.slice(0, 10);
  return `${sameDay ? '' : `${at.slice(0, 10)} `}${at.slice(11, 19)} UTC+8`;
}

/** `in 3 min`, `in 40 s`: the wait from the plan's time (seconds rounded up, minutes to the nearest). */
function waitFrom(atMs: number, planMs: number): string {
  if (Number.isNaN(planMs)) return '';
  const seconds = Math.max(0, Math.ceil((atMs - planMs) / 1000));
  return seconds < 60 ? `, in ${seconds} s` : `, in ${Math.round(seconds / 60)} min`;
}

/** The line for a change with `not_before`, or undefined when it may run now. */
export function describeNotBefore(change: Pick<Change, 'not_before'>, createdAt: string): string | undefined {
  if (change.not_before === undefined) return undefined;
  const atMs = Date.parse(change.not_before);
  if (Number.isNaN(atMs)) return `not before ${change.not_before}`;
  const planMs = Date.parse(createdAt);
  return `not before ${serviceClock(atMs, planMs)}${waitFrom(atMs, planMs)} (updates of one list must be at least 5 minutes apart)`;
}
