import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'dist/cli/bin.js');
const FIXTURES = path.join(ROOT, 'test/fixtures/validate');
const run = promisify(execFile);

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `vocab` command; `npm test` compiles to dist/ before vitest runs. */
async function vocab(args: string[], cwd: string): Promise<Result> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "npm run build" (npm test builds first)`);
});

describe('vocab validate (built command)', () => {
  it.each(['.', 'examples/fun-asr-movies', 'examples/paraformer-support', 'examples/gummy-translations'])(
    'accepts the repository demo and example %s',
    async (dir) => {
      const result = await vocab(['validate'], path.join(ROOT, dir));
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(/^\d+ vocabular(y|ies) valid \(\d+ environments?\)\n$/);
      expect(result.code).toBe(0);
    },
  );

  it('prints a summary naming the count and environments', async () => {
    const result = await vocab(['validate'], path.join(ROOT, 'examples/fun-asr-movies'));
    expect(result.stdout).toBe('2 vocabularies valid (3 environments)\n');
    const prod = await vocab(['validate', '--env', 'local'], path.join(ROOT, 'examples/fun-asr-movies'));
    expect(prod.stdout).toBe('1 vocabulary valid (environment "local")\n');
  });

  it('reports every problem as FILE:LINE:COL: message and exits 1', async () => {
    const result = await vocab(['validate'], path.join(FIXTURES, 'schema-errors'));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      [
        'vocab.config.yaml:6:5: unknown key "regoin" (did you mean "region"?)',
        'vocab.config.yaml:8:16: apply.concurrency must be an integer, not a string',
        'vocab.config.yaml:9:12: apply.replace must be one of create_before_destroy, destroy_before_create, not "destroy_first"',
        'vocabularies/movies.yaml:3:1: unknown key "entires" (did you mean "entries"?)',
        'vocabularies/movies.yaml:7:3: unknown key "langs" (did you mean "lang"?)',
        'vocabularies/movies.yaml:9:37: unknown key "lnag" (did you mean "lang"?)',
        'vocabularies/movies.yaml:11:13: weight must be an integer from 1 to 5, not a string',
        '7 errors',
        '',
      ].join('\n'),
    );
  });

  it('prints problems as JSON with --format json', async () => {
    const result = await vocab(['validate', '--format', 'json'], path.join(FIXTURES, 'duplicate-keys'));
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual([
      {
        file: 'vocabularies/movies.yaml',
        line: 5,
        column: 1,
        path: '',
        message: 'duplicate key "prefix": each key may appear once in a mapping',
        severity: 'error',
      },
    ]);
    const valid = await vocab(['validate', '--format', 'json'], path.join(FIXTURES, 'valid-minimal'));
    expect(valid.code).toBe(0);
    expect(JSON.parse(valid.stdout)).toEqual([]);
  });

  it('prints workflow commands with --format github, file names relative to $GITHUB_WORKSPACE', async () => {
    const dir = path.join(FIXTURES, 'duplicate-keys');
    const github = async (workspace: string | undefined) => {
      const { GITHUB_WORKSPACE: _ignored, ...env } = process.env;
      const options = { cwd: dir, env: { ...env, NO_COLOR: '1', ...(workspace ? { GITHUB_WORKSPACE: workspace } : {}) } };
      return run(process.execPath, [BIN, 'validate', '--format', 'github'], options).then(
        () => ({ code: 0, stdout: '', stderr: '' }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
    };
    const plain = await github(undefined);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toBe('::error file=vocabularies/movies.yaml,line=5,col=1,title=vocab validate::duplicate key "prefix": each key may appear once in a mapping\n');
    expect(plain.stderr).toBe('1 error\n');
    const nested = await github(ROOT);
    expect(nested.stdout).toContain('::error file=test/fixtures/validate/duplicate-keys/vocabularies/movies.yaml,line=5,col=1,');
  });

  it('prints warnings with "warning:" and still exits 0', async () => {
    const result = await vocab(['validate'], path.join(FIXTURES, 'glob-matches-nothing'));
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('vocab.config.yaml:1:37: warning: "lists/**/*.yaml" matches no files\n');
    expect(result.stdout).toBe('1 vocabulary valid (1 environment), 1 warning\n');
  });

  it('checks only the named environment with --env', async () => {
    const dir = path.join(FIXTURES, 'region-model-mismatch');
    const all = await vocab(['validate'], dir);
    expect(all.code).toBe(1);
    expect(all.stderr).toContain('vocabularies/support.yaml:2:15: target_model paraformer-v2 is not offered in region ap-southeast-1 (environments "singapore", "intl")');
    expect((await vocab(['validate', '--env', 'beijing'], dir)).code).toBe(0);
    const sg = await vocab(['validate', '--env', 'singapore'], dir);
    expect(sg.code).toBe(1);
    expect(sg.stderr).toContain('(environment "singapore")');
  });

  it('warns about plain YAML 1.1 booleans and quotes numbers back as written', async () => {
    const result = await vocab(['validate'], path.join(FIXTURES, 'yaml-booleans-and-numbers'));
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      [
        'vocabularies/answers.yaml:5:5: warning: yes is read as the text "yes" here, but YAML 1.1 tools read a plain yes as a boolean; quote it: "yes"',
        'vocabularies/answers.yaml:7:13: warning: off is read as the text "off" here, but YAML 1.1 tools read a plain off as a boolean; quote it: "off"',
        'vocabularies/answers.yaml:8:5: entry must be a string, not an integer; quote it: "0x1F"',
        '1 error, 2 warnings',
        '',
      ].join('\n'),
    );
  });

  it('names the environments for an unknown --env', async () => {
    const result = await vocab(['validate', '--env', 'singapor'], path.join(FIXTURES, 'region-model-mismatch'));
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: unknown environment "singapor" (did you mean "singapore"?); environments: local, beijing, singapore, intl\n');
  });

  it('never crashes on hostile input and shows no stack trace', async () => {
    for (const scenario of ['alias-bomb', 'not-utf8', 'malformed-yaml', 'empty-file', 'directory-as-file', 'api-key-in-config']) {
      const result = await vocab(['validate'], path.join(FIXTURES, scenario));
      expect(result.code, scenario).toBe(1);
      expect(result.stderr, scenario).toMatch(/^[^\s:]+:\d+:\d+: /);
      expect(result.stderr, scenario).not.toMatch(/\n\s+at /);
      expect(result.stderr, scenario).not.toContain('sk-0123456789');
    }
  });

  it('says where it looked when there is no config', async () => {
    const result = await vocab(['validate', '--config', 'missing.yaml'], path.join(FIXTURES, 'valid-minimal'));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: config file not found: missing\.yaml \(looked at .*missing\.yaml\)\n$/);
  });

  it('accepts --config from another folder and names files relative to the working directory', async () => {
    const result = await vocab(['validate', '--config', 'test/fixtures/validate/bom-crlf/vocab.config.yaml'], ROOT);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('test/fixtures/validate/bom-crlf/vocabularies/movies.yaml:5:40: weight must be an integer from 1 to 5, not 7');
  });

  it('prints usage with examples for --help, and refuses unknown flags', async () => {
    const help = await vocab(['validate', '--help'], ROOT);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: vocab validate [--config PATH] [--env NAME] [--format text|json|github]');
    expect(help.stdout).toContain('Examples:');
    const bad = await vocab(['validate', '--fromat', 'json'], ROOT);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('unknown option --fromat for "vocab validate" (did you mean --format?)');
    const format = await vocab(['validate', '--format', 'yaml'], ROOT);
    expect(format.code).toBe(1);
    expect(format.stderr).toContain('--format must be one of text, json, github, not "yaml"');
  });
});
