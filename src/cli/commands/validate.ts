import type { Command } from '../context.js';

// Placeholder until the command is implemented.
export const validateCommand: Command = {
  summary: 'validate',
  help: 'vocab validate',
  async run(_args, ctx) {
    ctx.stderr.write('vocab validate: not implemented yet\n');
    return 1;
  },
};
