/**
 * `vocab show PLAN_FILE`, `--no-color`, and command lines written wrong (a long flag with one
 * dash, a flag without its value), end to end with the built command; the plan is saved by
 * `vocab plan --out` against `vocab emulator` (the built command too) over HTTP.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { assertBuilt, expectExit, funAsr, makeRepo, newApiKey, startEmulatorCommand, vocab, type Repo } from './harness.js';

beforeAll(assertBuilt);

const ESC = '\u001b[';

/** The built `vocab emulator --port 0` accepting `key`; stopped when the test ends. */
async function startEmulatorWithKey(key: string): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, DASHSCOPE_API_KEY: key, NO_COLOR: '1' };
  delete env.DASHSCOPE_HTTP_BASE_URL;
  return startEmulatorCommand(env);
}

/** A repository whose prod environment is a `vocab emulator`, with one vocabulary to create, and its plan saved to plan.json. */
async function savedPlan(): Promise<{ repo: Repo; planned: string }> {
  const key = newApiKey();
  const url = await startEmulatorWithKey(key);
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
  const repo = await makeRepo({ environments: { prod: { url } }, vocabularies: { movies: funAsr('movies', ['赛德克巴莱', '海角七号']) } });
  const plan = await vocab(repo, ['plan', '--out', 'plan.json'], { key });
  expectExit(plan, 0);
  expect(plan.stdout).toContain('create');
  return { repo, planned: plan.stdout };
}

describe('vocab show PLAN_FILE', () => {
  it('prints a plan saved by "vocab plan --out" in every format, with no config, no key and no network', async () => {
    const { repo, planned } = await savedPlan();
    const saved = await readFile(repo.path('plan.json'), 'utf8');
    // Nothing but the file is needed: no config beside it, no key, no service.
    await rm(repo.path('vocab.config.yaml'));

    const text = await vocab(repo, ['show', 'plan.json']);
    expectExit(text, 0);
    expect(text.stdout).toBe(planned);
    expect(text.stderr).toBe('');

    const json = await vocab(repo, ['show', 'plan.json', '--format', 'json']);
    expectExit(json, 0);
    expect(json.stdout).toBe(saved);

    const markdown = await vocab(repo, ['show', '--format=markdown', 'plan.json']);
    expectExit(markdown, 0);
    expect(markdown.stdout).toContain('### vocab plan: prod');
    expect(markdown.stdout).toContain('movies');

    const otherEnvironment = await vocab(repo, ['show', 'plan.json', '--env', 'staging']);
    expectExit(otherEnvironment, 1);
    expect(otherEnvironment.stderr).toBe('error: the plan file is for environment "prod", not "staging"\n');
  });

  it('refuses a tampered plan file, a file that is not JSON, and no file, with exit 1 and no stack trace', async () => {
    const { repo } = await savedPlan();
    const plan = JSON.parse(await readFile(repo.path('plan.json'), 'utf8')) as Plan;
    plan.changes[0]!.prefix = '../../etc';
    await writeFile(repo.path('tampered.json'), JSON.stringify(plan));
    await writeFile(repo.path('broken.json'), '{"format_version": 1,');

    const tampered = await vocab(repo, ['show', 'tampered.json']);
    expectExit(tampered, 1);
    expect(tampered.stdout).toBe('');
    expect(tampered.stderr).toContain('holds values no plan can hold: /changes/0/prefix "../../etc" is not a prefix (a-z, 0-9)');
    expect(tampered.stderr).not.toMatch(/\n\s+at /);

    const broken = await vocab(repo, ['show', 'broken.json']);
    expectExit(broken, 1);
    expect(broken.stderr).toMatch(/^error: the plan file .*broken\.json is not JSON: /);

    const none = await vocab(repo, ['show']);
    expectExit(none, 1);
    expect(none.stderr).toBe('error: vocab show needs a plan file (written by "vocab plan --out FILE"); see "vocab show --help"\n');
  });
});

describe('--no-color', () => {
  it('turns colour off even when FORCE_COLOR asks for it', async () => {
    const { repo } = await savedPlan();
    const forced = { env: { NO_COLOR: '', FORCE_COLOR: '1' } };
    expect((await vocab(repo, ['show', 'plan.json'], forced)).stdout).toContain(ESC);
    const plain = await vocab(repo, ['show', 'plan.json', '--no-color'], forced);
    expectExit(plain, 0);
    expect(plain.stdout).toContain('create');
    expect(plain.stdout).not.toContain(ESC);
    const validate = await vocab(repo, ['validate', '--no-color'], forced);
    expectExit(validate, 0);
    expect(validate.stdout).not.toContain(ESC);
  });
});

describe('command lines written wrong', () => {
  it.each([
    [['plan', '-detailed-exitcode'], 'unknown option -detailed-exitcode for "vocab plan" (did you mean --detailed-exitcode?); see "vocab plan --help"'],
    [['plan', '-env', 'prod'], 'unknown option -env for "vocab plan" (did you mean --env?); see "vocab plan --help"'],
    [['drift', '-format=json'], 'unknown option -format for "vocab drift" (did you mean --format?); see "vocab drift --help"'],
    [['apply', '-auto-approve'], 'unknown option -auto-approve for "vocab apply" (did you mean --auto-approve?); see "vocab apply --help"'],
    [['show', 'plan.json', '-no-color'], 'unknown option -no-color for "vocab show" (did you mean --no-color?); see "vocab show --help"'],
    [['emulator', '-max-vocabulary', '5'], 'unknown option -max-vocabulary for "vocab emulator" (did you mean --max-vocabularies?); see "vocab emulator --help"'],
  ])('a long flag with one dash: vocab %j says which flag was meant', async (args, message) => {
    const repo = await makeRepo({ environments: { prod: { url: 'http://127.0.0.1:9/api/v1' } } });
    const result = await vocab(repo, args);
    expectExit(result, 1);
    expect(result.stderr).toBe(`error: ${message}\n`);
  });

  it.each([
    [['plan', '--format'], '--format needs a value (a format name: text, markdown or json); see "vocab plan --help"'],
    [['apply', '--format'], '--format needs a value (a format name: text or json); see "vocab apply --help"'],
    [['plan', '--env'], '--env needs a value (an environment name); see "vocab plan --help"'],
    [['drift', '--config'], '--config needs a value (a config file path); see "vocab drift --help"'],
    [['plan', '--format', '--env', 'prod'], '--format needs a value (a format name: text, markdown or json); see "vocab plan --help"'],
    [['plan', '--env', '-prod'], '--env needs a value (an environment name); a value that starts with "-" is written --env=VALUE; see "vocab plan --help"'],
    [['show', 'plan.json', '--format'], '--format needs a value (a format name: text, markdown or json); see "vocab show --help"'],
  ])('a flag without its value: vocab %j says what it needs', async (args, message) => {
    const repo = await makeRepo({ environments: { prod: { url: 'http://127.0.0.1:9/api/v1' } } });
    const result = await vocab(repo, args);
    expectExit(result, 1);
    expect(result.stderr).toBe(`error: ${message}\n`);
  });

  it('never repeats a one-dash "flag" that looks like a key', async () => {
    const repo = await makeRepo({ environments: { prod: { url: 'http://127.0.0.1:9/api/v1' } } });
    const key = newApiKey();
    const result = await vocab(repo, ['plan', `-${key}`]);
    expectExit(result, 1);
    expect(result.stderr).toContain('unknown option (a value that looks like a secret such as an API key; not shown) for "vocab plan"');
  });

  it('real short flags still work: -h, and -y to apply without asking', async () => {
    const key = newApiKey();
    const url = await startEmulatorWithKey(key);
    const repo = await makeRepo({ environments: { prod: { url } }, vocabularies: { movies: funAsr('movies', ['赛德克巴莱']) } });
    const help = await vocab(repo, ['plan', '-h']);
    expectExit(help, 0);
    expect(help.stdout).toContain('Usage: vocab plan');
    const apply = await vocab(repo, ['apply', '-y'], { key });
    expectExit(apply, 0);
    expect(apply.stdout).toContain('Apply complete: 1 applied, 0 failed, 0 skipped.');
  });
});
