/**
 * Small text helpers shared by every layer: one home each.
 */

/** Code-unit order of two strings: deterministic, unlike `localeCompare`, whatever the machine's locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** "1 entry", "2 entries": the count and the noun in the form it takes. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

// Any character outside 7-bit ASCII.
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Text as compared and sent: Unicode NFC (so composed and decomposed forms are one word),
 * surrounding white space removed. Idempotent (NFC is, and white space neither composes nor
 * decomposes): a text equal to a normalised text normalises to it.
 */
export function normalizeText(text: string): string {
  const value = String(text);
  // ASCII is already NFC, and normalize() is the costliest step of preparing 100,000 entries.
  return (NON_ASCII.test(value) ? value.normalize('NFC') : value).trim();
}

/** `1 entry` / `12 entries`. */
export function countEntries(count: number): string {
  return plural(count, 'entry', 'entries');
}
