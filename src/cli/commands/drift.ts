import { driftEnvironment } from '../../reconcile/pipeline.js';
import { renderDriftJson, renderDriftMarkdown, renderDriftText } from '../../report/index.js';
import type { Command } from '../context.js';
import { booleanFlag, oneOf, parseCommandArgs, stringFlag } from '../options.js';
import { log, wantsColor } from '../terminal.js';

const FORMATS = ['text', 'markdown', 'json'] as const;

export const driftCommand: Command = {
  summary: 'report out-of-band changes (reads only)',
  help: `Usage: vocab drift [--env NAME] [--config PATH] [--format text|markdown|json]

Compares the account with the desired state without changing anything: content changed out of
band, owned lists missing or extra, lists whose status is not OK, and quota headroom.

Exit codes: 0 in sync, 2 drift found, 1 error.

Examples:
  vocab drift --env prod
  vocab drift --env prod --format markdown > drift.md`,
  async run(args, ctx) {
    const parsed = parseCommandArgs('drift', args, { format: { type: 'string' } });
    if (booleanFlag(parsed, 'help')) {
      ctx.stdout.write(`${this.help}\n`);
      return 0;
    }
    const format = oneOf('format', stringFlag(parsed, 'format'), FORMATS, 'text');
    const configPath = stringFlag(parsed, 'config');
    const environment = stringFlag(parsed, 'env');
    const drift = await driftEnvironment({
      cwd: ctx.cwd,
      env: ctx.env,
      ...(configPath ? { configPath } : {}),
      ...(environment ? { environment } : {}),
    });
    try {
      for (const w of drift.warnings) log(ctx, `warning: ${w.file}:${w.line}:${w.column}: ${w.message}`);
      if (format === 'json') ctx.stdout.write(renderDriftJson(drift.report));
      else if (format === 'markdown') ctx.stdout.write(renderDriftMarkdown(drift.report));
      else ctx.stdout.write(renderDriftText(drift.report, { color: wantsColor(ctx, ctx.stdout) }));
      return drift.report.in_sync ? 0 : 2;
    } finally {
      await drift.service.close?.();
    }
  },
};
