import { relative } from 'node:path';
import { ownershipBlock } from '../../config/index.js';
import { exportEnvironment, type ExportedEnvironment } from '../../run.js';
import { countEntries, plural } from '../../util/text.js';
import type { CliContext, Command } from '../context.js';
import { booleanFlag, parseCommandArgs, stringFlag, stringsFlag, targetFlags } from '../options.js';
import { log } from '../terminal.js';

export { DEFAULT_EXPORT_DIR } from '../../run.js';

/** What to do next: own the exported prefixes, keep `.vocab/` out of git. */
function nextSteps(result: ExportedEnvironment, ctx: CliContext): string[] {
  const exported = [...new Set(result.files.map((f) => f.prefix))];
  const owned = result.owned ?? [];
  const missing = exported.filter((p) => !owned.includes(p));
  const config = relative(ctx.cwd, result.configFile) || result.configFile;
  const lines: string[] = [];
  if (missing.length > 0) {
    const all = [...new Set([...owned, ...exported])].sort();
    const what = result.owned === null ? 'has no ownership block' : `does not own ${missing.join(', ')}`;
    lines.push(`next: ${config} ${what}; set it to (ownership.prefixes is required, and a list it owns with no file is deleted):`);
    lines.push(...ownershipBlock(all).map((l) => `    ${l}`));
  }
  lines.push('next: keep .vocab/ (the local account, backups) out of git: echo .vocab/ >> .gitignore');
  return lines;
}

export const exportCommand: Command = {
  help: `Usage: vocab export [--env NAME] [--config PATH] [--prefix P]... [--out-dir DIR] [--force]

Writes one vocabulary file per list on the account (or per --prefix), entries sorted stably and
the common weight and language factored into "defaults", so an existing account is adopted in
one step: the next "vocab plan" shows no changes. Duplicates of one (prefix, model) export the
newest list only. Existing files are never overwritten without --force. Afterwards it prints
the ownership block the config needs (ownership.prefixes listing the exported prefixes).

Options:
  --prefix P      only lists with this prefix (repeatable); a prefix with no list is an error
  --out-dir DIR   folder to write to (default: vocabularies/ beside the config file)
  --force         overwrite existing files

Exit codes: 0 written, 1 error or a --prefix that matched no list.

Examples:
  vocab export --env prod
  vocab export --env prod --prefix movies --prefix support --out-dir vocabularies/prod`,
  async run(args, ctx) {
    const parsed = parseCommandArgs('export', args, {
      prefix: { type: 'string', multiple: true },
      'out-dir': { type: 'string' },
      force: { type: 'boolean' },
    });
    const outDir = stringFlag(parsed, 'out-dir');
    const result = await exportEnvironment({
      ...targetFlags(parsed, ctx),
      prefixes: stringsFlag(parsed, 'prefix'),
      force: booleanFlag(parsed, 'force'),
      ...(outDir ? { outDir } : {}),
    });
    for (const note of result.notes) log(ctx, `note: ${note}`);
    for (const file of result.files) {
      const objections = file.objections.length > 0 ? `; outside vocab's rules: ${plural(file.objections.length, 'objection')}, listed in the file` : '';
      ctx.stdout.write(`wrote ${relative(ctx.cwd, file.path) || file.path} (${file.vocabulary_id}, ${countEntries(file.entries)}${objections})\n`);
    }
    const outside = result.files.filter((f) => f.objections.length > 0).length;
    if (outside > 0) log(ctx, `warning: ${outside} of ${result.files.length} exported lists were made outside vocab's rules; "vocab validate" will object until they are fixed`);
    for (const prefix of result.unmatched) log(ctx, `error: no list on the account has prefix "${prefix}"; nothing exported for it`);
    if (result.files.length === 0) {
      log(ctx, `nothing exported: ${result.unmatched.length > 0 ? 'no list matched --prefix' : 'the account has no lists'}`);
      return { kind: result.unmatched.length > 0 ? 'failed' : 'done' };
    }
    for (const line of nextSteps(result, ctx)) log(ctx, line);
    return { kind: result.unmatched.length > 0 ? 'failed' : 'done' };
  },
};
