import type { Command } from '../context.js';

// Placeholder until the command is implemented.
export const planCommand: Command = {
  summary: 'plan',
  help: 'vocab plan',
  async run(_args, ctx) {
    ctx.stderr.write('vocab plan: not implemented yet\n');
    return 1;
  },
};
