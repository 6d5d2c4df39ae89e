import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDesiredState, loadValidState, type Problem } from '../../src/config/index.js';
import { MAX_FILE_BYTES } from '../../src/config/defaults.js';
import { ConfigError } from '../../src/errors.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/validate/', import.meta.url));
const fixture = (name: string): string => path.join(FIXTURES, name);
const show = (problems: Problem[]): string[] =>
  problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}`);

async function problemsOf(name: string): Promise<string[]> {
  const { problems } = await loadDesiredState({ cwd: fixture(name) });
  return show(problems);
}

const temporary: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vocab-validate-'));
  temporary.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(temporary.map((d) => rm(d, { recursive: true, force: true })));
});

describe('loadDesiredState', () => {
  it('builds a normalised state: defaults applied, bare strings expanded, text trimmed', async () => {
    const { state, problems } = await loadDesiredState({ cwd: fixture('valid-minimal') });
    expect(problems).toEqual([]);
    expect(state).not.toBeNull();
    expect(state!.defaultEnvironment).toBe('local');
    expect(state!.environments['local']).toEqual({
      name: 'local',
      endpoint: 'local',
      api_key_env: 'DASHSCOPE_API_KEY',
      local_state: path.join(fixture('valid-minimal'), '.vocab/local-account.json'),
      ownership: { prefixes: ['movies'] },
      quota: { max_vocabularies: 10, word_caps: {} },
      safety: { protect: [], max_removed_ratio: 0.3 },
      // The embedded account has no update spacing.
      apply: { concurrency: 4, replace: 'create_before_destroy', wait_timeout_seconds: 300, update_interval_seconds: 0 },
    });
    const [movies] = state!.vocabularies;
    expect(movies).toMatchObject({ name: 'movies', prefix: 'movies', target_model: 'fun-asr', environments: null });
    expect(movies!.entries).toEqual([
      { text: '赛德克巴莱', weight: 4, lang: 'zh' },
      { text: 'Seediq Bale', weight: 4, lang: 'en' },
      { text: '夏洛特烦恼', weight: 5, lang: 'zh' },
    ]);
    expect(movies!.entryPositions.map((p) => [p.file, p.line, p.column])).toEqual([
      ['vocabularies/movies.yaml', 5, 5],
      ['vocabularies/movies.yaml', 6, 5],
      ['vocabularies/movies.yaml', 7, 5],
    ]);
  });

  it('reports schema errors at the offending node, unknown keys at the key, with suggestions', async () => {
    expect(await problemsOf('schema-errors')).toEqual([
      'vocab.config.yaml:6:5: unknown key "regoin" (did you mean "region"?)',
      'vocab.config.yaml:8:16: apply.concurrency must be an integer, not a string',
      'vocab.config.yaml:9:12: apply.replace must be one of create_before_destroy, destroy_before_create, not "destroy_first"',
      'vocabularies/movies.yaml:3:1: unknown key "entires" (did you mean "entries"?)',
      'vocabularies/movies.yaml:7:3: unknown key "langs" (did you mean "lang"?)',
      'vocabularies/movies.yaml:9:37: unknown key "lnag" (did you mean "lang"?)',
      'vocabularies/movies.yaml:11:13: weight must be an integer from 1 to 5, not a string',
    ]);
  });

  it('reports malformed YAML with its line and column', async () => {
    const [problem, ...rest] = await problemsOf('malformed-yaml');
    expect(rest).toEqual([]);
    expect(problem).toMatch(/^vocabularies\/movies\.yaml:5:3: invalid YAML: /);
  });

  it('reports a duplicate key at the duplicate', async () => {
    expect(await problemsOf('duplicate-keys')).toEqual(['vocabularies/movies.yaml:5:1: duplicate key "prefix": each key may appear once in a mapping']);
  });

  it('refuses alias bombs without hanging', async () => {
    expect(await problemsOf('alias-bomb')).toEqual(['vocabularies/bomb.yaml:1:1: too many alias expansions (limit 100): YAML aliases that multiply are refused']);
  });

  it('names the first byte that is not UTF-8', async () => {
    expect(await problemsOf('not-utf8')).toEqual([
      'vocabularies/latin1.yaml:4:16: file is not valid UTF-8: invalid byte 0xE9 at byte offset 61; save the file as UTF-8',
    ]);
  });

  it('accepts a BOM and CRLF line ends, with positions still right', async () => {
    expect(await problemsOf('bom-crlf')).toEqual(['vocabularies/movies.yaml:5:40: weight must be an integer from 1 to 5, not 7']);
  });

  it('names empty files and comment-only files', async () => {
    expect(await problemsOf('empty-file')).toEqual([
      'vocabularies/comments-only.yaml:1:1: a vocabulary file has no content (only comments?)',
      'vocabularies/empty.yaml:1:1: file is empty',
    ]);
  });

  it('warns (without failing) when a glob matches nothing', async () => {
    const { state, problems } = await loadDesiredState({ cwd: fixture('glob-matches-nothing') });
    expect(show(problems)).toEqual(['vocab.config.yaml:1:37: warning: "lists/**/*.yaml" matches no files']);
    expect(state!.vocabularies).toHaveLength(1);
    expect(state!.warnings).toHaveLength(1);
  });

  it('reports a directory where vocabulary files are expected', async () => {
    expect(await problemsOf('directory-as-file')).toEqual([
      'vocab.config.yaml:1:16: "vocabularies" is a directory, expected vocabulary files (did you mean "vocabularies/*.yaml"?)',
    ]);
  });

  it('reports a directory given as --config', async () => {
    const { state, problems } = await loadDesiredState({ cwd: fixture('valid-minimal'), configPath: 'vocabularies' });
    expect(state).toBeNull();
    expect(show(problems)).toEqual(['vocabularies:1:1: is a directory, expected a config file']);
  });

  it('refuses API keys written in the config and never echoes them', async () => {
    const problems = await problemsOf('api-key-in-config');
    expect(problems).toEqual([
      'vocab.config.yaml:6:5: "api_key": an API key must not be written in a file; put the key in an environment variable and name it with api_key_env',
      'vocab.config.yaml:9:18: this value looks like a DashScope API key; never write keys into files: put the key in an environment variable and name it with api_key_env',
    ]);
    expect(problems.join('\n')).not.toContain('sk-0123456789');
  });

  it('reads package.json#vocab with positions inside package.json', async () => {
    expect(await problemsOf('package-json-config')).toEqual(['package.json:6:55: unknown key "regoin" (did you mean "region"?)']);
  });

  it('reports files over the size limit before reading them', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'vocabularies'));
    await writeFile(path.join(dir, 'vocab.config.yaml'), 'environments:\n  local: { endpoint: local }\n');
    await writeFile(path.join(dir, 'vocabularies', 'huge.yaml'), `prefix: huge\n#${'x'.repeat(MAX_FILE_BYTES)}\n`);
    const { problems } = await loadDesiredState({ cwd: dir });
    expect(show(problems)).toEqual(['vocabularies/huge.yaml:1:1: file is too large: 5 MiB, the limit is 5 MiB']);
  });

  it.skipIf(process.getuid?.() === 0)('reports unreadable files', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'vocabularies'));
    await writeFile(path.join(dir, 'vocab.config.yaml'), 'environments:\n  local: { endpoint: local }\n');
    await writeFile(path.join(dir, 'vocabularies', 'secret.yaml'), 'prefix: x\n', { mode: 0o000 });
    const { problems } = await loadDesiredState({ cwd: dir });
    expect(show(problems)).toEqual(['vocabularies/secret.yaml:1:1: cannot read: permission denied']);
  });

  it('throws a ConfigError naming the places searched when there is no config', async () => {
    const dir = await tempDir();
    const error = await loadDesiredState({ cwd: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^no config file found: looked for vocab\.config\.yaml, vocab\.config\.yml, vocab\.config\.json, \.vocabrc/);
    expect((error as Error).message).toContain(dir);
    expect((error as Error).message).toContain('package.json#vocab');
  });

  it('throws a ConfigError for a missing --config file', async () => {
    await expect(loadDesiredState({ cwd: fixture('valid-minimal'), configPath: 'nope.yaml' })).rejects.toThrow(/config file not found: nope\.yaml/);
  });

  it('finds the config from a subfolder and resolves paths against the config folder', async () => {
    const { state, problems } = await loadDesiredState({ cwd: path.join(fixture('valid-minimal'), 'vocabularies') });
    expect(problems).toEqual([]);
    expect(state!.configFile).toBe(path.join(fixture('valid-minimal'), 'vocab.config.yaml'));
    expect(state!.vocabularies[0]!.source.file).toBe('movies.yaml');
  });

  it('merges environment overrides over the top-level settings', async () => {
    const dir = await tempDir();
    await writeFile(
      path.join(dir, 'vocab.config.yaml'),
      [
        'vocabularies: [lists/*.yaml]',
        'default_environment: prod',
        'environments:',
        '  local: { endpoint: local, state_file: state/account.json }',
        '  prod:',
        '    region: cn-beijing',
        '    api_key_env: DASHSCOPE_API_KEY_PROD',
        '    quota: { word_caps: { fun-asr-realtime: 800 } }',
        '    safety: { protect: [live] }',
        '    apply: { concurrency: 1 }',
        'quota: { max_vocabularies: 20, word_caps: { fun-asr: 5000 } }',
        'safety: { protect: [movies], max_removed_ratio: 0.5 }',
        'apply: { replace: destroy_before_create }',
      ].join('\n'),
    );
    const { state, problems } = await loadDesiredState({ cwd: dir });
    expect(show(problems)).toEqual(['vocab.config.yaml:1:16: warning: "lists/*.yaml" matches no files']);
    expect(state!.environments['local']!.local_state).toBe(path.join(dir, 'state/account.json'));
    expect(state!.environments['local']!.safety).toEqual({ protect: ['movies'], max_removed_ratio: 0.5 });
    expect(state!.environments['prod']).toMatchObject({
      region: 'cn-beijing',
      api_key_env: 'DASHSCOPE_API_KEY_PROD',
      quota: { max_vocabularies: 20, word_caps: { 'fun-asr': 5000, 'fun-asr-realtime': 800 } },
      safety: { protect: ['live'], max_removed_ratio: 0.5 },
      apply: { concurrency: 1, replace: 'destroy_before_create', wait_timeout_seconds: 300, update_interval_seconds: 300 },
    });
    expect(state!.environments['prod']!.local_state).toBeUndefined();
  });

  it('refuses plain http:// endpoints unless loopback, and a region that contradicts the endpoint', async () => {
    const dir = await tempDir();
    await writeFile(
      path.join(dir, 'vocab.config.yaml'),
      [
        'vocabularies: [lists/*.yaml]',
        'default_environment: emu',
        'environments:',
        '  emu: { endpoint: "http://127.0.0.1:8080/api/v1" }',
        '  plain: { endpoint: "http://gateway.example.com/api/v1" }',
        '  wrong: { endpoint: "https://dashscope.aliyuncs.com/api/v1", region: ap-southeast-1 }',
      ].join('\n'),
    );
    const { problems } = await loadDesiredState({ cwd: dir });
    expect(show(problems.filter((p) => p.severity !== 'warning'))).toEqual([
      'vocab.config.yaml:5:22: endpoint "http://gateway.example.com" uses plain http://, which is refused unless the host is loopback (localhost, 127.0.0.1, ::1); use https://',
      'vocab.config.yaml:6:71: region ap-southeast-1 contradicts the endpoint, which is the official cn-beijing host',
    ]);
  });
});

describe('loadValidState', () => {
  it('returns the environment and its vocabularies when everything is valid', async () => {
    const valid = await loadValidState({ cwd: fixture('valid-minimal') });
    expect(valid.environment.name).toBe('local');
    expect(valid.vocabularies.map((v) => v.prefix)).toEqual(['movies']);
    expect(valid.warnings).toEqual([]);
  });

  it('throws a ConfigError with every problem when something is invalid', async () => {
    const error = await loadValidState({ cwd: fixture('schema-errors') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toHaveLength(7);
    expect((error as ConfigError).message).toBe('the desired state is invalid: 7 problems in 2 files (run "vocab validate" for details)');
  });

  it('applies the environment-dependent rules of the chosen environment only', async () => {
    await expect(loadValidState({ cwd: fixture('word-cap-override') })).rejects.toThrow(ConfigError);
    const big = await loadValidState({ cwd: fixture('word-cap-override'), environment: 'big' });
    expect(big.vocabularies[0]!.entries).toHaveLength(4);
  });

  it('names the known environments for an unknown --env', async () => {
    await expect(loadValidState({ cwd: fixture('word-cap-override'), environment: 'bigg' })).rejects.toThrow(
      'unknown environment "bigg" (did you mean "big"?); environments: small, big',
    );
  });
});
