import { driftEnvironment, listEnvironments } from '../../run.js';
import type { DriftReport } from '../../plan/build-drift-report.js';
import { renderDriftJson, renderDriftMarkdown, renderDriftText } from '../../report/index.js';
import type { Command } from '../context.js';
import { UsageError } from '../errors.js';
import { booleanFlag, oneOf, parseCommandArgs, stringFlag, targetFlags } from '../options.js';
import { log, wantsColor } from '../terminal.js';

const FORMATS = ['text', 'markdown', 'json'] as const;

export const driftCommand: Command = {
  help: `Usage: vocab drift [--env NAME] [--config PATH] [--format text|markdown|json] [--all-environments]

Compares the account with the desired state without changing anything: content changed out of
band, owned lists missing or extra, lists whose status is not OK, and quota headroom.

Options:
  --env NAME            environment to check (default: default_environment)
  --format FORMAT       text (default), markdown (for an issue) or json
  --all-environments    check every environment of the config, one section each

Exit codes: 0 in sync, 2 drift found, 1 error.

Examples:
  vocab drift --env prod
  vocab drift --all-environments --format markdown > drift.md`,
  async run(args, ctx) {
    const parsed = parseCommandArgs('drift', args, {
      format: { type: 'string' },
      'all-environments': { type: 'boolean' },
    });
    const format = oneOf('format', stringFlag(parsed, 'format'), FORMATS, 'text');
    const { environment, ...base } = targetFlags(parsed, ctx);
    let names: (string | undefined)[] = [environment];
    if (booleanFlag(parsed, 'all-environments')) {
      if (environment) throw new UsageError('--all-environments and --env cannot be used together');
      names = await listEnvironments(base);
    }
    const reports: DriftReport[] = [];
    for (const name of names) {
      const drift = await driftEnvironment({ ...base, ...(name ? { environment: name } : {}) });
      await drift.service.close?.();
      for (const w of drift.warnings) log(ctx, `warning: ${w.file}:${w.line}:${w.column}: ${w.message}`);
      reports.push(drift.report);
    }
    const color = wantsColor(ctx, ctx.stdout);
    if (format === 'json') {
      ctx.stdout.write(reports.length === 1 ? renderDriftJson(reports[0]!) : `${JSON.stringify({ format_version: 1, reports: reports.map((r) => JSON.parse(renderDriftJson(r)) as unknown) }, null, 2)}\n`);
    } else {
      const render = (r: DriftReport): string => (format === 'markdown' ? renderDriftMarkdown(r) : renderDriftText(r, { color }));
      ctx.stdout.write(reports.map(render).join('\n'));
    }
    return reports.every((r) => r.in_sync) ? 0 : 2;
  },
};
