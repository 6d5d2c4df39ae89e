import type { Command } from '../context.js';

// Placeholder until the command is implemented.
export const emulatorCommand: Command = {
  summary: 'emulator',
  help: 'vocab emulator',
  async run(_args, ctx) {
    ctx.stderr.write('vocab emulator: not implemented yet\n');
    return 1;
  },
};
