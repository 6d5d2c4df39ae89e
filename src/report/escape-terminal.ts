/**
 * Escaping of outside text (the service's data, file contents, error messages) for a terminal
 * or a CI log: control characters, ANSI escape sequences, bidirectional overrides and line
 * separators are shown as visible escapes (`\x1b`, `\u202e`), so a remote string can neither
 * move the cursor, recolour or clear the screen, retitle the window, nor reorder what is shown.
 */

/**
 * C0 controls (newline and tab included), DEL, C1 controls, the bidirectional marks and
 * overrides (Trojan Source), and the Unicode line and paragraph separators.
 */
const UNSAFE_IN_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/** The same, but newline kept: for messages that are meant to span lines. */
const UNSAFE_IN_BLOCK = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/** `\x1b` for code points below 0x100, `\u202e` above. */
function visibleEscape(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line of outside text, safe to print on a terminal: nothing in it acts, everything shows. */
export function escapeTerminal(text: string): string {
  return text.replace(UNSAFE_IN_LINE, visibleEscape);
}

/** Outside text of several lines: newlines stay, every other control character shows as an escape. */
export function escapeTerminalBlock(text: string): string {
  return text.replace(UNSAFE_IN_BLOCK, visibleEscape);
}
