import { describe, expect, it } from 'vitest';
import { checksOf, judgeChecks, withChecks } from '../../src/plan/plan-checks.js';
import type { Violation } from '../../src/plan/types.js';
import { plan } from './builders.js';

const hard: Violation = { rule: 'quota', message: 'over quota', overridable: false };
const soft: Violation = { rule: 'protect', message: 'protected', overridable: true, prefix: 'movies' };

describe('judgeChecks', () => {
  const cases: [string, Violation[], boolean, ReturnType<typeof judgeChecks>][] = [
    ['no violation', [], false, { status: 'passed', force: false }],
    ['no violation, forced', [], true, { status: 'passed', force: true }],
    ['an overridable violation', [soft], false, { status: 'refused', force: false }],
    ['an overridable violation, forced', [soft], true, { status: 'overridden', force: true }],
    ['a hard violation, forced', [soft, hard], true, { status: 'refused', force: true }],
    ['a hard violation', [hard], false, { status: 'refused', force: false }],
  ];
  it.each(cases)('%s', (_name, violations, force, expected) => {
    expect(judgeChecks({ violations }, { force })).toStrictEqual(expected);
  });
});

describe('withChecks', () => {
  const base = { ...plan({}), violations: [soft, hard] };

  it('marks the overridable violations it overrides under --force, and only those', () => {
    const forced = withChecks(base, { force: true });
    expect(forced.violations).toStrictEqual([{ ...soft, overridden: true }, hard]);
    expect(forced.checks).toStrictEqual({ status: 'refused', force: true });
    expect(base.violations).toStrictEqual([soft, hard]);
    expect(base).not.toHaveProperty('checks');
  });

  it('marks nothing without --force', () => {
    const judged = withChecks(base, { force: false });
    expect(judged.violations).toStrictEqual([soft, hard]);
    expect(judged.checks).toStrictEqual({ status: 'refused', force: false });
  });
});

describe('checksOf', () => {
  it('is the verdict a plan carries, else the one without --force', () => {
    const p = { ...plan({}), violations: [soft] };
    expect(checksOf(p)).toStrictEqual({ status: 'refused', force: false });
    expect(checksOf(withChecks(p, { force: true }))).toStrictEqual({ status: 'overridden', force: true });
  });
});
