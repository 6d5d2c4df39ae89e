/**
 * Escaping of outside text (entries, names, the service's ids and messages) in markdown and in
 * the HTML of a pull-request comment, so that it can neither break the layout (`|`, `<`, a
 * backtick, a newline), nor act on GitHub: no @mention notifies anyone, no bare link or e-mail
 * address becomes a link, no `#123` cross-references an issue, no raw HTML is rendered.
 */
import { escapeTerminal } from './escape-terminal.js';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** A zero-width space as an HTML entity: it shows nothing and breaks what GitHub would link. */
const BREAK = '&#8203;';

/**
 * Breaks the things GitHub acts on in rendered text: `@user` and `@org/team` mentions,
 * e-mail autolinks, `scheme://` and `www.` autolinks, and `#123` / `GH-123` references.
 * Runs on text whose `&` are already escaped, so the entities it adds stay entities.
 */
export function neutralizeMarkdownLinks(text: string): string {
  // One pass, so the entities it inserts (and `&#39;` from HTML escaping) are never matched again.
  return text.replace(LINKISH, (match: string, www: string | undefined) =>
    www === undefined ? `${match}${BREAK}` : `${www}${BREAK}.`,
  );
}

/** `@`, `scheme:` before `//`, `www.`, and `#` or `GH-` before a digit (not the `#` of an `&#…;` entity). */
const LINKISH = /@|[A-Za-z][A-Za-z0-9+.-]*:(?=\/\/)|(www)\.|(?<!&)#(?=\d)|\bGH-(?=\d)/gi;

/** One line of text: newlines and other control characters become visible escapes. */
function oneLine(text: string): string {
  return escapeTerminal(text.replace(/\r\n|[\r\n]/g, ' '));
}

/** Text for raw HTML (inside `<summary>`, where markdown is not read): escaped, one line, links and mentions broken. */
export function escapeHtml(text: string): string {
  return neutralizeMarkdownLinks(oneLine(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c));
}

/** Text for markdown paragraphs and table cells: HTML-escaped, markdown punctuation backslashed, one line, links and mentions broken. */
export function escapeMarkdown(text: string): string {
  const escaped = oneLine(text)
    .replace(/[&<>]/g, (c) => HTML_ESCAPES[c] ?? c)
    .replace(/[\\`*_[\]{}()#+!|~]/g, (c) => `\\${c}`);
  return neutralizeMarkdownLinks(escaped);
}

/** A code fence longer than any run of backticks in `content`, so the content cannot close it. */
export function codeFence(content: string): string {
  let longest = 0;
  for (const run of content.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return '`'.repeat(Math.max(3, longest + 1));
}
