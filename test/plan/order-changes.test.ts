import { describe, expect, it } from 'vitest';
import { countChanges, minimumPeak, replaceOverhead, scheduleChanges, type Schedule } from '../../src/plan/order-changes.js';
import type { Change, ChangeAction } from '../../src/plan/types.js';

function change(action: ChangeAction, prefix: string): Change {
  return {
    action,
    name: action === 'delete' ? null : prefix,
    prefix,
    target_model: 'fun-asr',
    vocabulary_id: action === 'create' ? null : `vocab-${prefix}-x`,
    reason: '',
    entries: { added: [], removed: [], changed: [] },
    entry_count: { before: 0, after: 0 },
    ...(action === 'replace' ? { replaces: { vocabulary_id: `vocab-${prefix}-x`, target_model: 'paraformer-v2' } } : {}),
  };
}

/** The worst count inside each wave (all creates first) and the count after it, checked against the limit. */
function simulate(schedule: Schedule, used: number): { peak: number; end: number } {
  let count = used;
  let peak = used;
  for (const wave of schedule.waves) {
    const creates = wave.filter((s) => s.operation === 'create').length;
    const deletes = wave.filter((s) => s.operation === 'delete').length;
    peak = Math.max(peak, count + creates);
    count += creates - deletes;
  }
  return { peak, end: count };
}

function waveOf(schedule: Schedule, index: number, operation: string): number {
  return schedule.waves.findIndex((w) => w.some((s) => s.changeIndex === index && s.operation === operation));
}

describe('scheduleChanges', () => {
  it('puts everything in one wave when there is plenty of room', () => {
    const changes = [change('create', 'a'), change('update', 'b'), change('delete', 'c'), change('noop', 'd')];
    const schedule = scheduleChanges(changes, { limit: 10, used: 3 }, 'create_before_destroy');
    expect(schedule.feasible).toBe(true);
    expect(schedule.waves).toHaveLength(1);
    expect(schedule.waves[0]).toHaveLength(3);
    expect(schedule.peak).toBe(4);
  });

  it('runs a create-before-destroy replace as create, then delete of the old list (9 of 10: peak 10)', () => {
    const schedule = scheduleChanges([change('replace', 'a')], { limit: 10, used: 9 }, 'create_before_destroy');
    expect(schedule.feasible).toBe(true);
    expect(schedule.peak).toBe(10);
    expect(waveOf(schedule, 0, 'create')).toBe(0);
    expect(waveOf(schedule, 0, 'delete')).toBe(1);
  });

  it('refuses a replace at 10 of 10 under create_before_destroy, needing 11', () => {
    const schedule = scheduleChanges([change('replace', 'a')], { limit: 10, used: 10 }, 'create_before_destroy');
    expect(schedule.feasible).toBe(false);
    expect(schedule.peak).toBe(11);
    expect(schedule.reason).toContain('replace a (fun-asr)');
  });

  it('destroys first at 10 of 10 under destroy_before_create', () => {
    const schedule = scheduleChanges([change('replace', 'a'), change('update', 'b')], { limit: 10, used: 10 }, 'destroy_before_create');
    expect(schedule.feasible).toBe(true);
    expect(schedule.peak).toBe(10);
    expect(waveOf(schedule, 0, 'delete')).toBe(0);
    expect(waveOf(schedule, 0, 'create')).toBe(1);
    expect(waveOf(schedule, 1, 'update')).toBe(0);
  });

  it('prefers create-before-destroy when there is room, even under destroy_before_create', () => {
    const schedule = scheduleChanges([change('replace', 'a')], { limit: 10, used: 5 }, 'destroy_before_create');
    expect(waveOf(schedule, 0, 'create')).toBe(0);
    expect(waveOf(schedule, 0, 'delete')).toBe(1);
  });

  it('deletes first to free room for creates (10 of 10, 2 deletes, 2 creates)', () => {
    const changes = [change('create', 'a'), change('create', 'b'), change('delete', 'c'), change('delete', 'd')];
    const schedule = scheduleChanges(changes, { limit: 10, used: 10 }, 'create_before_destroy');
    expect(schedule.feasible).toBe(true);
    expect(waveOf(schedule, 2, 'delete')).toBe(0);
    expect(waveOf(schedule, 0, 'create')).toBe(1);
    expect(schedule.peak).toBe(10);
  });

  it('runs a replace before the creates that would fill the last slot (8 of 10, 1 replace, 2 creates)', () => {
    const changes = [change('replace', 'a'), change('create', 'b'), change('create', 'c')];
    const schedule = scheduleChanges(changes, { limit: 10, used: 8 }, 'create_before_destroy');
    expect(schedule.feasible).toBe(true);
    expect(simulate(schedule, 8)).toStrictEqual({ peak: 10, end: 10 });
  });

  it('refuses creates beyond the quota', () => {
    const schedule = scheduleChanges([change('create', 'a'), change('create', 'b')], { limit: 10, used: 9 }, 'create_before_destroy');
    expect(schedule.feasible).toBe(false);
    expect(schedule.peak).toBe(11);
  });

  it('lets an account already over quota shrink (deletes only)', () => {
    const schedule = scheduleChanges([change('delete', 'a'), change('delete', 'b')], { limit: 10, used: 11 }, 'create_before_destroy');
    expect(schedule.feasible).toBe(true);
    expect(schedule.waves).toHaveLength(1);
  });

  const mixes: [string, ChangeAction[], number, 'create_before_destroy' | 'destroy_before_create'][] = [
    ['replaces and creates near the limit', ['replace', 'replace', 'create', 'delete', 'update'], 9, 'create_before_destroy'],
    ['many replaces at the limit', ['replace', 'replace', 'replace'], 10, 'destroy_before_create'],
    ['many creates after deletes', ['create', 'create', 'create', 'delete', 'delete', 'delete'], 10, 'create_before_destroy'],
    ['replaces with one free slot', ['replace', 'replace', 'replace', 'create'], 8, 'destroy_before_create'],
  ];
  it.each(mixes)('never exceeds the limit under the worst interleaving: %s', (_name, actions, used, strategy) => {
    const changes = actions.map((a, i) => change(a, `p${i}`));
    const schedule = scheduleChanges(changes, { limit: 10, used }, strategy);
    expect(schedule.feasible).toBe(true);
    const { peak } = simulate(schedule, used);
    expect(peak).toBeLessThanOrEqual(10);
    expect(schedule.peak).toBe(peak);
    // Every step exactly once, and a replace's two steps in the right order.
    changes.forEach((c, i) => {
      if (c.action === 'replace') {
        const created = waveOf(schedule, i, 'create');
        const deleted = waveOf(schedule, i, 'delete');
        expect(created).toBeGreaterThanOrEqual(0);
        expect(deleted).toBeGreaterThanOrEqual(0);
        expect(created).not.toBe(deleted);
      }
    });
    const steps = schedule.waves.flat().length;
    expect(steps).toBe(actions.reduce((n, a) => n + (a === 'replace' ? 2 : 1), 0));
  });
});

describe('destroy_before_create destroys only when nothing else makes room', () => {
  it('waits for a delete in the same wave to free the slot instead of destroying the old list', () => {
    // 10 of 10 with one plain delete: the delete frees a slot, so the replace is created
    // before its old list is destroyed, in the next wave.
    const changes = [change('replace', 'a'), change('delete', 'b')];
    const schedule = scheduleChanges(changes, { limit: 10, used: 10 }, 'destroy_before_create');
    expect(schedule.feasible).toBe(true);
    expect(waveOf(schedule, 1, 'delete')).toBe(0);
    expect(waveOf(schedule, 0, 'create')).toBe(1);
    expect(waveOf(schedule, 0, 'delete')).toBe(2);
    expect(simulate(schedule, 10)).toStrictEqual({ peak: 10, end: 9 });
  });

  it('does not destroy while a create still fits in the same wave', () => {
    const schedule = scheduleChanges([change('replace', 'a'), change('create', 'b')], { limit: 10, used: 9 }, 'destroy_before_create');
    expect(schedule.feasible).toBe(true);
    expect(waveOf(schedule, 0, 'create')).toBe(0);
    expect(waveOf(schedule, 0, 'delete')).toBe(1);
    expect(schedule.waves[0]).toStrictEqual([{ changeIndex: 0, operation: 'create' }]);
  });
});

describe('the counts behind the quota arithmetic', () => {
  it('counts creates, deletes and replaces, and nothing else', () => {
    const changes = (['create', 'delete', 'delete', 'replace', 'update', 'noop'] as const).map((a, i) => change(a, `p${i}`));
    expect(countChanges(changes)).toStrictEqual({ creates: 1, deletes: 2, replaces: 1 });
  });

  it('charges one extra list for create-before-destroy replaces only when no create hides it', () => {
    expect(replaceOverhead({ creates: 0, deletes: 0, replaces: 1 }, 'create_before_destroy')).toBe(1);
    expect(replaceOverhead({ creates: 0, deletes: 0, replaces: 3 }, 'create_before_destroy')).toBe(1);
    expect(replaceOverhead({ creates: 1, deletes: 0, replaces: 1 }, 'create_before_destroy')).toBe(0);
    expect(replaceOverhead({ creates: 0, deletes: 0, replaces: 0 }, 'create_before_destroy')).toBe(0);
    expect(replaceOverhead({ creates: 0, deletes: 0, replaces: 1 }, 'destroy_before_create')).toBe(0);
    expect(minimumPeak({ creates: 0, deletes: 0, replaces: 1 }, 10, 'create_before_destroy')).toBe(11);
    expect(minimumPeak({ creates: 2, deletes: 1, replaces: 1 }, 10, 'create_before_destroy')).toBe(11);
    expect(minimumPeak({ creates: 0, deletes: 3, replaces: 0 }, 10, 'create_before_destroy')).toBe(10);
  });
});

describe('why an apply cannot be ordered', () => {
  it('names only the creates that found no room', () => {
    const schedule = scheduleChanges([change('create', 'a'), change('create', 'b'), change('create', 'c')], { limit: 10, used: 9 }, 'create_before_destroy');
    expect(schedule).toStrictEqual({
      waves: [[{ changeIndex: 0, operation: 'create' }]],
      peak: 12,
      feasible: false,
      reason: 'no room left: 10 of 10 lists in use and nothing more to delete; cannot create b (fun-asr), create c (fun-asr)',
    });
  });

  it('names the replaces not done, then the creates', () => {
    const schedule = scheduleChanges([change('replace', 'a'), change('create', 'b'), change('replace', 'c')], { limit: 10, used: 10 }, 'create_before_destroy');
    expect(schedule.feasible).toBe(false);
    expect(schedule.waves).toStrictEqual([]);
    expect(schedule.reason).toBe('no room left: 10 of 10 lists in use and nothing more to delete; cannot replace a (fun-asr), replace c (fun-asr), create b (fun-asr)');
  });

  it('does not bring back more old lists than there is room for on an account over its quota', () => {
    // 11 of 10: destroying both old lists leaves room for one new list only.
    const schedule = scheduleChanges([change('replace', 'a'), change('replace', 'b')], { limit: 10, used: 11 }, 'destroy_before_create');
    expect(schedule.waves).toStrictEqual([
      [
        { changeIndex: 0, operation: 'delete' },
        { changeIndex: 1, operation: 'delete' },
      ],
      [{ changeIndex: 0, operation: 'create' }],
    ]);
    expect(schedule.feasible).toBe(false);
    expect(schedule.reason).toBe('no room left: 10 of 10 lists in use and nothing more to delete; cannot replace b (fun-asr)');
  });
});
