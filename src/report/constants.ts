/**
 * Named limits and styles of the renderers, in one place.
 */

/** A pull-request comment must stay under this many characters (GitHub refuses 65,536 and more). */
export const MARKDOWN_MAX_LENGTH = 60_000;

/** Characters kept free for the truncation note when a markdown report is cut. */
export const MARKDOWN_NOTE_RESERVE = 400;

/** Entry lines shown per change in text output before "… and N more". */
export const TEXT_MAX_ENTRY_LINES = 20;

/** Entry lines shown per change in a markdown `<details>` section before "… and N more". */
export const MARKDOWN_MAX_ENTRY_LINES = 100;

/** Rows of the markdown summary table before the rest are counted only. */
export const MARKDOWN_MAX_TABLE_ROWS = 50;

/** Unchanged vocabularies named in text output before "… and N more". */
export const TEXT_MAX_NOOP_NAMES = 10;

/** Cells of the quota gauge. */
export const GAUGE_CELLS = 10;
export const GAUGE_FULL = '▰';
export const GAUGE_EMPTY = '▱';

/** ANSI styles used when colour is on. */
export const ANSI = {
  reset: '\u001b[0m',
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  magenta: '\u001b[35m',
  cyan: '\u001b[36m',
} as const;

/** Name of an ANSI style. */
export type AnsiStyle = keyof typeof ANSI;
