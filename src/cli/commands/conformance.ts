import { resolve } from 'node:path';
import { loadEnvironment } from '../../config/index.js';
import { connectConformance, recordingOf, runConformance, writeRecording } from '../../conformance/run-conformance.js';
import type { Command } from '../context.js';
import { parseCommandArgs, stringFlag, targetFlags } from '../options.js';
import { chooseFormat, formatsOf, printDocument } from '../renderers.js';
import { log } from '../terminal.js';

export const conformanceCommand: Command = {
  help: `Usage: vocab conformance [--env NAME] [--config PATH] [--record FILE] [--format text|json]

Runs the emulator's contract against the environment's account and against an emulator started
here with the same region, and prints a table: each rule, what the service did, what the
emulator does, and whether they agree. It uses a throwaway prefix (vc + 7 random characters),
creates at most one list and always deletes it, and never queries, changes or deletes any other
list. It refuses to run when the account has no room for that one list (quota.max_vocabularies).

Options:
  --env NAME       environment whose account is checked (default: default_environment)
  --record FILE    save every exchange with the account as JSON (requests and answers; never
                   the key or a header), to send to the maintainers
  --format FORMAT  text (default) or json

Exit codes: 0 every rule agrees, 2 the emulator differs from the service, 1 error, refused, or
a list conformance made that the service would not delete (named on stderr).

Examples:
  vocab conformance --env prod
  vocab conformance --env prod --record conformance.json`,
  async run(args, ctx) {
    const parsed = parseCommandArgs('conformance', args, { record: { type: 'string' }, format: { type: 'string' } }, { formats: formatsOf('conformance') });
    const format = chooseFormat('conformance', stringFlag(parsed, 'format'));
    const { environment } = await loadEnvironment(targetFlags(parsed, ctx));
    const { baseUrl, transport, region } = connectConformance(environment, ctx.env);
    const report = await runConformance({ environment: environment.name, baseUrl, target: transport, region, maxVocabularies: environment.quota.max_vocabularies });
    const record = stringFlag(parsed, 'record');
    if (record) {
      await writeRecording(resolve(ctx.cwd, record), recordingOf(report, transport.exchanges, new Date()));
      log(ctx, `Saved ${transport.exchanges.length} exchanges (no key) to ${record}`);
    }
    printDocument(ctx, parsed, 'conformance', format, report);
    if (report.left_on_account.length > 0) {
      log(ctx, `error: the service did not delete ${report.left_on_account.join(', ')}, which conformance made; delete it by hand`);
    }
    return { kind: 'compared', report };
  },
};
