/** Command lines written wrong, answered in our words; the right ones still parse. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/errors.js';
import { parseCommandArgs } from '../../src/cli/options.js';

const APPLY = { yes: { type: 'boolean', short: 'y' }, 'auto-approve': { type: 'boolean' }, format: { type: 'string' } } as const;
const parse = (args: string[]) => parseCommandArgs('apply', args, APPLY, { positionals: true, formats: ['text', 'json'] });
const message = (args: string[]): string => {
  try {
    parse(args);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`${JSON.stringify(args)} parsed`);
};

describe('parseCommandArgs', () => {
  it('keeps real short flags, groups of them, and values that start with a dash given with "="', () => {
    expect(parse(['-y']).values.yes).toBe(true);
    expect(parse(['-yh']).values).toMatchObject({ yes: true, help: true });
    expect(parse(['--env=-prod']).values.env).toBe('-prod');
    expect(parse(['plan.json', '--no-color']).values['no-color']).toBe(true);
    expect(parse(['-']).positionals).toEqual(['-']);
  });

  it('answers a long flag written with one dash with the flag meant, its value not repeated', () => {
    expect(message(['-auto-approve'])).toBe('unknown option -auto-approve for "vocab apply" (did you mean --auto-approve?); see "vocab apply --help"');
    expect(message(['-format=json'])).toBe('unknown option -format for "vocab apply" (did you mean --format?); see "vocab apply --help"');
    expect(message(['-formt', 'json'])).toBe('unknown option -formt for "vocab apply" (did you mean --format?); see "vocab apply --help"');
    expect(message(['-zzzzzz'])).toBe('unknown option -zzzzzz for "vocab apply"; see "vocab apply --help"');
  });

  it('does not take the value of a flag for a one-dash flag', () => {
    expect(message(['--env', '-prod'])).toBe('--env needs a value (an environment name); a value that starts with "-" is written --env=VALUE; see "vocab apply --help"');
  });

  it('says what a flag without its value needs, naming the formats of the command', () => {
    expect(message(['--format'])).toBe('--format needs a value (a format name: text or json); see "vocab apply --help"');
    expect(message(['--format', '--yes'])).toBe('--format needs a value (a format name: text or json); see "vocab apply --help"');
    expect(message(['--format', '-y'])).toBe('--format needs a value (a format name: text or json); see "vocab apply --help"');
    expect(message(['--config'])).toBe('--config needs a value (a config file path); see "vocab apply --help"');
  });
});
