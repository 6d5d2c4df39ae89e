import { relative, resolve } from 'node:path';
import { loadEnvironment } from '../../config/index.js';
import { connectService } from '../../connect.js';
import { exportRemote } from '../../sync/export-remote.js';
import type { Command } from '../context.js';
import { booleanFlag, parseCommandArgs, stringFlag, stringsFlag, targetFlags } from '../options.js';
import { log } from '../terminal.js';

/** Where exported files go by default, relative to the config's folder. */
export const DEFAULT_EXPORT_DIR = 'vocabularies';

export const exportCommand: Command = {
  summary: 'write vocabulary files from the account (adopt an existing account)',
  help: `Usage: vocab export [--env NAME] [--config PATH] [--prefix P]... [--out-dir DIR] [--force]

Writes one vocabulary file per list on the account (or per --prefix), entries sorted stably and
the common weight and language factored into "defaults", so an existing account is adopted in
one step: the next "vocab plan" shows no changes. Duplicates of one (prefix, model) export the
newest list only. Existing files are never overwritten without --force.

Options:
  --prefix P      only lists with this prefix (repeatable)
  --out-dir DIR   folder to write to (default: vocabularies/ beside the config file)
  --force         overwrite existing files

Examples:
  vocab export --env prod
  vocab export --env prod --prefix movies --prefix support --out-dir vocabularies/prod`,
  async run(args, ctx) {
    const parsed = parseCommandArgs('export', args, {
      prefix: { type: 'string', multiple: true },
      'out-dir': { type: 'string' },
      force: { type: 'boolean' },
    });
    const loaded = await loadEnvironment(targetFlags(parsed, ctx));
    const outDirFlag = stringFlag(parsed, 'out-dir');
    const outDir = outDirFlag ? resolve(ctx.cwd, outDirFlag) : resolve(loaded.state.rootDir, DEFAULT_EXPORT_DIR);
    const service = connectService(loaded.environment, { rootDir: loaded.state.rootDir, env: ctx.env });
    try {
      const result = await exportRemote({
        service,
        prefixes: stringsFlag(parsed, 'prefix'),
        outDir,
        force: booleanFlag(parsed, 'force'),
        environment: loaded.environment.name,
        now: new Date(),
      });
      for (const note of result.notes) log(ctx, `note: ${note}`);
      for (const file of result.files) {
        const objections = file.objections.length > 0 ? `; outside vocab's rules: ${file.objections.length} objection(s), listed in the file` : '';
        ctx.stdout.write(`wrote ${relative(ctx.cwd, file.path) || file.path} (${file.vocabulary_id}, ${file.entries} entries${objections})\n`);
      }
      const outside = result.files.filter((f) => f.objections.length > 0).length;
      if (outside > 0) log(ctx, `warning: ${outside} of ${result.files.length} exported lists were made outside vocab's rules; "vocab validate" will object until they are fixed`);
      if (result.files.length === 0) ctx.stdout.write('nothing to export: no matching list on the account\n');
      return 0;
    } finally {
      await service.close?.();
    }
  },
};
