/**
 * Escaping of user text (entries, names) in markdown and HTML, so an entry holding `|`, `<`
 * or a backtick cannot break a table, open a tag or end a code block.
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for raw HTML (inside `<summary>`, where markdown is not read). */
export function escapeHtml(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Text for markdown paragraphs and table cells: HTML-escaped, markdown punctuation backslashed, one line. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[&<>]/g, (c) => HTML_ESCAPES[c] ?? c)
    .replace(/[\\`*_[\]{}()#+!|~]/g, (c) => `\\${c}`);
}

/** A code fence longer than any run of backticks in `content`, so the content cannot close it. */
export function codeFence(content: string): string {
  let longest = 0;
  for (const run of content.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return '`'.repeat(Math.max(3, longest + 1));
}
