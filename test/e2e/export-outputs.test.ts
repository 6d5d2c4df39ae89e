import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulatorServer, type EmulatorServer } from '../../src/emulator/server.js';
import { createList } from '../emulator/helpers.js';

const BIN = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
const KEY = 'sk-export0123456789abcdefexport';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function vocab(cwd: string, args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "npm run build" first`);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, env: { ...process.env, NO_COLOR: '1', EXPORT_TEST_KEY: KEY, ...extraEnv } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        expect(stdout + stderr).not.toContain(KEY);
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('vocab export and vocab outputs against the emulator', () => {
  let emulator: EmulatorServer;
  let dir: string;

  beforeEach(async () => {
    emulator = await startEmulatorServer({ port: 0, apiKeys: [KEY], undeployedMs: 0, updateIntervalMs: 0 });
    dir = await mkdtemp(join(tmpdir(), 'vocab-export-'));
    await writeFile(
      join(dir, 'vocab.config.yaml'),
      `vocabularies: [vocabularies/*.yaml]\ndefault_environment: test\nenvironments:\n  test:\n    endpoint: ${emulator.url}\n    region: cn-beijing\n    api_key_env: EXPORT_TEST_KEY\n`,
    );
    // One list of every model family, one prefix on two models, and an older duplicate.
    await createList(emulator.url, 'movies', [{ text: 'old copy', weight: 1 }], 'fun-asr', KEY);
    await createList(emulator.url, 'movies', [
      { text: '赛德克巴莱', weight: 4, lang: 'zh' },
      { text: 'Seediq Bale', weight: 4, lang: 'en' },
      { text: '夏洛特烦恼', weight: 5, lang: 'zh' },
      { text: '阙里人家', weight: 4, lang: 'zh' },
    ], 'fun-asr', KEY);
    await createList(emulator.url, 'support', [
      { text: '退款', weight: 3, lang: 'zh' },
      { text: '工单', weight: 3, lang: 'zh' },
      { text: 'API Key', weight: 4 },
    ], 'paraformer-v2', KEY);
    await createList(emulator.url, 'support', [{ text: '热词', weight: 2, lang: 'zh' }], 'paraformer-8k-v2', KEY);
    await createList(emulator.url, 'travel', [
      { text: '夏洛特烦恼', lang: 'zh', target_lang: 'en', translation: 'Goodbye Mr. Loser' },
      { text: '夏洛特烦恼', lang: 'zh', target_lang: 'ja', translation: '夏洛の特別な悩み' },
    ], 'gummy-realtime-v1', KEY);
  });

  afterEach(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('adopts an account of every model family: export, then plan shows no changes', async () => {
    const exported = await vocab(dir, ['export']);
    expect(exported.code, exported.stderr).toBe(0);
    expect((await readdir(join(dir, 'vocabularies'))).sort()).toEqual([
      'movies.yaml',
      'support-paraformer-8k-v2.yaml',
      'support-paraformer-v2.yaml',
      'travel.yaml',
    ]);
    expect(exported.stderr).toContain('duplicates');
    const movies = await readFile(join(dir, 'vocabularies/movies.yaml'), 'utf8');
    expect(movies).toContain('defaults: { weight: 4, lang: zh }');
    expect(movies).toContain('  - 赛德克巴莱\n');
    expect(movies).toContain('{ text: 夏洛特烦恼, weight: 5 }');

    // The config has no ownership yet: export prints the block to add, and the .gitignore advice.
    const block = '    ownership:\n      prefixes: [movies, support, travel]\n';
    expect(exported.stderr).toContain(`next: vocab.config.yaml has no ownership block; set it to`);
    expect(exported.stderr).toContain(block);
    expect(exported.stderr).toContain('echo .vocab/ >> .gitignore');
    const refused = await vocab(dir, ['validate']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(block);
    await appendFile(join(dir, 'vocab.config.yaml'), block.replace(/^ {4}/gm, ''));
    const validated = await vocab(dir, ['validate']);
    expect(validated.code, validated.stderr + validated.stdout).toBe(0);

    // Export kept the newest 'movies' list; the plan only deletes the older duplicate.
    const plan = await vocab(dir, ['plan', '--detailed-exitcode', '--format', 'json']);
    const document = JSON.parse(plan.stdout) as { changes: { action: string; reason: string }[] };
    const pending = document.changes.filter((c) => c.action !== 'noop');
    expect(pending).toHaveLength(1);
    expect(pending[0]?.action).toBe('delete');
    expect(pending[0]?.reason).toContain('duplicate');
  });

  it('never overwrites an existing file without --force, writing nothing', async () => {
    await vocab(dir, ['export', '--prefix', 'travel']);
    const path = join(dir, 'vocabularies/travel.yaml');
    await writeFile(path, '# mine\n');
    const refused = await vocab(dir, ['export']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--force');
    expect(await readFile(path, 'utf8')).toBe('# mine\n');
    expect(existsSync(join(dir, 'vocabularies/movies.yaml'))).toBe(false);
    const forced = await vocab(dir, ['export', '--force']);
    expect(forced.code).toBe(0);
    expect(await readFile(path, 'utf8')).toContain('target_model: gummy-realtime-v1');
  });

  it('export --prefix with no list says so and exits 1; the prefixes found are still written', async () => {
    const none = await vocab(dir, ['export', '--prefix', 'nosuch']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('error: no list on the account has prefix "nosuch"');
    expect(none.stderr).toContain('nothing exported: no list matched --prefix');
    expect(existsSync(join(dir, 'vocabularies')) ? await readdir(join(dir, 'vocabularies')) : []).toEqual([]);

    const some = await vocab(dir, ['export', '--prefix', 'travel', '--prefix', 'nosuch']);
    expect(some.code).toBe(1);
    expect(some.stdout).toMatch(/^wrote vocabularies\/travel\.yaml \(vocab-travel-[0-9a-f]{32}, 2 entries\)$/m);
    expect(some.stderr).toContain('error: no list on the account has prefix "nosuch"');
  });

  it('prints the live ids keyed by name as json, dotenv and GitHub outputs', async () => {
    await appendFile(join(dir, 'vocab.config.yaml'), 'ownership:\n  prefixes: [travel, fresh]\n');
    await vocab(dir, ['export', '--prefix', 'travel']);
    await writeFile(
      join(dir, 'vocabularies/new.yaml'),
      'prefix: fresh\ntarget_model: fun-asr\nname: fresh-words\nentries:\n  - { text: brand new, weight: 3 }\n',
    );
    const json = await vocab(dir, ['outputs']);
    expect(json.code, json.stderr).toBe(0);
    const outputs = JSON.parse(json.stdout) as Record<string, { vocabulary_id: string | null; status: string; target_model: string }>;
    expect(outputs.travel).toMatchObject({ target_model: 'gummy-realtime-v1', status: 'OK' });
    expect(outputs.travel!.vocabulary_id).toMatch(/^vocab-travel-[0-9a-f]{32}$/);
    expect(outputs['fresh-words']).toEqual({ vocabulary_id: null, prefix: 'fresh', target_model: 'fun-asr', status: 'missing' });

    const dotenv = await vocab(dir, ['outputs', '--format', 'dotenv']);
    expect(dotenv.stdout).toContain(`VOCAB_TRAVEL_ID=${outputs.travel!.vocabulary_id}`);
    expect(dotenv.stdout).toContain('VOCAB_FRESH_WORDS_ID=\n');

    const githubOutput = join(dir, 'github-output.txt');
    await writeFile(githubOutput, 'earlier=1\n');
    const github = await vocab(dir, ['outputs', '--format', 'github'], { GITHUB_OUTPUT: githubOutput });
    expect(github.code).toBe(0);
    const written = await readFile(githubOutput, 'utf8');
    expect(written.startsWith('earlier=1\n')).toBe(true);
    expect(written).toContain(`travel_vocabulary_id=${outputs.travel!.vocabulary_id}`);
    expect(written).toContain('fresh-words_status=missing');

    const noFile = await vocab(dir, ['outputs', '--format', 'github'], { GITHUB_OUTPUT: '' });
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toContain('GITHUB_OUTPUT');
  });
});
