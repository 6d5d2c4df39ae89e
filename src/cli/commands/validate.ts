import path from 'node:path';
import { findEnvironment, isError, loadDesiredState, sortProblems, unknownEnvironmentMessage, validateDesiredState, vocabulariesForEnvironment, type Problem } from '../../config/index.js';
import { ConfigError } from '../../errors.js';
import type { DesiredState } from '../../config/types.js';
import type { Command } from '../context.js';
import { parseCommandArgs, stringFlag } from '../options.js';
import { chooseFormat, formatsOf, printDocument } from '../renderers.js';
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


/** Problems with file names relative to the repository root, as GitHub's annotations need them. */
function relativeToWorkspace(problems: Problem[], cwd: string, workspace: string | undefined): Problem[] {
  if (!workspace) return problems;
  return problems.map((p) => ({ ...p, file: path.relative(workspace, path.resolve(cwd, p.file)).split(path.sep).join('/') }));
}

/** What was checked and found valid: the vocabularies of every environment, or of `--env`. */
function validScope(state: DesiredState, envName: string | undefined): { vocabularies: number; scope: string } {
  if (envName === undefined) {
    return { vocabularies: state.vocabularies.length, scope: plural(Object.keys(state.environments).length, 'environment', 'environments') };
  }
  return { vocabularies: vocabulariesForEnvironment(state, envName).length, scope: `environment "${envName}"` };
}

/** `vocab validate`: load, check, print. */
export const validateCommand: Command = {
  help: HELP,
  async run(args, ctx) {
    const parsed = parseCommandArgs('validate', args, { format: { type: 'string' } }, { formats: formatsOf('validation') });
    const format = chooseFormat('validation', stringFlag(parsed, 'format'));
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
    const valid = state !== null && !all.some(isError) ? validScope(state, envName) : null;
    const workspaceProblems = relativeToWorkspace(all, ctx.cwd, ctx.env.GITHUB_WORKSPACE);
    printDocument(ctx, parsed, 'validation', format, { problems: all, workspaceProblems, valid });
    return { kind: valid === null ? 'failed' : 'done' };
  },
};
