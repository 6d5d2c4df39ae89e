/**
 * How a command ended, and the one place that turns it into an exit code (SPEC "Common options
 * and exit codes": 0 success; 1 error, refused plan, stale plan, partial apply; 2 changes with
 * --detailed-exitcode, or drift; 130 interrupted).
 */
import { checksOf } from '../plan/plan-checks.js';
import type { ConformanceReport } from '../conformance/run-conformance.js';
import type { ApplyResult, DriftReport, Plan } from '../plan/types.js';

/** The exit codes, by meaning. */
export const EXIT = { ok: 0, error: 1, changes: 2, interrupted: 130 } as const;

/** How a command ended. */
export type Outcome =
  /** It did what was asked. */
  | { kind: 'done' }
  /** It found problems or refused, and has said why (validation errors, no terminal to ask on). */
  | { kind: 'failed' }
  /** Checked plans were shown: a refused one fails; with --detailed-exitcode, changes exit 2. */
  | { kind: 'planned'; plans: readonly Plan[]; detailed: boolean }
  /** An apply ran: interrupted exits 130; anything failed or skipped makes it partial. */
  | { kind: 'applied'; result: ApplyResult }
  /** Drift reports: any difference exits 2. */
  | { kind: 'drifted'; reports: readonly DriftReport[] }
  /** Conformance: a list left on the account fails; a difference from the service exits 2. */
  | { kind: 'compared'; report: ConformanceReport }
  /** The exit code of another program (`vocab emulator exec -- COMMAND`). */
  | { kind: 'exited'; code: number };

/** 1 if a plan is refused (its checks carry --force); else 2 with --detailed-exitcode when a plan has changes; else 0. */
function planExitCode(plans: readonly Plan[], detailed: boolean): number {
  if (plans.some((plan) => checksOf(plan).status === 'refused')) return EXIT.error;
  const changes = plans.some((plan) => plan.changes.some((c) => c.action !== 'noop'));
  return detailed && changes ? EXIT.changes : EXIT.ok;
}

function applyExitCode(result: ApplyResult): number {
  if (result.interrupted) return EXIT.interrupted;
  return result.summary.failed > 0 || result.summary.skipped > 0 ? EXIT.error : EXIT.ok;
}

function conformanceExitCode(report: ConformanceReport): number {
  if (report.left_on_account.length > 0) return EXIT.error;
  return report.summary.disagree > 0 ? EXIT.changes : EXIT.ok;
}

/** The exit code of an outcome. */
export function exitCodeOf(outcome: Outcome): number {
  switch (outcome.kind) {
    case 'done':
      return EXIT.ok;
    case 'failed':
      return EXIT.error;
    case 'planned':
      return planExitCode(outcome.plans, outcome.detailed);
    case 'applied':
      return applyExitCode(outcome.result);
    case 'drifted':
      return outcome.reports.every((r) => r.in_sync) ? EXIT.ok : EXIT.changes;
    case 'compared':
      return conformanceExitCode(outcome.report);
    case 'exited':
      return outcome.code;
  }
}
