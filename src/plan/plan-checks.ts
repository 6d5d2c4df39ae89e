/**
 * What the checks say about a plan once `--force` is known: passed, refused, or overridden by
 * --force. Every renderer and the exit code read this one verdict, so they cannot disagree.
 */
import type { Plan, PlanChecks } from './types.js';

/** The verdict of a plan's violations under `force`. */
export function judgeChecks(plan: Pick<Plan, 'violations'>, options: { force: boolean }): PlanChecks {
  if (plan.violations.length === 0) return { status: 'passed', force: options.force };
  const refused = plan.violations.some((v) => !v.overridable || !options.force);
  return { status: refused ? 'refused' : 'overridden', force: options.force };
}

/** A copy of the plan carrying its verdict (`checks`) and, under --force, which violations it overrides. */
export function withChecks(plan: Plan, options: { force: boolean }): Plan {
  const checks = judgeChecks(plan, options);
  const violations = plan.violations.map((v) => (options.force && v.overridable ? { ...v, overridden: true } : v));
  return { ...plan, violations, checks };
}

/** The plan's verdict: the one it carries, else the one without --force. */
export function checksOf(plan: Pick<Plan, 'violations' | 'checks'>): PlanChecks {
  return plan.checks ?? judgeChecks(plan, { force: false });
}
