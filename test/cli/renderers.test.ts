/** The one table of renderers: which formats each document has, the default, and one JSON document for several environments. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/errors.js';
import { chooseFormat, formatsOf, render } from '../../src/cli/renderers.js';
import { buildDriftReport } from '../../src/plan/build-drift-report.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { renderPlanText } from '../../src/report/index.js';
import { desiredVocab, plan, planInput, words } from '../plan/builders.js';

describe('the renderer table', () => {
  it('offers each document its formats, the first being the default', () => {
    expect(formatsOf('plan')).toEqual(['text', 'markdown', 'json']);
    expect(formatsOf('apply')).toEqual(['text', 'json']);
    expect(formatsOf('drift')).toEqual(['text', 'markdown', 'json']);
    expect(formatsOf('outputs')).toEqual(['json', 'dotenv', 'github']);
    expect(formatsOf('validation')).toEqual(['text', 'json', 'github']);
    expect(chooseFormat('plan', undefined)).toBe('text');
    expect(chooseFormat('outputs', undefined)).toBe('json');
    expect(chooseFormat('plan', 'markdown')).toBe('markdown');
  });

  it('refuses a format the document does not have, suggesting the closest', () => {
    expect(() => chooseFormat('apply', 'markdown')).toThrow(UsageError);
    expect(() => chooseFormat('plan', 'jsn')).toThrow('--format must be one of text, markdown, json, not "jsn" (did you mean json?)');
  });

  it('renders several plans as one JSON document holding each plan document', () => {
    const plans = [plan({ desired: [desiredVocab({ prefix: 'movies', entries: words(2) })] }), plan({ desired: [] })];
    const { stdout, stderr } = render('plans', 'json', plans, { color: false });
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual({ format_version: 1, plans: JSON.parse(JSON.stringify(plans)) as unknown });
    expect(stdout.endsWith('}\n')).toBe(true);
  });

  it('renders several drift reports as one JSON document, and text one after the other', () => {
    const input = planInput({ desired: [desiredVocab({ prefix: 'gone', entries: words(1) })] });
    const report = buildDriftReport(buildPlan(input), input.remote);
    expect(JSON.parse(render('drifts', 'json', [report, report], { color: false }).stdout)).toEqual({ format_version: 1, reports: [report, report] });
    expect(render('drifts', 'text', [report, report], { color: false }).stdout.match(/missing {2}gone/g)).toHaveLength(2);
  });

  it('passes colour on to text renderers only when asked', () => {
    const p = plan({ desired: [desiredVocab({ prefix: 'movies', entries: words(2) })] });
    expect(render('plan', 'text', p, { color: true }).stdout).toBe(renderPlanText(p, { color: true }));
    expect(render('plan', 'text', p, { color: true }).stdout).toContain('\u001b[');
    expect(render('plan', 'text', p, { color: false }).stdout).not.toContain('\u001b[');
  });

  it('sends validate\'s text problems to stderr and its verdict to stdout', () => {
    const problem = { file: 'v.yaml', line: 2, column: 3, path: '/entries/0', message: 'bad weight' };
    const failed = render('validation', 'text', { problems: [problem], workspaceProblems: [problem], valid: null }, { color: false });
    expect(failed).toEqual({ stdout: '', stderr: 'v.yaml:2:3: bad weight\n1 error\n' });
    const passed = render('validation', 'text', { problems: [], workspaceProblems: [], valid: { vocabularies: 2, scope: '1 environment' } }, { color: false });
    expect(passed).toEqual({ stdout: '2 vocabularies valid (1 environment)\n', stderr: '' });
    const github = render('validation', 'github', { problems: [problem], workspaceProblems: [{ ...problem, file: 'cfg/v.yaml' }], valid: null }, { color: false });
    expect(github.stdout).toContain('::error file=cfg/v.yaml,line=2,col=3');
  });
});
