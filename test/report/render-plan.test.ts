import { describe, expect, it } from 'vitest';
import { renderPlanJson, renderPlanMarkdown, renderPlansMarkdown, renderPlansText, renderPlanText } from '../../src/report/index.js';
import { desiredVocab, plan, remoteList, unmanagedList, words } from '../plan/builders.js';

const ESC = '\u001b[';

function samplePlan() {
  return plan({
    desired: [
      desiredVocab({ prefix: 'movies', entries: [{ text: '赛德克巴莱', weight: 4, lang: 'zh' }, { text: 'Seediq Bale', weight: 4, lang: 'en' }] }),
      desiredVocab({ prefix: 'support', entries: [{ text: 'refund', weight: 5, lang: 'en' }, { text: 'invoice', weight: 3, lang: 'en' }] }),
      desiredVocab({ prefix: 'swap', entries: words(1) }),
      desiredVocab({ prefix: 'tr', model: 'gummy-chat-v1', entries: [{ text: 'hello', lang: 'en', target_lang: 'zh', translation: '您好' }] }),
      desiredVocab({ prefix: 'same', entries: words(2) }),
    ],
    owned: [
      remoteList({ prefix: 'support', entries: [{ text: 'refund', weight: 3, lang: 'en' }, { text: 'receipt', weight: 3, lang: 'en' }], id: 'vocab-support-1' }),
      remoteList({ prefix: 'swap', model: 'paraformer-v2', entries: words(1), id: 'vocab-swap-1' }),
      remoteList({ prefix: 'tr', model: 'gummy-chat-v1', entries: [{ text: 'hello', lang: 'en', target_lang: 'zh', translation: '你好' }], id: 'vocab-tr-1' }),
      remoteList({ prefix: 'same', entries: words(2), id: 'vocab-same-1' }),
      remoteList({ prefix: 'old', entries: words(3), id: 'vocab-old-1' }),
    ],
    ownedPrefixes: ['old'],
    unmanaged: [unmanagedList('other', 'vocab-other-1')],
  });
}

describe('renderPlanText', () => {
  const text = renderPlanText(samplePlan(), { color: false });

  it('shows each action with its symbol and an entry-level diff', () => {
    expect(text).toContain('+ create  movies (fun-asr)');
    expect(text).toContain('+ "赛德克巴莱" (zh, weight 4)');
    expect(text).toContain('~ update  support (fun-asr)  vocab-support-1');
    expect(text).toContain('1 entry added, 1 removed, 1 reweighted (2 → 2 entries)');
    expect(text).toContain('- "receipt" (en, weight 3)');
    expect(text).toContain('~ "refund" (en) weight 3 → 5');
    expect(text).toContain('-/+ replace  swap (paraformer-v2 → fun-asr)  vocab-swap-1');
    expect(text).toContain('~ "hello" (en, to zh) translation "你好" → "您好"');
    expect(text).toContain('- destroy  old (fun-asr)  vocab-old-1');
    expect(text).toContain('1 unchanged: same');
  });

  it('ends with the quota, the unmanaged lists and the summary line', () => {
    expect(text).toContain('Quota: 6 of 10 lists now (5 owned + 1 unmanaged), 6 after the apply, peak 8.');
    expect(text).toContain('Unmanaged: 1 list, never touched: vocab-other-1 (other).');
    expect(text.trimEnd().split('\n').at(-1)).toBe('Plan: 1 to create, 2 to update, 1 to replace, 1 to delete.');
  });

  it('has no escape codes without colour, and some with it', () => {
    expect(text).not.toContain(ESC);
    expect(renderPlanText(samplePlan(), { color: true })).toContain(`${ESC}32m`);
  });

  it('says so when nothing changes', () => {
    const same = plan({ desired: [desiredVocab({ prefix: 'a', entries: words(1) })], owned: [remoteList({ prefix: 'a', entries: words(1) })] });
    expect(renderPlanText(same, { color: false }).trimEnd().split('\n').at(-1)).toBe('No changes. The account matches the configuration.');
  });

  it('truncates long entry lists', () => {
    const big = plan({ desired: [desiredVocab({ prefix: 'big', entries: words(1000) })] });
    const out = renderPlanText(big, { color: false });
    expect(out).toContain('… and 980 more');
    expect(out.split('\n').filter((l) => l.trimStart().startsWith('+ "')).length).toBe(20);
  });

  it('lists violations, saying which --force overrides', () => {
    const refused = plan({ desired: [desiredVocab({ prefix: 'p', model: 'paraformer-v2', entries: words(501) })], owned: [remoteList({ prefix: 'old', entries: words(1) })], ownedPrefixes: ['old'], env: { protect: ['old'] } });
    const out = renderPlanText(refused, { color: false });
    expect(out).toContain('Violations (the plan is refused):');
    expect(out).toContain('✗ word_cap: p (paraformer-v2) would hold 501 entries');
    expect(out).toContain('[cannot be overridden]');
    expect(out).toMatch(/! protect: old is protected .*\[--force overrides\]/);
  });

  it('quotes control characters in entries so they cannot reach the terminal', () => {
    const evil = plan({ desired: [desiredVocab({ prefix: 'e', entries: [{ text: 'a\u001b[31mb', weight: 1 }] })] });
    expect(renderPlanText(evil, { color: false })).not.toContain('\u001b');
  });

  it('renders several environments', () => {
    const prod = samplePlan();
    const staging = plan({ env: { name: 'staging' } });
    const out = renderPlansText([prod, staging], { color: false });
    expect(out).toBe(
      `=== environment prod ===\n${renderPlanText(prod, { color: false })}\n=== environment staging ===\n${renderPlanText(staging, { color: false })}`,
    );
  });
});

describe('renderPlanMarkdown', () => {
  const md = renderPlanMarkdown(samplePlan());

  it('has a heading, a summary table, a quota gauge and one section per change', () => {
    expect(md).toContain('### vocab plan: prod');
    expect(md).toContain('**Plan: 1 to create, 2 to update, 1 to replace, 1 to delete.** 1 unchanged.');
    expect(md).toContain('| | Vocabulary | Model | ID | Entries | Why |');
    expect(md).toContain('**Quota** `▰▰▰▰▰▰▱▱▱▱` 6/10 now → peak 8 → 6 after (5 owned + 1 unmanaged)');
    expect(md.match(/<details>/g)).toHaveLength(5);
    expect(md.match(/<\/details>/g)).toHaveLength(5);
    expect(md).toContain('```diff\n+ "Seediq Bale" (en, weight 4)');
  });

  it('escapes markdown and HTML in user text', () => {
    const tricky = plan({
      desired: [desiredVocab({ prefix: 'x', name: 'a|b<script>', entries: [{ text: '```', weight: 1 }, { text: '<b>|x', weight: 2 }] })],
    });
    const out = renderPlanMarkdown(tricky);
    expect(out).not.toContain('<script>');
    expect(out).toContain('a\\|b&lt;script&gt;');
    expect(out).toContain('<b>a|b&lt;script&gt; [x] (fun-asr)</b>');
    // The fence is longer than any backtick run in the entries.
    expect(out).toContain('````diff');
  });

  it('shows violations as a warning block', () => {
    const refused = plan({ desired: [desiredVocab({ prefix: 'p', model: 'paraformer-v2', entries: words(501) })] });
    const out = renderPlanMarkdown(refused);
    expect(out).toContain('> [!WARNING]');
    expect(out).toContain('> - **word_cap** (cannot be overridden)');
  });

  it('stays under 60,000 characters for 10 lists of 10,000 entries, and says it was shortened', () => {
    const huge = plan({
      desired: Array.from({ length: 10 }, (_, i) => desiredVocab({ prefix: `p${i}`, entries: words(10_000, { stem: `long-word-${i}-` }) })),
      owned: Array.from({ length: 10 }, (_, i) => remoteList({ prefix: `p${i}`, entries: words(10_000, { stem: `other-word-${i}-` }) })),
    });
    const out = renderPlanMarkdown(huge);
    expect(out.length).toBeLessThan(60_000);
    expect(out).toContain('… and 19900 more');
    expect(out.match(/<details>/g)?.length).toBe(out.match(/<\/details>/g)?.length);
  });

  it('summarises the changes that do not fit', () => {
    const many = plan({ desired: Array.from({ length: 40 }, (_, i) => desiredVocab({ prefix: `p${i}`, entries: words(100, { stem: `word-${i}-` }) })) });
    const out = renderPlanMarkdown(many, { maxLength: 20_000 });
    expect(out.length).toBeLessThanOrEqual(20_000);
    expect(out).toContain('Shortened to stay under 20,000 characters');
    expect(out).toContain('- `+` create **p39 \\(fun-asr\\)**');
  });

  it('renders several environments in one comment under the limit', () => {
    const out = renderPlansMarkdown([samplePlan(), plan({ env: { name: 'staging' } })]);
    expect(out).toContain('| Environment | Create | Update | Replace | Delete | Unchanged | Checks |');
    expect(out).toContain('| prod | 1 | 2 | 1 | 1 | 1 | ok |');
    expect(out).toContain('### vocab plan: staging');
    expect(out.length).toBeLessThan(60_000);
  });
});

describe('renderPlanJson', () => {
  it('is the plan document', () => {
    const p = samplePlan();
    const parsed = JSON.parse(renderPlanJson(p)) as typeof p;
    expect(parsed).toStrictEqual(JSON.parse(JSON.stringify(p)));
    expect(Object.keys(parsed).slice(0, 3)).toStrictEqual(['format_version', 'environment', 'fingerprint']);
  });
});
