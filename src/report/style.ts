/**
 * Colour for terminal output: ANSI codes only when asked, so piped output stays plain.
 */
import { ANSI, type AnsiStyle } from './constants.js';
import type { ChangeAction } from '../plan/types.js';

/** Wraps text in ANSI styles, or returns a function that leaves it as is. */
export type Paint = (text: string, ...styles: AnsiStyle[]) => string;

/** A painter: ANSI codes when `color` is true, plain text otherwise. */
export function createPaint(color: boolean): Paint {
  if (!color) return (text) => text;
  return (text, ...styles) => (styles.length === 0 ? text : `${styles.map((s) => ANSI[s]).join('')}${text}${ANSI.reset}`);
}

/** Terraform-like symbol of an action. */
export const ACTION_SYMBOL: Record<ChangeAction, string> = {
  create: '+',
  update: '~',
  replace: '-/+',
  delete: '-',
  noop: ' ',
};

/** Verb shown next to the symbol. */
export const ACTION_VERB: Record<ChangeAction, string> = {
  create: 'create',
  update: 'update',
  replace: 'replace',
  delete: 'destroy',
  noop: 'unchanged',
};

/** Colour of an action. */
export const ACTION_STYLE: Record<ChangeAction, AnsiStyle> = {
  create: 'green',
  update: 'yellow',
  replace: 'magenta',
  delete: 'red',
  noop: 'dim',
};
