/**
 * The script pattern that `vocab emulator --help` gives, run as it is through `sh -c` with the
 * built command on PATH: it must start the emulator, hand its base URL to the commands after it
 * (here `vocab plan`, which names the endpoint it talks to), stop it and end. A hang fails the
 * test through a timeout that kills the whole process group; nothing is measured.
 */
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, expectExit, makeRepo } from './harness.js';
import { runInGroup, vocabBinFolder, type GroupRun } from './shell.js';

beforeAll(assertBuilt);

/** Generous: the pattern takes well under a second; only a hang reaches it. */
const HANG_TIMEOUT_MS = 60_000;

/** The script lines of the help's "In a script" example, dedented. */
function scriptOfHelp(help: string): string[] {
  const lines = help.split('\n');
  const start = lines.findIndex((l) => l.trim().startsWith('vocab emulator --port 0 > emulator.url &'));
  const end = lines.findIndex((l, i) => i > start && l.trim().startsWith('kill "$emulator"'));
  expect(start, 'the help shows the script pattern').toBeGreaterThan(0);
  expect(end, 'the help shows how the script stops it').toBeGreaterThan(start);
  return lines.slice(start, end + 1).map((l) => l.trim());
}

/** Runs `sh -c script`; a hang (HANG_TIMEOUT_MS) kills the process group and is reported. */
function runShell(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<GroupRun> {
  return runInGroup('sh', ['-c', script], { cwd, env, hangTimeoutMs: HANG_TIMEOUT_MS });
}

describe('vocab emulator --help: the script pattern', () => {
  it('runs through sh -c: the URL reaches the commands after it, the emulator stops, the script ends', { timeout: HANG_TIMEOUT_MS + 30_000 }, async () => {
    // As npm installs it: a `vocab` command on PATH, whose `$!` is the emulator's own process id.
    const bin = await vocabBinFolder();
    const help = await runShell('vocab emulator --help', bin, { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` });
    expectExit(help, 0);
    const script = scriptOfHelp(help.stdout);
    expect(script).toContain('emulator=$!');

    // The config names the official Beijing URL; DASHSCOPE_HTTP_BASE_URL from the script wins.
    const repo = await makeRepo({
      environments: { test: { url: 'https://dashscope.aliyuncs.com/api/v1', api_key_env: 'DASHSCOPE_API_KEY', region: 'cn-beijing' } },
      vocabularies: { movies: { prefix: 'movies', target_model: 'fun-asr', defaults: { weight: 4, lang: 'zh' }, entries: ['赛德克巴莱'] } },
    });
    const body = script.map((line) => (line.startsWith('# ...') ? 'vocab plan > plan.txt 2> plan.err; echo "plan exited $?"' : line)).join('\n');
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, NO_COLOR: '1' };
    delete env.DASHSCOPE_HTTP_BASE_URL;
    delete env.DASHSCOPE_API_KEY;
    const run = await runShell(`${body}\necho "emulator exited $?"`, repo.dir, env);

    expect(run.hung, `the documented pattern hung:\n${run.stdout}\n${run.stderr}`).toBe(false);
    expectExit(run, 0);
    expect(run.stdout).toContain('plan exited 0');
    expect(run.stdout).toContain('emulator exited 0');
    const url = (await readFile(repo.path('emulator.url'), 'utf8')).split('\n')[0]!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    const plan = await readFile(repo.path('plan.txt'), 'utf8');
    expect(plan).toContain(`endpoint: ${url} (from DASHSCOPE_HTTP_BASE_URL, not the official cn-beijing URL)`);
    expect(plan).toContain('+ create  movies (fun-asr)');
    // Stopped: its port no longer answers.
    await expect(fetch(`${url}/services/audio/asr/customization`, { method: 'POST' })).rejects.toThrow();
  });
});
