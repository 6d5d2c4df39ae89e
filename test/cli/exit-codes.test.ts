/** The one table from how a command ended to its exit code (SPEC "Common options and exit codes"). */
import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../src/cli/exit-codes.js';
import type { ConformanceReport } from '../../src/conformance/run-conformance.js';
import { withChecks } from '../../src/plan/plan-checks.js';
import type { ApplyResult, Plan, Violation } from '../../src/plan/types.js';
import { buildDriftReport } from '../../src/plan/build-drift-report.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { desiredVocab, plan, planInput, remoteList, words } from '../plan/builders.js';

const withChanges = (): Plan => plan({ desired: [desiredVocab({ prefix: 'movies', entries: words(2) })] });
const unchanged = (): Plan => {
  const list = remoteList({ prefix: 'movies', entries: words(2), id: 'vocab-movies-1' });
  return plan({ desired: [desiredVocab({ prefix: 'movies', entries: words(2) })], owned: [list] });
};
const violating = (base: Plan, overridable: boolean, force: boolean): Plan => {
  const violation: Violation = { rule: 'protect', message: 'deletes a protected list', overridable };
  return withChecks({ ...base, violations: [violation] }, { force });
};

const applied = (summary: ApplyResult['summary'], interrupted?: boolean): ApplyResult => ({
  format_version: 1,
  environment: 'prod',
  results: [],
  summary,
  ...(interrupted ? { interrupted } : {}),
});

const conformance = (disagree: number, left: string[]): ConformanceReport => ({
  format_version: 1,
  environment: 'prod',
  base_url: 'http://127.0.0.1:1/api/v1',
  prefix: 'vcabcdefg',
  results: [],
  left_on_account: left,
  summary: { agree: 3, disagree, skipped: 0 },
});

describe('exitCodeOf', () => {
  it('done is 0, failed is 1, another program\'s code is passed on', () => {
    expect(exitCodeOf({ kind: 'done' })).toBe(0);
    expect(exitCodeOf({ kind: 'failed' })).toBe(1);
    expect(exitCodeOf({ kind: 'exited', code: 42 })).toBe(42);
  });

  it('plans: changes exit 2 only with --detailed-exitcode; no changes exit 0', () => {
    expect(exitCodeOf({ kind: 'planned', plans: [withChecks(withChanges(), { force: false })], detailed: false })).toBe(0);
    expect(exitCodeOf({ kind: 'planned', plans: [withChecks(withChanges(), { force: false })], detailed: true })).toBe(2);
    expect(exitCodeOf({ kind: 'planned', plans: [withChecks(unchanged(), { force: false })], detailed: true })).toBe(0);
    expect(exitCodeOf({ kind: 'planned', plans: [unchanged(), withChanges()], detailed: true })).toBe(2);
  });

  it('plans: a refused plan is 1 even with changes and --detailed-exitcode; --force lets an overridable one through', () => {
    expect(exitCodeOf({ kind: 'planned', plans: [violating(withChanges(), true, false)], detailed: true })).toBe(1);
    expect(exitCodeOf({ kind: 'planned', plans: [unchanged(), violating(withChanges(), true, false)], detailed: false })).toBe(1);
    expect(exitCodeOf({ kind: 'planned', plans: [violating(withChanges(), true, true)], detailed: true })).toBe(2);
    expect(exitCodeOf({ kind: 'planned', plans: [violating(withChanges(), false, true)], detailed: false })).toBe(1);
  });

  it('apply: complete 0, partial (failed or skipped) 1, interrupted 130', () => {
    expect(exitCodeOf({ kind: 'applied', result: applied({ applied: 2, failed: 0, skipped: 0 }) })).toBe(0);
    expect(exitCodeOf({ kind: 'applied', result: applied({ applied: 0, failed: 0, skipped: 0 }) })).toBe(0);
    expect(exitCodeOf({ kind: 'applied', result: applied({ applied: 1, failed: 1, skipped: 0 }) })).toBe(1);
    expect(exitCodeOf({ kind: 'applied', result: applied({ applied: 1, failed: 0, skipped: 1 }) })).toBe(1);
    expect(exitCodeOf({ kind: 'applied', result: applied({ applied: 1, failed: 0, skipped: 2 }, true) })).toBe(130);
  });

  it('drift: in sync 0, any environment drifted 2', () => {
    const input = planInput({ desired: [desiredVocab({ prefix: 'movies', entries: words(2) })], owned: [remoteList({ prefix: 'movies', entries: words(2), id: 'vocab-movies-1' })] });
    const inSync = buildDriftReport(buildPlan(input), input.remote);
    const gone = planInput({ desired: [desiredVocab({ prefix: 'gone', entries: words(1) })] });
    const drifted = buildDriftReport(buildPlan(gone), gone.remote);
    expect(inSync.in_sync).toBe(true);
    expect(exitCodeOf({ kind: 'drifted', reports: [inSync] })).toBe(0);
    expect(exitCodeOf({ kind: 'drifted', reports: [inSync, drifted] })).toBe(2);
  });

  it('conformance: agreement 0, a difference 2, a list left on the account 1', () => {
    expect(exitCodeOf({ kind: 'compared', report: conformance(0, []) })).toBe(0);
    expect(exitCodeOf({ kind: 'compared', report: conformance(1, []) })).toBe(2);
    expect(exitCodeOf({ kind: 'compared', report: conformance(1, ['vocab-vcabcdefg-1']) })).toBe(1);
  });
});
