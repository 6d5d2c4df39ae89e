import type { Command } from '../context.js';

// Placeholder until the command is implemented.
export const exportCommand: Command = {
  summary: 'export',
  help: 'vocab export',
  async run(_args, ctx) {
    ctx.stderr.write('vocab export: not implemented yet\n');
    return 1;
  },
};
