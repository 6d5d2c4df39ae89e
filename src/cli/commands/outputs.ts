import { appendFile } from 'node:fs/promises';
import { collectOutputs } from '../../plan/collect-outputs.js';
import { planEnvironment } from '../../run.js';
import type { Command } from '../context.js';
import { UsageError } from '../errors.js';
import { parseCommandArgs, stringFlag, targetFlags } from '../options.js';
import { chooseFormat, formatsOf, printDocument, render } from '../renderers.js';

export const outputsCommand: Command = {
  help: `Usage: vocab outputs [--env NAME] [--config PATH] [--format json|dotenv|github]

Prints the live vocabulary_id, prefix, model and status of every declared vocabulary, keyed by
name, for the applications that pass the id to the recognition API. A vocabulary that does not
exist yet on the account has "vocabulary_id": null and status "missing". Reads only.

Formats:
  json     (default) {"<name>": {"vocabulary_id", "prefix", "target_model", "status"}}
  dotenv   VOCAB_<NAME>_ID=vocab-... lines
  github   appends <name>_vocabulary_id=..., <name>_status=... and vocabularies=<json> to $GITHUB_OUTPUT

Examples:
  vocab outputs --env prod
  vocab outputs --env prod --format dotenv > .env.vocab
  vocab outputs --env prod --format github`,
  async run(args, ctx) {
    const parsed = parseCommandArgs('outputs', args, { format: { type: 'string' } }, { formats: formatsOf('outputs') });
    const format = chooseFormat('outputs', stringFlag(parsed, 'format'));
    const githubOutput = ctx.env.GITHUB_OUTPUT;
    if (format === 'github' && !githubOutput) {
      throw new UsageError('--format github appends to the file named by $GITHUB_OUTPUT, which is not set (are you in GitHub Actions?)');
    }
    const planned = await planEnvironment(targetFlags(parsed, ctx));
    try {
      const outputs = collectOutputs(planned.plan, planned.snapshot);
      // The github format is not printed: it is appended to the file GitHub reads step outputs from.
      if (format === 'github') {
        await appendFile(githubOutput!, render('outputs', format, outputs, { color: false }).stdout, 'utf8');
        ctx.stdout.write(`Wrote ${Object.keys(outputs).length} vocabulary output(s) to $GITHUB_OUTPUT\n`);
      } else printDocument(ctx, parsed, 'outputs', format, outputs);
      return { kind: 'done' };
    } finally {
      await planned.service.close?.();
    }
  },
};
