/**
 * Remote data reaches terminals, pull-request comments, CI outputs and file names: each
 * renderer escapes it for its medium. The plans here are built in memory, past the client's
 * wire checks, so the renderers are shown safe on their own.
 */
import { describe, expect, it } from 'vitest';
import { buildDriftReport } from '../../src/plan/build-drift-report.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import type { ApplyResult } from '../../src/plan/types.js';
import { escapeHtml, escapeMarkdown } from '../../src/report/escape-markdown.js';
import { escapeTerminal, escapeTerminalBlock } from '../../src/report/escape-terminal.js';
import { renderApplyText, renderDriftMarkdown, renderDriftText, renderPlanMarkdown, renderPlanText } from '../../src/report/index.js';
import { desiredVocab, planInput, remoteList, unmanagedList, words } from '../plan/builders.js';

const ESC = '\u001b';
const HOSTILE_TEXT = `evil${ESC}[2J${ESC}]0;pwned\u0007 \u009b31m \u202egnp.exe @octocat https://evil.example <img src=x onerror=alert(1)> #12 www.evil.example a@b.example`;

/** Every raw control character a terminal would act on (C0 but newline, DEL, C1, bidi overrides). */
const ACTING = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function hostileInput() {
  return planInput({
    desired: [desiredVocab({ prefix: 'movies', entries: words(2) })],
    owned: [
      remoteList({ prefix: 'movies', entries: [...words(1), { text: HOSTILE_TEXT, weight: 3, lang: `zh${ESC}[31m` }] }),
      remoteList({ prefix: 'old', model: `fun-asr${ESC}[8m@admins`, entries: [{ text: HOSTILE_TEXT, weight: 1 }] }),
    ],
    ownedPrefixes: ['old'],
    unmanaged: [unmanagedList('x', `vocab-x-@octocat${ESC}[1m`)],
  });
}

describe('terminal escaping', () => {
  it('shows control characters, ANSI escapes and bidi overrides as visible escapes', () => {
    expect(escapeTerminal(`a${ESC}[31mb\nc\u009b\u202e`)).toBe('a\\x1b[31mb\\x0ac\\x9b\\u202e');
    expect(escapeTerminalBlock(`line 1\nline${ESC}[2J 2`)).toBe('line 1\nline\\x1b[2J 2');
    expect(escapeTerminal('赛德克巴莱 Seediq Bale 👍🏽')).toBe('赛德克巴莱 Seediq Bale 👍🏽');
  });

  it('the text plan carries no raw control character from remote entries, models, languages or ids', () => {
    const text = renderPlanText(buildPlan(hostileInput()), { color: false });
    expect(text).not.toMatch(ACTING);
    expect(text).toContain('\\u001b[2J'); // the entry text, JSON-quoted
    expect(text).toContain('\\x9b31m');
    expect(text).toContain('zh\\x1b[31m');
    expect(text).toContain('vocab-x-@octocat\\x1b[1m');
  });

  it('with colour on, the only escape sequences are the renderer\'s own styles', () => {
    const text = renderPlanText(buildPlan(hostileInput()), { color: true });
    const sequences = text.match(/\u001b\[[0-9;]*m/g) ?? [];
    expect(sequences.length).toBeGreaterThan(0);
    expect(text.replace(/\u001b\[(0|1|2|31|32|33|35|36)m/g, '')).not.toMatch(ACTING);
  });

  it('drift and apply text escape remote data and error messages', () => {
    const input = hostileInput();
    const drift = renderDriftText(buildDriftReport(buildPlan(input), input.remote), { color: false });
    expect(drift).not.toMatch(ACTING);
    const result: ApplyResult = {
      format_version: 1,
      environment: 'prod',
      results: [
        {
          action: 'update',
          name: 'movies',
          prefix: 'movies',
          target_model: `fun-asr${ESC}[5m`,
          status: 'failed',
          vocabulary_id: `vocab-movies-1${ESC}[2K`,
          error: `InvalidParameter: ${ESC}]8;;https://evil${ESC}\\click${ESC}]8;;${ESC}\\\nsecond line`,
          notes: [`note${ESC}[31m`],
        },
      ],
      summary: { applied: 0, failed: 1, skipped: 0 },
    };
    const text = renderApplyText(result, { color: false });
    expect(text).not.toMatch(ACTING);
    expect(text).toContain('second line');
  });
});

describe('markdown escaping', () => {
  it('breaks mentions, bare links, e-mail links and issue references, and escapes HTML', () => {
    const md = escapeMarkdown(HOSTILE_TEXT);
    expect(md).not.toMatch(/@[A-Za-z]/);
    expect(md).not.toMatch(/https?:\/\//);
    expect(md).not.toMatch(/www\./i);
    expect(md).not.toMatch(/(?<!&)#\d/);
    expect(md).not.toContain('<img');
    expect(md).not.toMatch(ACTING);
    expect(md).toContain('@&#8203;octocat');
    expect(escapeMarkdown('fun-asrwww.evil.example')).not.toMatch(/www\./);
    const html = escapeHtml(`it's @team <b>www.x.example</b> #7`);
    expect(html).toBe('it&#39;s @&#8203;team &lt;b&gt;www&#8203;.x.example&lt;/b&gt; #&#8203;7');
  });

  it('the markdown plan and drift report neutralise remote data outside code blocks', () => {
    const input = hostileInput();
    for (const md of [renderPlanMarkdown(buildPlan(input)), renderDriftMarkdown(buildDriftReport(buildPlan(input), input.remote))]) {
      // Entry texts sit in fenced code blocks, where GitHub renders nothing; check the rest.
      const outsideCode = md.replace(/(`{3,})diff\n[\s\S]*?\n\1/g, '');
      expect(outsideCode).not.toMatch(/@[A-Za-z]/);
      expect(outsideCode).not.toMatch(/https?:\/\//);
      expect(outsideCode).not.toContain('<img');
      expect(md).not.toMatch(ACTING);
    }
  });
});
