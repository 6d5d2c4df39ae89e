import path from 'node:path';
import { findEnvironment, isError, loadDesiredState, sortProblems, unknownEnvironmentMessage, validateDesiredState, vocabulariesForEnvironment, type Problem } from '../../config/index.js';
import { ConfigError } from '../../errors.js';
import { renderProblemsGithub } from '../../report/render-problems-github.js';
import type { Command } from '../context.js';
import { oneOf, parseCommandArgs, stringFlag } from '../options.js';
import { plural } from '../../util/text.js';

const HELP = `Usage: vocab validate [--config PATH] [--env NAME] [--format text|json|github]

Checks the config and every vocabulary file: YAML syntax, the JSON Schemas, and the domain
rules (prefixes, text length, weights, languages, duplicates, models per region, word caps).
Every problem is reported at once as FILE:LINE:COL: message. Nothing is sent anywhere.

Options:
  --config PATH    config file (default: search vocab.config.yaml and friends from here up)
  --env NAME       check only this environment's rules (default: every environment)
  --format FORMAT  text (default), json (an array of {file, line, column, path, message,
                   severity}) or github (workflow commands: each problem shows inline on the
                   pull request's diff; file names relative to $GITHUB_WORKSPACE)
  --debug          show stack traces for unexpected errors
  -h, --help       show this help

Exit codes: 0 valid (warnings allowed), 1 problems found or the config cannot be read.

Examples:
  vocab validate
  vocab validate --env prod
  vocab validate --config examples/fun-asr-movies/vocab.config.yaml --format json
  vocab validate --format github          # in a GitHub Actions step
`;


function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}`;
}

/** Problems with file names relative to the repository root, as GitHub's annotations need them. */
function relativeToWorkspace(problems: Problem[], cwd: string, workspace: string | undefined): Problem[] {
  if (!workspace) return problems;
  return problems.map((p) => ({ ...p, file: path.relative(workspace, path.resolve(cwd, p.file)).split(path.sep).join('/') }));
}

/** `vocab validate`: load, check, print. */
export const validateCommand: Command = {
  help: HELP,
  async run(args, ctx) {
    const parsed = parseCommandArgs('validate', args, { format: { type: 'string' } });
    const format = oneOf('format', stringFlag(parsed, 'format'), ['text', 'json', 'github'] as const, 'text');
    const envName = stringFlag(parsed, 'env');
    const configPath = stringFlag(parsed, 'config');
    const { state, problems } = await loadDesiredState({ cwd: ctx.cwd, ...(configPath === undefined ? {} : { configPath }) });

    let all = problems;
    if (state !== null) {
      const names = Object.keys(state.environments);
      if (envName !== undefined && findEnvironment(state.environments, envName) === undefined) {
        throw new ConfigError(unknownEnvironmentMessage(envName, names));
      }
      all = sortProblems([...problems, ...validateDesiredState(state, envName === undefined ? {} : { environment: envName })]);
    }
    const errors = all.filter(isError);
    const warnings = all.length - errors.length;

    if (format === 'json') {
      const rows = all.map((p) => ({ file: p.file, line: p.line, column: p.column, path: p.path, message: p.message, severity: p.severity ?? 'error' }));
      ctx.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return errors.length > 0 ? 1 : 0;
    }
    if (format === 'github') ctx.stdout.write(renderProblemsGithub(relativeToWorkspace(all, ctx.cwd, ctx.env.GITHUB_WORKSPACE)));
    else for (const p of all) ctx.stderr.write(`${formatProblem(p)}\n`);
    if (errors.length > 0 || state === null) {
      ctx.stderr.write(`${plural(errors.length, 'error', 'errors')}${warnings > 0 ? `, ${plural(warnings, 'warning', 'warnings')}` : ''}\n`);
      return 1;
    }
    const count = envName === undefined ? state.vocabularies.length : vocabulariesForEnvironment(state, envName).length;
    const scope =
      envName === undefined ? plural(Object.keys(state.environments).length, 'environment', 'environments') : `environment "${envName}"`;
    ctx.stdout.write(`${plural(count, 'vocabulary', 'vocabularies')} valid (${scope})${warnings > 0 ? `, ${plural(warnings, 'warning', 'warnings')}` : ''}\n`);
    return 0;
  },
};
