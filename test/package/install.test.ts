/**
 * The package as a team installs it without the public registry: `npm pack`'s tarball and a
 * git URL (a file:// clone of this repository), each installed in a scratch folder, then used:
 * `vocab --version`, an ESM import, a CommonJS require() from a .cjs file, and a TypeScript
 * type-check of a consumer. Dependencies come from the npm registry (or npm's cache).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../e2e/harness.js';

const run = promisify(execFile);
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');
const quiet = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];
const env = { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' };
const LONG = 10 * 60_000;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'vocab-package-'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

interface PackedFile {
  path: string;
}

/** `npm pack` of the built tree (scripts off: the tree was built by `npm ci`/`npm run build`). */
async function pack(): Promise<{ tarball: string; files: string[] }> {
  if (!existsSync(path.join(ROOT, 'dist/cjs/index.cjs'))) throw new Error('dist/cjs/index.cjs is missing: run "npm run build"');
  const { stdout } = await run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, env });
  const [info] = JSON.parse(stdout) as [{ filename: string; files: PackedFile[] }];
  return { tarball: path.join(work, info.filename), files: info.files.map((f) => f.path) };
}

/** A project that uses vocab-sync: a config on the embedded local account, and three consumers. */
async function scratchProject(name: string): Promise<string> {
  const dir = path.join(work, name);
  await mkdir(path.join(dir, 'vocabularies'), { recursive: true });
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: `scratch-${name}`, version: '1.0.0', private: true }));
  await writeFile(
    path.join(dir, 'vocab.config.yaml'),
    'vocabularies: [vocabularies/*.yaml]\ndefault_environment: local\nenvironments:\n  local:\n    endpoint: local\nownership:\n  prefixes: [movies]\n',
  );
  await writeFile(path.join(dir, 'vocabularies/movies.yaml'), 'prefix: movies\ntarget_model: fun-asr\ndefaults: { weight: 4, lang: zh }\nentries: [赛德克巴莱, 夏洛特烦恼]\n');
  const body = (load: string, applyToo: boolean) => `${load}
const cwd = process.cwd();
const problems = await validate({ cwd });
const planned = await plan({ cwd, env: process.env });
await planned.service.close?.();
const applied = ${applyToo ? '(await apply({ cwd, env: process.env })).result.summary.applied' : 'null'};
console.log(JSON.stringify({ problems: problems.length, changes: planned.plan.changes.filter((c) => c.action !== 'noop').map((c) => c.action + ' ' + c.prefix), applied }));
`;
  await writeFile(path.join(dir, 'esm.mjs'), body("import { apply, plan, validate } from 'vocab-sync';", false));
  // The CommonJS build also applies: the embedded account's lock and the backups run through it.
  await writeFile(path.join(dir, 'cjs.cjs'), `(async () => {${body("const { apply, plan, validate } = require('vocab-sync');", true)}})().catch((e) => { console.error(e); process.exit(1); });\n`);
  await writeFile(
    path.join(dir, 'consumer.mts'),
    "import { plan, renderPlanText, type Plan, type PlannedEnvironment } from 'vocab-sync';\n" +
      'const planned: PlannedEnvironment = await plan({ cwd: process.cwd(), env: process.env });\n' +
      'const doc: Plan = planned.plan;\n' +
      'const text: string = renderPlanText(doc, { color: false });\n' +
      'console.log(text, doc.changes.length);\n',
  );
  await writeFile(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'], typeRoots: [path.join(ROOT, 'node_modules/@types')] },
      files: ['consumer.mts'],
    }),
  );
  return dir;
}

/** What every installed copy must do. */
async function expectUsable(dir: string): Promise<void> {
  const version = await run(path.join(dir, 'node_modules/.bin/vocab'), ['--version'], { cwd: dir, env });
  expect(version.stdout.trim()).toBe(VERSION);
  const expected = { problems: 0, changes: ['create movies'] };
  expect(JSON.parse((await run(process.execPath, ['esm.mjs'], { cwd: dir, env })).stdout)).toEqual({ ...expected, applied: null });
  expect(JSON.parse((await run(process.execPath, ['cjs.cjs'], { cwd: dir, env })).stdout)).toEqual({ ...expected, applied: 1 });
  expect(JSON.parse((await run(process.execPath, ['esm.mjs'], { cwd: dir, env })).stdout)).toEqual({ problems: 0, changes: [], applied: null });
  const tsc = await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: dir, env }).then(
    () => '',
    (e: { stdout: string }) => e.stdout,
  );
  expect(tsc).toBe('');
}

describe('the package', () => {
  it('packs a LICENSE, dist with a CommonJS build, the sources its maps point at, and nothing else', async () => {
    const { files } = await pack();
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/cjs/index.cjs', 'dist/cli/bin.js', 'schemas/plan.schema.json']));
    expect(files.filter((f) => /^(test|action|bench|scripts|templates|examples)\//.test(f))).toEqual([]);
    const shipped = new Set(files);
    const maps = files.filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    for (const map of maps) {
      const { sources } = JSON.parse(readFileSync(path.join(ROOT, map), 'utf8')) as { sources: string[] };
      for (const source of sources) expect(shipped, `${map} points at ${source}`).toContain(path.posix.join(path.posix.dirname(map), source));
    }
  }, LONG);

  it('installs from the npm pack tarball and works: vocab --version, import, require, types', async () => {
    const { tarball } = await pack();
    const dir = await scratchProject('tarball');
    await run(NPM, ['install', ...quiet, tarball], { cwd: dir, env });
    await expectUsable(dir);
  }, LONG);

  it('installs from a git URL (built on prepare) and works the same', async () => {
    const dir = await scratchProject('git');
    await run(NPM, ['install', ...quiet, `git+file://${ROOT}`], { cwd: dir, env });
    expect(existsSync(path.join(dir, 'node_modules/vocab-sync/dist/cjs/index.cjs'))).toBe(true);
    await expectUsable(dir);
  }, LONG);
});
