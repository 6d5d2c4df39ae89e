import type { Command } from '../context.js';

// Placeholder until the command is implemented.
export const driftCommand: Command = {
  summary: 'drift',
  help: 'vocab drift',
  async run(_args, ctx) {
    ctx.stderr.write('vocab drift: not implemented yet\n');
    return 1;
  },
};
