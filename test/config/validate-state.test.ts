import { describe, expect, it } from 'vitest';
import {
  ownedPrefixes,
  validateDesiredState,
  vocabulariesForEnvironment,
  type DesiredState,
  type DesiredVocabulary,
  type EnvironmentConfig,
} from '../../src/config/index.js';

const at = (file: string, line: number) => ({ file, line, column: 1 });

function env(name: string, extra: Partial<EnvironmentConfig> = {}): EnvironmentConfig {
  return {
    name,
    api_key_env: 'DASHSCOPE_API_KEY',
    ownership: { prefixes: null },
    quota: { max_vocabularies: 10, word_caps: {} },
    safety: { protect: [], max_removed_ratio: 0.3 },
    apply: { concurrency: 4, replace: 'create_before_destroy', wait_timeout_seconds: 300, update_interval_seconds: 300 },
    ...extra,
  };
}

function vocab(prefix: string, target_model: string, count: number, extra: Partial<DesiredVocabulary> = {}): DesiredVocabulary {
  const file = `vocabularies/${prefix}.yaml`;
  return {
    name: prefix,
    prefix,
    target_model,
    environments: null,
    entries: Array.from({ length: count }, (_, i) => ({ text: `word ${i}`, weight: 4 })),
    source: at(file, 1),
    entryPositions: [],
    fieldPositions: { prefix: at(file, 1), target_model: at(file, 2), entries: at(file, 4), environments: [at(file, 3)] },
    ...extra,
  };
}

/** A state; environments without ownership own every declared prefix, unless `ownership` is false. */
function state(environments: EnvironmentConfig[], vocabularies: DesiredVocabulary[], options: { ownership?: false } = {}): DesiredState {
  const prefixes = [...new Set(vocabularies.map((v) => v.prefix))];
  const own = (e: EnvironmentConfig): EnvironmentConfig =>
    e.ownership.prefixes === null && options.ownership !== false ? { ...e, ownership: { prefixes } } : e;
  return {
    configFile: '/repo/vocab.config.yaml',
    configPosition: { file: 'vocab.config.yaml', line: 2, column: 1 },
    rootDir: '/repo',
    defaultEnvironment: environments[0]!.name,
    environments: Object.fromEntries(environments.map((e) => [e.name, own(e)])),
    vocabularies,
    warnings: [],
  };
}

describe('region and model fit', () => {
  const s = state(
    [env('local', { endpoint: 'local' }), env('bj', { region: 'cn-beijing' }), env('sg', { region: 'ap-southeast-1' })],
    [vocab('support', 'paraformer-v2', 2), vocab('movies', 'fun-asr', 2)],
  );

  it('reports a model not offered in the environment region, at target_model', () => {
    const problems = validateDesiredState(s);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'vocabularies/support.yaml', line: 2, path: '/target_model' });
    expect(problems[0]!.message).toMatch(/^target_model paraformer-v2 is not offered in region ap-southeast-1 \(environment "sg"\)/);
  });

  it('checks only the chosen environment when one is given', () => {
    expect(validateDesiredState(s, { environment: 'bj' })).toEqual([]);
    expect(validateDesiredState(s, { environment: 'local' })).toEqual([]);
    expect(validateDesiredState(s, { environment: 'sg' })).toHaveLength(1);
  });

  it('takes the region from an official endpoint URL', () => {
    const viaUrl = state([env('intl', { endpoint: 'https://dashscope-intl.aliyuncs.com/api/v1' })], [vocab('support', 'gummy-chat-v1', 1)]);
    expect(validateDesiredState(viaUrl)[0]!.message).toMatch(/not offered in region ap-southeast-1/);
  });
});

describe('word caps', () => {
  it('holds Singapore lists to 500 entries and Beijing fun-asr lists to 10,000', () => {
    const s = state([env('bj', { region: 'cn-beijing' }), env('sg', { region: 'ap-southeast-1' })], [vocab('movies', 'fun-asr', 501)]);
    const problems = validateDesiredState(s);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 4, path: '/entries' });
    expect(problems[0]!.message).toMatch(/has 501 entries, over the limit of 500 \(the fun-asr cap in ap-southeast-1; environment "sg"\)/);
  });

  it('uses quota.word_caps overrides, per environment', () => {
    const s = state(
      [env('sg', { region: 'ap-southeast-1', quota: { max_vocabularies: 10, word_caps: { 'fun-asr': 1000 } } }), env('small', { endpoint: 'local', quota: { max_vocabularies: 10, word_caps: { 'fun-asr': 10 } } })],
      [vocab('movies', 'fun-asr', 501)],
    );
    const problems = validateDesiredState(s);
    expect(problems.map((p) => p.message)).toEqual(['vocabulary "movies" has 501 entries, over the limit of 10 (quota.word_caps; environment "small")']);
  });

  it('groups the same finding across environments into one message', () => {
    const s = state([env('a', { region: 'ap-southeast-1' }), env('b', { region: 'ap-southeast-1' })], [vocab('movies', 'fun-asr', 600)]);
    const problems = validateDesiredState(s);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toContain('environments "a", "b"');
  });
});

describe('across files', () => {
  it('requires (prefix, target_model) and name to be unique', () => {
    const s = state(
      [env('local', { endpoint: 'local' })],
      [vocab('movies', 'fun-asr', 1), { ...vocab('movies', 'fun-asr', 1), source: at('vocabularies/b.yaml', 1), fieldPositions: { prefix: at('vocabularies/b.yaml', 1) } }, vocab('films', 'fun-asr', 1, { name: 'movies' })],
    );
    const messages = validateDesiredState(s).map((p) => `${p.file}:${p.line}: ${p.message}`);
    expect(messages).toEqual([
      'vocabularies/b.yaml:1: prefix "movies" with target_model fun-asr is already declared at vocabularies/movies.yaml:1; the pair (prefix, target_model) must be unique',
      'vocabularies/films.yaml:1: name "movies" is already used at vocabularies/movies.yaml:1; names must be unique (set "name" to tell them apart)',
    ]);
  });

  it('requires the environments a vocabulary names to exist', () => {
    const s = state([env('staging', { endpoint: 'local' }), env('prod', { endpoint: 'local' })], [vocab('movies', 'fun-asr', 1, { environments: ['stagng'] })]);
    const problems = validateDesiredState(s);
    expect(problems.map((p) => p.message)).toEqual(['unknown environment "stagng" (did you mean "staging"?) (environments: staging, prod)']);
    expect(problems[0]).toMatchObject({ line: 3, path: '/environments/0' });
  });

  it('requires declared prefixes to be owned when ownership.prefixes is set', () => {
    const s = state([env('local', { endpoint: 'local', ownership: { prefixes: ['movies'] } })], [vocab('movies', 'fun-asr', 1), vocab('extra', 'fun-asr', 1)]);
    expect(validateDesiredState(s).map((p) => p.message)).toEqual([
      'prefix "extra" is not in ownership.prefixes (environment "local"); add it there, or this vocabulary would be created but never managed',
    ]);
  });
});

describe('ownership', () => {
  it('is required: one problem at the config, with the lines to add listing the declared prefixes', () => {
    const s = state([env('local', { endpoint: 'local' }), env('prod', { region: 'cn-beijing' })], [vocab('support', 'fun-asr', 1), vocab('movies', 'fun-asr', 1)], { ownership: false });
    expect(validateDesiredState(s)).toStrictEqual([
      {
        file: 'vocab.config.yaml',
        line: 2,
        column: 1,
        path: '/ownership',
        message:
          'ownership.prefixes is required: it names the prefixes this repository manages, so that removing a vocabulary file plans the deletion of its list. Add these lines to vocab.config.yaml:\n    ownership:\n      prefixes: [movies, support]',
      },
    ]);
  });

  it('names the environments that lack their own when others have one', () => {
    const s = state(
      [env('local', { endpoint: 'local', ownership: { prefixes: ['movies'] } }), env('prod', { region: 'cn-beijing' })],
      [vocab('movies', 'fun-asr', 1)],
      { ownership: false },
    );
    expect(validateDesiredState(s).map((p) => p.message.split(':')[0])).toStrictEqual([
      'ownership.prefixes is required (environments without their own',
    ]);
    expect(validateDesiredState(s)[0]!.message).toContain('(environments without their own: prod)');
    expect(validateDesiredState(s, { environment: 'local' })).toStrictEqual([]);
  });

  it('an empty list is a declaration (nothing owned), not a missing one', () => {
    const s = state([env('local', { endpoint: 'local', ownership: { prefixes: [] } })], [], { ownership: false });
    expect(validateDesiredState(s)).toStrictEqual([]);
  });
});

describe('environment selection helpers', () => {
  it('lists the vocabularies of an environment and the owned prefixes', () => {
    const everywhere = vocab('movies', 'fun-asr', 1);
    const stagingOnly = vocab('beta', 'fun-asr', 1, { environments: ['staging'] });
    const s = state([env('staging'), env('prod')], [everywhere, stagingOnly], { ownership: false });
    expect(vocabulariesForEnvironment(s, 'prod')).toEqual([everywhere]);
    expect(vocabulariesForEnvironment(s, 'staging')).toEqual([everywhere, stagingOnly]);
    expect(ownedPrefixes(s.environments['prod']!, s.vocabularies)).toEqual(['beta', 'movies']);
    expect(ownedPrefixes(env('x', { ownership: { prefixes: ['old', 'movies'] } }), s.vocabularies)).toEqual(['old', 'movies']);
  });
});
