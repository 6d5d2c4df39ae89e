import { resolve } from 'node:path';
import { checkPlanFileTarget, writePlanFile } from '../../sync/plan-file.js';
import { showValue } from '../../util/secrets.js';
import { withChecks } from '../../plan/plan-checks.js';
import { listEnvironments, planEnvironment, type PlannedEnvironment } from '../../run.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import type { Command } from '../context.js';
import type { Outcome } from '../exit-codes.js';
import type { Plan } from '../../plan/types.js';
import { booleanFlag, parseCommandArgs, stringFlag, stringsFlag, targetFlags, type ParsedCommandArgs, type TargetFlags } from '../options.js';
import { chooseFormat, formatsOf, printDocument, type FormatOf } from '../renderers.js';
import { log } from '../terminal.js';

export const planCommand: Command = {
  help: `Usage: vocab plan [--env NAME] [--config PATH] [--format text|markdown|json] [--out FILE]
                  [--target NAME]... [--detailed-exitcode] [--force] [--all-environments]

Reads the desired state and the account, and prints the changes that "vocab apply" would make,
checked against the account quota, word caps and the safety rules. Nothing is written.

Options:
  --env NAME            environment to plan (default: default_environment)
  --config PATH         config file (default: found from the current folder)
  --format FORMAT       text (default), markdown (for pull-request comments) or json (plan document)
  --out FILE            also save the plan document, for "vocab apply FILE"
  --target NAME         only the changes of this vocabulary (declared name or prefix; repeatable);
                        the quota and safety checks still count the whole account
  --detailed-exitcode   exit 2 when there are changes, 0 when there are none
  --all-environments    plan every environment of the config into one report (a section each)
  --force               accept plans that only break safety rules (never quota or word caps)
  --debug               show stack traces

Exit codes: 0 success (no changes with --detailed-exitcode), 1 error or refused plan,
2 changes present (with --detailed-exitcode).

Examples:
  vocab plan
  vocab plan --env prod --format markdown > plan.md
  vocab plan --env prod --out plan.json && vocab apply plan.json
  vocab plan --env prod --target movies --out plan.json   # apply plan.json changes movies only
  vocab plan --all-environments --format markdown > plan.md`,
  async run(args, ctx) {
    const parsed = parseCommandArgs('plan', args, {
      format: { type: 'string' },
      out: { type: 'string' },
      'detailed-exitcode': { type: 'boolean' },
      force: { type: 'boolean' },
      'all-environments': { type: 'boolean' },
      target: { type: 'string', multiple: true },
    }, { formats: formatsOf('plan') });
    // `plan` and `plans` (--all-environments) offer the same formats.
    const format = chooseFormat('plan', stringFlag(parsed, 'format'));
    const target = targetFlags(parsed, ctx);
    const force = booleanFlag(parsed, 'force');
    const detailed = booleanFlag(parsed, 'detailed-exitcode');
    const targets = stringsFlag(parsed, 'target');
    if (booleanFlag(parsed, 'all-environments')) {
      if (target.environment) throw new UsageError('--all-environments and --env cannot be used together');
      if (targets.length > 0) throw new UsageError('--target limits the plan of one environment; use --env with it, not --all-environments');
      if (stringFlag(parsed, 'out') !== undefined) throw new UsageError('--out saves the plan of one environment; use --env with it');
      return planAll(ctx, parsed, target, { format, force, detailed });
    }
    const out = stringFlag(parsed, 'out');
    // A bad --out fails before the account is read, not after the plan was printed.
    if (out !== undefined) await checkPlanFileTarget(resolve(ctx.cwd, out), out);
    const planned = await planEnvironment({ ...target, ...(targets.length > 0 ? { targets } : {}) });
    try {
      for (const w of planned.warnings) log(ctx, `warning: ${w.file}:${w.line}:${w.column}: ${w.message}`);
      const plan = withChecks(planned.plan, { force });
      printDocument(ctx, parsed, 'plan', format, plan);
      if (out !== undefined) {
        await writePlanFile(resolve(ctx.cwd, out), plan, out);
        log(ctx, `Saved the plan to ${showValue(out)}; apply it with: vocab apply ${showValue(out)}`);
      }
      return { kind: 'planned', plans: [plan], detailed };
    } finally {
      await planned.service.close?.();
    }
  },
};

/** One report with a section per environment, so a pull request shows staging and prod together. */
async function planAll(
  ctx: CliContext,
  parsed: ParsedCommandArgs,
  base: TargetFlags,
  options: { format: FormatOf<'plans'>; force: boolean; detailed: boolean },
): Promise<Outcome> {
  const plans: Plan[] = [];
  for (const name of await listEnvironments(base)) {
    const planned: PlannedEnvironment = await planEnvironment({ ...base, environment: name });
    await planned.service.close?.();
    plans.push(withChecks(planned.plan, { force: options.force }));
  }
  printDocument(ctx, parsed, 'plans', options.format, plans);
  return { kind: 'planned', plans, detailed: options.detailed };
}
