import { resolve } from 'node:path';
import { readPlanFile } from '../../sync/plan-file.js';
import type { Command } from '../context.js';
import { UsageError } from '../errors.js';
import { parseCommandArgs, stringFlag } from '../options.js';
import { chooseFormat, formatsOf, printDocument } from '../renderers.js';

/** `vocab show PLAN_FILE`: a saved plan, checked like any untrusted file, printed in any plan format. */
export const showCommand: Command = {
  help: `Usage: vocab show PLAN_FILE [--format text|markdown|json] [--env NAME]

Prints a plan saved by "vocab plan --out FILE" in any format, e.g. as a pull-request comment
for the plan a later job will apply. Reads only the file: no config, no key, no network. The
file is checked as untrusted input (shape and values) first; one that is not a plan document,
or was edited into one no plan can be, is refused.

Options:
  --format FORMAT   text (default), markdown (for pull-request comments) or json (plan document)
  --env NAME        refuse a plan made for another environment
  --no-color        no colour, even on a terminal

Exit codes: 0 shown, 1 the file is missing, unreadable or not a plan document.

Examples:
  vocab plan --env prod --out plan.json
  vocab show plan.json --format markdown > plan.md`,
  async run(args, ctx) {
    const parsed = parseCommandArgs('show', args, { format: { type: 'string' } }, { positionals: true, formats: formatsOf('plan') });
    const format = chooseFormat('plan', stringFlag(parsed, 'format'));
    const [file, ...extra] = parsed.positionals;
    if (file === undefined || file === '') throw new UsageError('vocab show needs a plan file (written by "vocab plan --out FILE"); see "vocab show --help"');
    if (extra.length > 0) throw new UsageError('vocab show takes one plan file');
    const plan = await readPlanFile(resolve(ctx.cwd, file));
    const environment = stringFlag(parsed, 'env');
    if (environment !== undefined && environment !== plan.environment) {
      throw new UsageError(`the plan file is for environment "${plan.environment}", not "${environment}"`);
    }
    printDocument(ctx, parsed, 'plan', format, plan);
    return { kind: 'done' };
  },
};
