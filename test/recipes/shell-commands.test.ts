import { describe, expect, it } from 'vitest';
import { findVocabInvocations } from './shell-commands.js';

const summary = (script: string) =>
  findVocabInvocations(script).map((v) => ({ subcommand: v.subcommand, args: v.args, flags: v.flags }));

describe('findVocabInvocations', () => {
  it('finds npx vocab and bare vocab with their flags', () => {
    expect(summary('npx vocab validate --env prod\nvocab drift --format=json')).toEqual([
      { subcommand: 'validate', args: ['--env', 'prod'], flags: ['--env'] },
      { subcommand: 'drift', args: ['--format=json'], flags: ['--format'] },
    ]);
  });

  it('joins continuation lines', () => {
    const script = 'npx vocab plan \\\n  --env prod \\\n  --format markdown \\\n  --detailed-exitcode > plan.md\n';
    expect(summary(script)).toEqual([
      { subcommand: 'plan', args: ['--env', 'prod', '--format', 'markdown', '--detailed-exitcode'], flags: ['--env', '--format', '--detailed-exitcode'] },
    ]);
  });

  it('stops at pipes and lists, and drops redirections', () => {
    const script = 'npx vocab plan --format json 2>plan.err | jq . > out.json && npx vocab apply plan.json --yes >apply.json 2>&1 || code=$?';
    expect(summary(script)).toEqual([
      { subcommand: 'plan', args: ['--format', 'json'], flags: ['--format'] },
      { subcommand: 'apply', args: ['plan.json', '--yes'], flags: ['--yes'] },
    ]);
  });

  it('finds commands inside $(...), also within double quotes and nested', () => {
    const script = [
      'ids=$(npx vocab outputs --env prod --format json)',
      'json="$(npx vocab outputs --format json | jq -c .)"',
      'echo "$(echo "$(vocab export --out-dir "$(pwd)/x")")"',
      'n=`vocab drift --env prod`',
    ].join('\n');
    expect(summary(script)).toEqual([
      { subcommand: 'outputs', args: ['--env', 'prod', '--format', 'json'], flags: ['--env', '--format'] },
      { subcommand: 'outputs', args: ['--format', 'json'], flags: ['--format'] },
      { subcommand: 'export', args: ['--out-dir', '$(…)/x'], flags: ['--out-dir'] },
      { subcommand: 'drift', args: ['--env', 'prod'], flags: ['--env'] },
    ]);
  });

  it('skips NAME=value prefixes, env, keywords and npx options', () => {
    const script = [
      'FOO=1 npx vocab plan --env prod',
      'FOO=1 BAR="a b" env -i npx --yes vocab drift',
      'if npx vocab validate --env staging; then echo ok; fi',
      'npm exec -- vocab export --prefix movies',
      './node_modules/.bin/vocab outputs --format dotenv',
    ].join('\n');
    expect(summary(script).map((v) => [v.subcommand, ...v.args])).toEqual([
      ['plan', '--env', 'prod'],
      ['drift'],
      ['validate', '--env', 'staging'],
      ['export', '--prefix', 'movies'],
      ['outputs', '--format', 'dotenv'],
    ]);
  });

  it('ignores words that only mention vocab: strings, comments, here-documents, other programs', () => {
    const script = [
      'echo "run npx vocab apply --bogus to apply"   # npx vocab plan --nope',
      "echo 'vocab plan --nope'",
      'cat <<EOF > notes.md',
      'npx vocab apply --inside-heredoc',
      'EOF',
      'grep vocab package.json',
      'npx vocab-sync --version',
    ].join('\n');
    expect(summary(script)).toEqual([]);
  });

  it('keeps quoted arguments as single words', () => {
    expect(summary('npx vocab plan --env "$VOCAB_ENV" --out \'my plan.json\'')[0]?.args).toEqual([
      '--env',
      '$VOCAB_ENV',
      '--out',
      'my plan.json',
    ]);
  });

  it('reports a bare vocab and global flags without a subcommand', () => {
    expect(summary('vocab --version')).toEqual([{ subcommand: undefined, args: ['--version'], flags: ['--version'] }]);
  });
});
