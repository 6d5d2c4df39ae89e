import { driftEnvironment, listEnvironments } from '../../run.js';
import type { DriftReport } from '../../plan/build-drift-report.js';
import type { Command } from '../context.js';
import { UsageError } from '../errors.js';
import { booleanFlag, parseCommandArgs, stringFlag, targetFlags } from '../options.js';
import { chooseFormat, formatsOf, printDocument } from '../renderers.js';
import { log } from '../terminal.js';

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
    }, { formats: formatsOf('drift') });
    // `drift` and `drifts` (several environments) offer the same formats.
    const format = chooseFormat('drift', stringFlag(parsed, 'format'));
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
    // One report is printed as itself, even with --all-environments and one environment.
    if (reports.length === 1) printDocument(ctx, parsed, 'drift', format, reports[0]!);
    else printDocument(ctx, parsed, 'drifts', format, reports);
    return { kind: 'drifted', reports };
  },
};
