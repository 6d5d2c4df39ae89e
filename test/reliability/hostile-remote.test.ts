/**
 * Hostile remote data: generated accounts written into the emulator's state file (ids,
 * prefixes, target models, entry texts and languages holding control characters, ANSI escapes,
 * newlines, `../`, absolute paths, HTML, @mentions, links, bidi overrides) and hostile statuses
 * put on the wire by a fetch wrapper. Each account is planned, drifted, rendered in every
 * format, exported and turned into CI outputs through the library; a sample also through the
 * built command. A case is handled when data that breaks the wire description is refused as a
 * protocol error, data valid on the wire is shown and counted, and every medium is safe: no raw
 * control character on a terminal, no live mention, link or tag in markdown, no variable
 * injected into dotenv or $GITHUB_OUTPUT, no file written outside the export folder.
 */
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashScopeError } from '../../src/dashscope/errors.js';
import { createHttpVocabularyService } from '../../src/dashscope/http-client.js';
import { startEmulatorServer } from '../../src/emulator/server.js';
import { fingerprintApiKey } from '../../src/emulator/state.js';
import { ConfigError } from '../../src/errors.js';
import { buildDriftReport } from '../../src/plan/build-drift-report.js';
import { collectOutputs } from '../../src/plan/collect-outputs.js';
import { renderOutputsDotenv, renderOutputsGithub, UnsafeOutputError } from '../../src/report/outputs.js';
import { renderDriftMarkdown, renderDriftText, renderPlanMarkdown, renderPlanText } from '../../src/report/index.js';
import { planEnvironment } from '../../src/run.js';
import { exportRemote } from '../../src/sync/export-remote.js';
import { assertBuilt, BASE_SEED, createRng, newFigures, removeDir, reportFigures, runVocab, size, type Rng } from './support.js';

const SEED = BASE_SEED ^ 0x5a;
const CASES = size(16, 300);
/** Every how many cases the built command runs too (slower: one process per command). */
const CLI_EVERY = size(8, 10);
const figures = newFigures('hostile-remote', SEED);
afterAll(() => reportFigures(figures));
beforeAll(() => assertBuilt());

const ESC = '\u001b';
const HEX = () => Array.from({ length: 32 }, (_, i) => '0123456789abcdef'[(i * 7 + 3) % 16]).join('');

/** Characters a terminal acts on: C0 but newline, DEL, C1, bidi overrides. */
const ACTING = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
/** Our own colour codes, removed before looking for raw control characters. */
const OWN_STYLES = /\u001b\[(0|1|2|31|32|33|35|36)m/g;

const HOSTILE_STRINGS = [
  `${ESC}[2J${ESC}[H`,
  `${ESC}]0;pwned\u0007`,
  `${ESC}]8;;https://evil.example${ESC}\\link${ESC}]8;;${ESC}\\`,
  '\u009b31m',
  'a\nINJECTED=1',
  'a\r\nX=2',
  '../../../../tmp/escaped',
  '/etc/passwd',
  'sub/dir',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '@octocat',
  '@org/team',
  'https://evil.example/x',
  'www.evil.example',
  'mail@evil.example',
  '#1 GH-2',
  '\u202egnp.exe',
  '\u2028line',
  '```',
  '| cell |',
  '',
];
const SAFE_TEXTS = ['赛德克巴莱', 'Seediq Bale', 'refund', '夏洛特烦恼'];

interface HostileList {
  id: string;
  prefix: string;
  model: string;
  entries: { text: string; weight?: number; lang?: string }[];
}

interface HostileCase {
  lists: HostileList[];
  /** Put on the wire instead of the emulator's status, for owned lists. */
  status: string | undefined;
}

function hostile(rng: Rng): string {
  return rng.pick(HOSTILE_STRINGS);
}

/** One list: mostly well-formed ids with hostile content, sometimes a hostile id or model. */
function generateList(rng: Rng, owned: boolean, n: number): HostileList {
  const prefix = owned ? 'movies' : rng.pick(['other', 'team', 'abcdefghij', 'x1']);
  const hex = HEX().slice(0, 31) + n.toString(16).slice(-1);
  const roll = rng.next();
  const id =
    roll < 0.05 ? `vocab-${hostile(rng)}-${hex}` : roll < 0.08 ? hostile(rng) : roll < 0.1 ? `vocab-${prefix}-${hex}${hostile(rng)}` : `vocab-${prefix}-${hex}`;
  const modelRoll = rng.next();
  const model = modelRoll < 0.08 ? `fun-asr${hostile(rng)}` : modelRoll < 0.3 ? hostile(rng) || 'x' : modelRoll < 0.4 ? 'future-model-v9' : 'fun-asr';
  const entries = Array.from({ length: rng.int(1, 4) }, () => {
    const text = rng.chance(0.7) ? `${rng.pick(SAFE_TEXTS)}${hostile(rng)}` : rng.pick(SAFE_TEXTS);
    return { text, weight: rng.int(1, 5), ...(rng.chance(0.2) ? { lang: `zh${hostile(rng)}` } : { lang: 'zh' }) };
  });
  return { id, prefix, model, entries };
}

function generateCase(rng: Rng): HostileCase {
  const lists = [generateList(rng, true, 1)];
  for (let i = 0; i < rng.int(0, 2); i++) lists.push(generateList(rng, rng.chance(0.3), i + 2));
  // Distinct ids, as an account has.
  const seen = new Set<string>();
  const unique = lists.filter((l) => !seen.has(l.id) && seen.add(l.id));
  const status = rng.chance(0.08) ? rng.pick(['DEPLOYING', 'OK\nVOCAB_X=1', `OK${ESC}[31m`, '']) : undefined;
  return { lists: unique, status };
}

/** What the wire description allows, written apart from the client's own rules. */
function wireValidId(id: string): boolean {
  return /^vocab-[a-z0-9]+-[0-9a-fA-F]+$/.test(id);
}
function wireValidModel(model: string): boolean {
  return /^[!-~]{1,128}$/.test(model);
}
function prefixOfId(id: string): string | undefined {
  return /^vocab-([a-z0-9]+)-[0-9a-fA-F]+$/.exec(id)?.[1];
}

/** True when the client must refuse the account as a protocol error. */
function breaksWire(c: HostileCase): boolean {
  if (c.lists.some((l) => !wireValidId(l.id))) return true;
  const owned = c.lists.filter((l) => prefixOfId(l.id) === 'movies');
  if (owned.some((l) => !wireValidModel(l.model))) return true;
  return c.status !== undefined && owned.length > 0;
}

function stateFor(c: HostileCase, key: string): unknown {
  const vocabularies = c.lists.map((l, i) => ({
    vocabulary_id: l.id,
    prefix: l.prefix,
    target_model: l.model,
    vocabulary: l.entries,
    gmt_create: '2025-01-01 10:00:00',
    gmt_modified: '2025-01-01 10:00:00',
    created_at_ms: 1_735_696_800_000 + i,
    modified_at_ms: 1_735_696_800_000 + i,
    seq: i + 1,
  }));
  return { format_version: 1, accounts: { [fingerprintApiKey(key)]: { next_seq: vocabularies.length + 1, vocabularies } } };
}

/** A fetch that puts a hostile status on every answer that carries one. */
function statusRewriter(status: string | undefined): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (status === undefined) return response;
    const text = (await response.text()).replace(/"status":"(OK|UNDEPLOYED)"/g, `"status":${JSON.stringify(status)}`);
    return new Response(text, { status: response.status, headers: response.headers });
  };
}

/** The parts of markdown GitHub renders (fenced code blocks removed). */
function renderedMarkdown(md: string): string {
  return md.replace(/(`{3,})diff\n[\s\S]*?\n\1/g, '');
}

/** Why a medium is not safe, or undefined. */
function terminalProblem(text: string): string | undefined {
  return ACTING.test(text.replace(OWN_STYLES, '')) ? 'raw control character on a terminal' : undefined;
}
function markdownProblem(md: string): string | undefined {
  const shown = renderedMarkdown(md);
  if (/@[A-Za-z0-9]/.test(shown)) return 'live @mention or e-mail in markdown';
  if (/https?:\/\/|www\./i.test(shown)) return 'live link in markdown';
  if (/<(img|script)/i.test(shown)) return 'raw HTML in markdown';
  return ACTING.test(md) ? 'raw control character in markdown' : undefined;
}

/** Checks the CI outputs: only the expected keys are defined, or the renderer refused. */
function outputsProblem(render: () => string, expectedKeys: string[], github: boolean): string | undefined {
  let text: string;
  try {
    text = render();
  } catch (error) {
    return error instanceof UnsafeOutputError ? undefined : `outputs threw ${String(error)}`;
  }
  const keys: string[] = [];
  const lines = text.split('\n').filter((l) => l !== '');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = github ? /^([A-Za-z_][A-Za-z0-9_-]*)<<(.+)$/.exec(lines[i]!) : null;
    if (heredoc) {
      keys.push(heredoc[1]!);
      while (i < lines.length && lines[i] !== heredoc[2]) i++;
      continue;
    }
    const match = /^([A-Za-z_][A-Za-z0-9_-]*)=/.exec(lines[i]!);
    if (!match) return `an output line that is not KEY=value: ${JSON.stringify(lines[i])}`;
    keys.push(match[1]!);
  }
  return JSON.stringify(keys.sort()) === JSON.stringify([...expectedKeys].sort()) ? undefined : `outputs define ${keys.join(', ')}`;
}

/** Every file under a folder, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

interface Outcome {
  problems: string[];
  refused: boolean;
}

async function runLibrary(c: HostileCase, root: string, url: string, key: string): Promise<Outcome> {
  const problems: string[] = [];
  const service = createHttpVocabularyService({ baseUrl: url, apiKey: key, maxAttempts: 1, fetch: statusRewriter(c.status) });
  let planned;
  try {
    planned = await planEnvironment({ cwd: root, env: { VOCAB_TEST_KEY: key }, service });
  } catch (error) {
    const clear = error instanceof DashScopeError && error.code === 'MalformedResponse';
    if (!clear) problems.push(`plan failed with ${String(error)}`);
    if (!breaksWire(c)) problems.push('wire-valid data refused');
    return { problems, refused: true };
  }
  if (breaksWire(c)) problems.push('data breaking the wire description accepted');
  const { plan, snapshot } = planned;
  const listed = plan.unmanaged.length + snapshot.owned.length;
  if (listed !== c.lists.length || plan.quota.used !== c.lists.length) problems.push(`${c.lists.length} lists on the account, ${listed} shown and counted`);
  const report = buildDriftReport(plan, snapshot);
  for (const color of [false, true]) {
    for (const text of [renderPlanText(plan, { color }), renderDriftText(report, { color })]) {
      const p = terminalProblem(text);
      if (p) problems.push(p);
    }
  }
  for (const md of [renderPlanMarkdown(plan), renderDriftMarkdown(report)]) {
    const p = markdownProblem(md);
    if (p) problems.push(p);
  }
  const outputs = collectOutputs(plan, snapshot);
  const dotenv = outputsProblem(() => renderOutputsDotenv(outputs), ['VOCAB_MOVIES_ID', 'VOCAB_MOVIES_STATUS'], false);
  const github = outputsProblem(() => renderOutputsGithub(outputs), ['movies_vocabulary_id', 'movies_status', 'vocabularies'], true);
  for (const p of [dotenv, github]) if (p) problems.push(p);
  problems.push(...(await checkExport(service, root)));
  return { problems, refused: false };
}

/** Exports every list into `root/out`: refused clearly, or every file inside the folder. */
async function checkExport(service: ReturnType<typeof createHttpVocabularyService>, root: string): Promise<string[]> {
  const outDir = path.join(root, 'sandbox', 'out');
  await mkdir(path.join(root, 'sandbox'), { recursive: true });
  try {
    await exportRemote({ service, prefixes: [], outDir, force: true, environment: 'test', now: new Date(0) });
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof DashScopeError)) return [`export threw ${String(error)}`];
  }
  const outside = (await filesUnder(root)).filter((f) => !f.startsWith(outDir + path.sep) && !f.startsWith(path.join(root, 'vocabularies')) && !f.endsWith('vocab.config.yaml') && !f.endsWith('state.json'));
  return outside.length > 0 ? [`export wrote outside --out-dir: ${outside.join(', ')}`] : [];
}

/** The built command on the same account: exit 0, 1 or 2, no stack trace, nothing acting on the terminal. */
async function runCli(root: string, key: string): Promise<string[]> {
  const problems: string[] = [];
  const runs = [
    ['plan'],
    ['drift', '--format', 'markdown'],
    ['export', '--out-dir', 'cli-out', '--force'],
    ['outputs', '--format', 'dotenv'],
  ];
  for (const args of runs) {
    const result = await runVocab(args, { cwd: root, env: { VOCAB_TEST_KEY: key }, timeoutMs: 60_000 });
    if (result.timedOut || result.code === null || result.code > 2) problems.push(`vocab ${args.join(' ')} exited ${String(result.code)}`);
    if (/\n\s+at .+:\d+:\d+/.test(result.stderr)) problems.push(`vocab ${args.join(' ')} printed a stack trace`);
    for (const [stream, text] of [['stdout', result.stdout], ['stderr', result.stderr]] as const) {
      if (ACTING.test(text)) problems.push(`vocab ${args.join(' ')} put a raw control character on ${stream}`);
    }
    if (args[0] === 'drift' && result.code !== 1) {
      const p = markdownProblem(result.stdout);
      if (p) problems.push(`vocab drift --format markdown: ${p}`);
    }
  }
  const outside = (await filesUnder(root)).filter((f) => path.relative(root, f).split(path.sep)[0] === '..');
  if (outside.length > 0) problems.push('the command wrote outside the repository');
  return problems;
}

describe('hostile remote data through the emulator state file', () => {
  it(`${CASES} generated accounts: refused as protocol errors or shown safely in every medium`, async () => {
    const started = Date.now();
    const rng = createRng(SEED);
    const key = 'sk-hostile-remote-0123456789abcdef';
    const failures: string[] = [];
    let handled = 0;
    let refused = 0;
    for (let n = 0; n < CASES; n++) {
      const c = generateCase(rng);
      const root = await mkdtemp(path.join(tmpdir(), 'vocab-hostile-'));
      try {
        await mkdir(path.join(root, 'vocabularies'));
        await writeFile(path.join(root, 'state.json'), JSON.stringify(stateFor(c, key)));
        const server = await startEmulatorServer({ apiKeys: [key], stateFile: path.join(root, 'state.json'), undeployedMs: 0 });
        try {
          await writeFile(
            path.join(root, 'vocab.config.yaml'),
            `vocabularies: [vocabularies/*.yaml]\ndefault_environment: test\nenvironments:\n  test:\n    endpoint: ${server.url}\n    api_key_env: VOCAB_TEST_KEY\nownership:\n  prefixes: [movies]\n`,
          );
          await writeFile(path.join(root, 'vocabularies', 'movies.yaml'), 'prefix: movies\ntarget_model: fun-asr\ndefaults: { weight: 4, lang: zh }\nentries: [赛德克巴莱]\n');
          const outcome = await runLibrary(c, root, server.url, key);
          const problems = [...outcome.problems, ...(n % CLI_EVERY === 0 ? await runCli(root, key) : [])];
          if (outcome.refused) refused++;
          if (problems.length === 0) handled++;
          else failures.push(`case ${n} (${JSON.stringify(c).slice(0, 300)}): ${problems.join('; ')}`);
        } finally {
          await server.close();
        }
      } finally {
        await removeDir(root);
      }
    }
    figures.trials = CASES;
    figures.wall_ms = Date.now() - started;
    figures.extra = { tried: CASES, handled, failed: CASES - handled, 'refused as protocol errors': refused, 'shown and escaped': CASES - refused };
    expect(failures).toEqual([]);
  });
});
