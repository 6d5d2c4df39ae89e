import { resolve } from 'node:path';
import { isPlanRefused } from '../../reconcile/check-plan.js';
import { writePlanFile } from '../../reconcile/plan-file.js';
import { planEnvironment } from '../../reconcile/pipeline.js';
import { renderPlanJson, renderPlanMarkdown, renderPlanText } from '../../report/index.js';
import type { Command } from '../context.js';
import { booleanFlag, oneOf, parseCommandArgs, stringFlag } from '../options.js';
import { log, wantsColor } from '../terminal.js';

const FORMATS = ['text', 'markdown', 'json'] as const;

export const planCommand: Command = {
  summary: 'show what apply would change (reads only)',
  help: `Usage: vocab plan [--env NAME] [--config PATH] [--format text|markdown|json] [--out FILE]
                  [--detailed-exitcode] [--force]

Reads the desired state and the account, and prints the changes that "vocab apply" would make,
checked against the account quota, word caps and the safety rules. Nothing is written.

Options:
  --env NAME            environment to plan (default: default_environment)
  --config PATH         config file (default: found from the current folder)
  --format FORMAT       text (default), markdown (for pull-request comments) or json (plan document)
  --out FILE            also save the plan document, for "vocab apply FILE"
  --detailed-exitcode   exit 2 when there are changes, 0 when there are none
  --force               accept plans that only break safety rules (never quota or word caps)
  --debug               show stack traces

Exit codes: 0 success (no changes with --detailed-exitcode), 1 error or refused plan,
2 changes present (with --detailed-exitcode).

Examples:
  vocab plan
  vocab plan --env prod --format markdown > plan.md
  vocab plan --env prod --out plan.json && vocab apply plan.json`,
  async run(args, ctx) {
    const parsed = parseCommandArgs('plan', args, {
      format: { type: 'string' },
      out: { type: 'string' },
      'detailed-exitcode': { type: 'boolean' },
      force: { type: 'boolean' },
    });
    if (booleanFlag(parsed, 'help')) {
      ctx.stdout.write(`${this.help}\n`);
      return 0;
    }
    const format = oneOf('format', stringFlag(parsed, 'format'), FORMATS, 'text');
    const configPath = stringFlag(parsed, 'config');
    const environment = stringFlag(parsed, 'env');
    const planned = await planEnvironment({
      cwd: ctx.cwd,
      env: ctx.env,
      ...(configPath ? { configPath } : {}),
      ...(environment ? { environment } : {}),
    });
    try {
      for (const w of planned.warnings) log(ctx, `warning: ${w.file}:${w.line}:${w.column}: ${w.message}`);
      const { plan } = planned;
      if (format === 'json') ctx.stdout.write(renderPlanJson(plan));
      else if (format === 'markdown') ctx.stdout.write(renderPlanMarkdown(plan));
      else ctx.stdout.write(renderPlanText(plan, { color: wantsColor(ctx, ctx.stdout) }));
      const out = stringFlag(parsed, 'out');
      if (out) {
        await writePlanFile(resolve(ctx.cwd, out), plan);
        log(ctx, `Saved the plan to ${out}; apply it with: vocab apply ${out}`);
      }
      if (isPlanRefused(plan, { force: booleanFlag(parsed, 'force') })) return 1;
      const changes = plan.changes.some((c) => c.action !== 'noop');
      return booleanFlag(parsed, 'detailed-exitcode') && changes ? 2 : 0;
    } finally {
      await planned.service.close?.();
    }
  },
};
