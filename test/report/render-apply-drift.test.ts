import { describe, expect, it } from 'vitest';
import { buildDriftReport } from '../../src/plan/build-drift-report.js';
import type { ApplyResult } from '../../src/plan/types.js';
import { renderApplyJson, renderApplyText, renderDriftJson, renderDriftMarkdown, renderDriftText } from '../../src/report/index.js';
import { desiredVocab, planInput, remoteList, words } from '../plan/builders.js';
import { buildPlan } from '../../src/plan/build-plan.js';

const result: ApplyResult = {
  format_version: 1,
  environment: 'prod',
  results: [
    { action: 'create', name: 'movies', prefix: 'movies', target_model: 'fun-asr', status: 'applied', vocabulary_id: 'vocab-movies-1', notes: ['adopted vocab-movies-1'] },
    { action: 'update', name: 'support', prefix: 'support', target_model: 'fun-asr', status: 'failed', vocabulary_id: 'vocab-support-1', error: 'InvalidParameter: bad' },
    { action: 'delete', name: null, prefix: 'old', target_model: 'fun-asr', status: 'skipped', vocabulary_id: 'vocab-old-1', error: 'not carried out' },
  ],
  summary: { applied: 1, failed: 1, skipped: 1 },
};

describe('apply renderers', () => {
  it('renders text with statuses, errors and notes', () => {
    const text = renderApplyText(result, { color: false });
    expect(text).toContain('✓ applied  create movies (fun-asr)  vocab-movies-1');
    expect(text).toContain('✗ failed  update support (fun-asr)  vocab-support-1');
    expect(text).toContain('error: InvalidParameter: bad');
    expect(text).toContain('adopted vocab-movies-1');
    expect(text).toContain('Apply incomplete: 1 applied, 1 failed, 1 skipped.');
    expect(text).not.toContain('\u001b[');
  });

  it('renders the JSON result document', () => {
    const doc = JSON.parse(renderApplyJson(result)) as { format_version: number; results: Record<string, unknown>[]; summary: unknown };
    expect(doc.format_version).toBe(1);
    expect(doc.results[0]).toStrictEqual({
      action: 'create',
      name: 'movies',
      prefix: 'movies',
      target_model: 'fun-asr',
      status: 'applied',
      vocabulary_id: 'vocab-movies-1',
      notes: ['adopted vocab-movies-1'],
    });
    expect(doc.results[1]).toHaveProperty('error', 'InvalidParameter: bad');
    expect(doc.summary).toStrictEqual({ applied: 1, failed: 1, skipped: 1 });
  });
});

describe('drift renderers', () => {
  const input = planInput({
    desired: [desiredVocab({ prefix: 'movies', entries: words(3) }), desiredVocab({ prefix: 'gone', entries: words(1) })],
    owned: [remoteList({ prefix: 'movies', entries: words(2), status: 'UNDEPLOYED', id: 'vocab-movies-1' })],
  });
  const report = buildDriftReport(buildPlan(input), input.remote);

  it('renders drift as text', () => {
    const text = renderDriftText(report, { color: false });
    expect(text).toContain('~ changed  movies (fun-asr)  vocab-movies-1');
    expect(text).toContain('1 entry removed out of band (apply would add it back)');
    expect(text).toContain('+ missing  gone (fun-asr)');
    expect(text).toContain('! not OK  movies (fun-asr)');
    expect(text).toContain('Quota: 1 of 10 lists used (1 owned + 0 unmanaged), headroom 9.');
    expect(text).toContain('Drift: 3 differences in prod');
  });

  it('renders in-sync as text', () => {
    const same = planInput({ desired: [desiredVocab({ prefix: 'a', entries: words(1) })], owned: [remoteList({ prefix: 'a', entries: words(1) })] });
    const text = renderDriftText(buildDriftReport(buildPlan(same), same.remote), { color: false });
    expect(text).toContain('No drift: the account matches the configuration of prod.');
  });

  it('renders drift as markdown and JSON', () => {
    const md = renderDriftMarkdown(report);
    expect(md).toContain('### vocab drift: prod');
    expect(md).toContain('| `~` changed | movies | fun-asr | vocab-movies-1 |');
    expect(md).toContain('`▰▱▱▱▱▱▱▱▱▱`');
    const doc = JSON.parse(renderDriftJson(report)) as { in_sync: boolean; items: unknown[] };
    expect(doc.in_sync).toBe(false);
    expect(doc.items).toHaveLength(3);
  });
});
