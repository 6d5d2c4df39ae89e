import type { Command } from '../context.js';

// Placeholder until the command is implemented.
export const outputsCommand: Command = {
  summary: 'outputs',
  help: 'vocab outputs',
  async run(_args, ctx) {
    ctx.stderr.write('vocab outputs: not implemented yet\n');
    return 1;
  },
};
