import { describe, expect, it } from 'vitest';
import { escapeCommandData, escapeCommandProperty, renderProblemsGithub } from '../../src/report/render-problems-github.js';

describe('validation problems as GitHub workflow commands', () => {
  it('one ::error or ::warning per problem with file, line, col and a title', () => {
    const text = renderProblemsGithub([
      { file: 'vocabularies/movies.yaml', line: 4, column: 13, path: '/entries/0/weight', message: 'weight must be between 1 and 5' },
      { file: 'vocab.config.yaml', line: 2, column: 3, path: '/vocabularies/0', message: 'glob matches nothing', severity: 'warning' },
    ]);
    expect(text).toBe(
      '::error file=vocabularies/movies.yaml,line=4,col=13,title=vocab validate::weight must be between 1 and 5\n' +
        '::warning file=vocab.config.yaml,line=2,col=3,title=vocab validate::glob matches nothing\n',
    );
  });

  it('escapes % CR LF in the message, and also , : in properties, so nothing can end a command early', () => {
    expect(escapeCommandData('50% off\r\n::set-output name=x::y')).toBe('50%25 off%0D%0A::set-output name=x::y');
    expect(escapeCommandProperty('a,b:c%\n')).toBe('a%2Cb%3Ac%25%0A');
    const [line] = renderProblemsGithub([{ file: 'odd, name: x.yaml', line: 1, column: 1, path: '', message: 'bad\nline' }]).split('\n');
    expect(line).toBe('::error file=odd%2C name%3A x.yaml,line=1,col=1,title=vocab validate::bad%0Aline');
  });

  it('leaves out line and col for a file-level problem', () => {
    expect(renderProblemsGithub([{ file: 'vocab.config.yaml', line: 0, column: 0, path: '', message: 'cannot read' }])).toBe(
      '::error file=vocab.config.yaml,title=vocab validate::cannot read\n',
    );
  });
});
