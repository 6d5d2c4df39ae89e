import { describe, expect, it } from 'vitest';
import { markNotBefore, notBeforeOf, parseServiceTime } from '../../src/plan/update-spacing.js';
import { renderPlanMarkdown, renderPlanText } from '../../src/report/index.js';
import { desiredVocab, plan, remoteList, words } from './builders.js';

// 2025-01-02T03:04:05Z is 11:04:05 in UTC+8, the service's clock.
const NOW = '2025-01-02T03:04:05.000Z';

describe('service times', () => {
  it('are read as UTC+8 without a zone', () => {
    expect(parseServiceTime('2025-01-02 11:04:05')).toBe(Date.parse('2025-01-02T03:04:05Z'));
    expect(parseServiceTime('2025-01-01 00:30:00')).toBe(Date.parse('2024-12-31T16:30:00Z'));
    expect(parseServiceTime('2025-02-31 10:00:00')).toBeUndefined();
    expect(parseServiceTime('yesterday')).toBeUndefined();
    expect(parseServiceTime('2025-01-02T11:04:05+08:00')).toBeUndefined();
  });

  it('give the earliest next update, or nothing when it may run now', () => {
    expect(notBeforeOf('2025-01-02 11:03:05', 300, NOW)).toBe('2025-01-02T03:08:05.000Z');
    expect(notBeforeOf('2025-01-02 10:59:05', 300, NOW)).toBeUndefined();
    expect(notBeforeOf('2025-01-02 10:59:06', 300, NOW)).toBe('2025-01-02T03:04:06.000Z');
    expect(notBeforeOf('2025-01-02 11:03:05', 0, NOW)).toBeUndefined();
    expect(notBeforeOf('garbled', 300, NOW)).toBeUndefined();
  });
});

describe('plan and the update spacing', () => {
  const stale = { text: 'old', weight: 4, lang: 'en' };

  it('marks an update of a list modified a minute ago with not_before', () => {
    const p = plan({
      now: NOW,
      desired: [desiredVocab({ prefix: 'fresh', entries: words(2) }), desiredVocab({ prefix: 'calm', entries: words(2) })],
      owned: [
        remoteList({ prefix: 'fresh', entries: [stale], modified: '2025-01-02 11:03:05' }),
        remoteList({ prefix: 'calm', entries: [stale], modified: '2025-01-02 10:00:00' }),
      ],
    });
    const byPrefix = Object.fromEntries(p.changes.map((c) => [c.prefix, c]));
    expect(byPrefix['fresh']!.action).toBe('update');
    expect(byPrefix['fresh']!.not_before).toBe('2025-01-02T03:08:05.000Z');
    expect(byPrefix['calm']!.action).toBe('update');
    expect('not_before' in byPrefix['calm']!).toBe(false);
    expect(p.settings.apply.update_interval_seconds).toBe(300);
  });

  it('marks a replace by the old list, and never a create, delete or noop', () => {
    const p = plan({
      now: NOW,
      desired: [desiredVocab({ prefix: 'moved', model: 'paraformer-v2', entries: words(1) }), desiredVocab({ prefix: 'same', entries: words(1) })],
      owned: [
        remoteList({ prefix: 'moved', model: 'fun-asr', entries: words(1), modified: '2025-01-02 11:02:05' }),
        remoteList({ prefix: 'same', entries: words(1), modified: '2025-01-02 11:04:00' }),
        remoteList({ prefix: 'gone', entries: words(1), modified: '2025-01-02 11:04:00' }),
      ],
    });
    const byPrefix = Object.fromEntries(p.changes.map((c) => [c.prefix, c]));
    expect(byPrefix['moved']!.action).toBe('replace');
    expect(byPrefix['moved']!.not_before).toBe('2025-01-02T03:07:05.000Z');
    expect(byPrefix['same']!.not_before).toBeUndefined();
    expect(byPrefix['gone']!.not_before).toBeUndefined();
  });

  it('is off with update_interval_seconds 0', () => {
    const [change] = plan({ now: NOW, desired: [desiredVocab({ prefix: 'fresh', entries: words(1) })], owned: [] }).changes;
    const update = { ...change!, action: 'update' as const, vocabulary_id: 'vocab-fresh-1' };
    markNotBefore([update], [remoteList({ prefix: 'fresh', id: 'vocab-fresh-1', modified: '2025-01-02 11:04:00' })], 0, NOW);
    expect(update).not.toHaveProperty('not_before');
    markNotBefore([update], [remoteList({ prefix: 'fresh', id: 'vocab-fresh-1', modified: '2025-01-02 11:04:00' })], 300, NOW);
    expect(update.not_before).toBe('2025-01-02T03:09:00.000Z');
  });

  it('is shown in text and markdown as UTC+8 clock time and a wait', () => {
    const p = plan({ now: NOW, desired: [desiredVocab({ prefix: 'fresh', entries: words(2) })], owned: [remoteList({ prefix: 'fresh', entries: [stale], modified: '2025-01-02 11:02:10' })] });
    const line = 'not before 11:07:10 UTC+8, in 3 min (updates of one list must be at least 5 minutes apart)';
    expect(renderPlanText(p, { color: false })).toContain(`⏱ ${line}`);
    // Markdown escapes its punctuation: UTC\+8, \(…\); it renders as the same words.
    const markdown = renderPlanMarkdown(p).replace(/\\([+()])/g, '$1');
    expect(markdown).toContain(`⏱ ${line}`);
    expect(markdown).toContain(`| 1 → 2 | 2 entries added, 1 removed; ${line} |`);
  });
});

describe('service times at the edges', () => {
  it('takes surrounding spaces and the last second of a day, and refuses times that roll over', () => {
    expect(parseServiceTime(' 2025-01-02 11:04:05 ')).toBe(Date.parse('2025-01-02T03:04:05Z'));
    expect(parseServiceTime('2025-01-02 23:59:59')).toBe(Date.parse('2025-01-02T15:59:59Z'));
    expect(parseServiceTime('2025-01-02T23:59:59')).toBe(Date.parse('2025-01-02T15:59:59Z'));
    for (const rolled of ['2025-13-01 10:00:00', '2025-00-10 10:00:00', '2025-04-31 10:00:00', '2025-03-00 10:00:00', '2025-01-02 24:00:00', '2025-01-02 10:60:00', '2025-01-02 10:00:60']) {
      expect(parseServiceTime(rolled), rolled).toBeUndefined();
    }
  });

  it('never holds back a change when the rule is off, even for a time ahead of the plan\'s clock', () => {
    // A list modified "in the future" (the service's clock ahead of this one).
    expect(notBeforeOf('2025-01-02 11:10:00', 300, NOW)).toBe('2025-01-02T03:15:00.000Z');
    expect(notBeforeOf('2025-01-02 11:10:00', 0, NOW)).toBeUndefined();
    expect(notBeforeOf('2025-01-02 11:10:00', -300, NOW)).toBeUndefined();
    expect(notBeforeOf('2025-01-02 11:10:00', Number.NaN, NOW)).toBeUndefined();
    expect(notBeforeOf('2025-01-02 11:10:00', 300, 'not a time')).toBeUndefined();
  });

  it('marks an update of a list it knows, and leaves one whose list it does not know alone', () => {
    const [created] = plan({ now: NOW, desired: [desiredVocab({ prefix: 'fresh', entries: words(1) })], owned: [] }).changes;
    const known = { ...created!, action: 'update' as const, vocabulary_id: 'vocab-fresh-1' };
    const unknown = { ...created!, action: 'update' as const, vocabulary_id: 'vocab-fresh-2' };
    const create = { ...created! };
    markNotBefore([known, unknown, create], [remoteList({ prefix: 'fresh', id: 'vocab-fresh-1', modified: '2025-01-02 11:04:00' })], 300, NOW);
    expect(known.not_before).toBe('2025-01-02T03:09:00.000Z');
    expect(unknown).not.toHaveProperty('not_before');
    expect(create).not.toHaveProperty('not_before');
  });
});
