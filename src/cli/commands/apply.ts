import { resolve } from 'node:path';
import { isPlanRefused } from '../../plan/check-plan.js';
import { withChecks } from '../../plan/plan-checks.js';
import type { Plan } from '../../plan/types.js';
import { plural } from '../../util/text.js';
import { readPlanFile } from '../../sync/plan-file.js';
import { applyPlanned, planEnvironment, replanSaved, type PlannedEnvironment } from '../../run.js';
import { escapeTerminalBlock } from '../../report/escape-terminal.js';
import type { ApplyResult } from '../../plan/types.js';
import type { CliContext, Command } from '../context.js';
import { EXIT, type Outcome } from '../exit-codes.js';
import { booleanFlag, parseCommandArgs, stringFlag, stringsFlag, targetFlags, type ParsedCommandArgs } from '../options.js';
import { chooseFormat, formatsOf, printDocument, type FormatOf } from '../renderers.js';
import { confirm, log } from '../terminal.js';
import { UsageError } from '../errors.js';

/**
 * The first SIGINT or SIGTERM aborts `controller` (no new change starts; those in flight
 * finish); a second one exits at once. Returns the function that removes the handlers.
 */
function listenForInterrupts(ctx: CliContext, controller: AbortController): () => void {
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      log(ctx, `${name} again: exiting now; changes in flight may or may not have happened ("vocab plan" shows the account)`);
      process.exit(EXIT.interrupted);
    }
    log(ctx, `${name}: no new change will start; finishing the changes in flight (${name === 'SIGINT' ? 'Ctrl-C' : 'the signal'} again exits at once)`);
    controller.abort(name);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/** Applies with progress on stderr; SIGINT / SIGTERM stop new changes (see `listenForInterrupts`). */
async function applyUntilInterrupted(ctx: CliContext, planned: PlannedEnvironment, force: boolean): Promise<ApplyResult> {
  const interrupt = new AbortController();
  const stopListening = listenForInterrupts(ctx, interrupt);
  try {
    return await applyPlanned(planned, {
      force,
      signal: interrupt.signal,
      onProgress: (event) => log(ctx, `${event.kind === 'failed' ? '✗' : event.kind === 'done' ? '✓' : '·'} ${escapeTerminalBlock(event.message)}`),
      onLockWait: (ms) => log(ctx, `· waiting for another vocab apply on this account to finish (${Math.round(ms / 1000)} s so far)`),
    });
  } finally {
    stopListening();
  }
}

export const applyCommand: Command = {
  help: `Usage: vocab apply [PLAN_FILE] [--env NAME] [--config PATH] [--target NAME]... [--yes] [--force]
                   [--format text|json]

Without PLAN_FILE: plans afresh, shows the plan, asks for confirmation on a terminal (or takes
--yes) and applies it. With PLAN_FILE (written by "vocab plan --out"): re-reads the account and
applies exactly that plan, or refuses with "plan is stale" if the account changed since, or
when this apply would talk to another endpoint than the plan was made against. A plan saved
with --target applies to its targets only.

Before any list is updated, replaced or deleted its previous content is saved under
.vocab/backups/. Progress goes to stderr, the result to stdout.

Ctrl-C (SIGINT) or SIGTERM during the apply starts no new change, lets the changes in flight
finish, prints the report (changes not started: skipped) and exits 130; a second one exits at once.

Options:
  --yes             apply without asking (needed when stdin is not a terminal)
  --force           accept plans that only break safety rules (never quota or word caps)
  --target NAME     only the changes of this vocabulary (declared name or prefix; repeatable;
                    not with PLAN_FILE); the quota and safety checks count the whole account
  --format FORMAT   text (default) or json
  --env, --config   as for every command

Exit codes: 0 applied (or nothing to do), 1 error, refused or stale plan, or a partial apply
(including changes that the service's update spacing does not allow yet), 130 interrupted.

Examples:
  vocab apply --yes
  vocab apply --env prod --target movies --yes
  vocab plan --env prod --out plan.json && vocab apply plan.json`,
  async run(args, ctx) {
    const parsed = parseCommandArgs('apply', args, {
      yes: { type: 'boolean', short: 'y' },
      'auto-approve': { type: 'boolean' },
      force: { type: 'boolean' },
      format: { type: 'string' },
      target: { type: 'string', multiple: true },
    }, { positionals: true, formats: formatsOf('apply') });
    if (parsed.positionals.length > 1) throw new UsageError('vocab apply takes at most one plan file');
    const format = chooseFormat('apply', stringFlag(parsed, 'format'));
    const planned = await plannedOf(parsed, ctx);
    try {
      return await confirmAndApply(parsed, ctx, planned, format);
    } finally {
      await planned.service.close?.();
    }
  },
};

/** The saved plan re-planned (PLAN_FILE), or a fresh plan of the environment. */
async function plannedOf(parsed: ParsedCommandArgs, ctx: CliContext): Promise<PlannedEnvironment> {
  const { environment, ...base } = targetFlags(parsed, ctx);
  const planFile = parsed.positionals[0];
  const targets = stringsFlag(parsed, 'target');
  if (!planFile) return planEnvironment({ ...base, ...(environment ? { environment } : {}), ...(targets.length > 0 ? { targets } : {}) });
  if (targets.length > 0) {
    throw new UsageError('--target cannot be used with a plan file: a plan saved with "vocab plan --target" applies to its own targets only');
  }
  const saved = await readPlanFile(resolve(ctx.cwd, planFile));
  if (environment && environment !== saved.environment) {
    throw new UsageError(`the plan file is for environment "${saved.environment}", not "${environment}"`);
  }
  return replanSaved(saved, base);
}

/** Shows the plan (fresh plans, text), asks unless told not to, applies and prints the result. */
async function confirmAndApply(parsed: ParsedCommandArgs, ctx: CliContext, planned: PlannedEnvironment, format: FormatOf<'apply'>): Promise<Outcome> {
  const force = booleanFlag(parsed, 'force');
  const fresh = !parsed.positionals[0];
  for (const w of planned.warnings) log(ctx, `warning: ${w.file}:${w.line}:${w.column}: ${w.message}`);
  for (const c of planned.leftOut ?? []) {
    log(ctx, escapeTerminalBlock(`note: the plan file leaves out "${c.action} ${c.name ?? c.prefix} (${c.target_model})"; it is not applied`));
  }
  const plan = withChecks(planned.plan, { force });
  const pending = plan.changes.filter((c) => c.action !== 'noop').length;
  if (fresh && format === 'text') printDocument(ctx, parsed, 'plan', 'text', plan, ctx.stderr);
  else noteTargets(ctx, plan);
  const approved = booleanFlag(parsed, 'yes') || booleanFlag(parsed, 'auto-approve');
  if (pending > 0 && fresh && !approved && !isPlanRefused(plan, { force })) {
    if (ctx.stdin.isTTY !== true) {
      log(ctx, 'error: refusing to apply without confirmation: stdin is not a terminal; pass --yes, or apply a saved plan file');
      return { kind: 'failed' };
    }
    if (!(await confirm(ctx, confirmQuestion(plan, pending)))) {
      log(ctx, 'Apply cancelled; nothing was changed.');
      return { kind: 'failed' };
    }
  }
  const result = await applyUntilInterrupted(ctx, planned, force);
  printDocument(ctx, parsed, 'apply', format, result);
  if (result.interrupted) {
    log(ctx, `apply interrupted: ${result.summary.applied} applied, ${result.summary.failed} failed, ${result.summary.skipped} not carried out`);
  }
  return { kind: 'applied', result };
}

/** When the plan is not shown: which targets limit it, and each change they leave out (not applied). */
function noteTargets(ctx: CliContext, plan: Plan): void {
  if (!plan.targets) return;
  const names = plan.targets.join(', ');
  log(ctx, escapeTerminalBlock(`note: the plan is limited by --target ${names}; the quota and the safety checks count the whole account`));
  for (const c of plan.left_out ?? []) {
    log(ctx, escapeTerminalBlock(`note: --target ${names} leaves out "${c.action} ${c.name ?? c.prefix} (${c.target_model})"; it is not applied`));
  }
}

/** The question names only what apply will do: the changes, the targets, and the checks --force overrides. */
function confirmQuestion(plan: Plan, pending: number): string {
  const overridden = [...new Set(plan.violations.filter((v) => v.overridden).map((v) => v.rule))];
  const forced = overridden.length > 0 ? `, overriding ${overridden.join(', ')} with --force` : '';
  const limited = plan.targets ? ` (limited by --target ${plan.targets.join(', ')})` : '';
  return `Apply ${plural(pending, 'change')} to environment "${plan.environment}"${limited}${forced}?`;
}
