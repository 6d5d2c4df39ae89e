/**
 * Regression tests for hostile config and vocabulary files (issue "Trust nothing from outside",
 * family 1): file-system shapes under the glob, prototype names in every map, lone surrogates,
 * invisible text, FIFOs as config or state file, too many files. Each ends in problems with a
 * file, line and column, never an exception, a hang, or an invalid input accepted.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDesiredState, loadValidState, loadVocabularyFile, validateDesiredState, type Problem } from '../../src/config/index.js';
import { MAX_VOCABULARY_FILES } from '../../src/config/defaults.js';
import { ConfigError } from '../../src/errors.js';

/** Ownership is required: every config written here owns the prefixes its vocabulary files use. */
const owned = (text: string): string =>
  /^ownership:/m.test(text) ? text : `${text.endsWith('\n') ? text : `${text}\n`}ownership: { prefixes: [movies, films] }\n`;


const POSIX = process.platform !== 'win32';
const temporary: string[] = [];
afterAll(async () => {
  await Promise.all(temporary.map((d) => rm(d, { recursive: true, force: true })));
});

const MOVIES = 'prefix: movies\ntarget_model: fun-asr\ndefaults: { weight: 4, lang: zh }\nentries:\n  - abc\n';
const CONFIG = 'vocabularies: [vocabularies/*.yaml]\nenvironments:\n  local: { endpoint: local }\n';

/** A repository with a config (.git so the search stops here) and `vocabularies/`. */
async function repo(config = CONFIG, files: Record<string, string> = { 'movies.yaml': MOVIES }): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vocab-hostile-'));
  temporary.push(dir);
  await mkdir(path.join(dir, '.git'));
  await mkdir(path.join(dir, 'vocabularies'));
  await writeFile(path.join(dir, 'vocab.config.yaml'), owned(config));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, 'vocabularies', name), text);
  return dir;
}

const errorsOf = (problems: Problem[]): string[] =>
  problems.filter((p) => p.severity !== 'warning').map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`);

async function errors(dir: string): Promise<string[]> {
  return errorsOf((await loadDesiredState({ cwd: dir })).problems);
}

describe('file-system shapes under the vocabularies glob', () => {
  it('refuses a folder whose name matches the glob', async () => {
    const dir = await repo();
    await mkdir(path.join(dir, 'vocabularies', 'folder.yaml'));
    expect(await errors(dir)).toStrictEqual([
      'vocab.config.yaml:1:16: "vocabularies/folder.yaml" matches "vocabularies/*.yaml" but is a directory, expected a vocabulary file',
    ]);
  });

  it('refuses a symbolic link loop and a dangling link at the link', async () => {
    const dir = await repo();
    await symlink('loop.yaml', path.join(dir, 'vocabularies', 'loop.yaml'));
    await symlink('gone.yaml', path.join(dir, 'vocabularies', 'dangling.yaml'));
    expect(await errors(dir)).toStrictEqual([
      'vocabularies/dangling.yaml:1:1: file not found',
      'vocabularies/loop.yaml:1:1: is a symbolic link that loops (too many levels of links)',
    ]);
  });

  it.runIf(POSIX)('refuses a FIFO under the glob without waiting on it', async () => {
    const dir = await repo();
    execFileSync('mkfifo', [path.join(dir, 'vocabularies', 'pipe.yaml')]);
    expect(await errors(dir)).toStrictEqual(['vocabularies/pipe.yaml:1:1: is not a regular file (a FIFO, socket or device), expected a vocabulary file']);
  });

  it('reports a file that vanished after the glob found it', async () => {
    const dir = await repo();
    const result = await loadVocabularyFile(path.join(dir, 'vocabularies', 'gone.yaml'), 'vocabularies/gone.yaml');
    expect(errorsOf(result.problems)).toStrictEqual(['vocabularies/gone.yaml:1:1: file not found']);
  });

  it('refuses a glob that explodes, at the pattern', async () => {
    const dir = await repo(`vocabularies: ["${'{a,b,c,d}'.repeat(11)}/*.yaml"]\nenvironments:\n  local: { endpoint: local }\n`);
    expect(await errors(dir)).toStrictEqual([
      expect.stringMatching(/^vocab\.config\.yaml:1:16: vocabularies ".*" is refused: the pattern .* has 11 "\{\.\.\.\}" groups; at most 8 are allowed$/),
    ]);
    const stars = await repo('vocabularies: ["**/**/**/**/**/*.yaml"]\nenvironments:\n  local: { endpoint: local }\n');
    expect(await errors(stars)).toStrictEqual([expect.stringMatching(/5 "\*\*" segments; at most 4 are allowed$/)]);
  });

  it('refuses more vocabulary files than the limit', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i <= MAX_VOCABULARY_FILES; i++) files[`v${i}.yaml`] = MOVIES;
    const dir = await repo(CONFIG, files);
    expect(await errors(dir)).toStrictEqual([
      `vocab.config.yaml:1:16: vocabularies "vocabularies/*.yaml" is refused: the pattern matches ${MAX_VOCABULARY_FILES + 1} files, more than the limit of ${MAX_VOCABULARY_FILES}; make it narrower`,
    ]);
  });
});

describe('FIFOs and devices as the config or the state file', () => {
  it.runIf(POSIX)('refuses a FIFO found as vocab.config.yaml without reading it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vocab-hostile-'));
    temporary.push(dir);
    await mkdir(path.join(dir, '.git'));
    execFileSync('mkfifo', [path.join(dir, 'vocab.config.yaml')]);
    expect(errorsOf((await loadDesiredState({ cwd: dir })).problems)).toStrictEqual([
      'vocab.config.yaml:1:1: is not a regular file (a FIFO, socket or device), expected a config file',
    ]);
  });

  it.runIf(POSIX)('refuses a FIFO named as a JavaScript config before running it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vocab-hostile-'));
    temporary.push(dir);
    await mkdir(path.join(dir, '.git'));
    execFileSync('mkfifo', [path.join(dir, 'vocab.config.mjs')]);
    await expect(loadDesiredState({ cwd: dir })).rejects.toThrow(/vocab\.config\.mjs is not a regular file/);
    await expect(loadDesiredState({ cwd: dir, configPath: 'vocab.config.mjs' })).rejects.toThrow(/config file "?vocab\.config\.mjs"? is not a regular file/);
  });

  it.runIf(POSIX)('refuses a device given with --config', async () => {
    const dir = await repo();
    expect(errorsOf((await loadDesiredState({ cwd: dir, configPath: '/dev/zero' })).problems)).toStrictEqual([
      '/dev/zero:1:1: is not a regular file (a FIFO, socket or device), expected a config file',
    ]);
  });

  it.runIf(POSIX)('refuses a FIFO or a device as the embedded account state file, before anything reads it', async () => {
    const dir = await repo('vocabularies: [vocabularies/*.yaml]\nenvironments:\n  local: { endpoint: local, state_file: state.json }\n  dev: { endpoint: local, state_file: /dev/zero }\ndefault_environment: local\n');
    execFileSync('mkfifo', [path.join(dir, 'state.json')]);
    let read = false;
    const { problems } = await loadDesiredState({ cwd: dir, onConfigRead: () => (read = true) });
    expect(errorsOf(problems)).toStrictEqual([
      'vocab.config.yaml:3:41: state_file is not a regular file (a FIFO, socket or device); it must name a file (created on first use)',
      'vocab.config.yaml:4:39: state_file is not a regular file (a FIFO, socket or device); it must name a file (created on first use)',
    ]);
    expect(read).toBe(false);
  });
});

describe('JavaScript prototype names as ordinary names', () => {
  const NAMES = ['constructor', 'toString', 'hasOwnProperty', 'valueOf'];

  it.each(NAMES)('takes an environment named %s and finds it by name', async (name) => {
    const dir = await repo(`vocabularies: [vocabularies/*.yaml]\nenvironments:\n  ${name}: { endpoint: local }\n`);
    const valid = await loadValidState({ cwd: dir, environment: name });
    expect(valid.environment.name).toBe(name);
    expect(Object.keys(valid.state.environments)).toStrictEqual([name]);
  });

  it.each([...NAMES, '__proto__'])('says --env %s is unknown instead of using an inherited value', async (name) => {
    const dir = await repo();
    await expect(loadValidState({ cwd: dir, environment: name })).rejects.toThrow(new ConfigError(`unknown environment "${name}"; environments: local`));
  });

  it('refuses prototype names as word_caps models, overrides and vocabulary environments, without polluting', async () => {
    const config = [
      'vocabularies: [vocabularies/*.yaml]',
      'environments:',
      '  local:',
      '    endpoint: local',
      '    quota: { word_caps: { constructor: 5, __proto__: 3 } }',
      'quota: { word_caps: { toString: 1, hasOwnProperty: 2 } }',
      '',
    ].join('\n');
    const vocabulary = `${MOVIES.replace('entries:', 'environments: [constructor, toString]\nentries:')}`;
    const dir = await repo(config, { 'movies.yaml': vocabulary });
    const { state, problems } = await loadDesiredState({ cwd: dir });
    const all = [...problems, ...validateDesiredState(state!)];
    const messages = errorsOf(all).map((m) => m.replace(/ \(did you mean .*$/, ''));
    expect(messages).toStrictEqual([
      'vocab.config.yaml:5:27: word_caps: unknown model "constructor"',
      'vocab.config.yaml:5:43: word_caps: unknown model "__proto__"',
      'vocab.config.yaml:6:23: word_caps: unknown model "toString"',
      'vocab.config.yaml:6:36: word_caps: unknown model "hasOwnProperty"',
      'vocabularies/movies.yaml:4:16: unknown environment "constructor" (environments: local)',
      'vocabularies/movies.yaml:4:29: unknown environment "toString" (environments: local)',
    ]);
    expect(({} as Record<string, unknown>)['word_caps']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('3');
  });

  it('refuses prototype names as keys of a vocabulary file and of an entry', async () => {
    const vocabulary = 'prefix: movies\ntarget_model: fun-asr\nconstructor: x\ndefaults: { weight: 4, lang: zh, toString: y }\nentries:\n  - { text: abc, hasOwnProperty: z }\n  - { __proto__: q }\n';
    const dir = await repo(CONFIG, { 'movies.yaml': vocabulary });
    const messages = (await errors(dir)).map((m) => m.replace(/ \((did you mean|known keys).*$/, ''));
    expect(messages).toStrictEqual([
      'vocabularies/movies.yaml:3:1: unknown key "constructor"',
      'vocabularies/movies.yaml:4:34: unknown key "toString"',
      'vocabularies/movies.yaml:6:18: unknown key "hasOwnProperty"',
      'vocabularies/movies.yaml:7:5: entry has no "text"',
      'vocabularies/movies.yaml:7:7: unknown key "__proto__"',
    ]);
  });
});

describe('text that is not text', () => {
  const entries = (...items: string[]): string => `prefix: movies\ntarget_model: fun-asr\ndefaults: { weight: 4, lang: zh }\nentries:\n${items.map((i) => `  - ${i}\n`).join('')}`;

  it('refuses lone surrogates written as YAML escapes', async () => {
    const dir = await repo(CONFIG, { 'movies.yaml': entries('"\\ud800"', '"a\\udc00b"', '"\\ud83d\\ude00"') });
    expect(await errors(dir)).toStrictEqual([
      'vocabularies/movies.yaml:5:5: text is not valid text: it contains a lone UTF-16 surrogate (U+D800), which is not a character',
      'vocabularies/movies.yaml:6:5: text is not valid text: it contains a lone UTF-16 surrogate (U+DC00), which is not a character',
    ]);
  });

  it('refuses invisible text and control characters, and quotes them escaped', async () => {
    const dir = await repo(CONFIG, { 'movies.yaml': entries('"\\u200b\\u200d"', '"\\u0301"', '"\\u00ad\\u2060"', '"a\\u0085b"', '"a\\u2028b"', '"👨\\u200d👩"', '"e\\u0301"') });
    expect(await errors(dir)).toStrictEqual([
      'vocabularies/movies.yaml:5:5: text has no visible characters (only zero-width, format or combining characters: U+200B U+200D)',
      'vocabularies/movies.yaml:6:5: text has no visible characters (only zero-width, format or combining characters: U+0301)',
      'vocabularies/movies.yaml:7:5: text has no visible characters (only zero-width, format or combining characters: U+00AD U+2060)',
      'vocabularies/movies.yaml:8:5: text "a\\u0085b" contains a control character (U+0085)',
      'vocabularies/movies.yaml:9:5: text "a\\u2028b" contains a control character (U+2028)',
    ]);
  });

  it('refuses an invisible translation', async () => {
    const vocabulary = 'prefix: movies\ntarget_model: gummy-realtime-v1\ndefaults: { lang: zh, target_lang: en }\nentries:\n  - { text: 你好, translation: "\\u200b" }\n';
    const dir = await repo(CONFIG, { 'movies.yaml': vocabulary });
    expect(await errors(dir)).toStrictEqual([
      'vocabularies/movies.yaml:5:30: translation has no visible characters (only zero-width, format or combining characters: U+200B)',
    ]);
  });

  it('refuses lone surrogates and control characters in config values', async () => {
    const config = 'vocabularies: [vocabularies/*.yaml]\nenvironments:\n  local: { endpoint: local, workspace: "ws\\ud800" }\n  other: { endpoint: local, workspace: "a\\nb" }\ndefault_environment: local\n';
    const dir = await repo(config);
    expect(await errors(dir)).toStrictEqual([
      'vocab.config.yaml:3:40: this value is not valid text: it contains a lone UTF-16 surrogate (U+D800), which is not a character',
      'vocab.config.yaml:4:40: this value is not valid text: it contains a control character or line separator (U+000A)',
    ]);
  });
});
