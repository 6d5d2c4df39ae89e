/**
 * The CI recipes under examples/github and examples/gitlab: they parse, they are well-formed
 * for their CI system, every `vocab` command line they run uses a real subcommand and only
 * flags that the built CLI's `--help` lists, and the parts that make them safe are there
 * (serialised applies with backups kept, one sticky plan comment, exit 2 handled as drift).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { findVocabInvocations, tokenize, type VocabInvocation } from './shell-commands.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'dist', 'cli', 'bin.js');
const SUBCOMMANDS = ['validate', 'plan', 'apply', 'drift', 'export', 'outputs', 'emulator'];
/** Action major versions the recipes are written against. */
const PINNED_ACTIONS: Record<string, string> = {
  'actions/checkout': 'v4',
  'actions/setup-node': 'v4',
  'actions/upload-artifact': 'v4',
  'actions/github-script': 'v7',
};

type Json = Record<string, any>;

interface RecipeFile {
  path: string; // relative to the repository root
  kind: 'github' | 'gitlab';
  text: string;
}

/** A shell script inside a recipe, with where it is. */
interface Script {
  file: string;
  where: string;
  text: string;
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : /\.ya?ml$/.test(name) ? [full] : [];
  });
}

const FILES: RecipeFile[] = (['github', 'gitlab'] as const).flatMap((kind) =>
  walk(join(ROOT, 'examples', kind)).map((full) => ({
    path: relative(ROOT, full),
    kind,
    text: readFileSync(full, 'utf8'),
  })),
);
const GITHUB = FILES.filter((f) => f.kind === 'github');
const GITLAB = FILES.filter((f) => f.kind === 'gitlab');

function load(file: RecipeFile): Json {
  const doc = parseDocument(file.text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) throw new Error(`${file.path}: ${doc.errors.map((e) => e.message).join('\n')}`);
  return doc.toJS({ maxAliasCount: 100 }) as Json;
}

function githubFile(name: string): { file: RecipeFile; doc: Json } {
  const file = GITHUB.find((f) => f.path.endsWith(`/${name}`));
  if (!file) throw new Error(`examples/github/${name} is missing`);
  return { file, doc: load(file) };
}

// ---------------------------------------------------------------------------------------------
// Shell scripts in each kind of file

const GITLAB_RESERVED = new Set(['stages', 'variables', 'workflow', 'default', 'include', 'image', 'services', 'cache', 'before_script', 'after_script']);

/** GitLab jobs (and hidden templates) with `extends` merged in. */
function gitlabJobs(doc: Json): Record<string, Json> {
  const resolve = (name: string, seen: string[] = []): Json => {
    const job = doc[name] as Json;
    if (seen.includes(name)) throw new Error(`extends cycle: ${[...seen, name].join(' -> ')}`);
    const bases = job.extends === undefined ? [] : ([] as string[]).concat(job.extends);
    let merged: Json = {};
    for (const base of bases) {
      if (!(base in doc)) throw new Error(`job ${name} extends unknown ${base}`);
      merged = { ...merged, ...resolve(base, [...seen, name]) };
    }
    return { ...merged, ...job };
  };
  const jobs: Record<string, Json> = {};
  for (const [name, value] of Object.entries(doc)) {
    if (GITLAB_RESERVED.has(name) || value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    jobs[name] = resolve(name);
  }
  return jobs;
}

const lines = (value: unknown): string[] =>
  Array.isArray(value) ? value.flatMap(lines) : typeof value === 'string' ? [value] : [];

function scriptsOf(file: RecipeFile): Script[] {
  const doc = load(file);
  if (file.kind === 'github') {
    return Object.entries((doc.jobs ?? {}) as Record<string, Json>).flatMap(([jobId, job]) =>
      ((job.steps ?? []) as Json[]).flatMap((step, index) =>
        typeof step.run === 'string'
          ? [{ file: file.path, where: `jobs.${jobId}.steps[${index}]${step.name ? ` (${step.name})` : ''}`, text: step.run }]
          : [],
      ),
    );
  }
  const scripts: Script[] = [];
  const defaults = (doc.default ?? {}) as Json;
  for (const key of ['before_script', 'after_script']) {
    const text = lines(defaults[key] ?? doc[key]).join('\n');
    if (text) scripts.push({ file: file.path, where: `default.${key}`, text });
  }
  for (const [name, job] of Object.entries(gitlabJobs(doc))) {
    for (const key of ['before_script', 'script', 'after_script']) {
      const text = lines(job[key]).join('\n');
      if (text) scripts.push({ file: file.path, where: `${name}.${key}`, text });
    }
  }
  return scripts;
}

interface FoundInvocation extends VocabInvocation {
  file: string;
  where: string;
}

const INVOCATIONS: FoundInvocation[] = FILES.flatMap((file) => {
  try {
    return scriptsOf(file).flatMap((s) => findVocabInvocations(s.text).map((v) => ({ ...v, file: s.file, where: s.where })));
  } catch {
    return []; // a file that does not parse fails its own test below
  }
});

// ---------------------------------------------------------------------------------------------
// The built CLI's help

interface Help {
  /** What `--help` printed on stdout. */
  text: string;
  /** Why the help may be unusable: a non-zero exit or a crash, with its stderr. */
  problem: string | undefined;
}

const helpCache = new Map<string, Help>();

function helpOf(subcommand: string): Help {
  const cached = helpCache.get(subcommand);
  if (cached !== undefined) return cached;
  if (!existsSync(BIN)) {
    throw new Error(`dist/cli/bin.js is missing: build the CLI first with "npm run build" ("npm test" runs tsc before vitest)`);
  }
  const result = spawnSync(process.execPath, [BIN, subcommand, '--help'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 20_000,
  });
  const stderr = `${result.stderr ?? ''}`.trim();
  const problem =
    result.error !== undefined
      ? `could not run: ${result.error.message}`
      : result.status !== 0
        ? `exited ${result.status ?? result.signal}${stderr ? `: ${stderr}` : ''}`
        : undefined;
  const help = { text: `${result.stdout ?? ''}`, problem };
  helpCache.set(subcommand, help);
  return help;
}

const lists = (help: string, flag: string) => new RegExp(`(^|[^A-Za-z0-9-])${flag}(?![A-Za-z0-9-])`, 'm').test(help);

// ---------------------------------------------------------------------------------------------

describe('recipe files', () => {
  it('exist for GitHub Actions and GitLab CI', () => {
    expect(GITHUB.map((f) => f.path).sort()).toEqual(
      ['examples/github/vocab-apply.yml', 'examples/github/vocab-drift.yml', 'examples/github/vocab-plan.yml'],
    );
    expect(GITLAB.map((f) => f.path)).toContain('examples/gitlab/.gitlab-ci.yml');
  });

  it.each(FILES.map((f) => [f.path, f] as const))('%s parses as YAML without duplicate keys', (_path, file) => {
    expect(() => load(file)).not.toThrow();
  });

  it.each(FILES.map((f) => [f.path, f] as const))('%s closes every ${{ }} expression', (_path, file) => {
    const opened = file.text.split('${{').length - 1;
    const unclosed = file.text.split('${{').slice(1).filter((part) => !part.includes('}}'));
    expect(unclosed, `${opened} expressions`).toEqual([]);
  });
});

describe.each(GITHUB.map((f) => [f.path, f] as const))('GitHub workflow %s', (_path, file) => {
  const doc = (() => {
    try {
      return load(file);
    } catch {
      return {} as Json;
    }
  })();
  const jobs = (doc.jobs ?? {}) as Record<string, Json>;

  it('has name, on, jobs and top-level permissions', () => {
    expect(doc.name).toEqual(expect.any(String));
    expect(doc.on).toBeTypeOf('object');
    expect(Object.keys(jobs).length).toBeGreaterThan(0);
    expect(doc, 'top-level permissions (least privilege by default)').toHaveProperty('permissions');
  });

  it('gives every job runs-on, steps and its own permissions', () => {
    for (const [id, job] of Object.entries(jobs)) {
      expect(job['runs-on'], `${id}.runs-on`).toBeTruthy();
      expect(Array.isArray(job.steps) && job.steps.length > 0, `${id}.steps`).toBe(true);
      expect(job, `${id}.permissions`).toHaveProperty('permissions');
      for (const need of [].concat(job.needs ?? [])) expect(Object.keys(jobs), `${id}.needs`).toContain(need);
    }
  });

  it('has steps that either use an action or run a script, and unique step ids', () => {
    for (const [id, job] of Object.entries(jobs)) {
      const ids = (job.steps as Json[]).map((s) => s.id).filter(Boolean);
      expect(new Set(ids).size, `${id}: duplicate step ids`).toBe(ids.length);
      for (const step of job.steps as Json[]) {
        expect(Boolean(step.uses) !== Boolean(step.run), `${id}: ${JSON.stringify(step).slice(0, 80)}`).toBe(true);
      }
    }
  });

  it('pins the expected action major versions', () => {
    for (const job of Object.values(jobs)) {
      for (const step of (job.steps ?? []) as Json[]) {
        if (!step.uses) continue;
        const [action, version] = String(step.uses).split('@');
        expect(Object.keys(PINNED_ACTIONS), `unexpected action ${step.uses}`).toContain(action);
        expect(version, String(step.uses)).toBe(PINNED_ACTIONS[action!]);
        if (action === 'actions/setup-node') {
          expect(String(step.with?.['node-version'])).toBe('20');
          expect(step.with?.cache).toBe('npm');
        }
      }
    }
  });

  it('only references step ids that exist earlier in the same job', () => {
    for (const [id, job] of Object.entries(jobs)) {
      const seen = new Set<string>();
      const check = (value: unknown, where: string) => {
        for (const m of JSON.stringify(value ?? '').matchAll(/steps\.([A-Za-z0-9_-]+)\./g)) {
          expect(seen, `${id} ${where} refers to steps.${m[1]}`).toContain(m[1]);
        }
      };
      for (const [index, step] of (job.steps as Json[]).entries()) {
        check({ if: step.if, env: step.env, with: step.with }, `steps[${index}]`);
        if (step.id) seen.add(step.id);
      }
      check(job.outputs, 'outputs');
    }
  });

  it('passes values to scripts through env, never ${{ }} inside run (script injection)', () => {
    for (const script of scriptsOf(file)) expect(script.text, script.where).not.toContain('${{');
  });

  it('runs pipelines under shell: bash, which sets -o pipefail', () => {
    for (const job of Object.values(jobs)) {
      for (const step of (job.steps ?? []) as Json[]) {
        if (typeof step.run !== 'string') continue;
        const pipes = tokenize(step.run).tokens.some((t) => t.kind === 'op' && t.value === '|');
        if (pipes) expect(step.shell === 'bash' || /set -[a-z]*o pipefail/.test(step.run), step.name).toBe(true);
      }
    }
  });
});

describe('GitLab pipeline', () => {
  const file = GITLAB.find((f) => f.path.endsWith('.gitlab-ci.yml'));
  const doc = file ? load(file) : ({} as Json);
  const jobs = gitlabJobs(doc);
  const visible = Object.fromEntries(Object.entries(jobs).filter(([name]) => !name.startsWith('.')));

  it('declares the stages validate, plan, apply, drift and uses only those', () => {
    expect(doc.stages).toEqual(['validate', 'plan', 'apply', 'drift']);
    for (const [name, job] of Object.entries(visible)) {
      expect(doc.stages, `${name}.stage`).toContain(job.stage);
      expect(lines(job.script).length, `${name}.script`).toBeGreaterThan(0);
      for (const need of (job.needs ?? []) as unknown[]) {
        const jobName = typeof need === 'string' ? need : (need as Json).job;
        expect(Object.keys(visible), `${name}.needs`).toContain(jobName);
      }
    }
  });

  it('keeps API keys out of the file (masked CI/CD variables)', () => {
    expect(JSON.stringify(doc.variables ?? {})).not.toMatch(/DASHSCOPE_API_KEY/);
  });
});

describe('vocab command lines in the recipes', () => {
  it('are found in every recipe file, covering validate, plan, apply, drift and outputs', () => {
    for (const file of FILES) expect(INVOCATIONS.some((v) => v.file === file.path), file.path).toBe(true);
    const used = new Set(INVOCATIONS.map((v) => v.subcommand));
    for (const sub of ['validate', 'plan', 'apply', 'drift', 'outputs']) expect(used, sub).toContain(sub);
  });

  it.each(INVOCATIONS.map((v) => [`${v.file} ${v.where}: vocab ${v.subcommand} ${v.flags.join(' ')}`, v] as const))(
    '%s',
    (_title, invocation) => {
      expect(SUBCOMMANDS, `unknown subcommand in: ${invocation.text}`).toContain(invocation.subcommand);
      const help = helpOf(invocation.subcommand!);
      const missing = invocation.flags.filter((flag) => !lists(help.text, flag));
      const why = help.problem ? ` ("vocab ${invocation.subcommand} --help" ${help.problem})` : '';
      expect(
        missing,
        `"vocab ${invocation.subcommand} --help" does not list ${missing.join(', ')}${why}, used in ${invocation.file}, ${invocation.where}: ${invocation.text}\nIts help output was:\n${help.text || '(empty)'}`,
      ).toEqual([]);
    },
  );
});

// ---------------------------------------------------------------------------------------------
// What makes each recipe safe

function invocationsIn(step: Json): VocabInvocation[] {
  return typeof step.run === 'string' ? findVocabInvocations(step.run) : [];
}

describe('apply workflow (GitHub)', () => {
  const { doc } = githubFile('vocab-apply.yml');
  const jobs = Object.entries((doc.jobs ?? {}) as Record<string, Json>).filter(([, job]) =>
    ((job.steps ?? []) as Json[]).some((s) => invocationsIn(s).some((v) => v.subcommand === 'apply')),
  );

  it('runs on pushes to main and by hand', () => {
    expect(doc.on.push.branches).toContain('main');
    expect(doc.on).toHaveProperty('workflow_dispatch');
    expect(jobs.length).toBeGreaterThan(0);
  });

  it.each(jobs.map(([id, job]) => [id, job] as const))('job %s serialises applies per environment and is protected', (_id, job) => {
    const steps = job.steps as Json[];
    const applies = steps.flatMap(invocationsIn).filter((v) => v.subcommand === 'apply');
    const envs = new Set(applies.map((v) => v.args[v.args.indexOf('--env') + 1]));
    expect(envs.size, 'one environment per job').toBe(1);
    const [env] = envs;
    const concurrency = (job.concurrency ?? doc.concurrency) as Json;
    expect(concurrency?.group).toBe(`vocab-apply-${env}`);
    expect(concurrency?.['cancel-in-progress']).toBe(false);
    expect(job.environment?.name ?? job.environment).toBe(env);
    for (const apply of applies) {
      expect(apply.flags, 'stdin is not a terminal in CI').toContain('--yes');
      expect(apply.args.join(' ')).toContain('--format json');
    }
  });

  it.each(jobs.map(([id, job]) => [id, job] as const))('job %s keeps the backups and the result even when apply fails', (_id, job) => {
    const steps = job.steps as Json[];
    const applyIndex = steps.findIndex((s) => invocationsIn(s).some((v) => v.subcommand === 'apply'));
    const uploadIndex = steps.findIndex((s) => String(s.uses).startsWith('actions/upload-artifact@'));
    expect(uploadIndex).toBeGreaterThan(applyIndex);
    const upload = steps[uploadIndex]!;
    expect(String(upload.if)).toContain('always()');
    const paths = String(upload.with?.path).split('\n').map((p) => p.trim());
    expect(paths).toContain('.vocab/backups/');
    expect(paths).toContain('apply.json');
    // upload-artifact@v4 skips hidden folders such as .vocab unless told otherwise.
    expect(upload.with?.['include-hidden-files']).toBe(true);
    expect(String(steps[applyIndex]!.run)).toMatch(/>\s*apply\.json/);
  });

  it('exposes the live ids as step outputs', () => {
    const steps = jobs.flatMap(([, job]) => job.steps as Json[]);
    const outputs = steps.filter((s) => invocationsIn(s).some((v) => v.subcommand === 'outputs' && v.args.join(' ').includes('--format github')));
    expect(outputs.length).toBeGreaterThan(0);
    for (const step of outputs) expect(step.id).toBeTruthy();
  });
});

describe('plan workflow (GitHub)', () => {
  const { doc } = githubFile('vocab-plan.yml');
  const job = Object.values((doc.jobs ?? {}) as Record<string, Json>)[0] ?? {};
  const steps = (job.steps ?? []) as Json[];
  const marker = '<!-- vocab-sync-plan -->';

  it('runs on pull requests touching the vocabulary files', () => {
    expect(doc.on.pull_request.paths).toEqual(expect.arrayContaining(['vocab.config.yaml']));
    expect(job.permissions?.['pull-requests']).toBe('write');
  });

  it('validates, then plans every environment with detailed exit codes, capturing the code', () => {
    const all = steps.flatMap(invocationsIn);
    expect(all.some((v) => v.subcommand === 'validate')).toBe(true);
    const planIndex = steps.findIndex((s) => invocationsIn(s).some((v) => v.subcommand === 'plan' && v.flags.includes('--all-environments')));
    expect(planIndex).toBeGreaterThan(-1);
    const plan = steps[planIndex]!;
    const invocation = invocationsIn(plan).find((v) => v.subcommand === 'plan')!;
    expect(invocation.args.join(' ')).toContain('--format markdown');
    expect(invocation.flags).toContain('--detailed-exitcode');
    expect(plan.id).toBeTruthy();
    // The code is kept (`|| code=$?`) so exit 2 is not a failure and exit 1 fails later.
    expect(plan.run).toMatch(/\|\|\s*code=\$\?/);
    expect(plan.run).toContain('$GITHUB_OUTPUT');
  });

  it('keeps one sticky comment, found by its hidden marker and updated in place', () => {
    const comment = steps.find((s) => String(s.uses).startsWith('actions/github-script@'));
    const script = String(comment?.with?.script);
    expect(script).toContain(marker);
    expect(script).toContain('updateComment');
    expect(script).toContain('createComment');
    expect(script).toMatch(/paginate/);
    expect(steps.some((s) => typeof s.run === 'string' && s.run.includes(`'${marker}'`)), 'the comment body starts with the marker').toBe(true);
  });

  it('writes the report to the job summary', () => {
    expect(steps.some((s) => typeof s.run === 'string' && s.run.includes('$GITHUB_STEP_SUMMARY'))).toBe(true);
  });

  it('saves the prod plan document as an artifact', () => {
    const save = steps.flatMap(invocationsIn).find((v) => v.subcommand === 'plan' && v.args.includes('--out'));
    expect(save?.args.join(' ')).toContain('--env prod');
    expect(save?.args[save.args.indexOf('--out') + 1]).toBe('plan.json');
    const upload = steps.find((s) => String(s.uses).startsWith('actions/upload-artifact@'));
    expect(String(upload?.with?.path)).toContain('plan.json');
  });

  it('fails on exit 1 only after the comment is posted', () => {
    const commentIndex = steps.findIndex((s) => String(s.uses).startsWith('actions/github-script@'));
    const failIndex = steps.findIndex((s) => typeof s.run === 'string' && /exit 1/.test(s.run) && /0\|2\)/.test(s.run));
    expect(failIndex).toBeGreaterThan(commentIndex);
  });

  it('skips planning with a notice when the run has no secrets (forks)', () => {
    const check = steps.find((s) => typeof s.run === 'string' && s.run.includes('::notice'));
    expect(check?.id).toBeTruthy();
    const plan = steps.find((s) => invocationsIn(s).some((v) => v.subcommand === 'plan'));
    expect(String(plan?.if)).toContain(`steps.${check?.id}.outputs`);
  });
});

describe('drift workflow (GitHub)', () => {
  const { doc } = githubFile('vocab-drift.yml');
  const job = Object.values((doc.jobs ?? {}) as Record<string, Json>)[0] ?? {};
  const steps = (job.steps ?? []) as Json[];
  const drift = steps.find((s) => invocationsIn(s).some((v) => v.subcommand === 'drift'));

  it('runs daily and by hand, with issues: write', () => {
    expect(doc.on.schedule?.[0]?.cron).toMatch(/^\S+ \S+ \* \* \*$/);
    expect(doc.on).toHaveProperty('workflow_dispatch');
    expect(job.permissions?.issues).toBe('write');
  });

  it('reports every environment as markdown and records the exit code', () => {
    const invocation = invocationsIn(drift ?? {}).find((v) => v.subcommand === 'drift');
    expect(invocation?.flags).toContain('--all-environments');
    expect(invocation?.args.join(' ')).toContain('--format markdown');
    expect(drift?.id).toBeTruthy();
    expect(drift?.run).toMatch(/\|\|\s*code=\$\?/);
  });

  it('treats exit 2 as drift: opens or updates one labelled issue', () => {
    const step = steps.find((s) => String(s.if).includes(`steps.${drift?.id}.outputs.exitcode == '2'`));
    const script = String(step?.with?.script);
    expect(script).toContain('vocab-drift');
    expect(script).toContain('createIssue');
    expect(script).toMatch(/issues\.update\(/);
  });

  it('closes the issue on exit 0 and fails the job on anything else', () => {
    const close = steps.find((s) => String(s.if).includes(`steps.${drift?.id}.outputs.exitcode == '0'`));
    expect(String(close?.with?.script)).toContain("state: 'closed'");
    const fail = steps.find((s) => /!= '0'/.test(String(s.if)) && /!= '2'/.test(String(s.if)));
    expect(String(fail?.run)).toContain('exit 1');
  });
});

describe('GitLab recipe', () => {
  const file = GITLAB.find((f) => f.path.endsWith('.gitlab-ci.yml'));
  const doc = file ? load(file) : ({} as Json);
  const jobs = Object.entries(gitlabJobs(doc)).filter(([name]) => !name.startsWith('.'));
  const using = (sub: string) =>
    jobs.filter(([, job]) => lines(job.script).some((l) => findVocabInvocations(l).some((v) => v.subcommand === sub)));

  it('plans merge requests into one sticky note and keeps the plan as artifacts', () => {
    const [[, plan] = ['', {} as Json]] = using('plan');
    expect(JSON.stringify(plan.rules)).toContain('merge_request_event');
    const script = lines(plan.script).join('\n');
    expect(script).toContain('<!-- vocab-sync-plan -->');
    expect(script).toContain('GITLAB_TOKEN');
    expect(script).toMatch(/merge_requests\/.*\/notes/);
    expect(plan.artifacts?.paths).toEqual(expect.arrayContaining(['plan.json', 'plan.md']));
    expect(plan.artifacts?.when).toBe('always');
  });

  it('serialises each apply with a resource group and keeps backups even on failure', () => {
    const applies = using('apply');
    expect(applies.map(([name]) => name)).toEqual(expect.arrayContaining(['apply:prod']));
    for (const [name, job] of applies) {
      const invocation = lines(job.script).flatMap((l) => findVocabInvocations(l)).find((v) => v.subcommand === 'apply')!;
      const env = invocation.args[invocation.args.indexOf('--env') + 1];
      expect(job.resource_group, name).toBe(`vocab-apply-${env}`);
      expect(job.environment?.name, name).toBe(env);
      expect(invocation.flags, name).toContain('--yes');
      expect(job.artifacts?.when, name).toBe('always');
      expect(job.artifacts?.paths, name).toContain('.vocab/backups/');
      expect(JSON.stringify(job.rules), name).toContain('$CI_DEFAULT_BRANCH');
    }
  });

  it('runs drift on schedules and treats exit 2 as drift, not failure', () => {
    const [[, drift] = ['', {} as Json]] = using('drift');
    expect(JSON.stringify(drift.rules)).toContain('$CI_PIPELINE_SOURCE == \\"schedule\\"');
    expect(drift.allow_failure?.exit_codes).toContain(2);
    expect(lines(drift.script).join('\n')).toContain('vocab-drift');
  });
});
