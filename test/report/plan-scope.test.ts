import { describe, expect, it } from 'vitest';
import { targetPlan } from '../../src/plan/target-changes.js';
import type { Plan, PlanTarget } from '../../src/plan/types.js';
import { renderPlanJson, renderPlanMarkdown, renderPlanText } from '../../src/report/index.js';
import { desiredVocab, plan, remoteList, testWordCap, words } from '../plan/builders.js';

const BEIJING = 'https://dashscope.aliyuncs.com/api/v1';

function target(fields: Partial<PlanTarget>): PlanTarget {
  return { api_key_env: 'DASHSCOPE_API_KEY', url: BEIJING, url_from: 'region', ...fields };
}

/** movies updated, support created, old deleted, through an emulator named by DASHSCOPE_HTTP_BASE_URL. */
function scopedPlan(): Plan {
  const full = plan({
    desired: [desiredVocab({ prefix: 'movies', entries: words(3) }), desiredVocab({ prefix: 'support', entries: words(2) })],
    owned: [remoteList({ prefix: 'movies', entries: words(2), id: 'vocab-movies-1' }), remoteList({ prefix: 'old', entries: words(1), id: 'vocab-old-1' })],
  });
  const withEndpoint = { ...full, target: target({ url: 'http://127.0.0.1:8080/api/v1', url_from: 'DASHSCOPE_HTTP_BASE_URL' }) };
  return targetPlan(withEndpoint, ['movies'], { wordCap: testWordCap });
}

describe('the plan header in every format', () => {
  const endpoint = 'endpoint: http://127.0.0.1:8080/api/v1 (from DASHSCOPE_HTTP_BASE_URL, not the official cn-beijing URL)';

  it('text: the endpoint and the targets under the title, the changes left out after the plan', () => {
    const text = renderPlanText(scopedPlan(), { color: false });
    const lines = text.split('\n');
    expect(lines[1]).toBe(endpoint);
    expect(lines[2]).toBe('limited by --target movies: 2 changes of other vocabularies left out; the quota and the safety checks count the whole account');
    expect(text).toContain('~ update  movies (fun-asr)  vocab-movies-1');
    expect(text).toContain('Left out by --target (not in this plan, not applied):\n  - destroy  old (fun-asr)  vocab-old-1\n      not declared\n  + create  support (fun-asr)\n      new vocabulary, 2 entries\n');
    expect(text).toContain('Plan: 0 to create, 1 to update, 0 to replace, 0 to delete.');
  });

  it('markdown: a note under the heading, the targets, and a collapsed list of what was left out', () => {
    const md = renderPlanMarkdown(scopedPlan());
    expect(md).toContain('> endpoint: http:&#8203;//127.0.0.1:8080/api/v1 \\(from DASHSCOPE\\_HTTP\\_BASE\\_URL, not the official cn-beijing URL\\)');
    expect(md).toContain('**Limited by `--target`** movies: 2 changes of other vocabularies left out; the quota and the safety checks count the whole account.');
    expect(md).toContain('<summary>Left out by <code>--target</code> (not in this plan, not applied): 2</summary>');
    expect(md).toContain('- `-` destroy **old \\(fun-asr\\)** vocab-old-1: not declared\n- `+` create **support \\(fun-asr\\)**: new vocabulary, 2 entries');
    expect(md.indexOf('Limited by')).toBeLessThan(md.indexOf('| | Vocabulary |'));
  });

  it('json: the endpoint actually used, the targets and the changes left out', () => {
    const doc = JSON.parse(renderPlanJson(scopedPlan())) as Plan;
    expect(doc.target).toMatchObject({ url: 'http://127.0.0.1:8080/api/v1', url_from: 'DASHSCOPE_HTTP_BASE_URL' });
    expect(doc.targets).toEqual(['movies']);
    expect(doc.left_out?.map((c) => `${c.action} ${c.prefix}`)).toEqual(['delete old', 'create support']);
  });

  it('says nothing extra for a whole plan against the official URL', () => {
    const full = { ...plan({ desired: [desiredVocab({ prefix: 'movies', entries: words(1) })] }), target: target({}) };
    const text = renderPlanText(full, { color: false });
    expect(text.split('\n')[1]).toBe('');
    expect(text).not.toContain('endpoint:');
    expect(text).not.toContain('--target');
    expect(renderPlanMarkdown(full)).not.toMatch(/endpoint:|--target/);
  });
});
