import type { Command } from '../context.js';

// Placeholder until the command is implemented.
export const applyCommand: Command = {
  summary: 'apply',
  help: 'vocab apply',
  async run(_args, ctx) {
    ctx.stderr.write('vocab apply: not implemented yet\n');
    return 1;
  },
};
