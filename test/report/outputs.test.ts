import { describe, expect, it } from 'vitest';
import { githubNamePart } from '../../src/config/output-names.js';
import { renderOutputsDotenv, renderOutputsGithub, UnsafeOutputError } from '../../src/report/outputs.js';
import type { VocabularyOutputs } from '../../src/report/outputs.js';

const ID = 'vocab-movies-0123456789abcdef0123456789abcdef';

function outputs(entries: Record<string, Partial<VocabularyOutputs[string]>>): VocabularyOutputs {
  return Object.fromEntries(
    Object.entries(entries).map(([name, o]) => [name, { vocabulary_id: ID, prefix: 'movies', target_model: 'fun-asr', status: 'OK', ...o }]),
  );
}

/** What `$GITHUB_OUTPUT` defines, parsed as the runner does (key=value, or key<<DELIM … DELIM). */
function parseGithubOutput(text: string): Map<string, string> {
  const result = new Map<string, string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const body: string[] = [];
      for (i++; lines[i] !== heredoc[2]; i++) body.push(lines[i]!);
      result.set(heredoc[1]!, body.join('\n'));
    } else {
      const at = line.indexOf('=');
      result.set(line.slice(0, at), line.slice(at + 1));
    }
  }
  return result;
}

describe('vocab outputs --format dotenv', () => {
  it('prints only KEY=value lines: no comments, no blank lines', () => {
    const text = renderOutputsDotenv(outputs({ movies: {}, 'fresh-words': { vocabulary_id: null, status: 'missing' } }));
    const lines = text.trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(/^[A-Z][A-Z0-9_]*=[A-Za-z0-9._:-]*$/);
    expect(lines).toStrictEqual([`VOCAB_MOVIES_ID=${ID}`, 'VOCAB_MOVIES_STATUS=OK', 'VOCAB_FRESH_WORDS_ID=', 'VOCAB_FRESH_WORDS_STATUS=missing']);
  });

  it('refuses a value that would inject another variable', () => {
    expect(() => renderOutputsDotenv(outputs({ movies: { status: 'OK\nVOCAB_ADMIN=1' } }))).toThrow(UnsafeOutputError);
    expect(() => renderOutputsDotenv(outputs({ movies: { vocabulary_id: 'x y' } }))).toThrow(/cannot carry safely/);
  });

  it('refuses two names that map to one variable', () => {
    expect(() => renderOutputsDotenv(outputs({ 'support-cn': {}, support_cn: {} }))).toThrow(/VOCAB_SUPPORT_CN_ID/);
  });

  it('prints nothing at all when there is nothing to print', () => {
    expect(renderOutputsDotenv({})).toBe('');
  });
});

describe('vocab outputs --format github', () => {
  it('keys are identifiers usable as steps.ID.outputs.KEY', () => {
    for (const name of ['movies', '3d-films', 'a.b', 'support-cn', '_x']) {
      expect(`${githubNamePart(name)}_status`).toMatch(/^[A-Za-z_][A-Za-z0-9_-]*$/);
    }
    const parsed = parseGithubOutput(renderOutputsGithub(outputs({ '3d': {} })));
    expect(parsed.get('_3d_vocabulary_id')).toBe(ID);
  });

  it('a value with a newline cannot define another output: it is a heredoc whose delimiter it does not hold', () => {
    const status = 'OK\ninjected=1\nVOCAB_SYNC_EOF\nmore=2';
    const parsed = parseGithubOutput(renderOutputsGithub(outputs({ movies: { status } })));
    expect(parsed.get('movies_status')).toBe(status);
    expect(parsed.has('injected')).toBe(false);
    expect(parsed.has('more')).toBe(false);
    expect(JSON.parse(parsed.get('vocabularies')!)).toMatchObject({ movies: { status } });
  });

  it('refuses two names that GitHub would read as one key', () => {
    expect(() => renderOutputsGithub(outputs({ Movies: {}, movies: {} }))).toThrow(UnsafeOutputError);
  });
});
