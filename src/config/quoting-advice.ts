/**
 * Advice about plain (unquoted) YAML scalars in entries, told in the words the file uses:
 * `quote it: "0x1F"` (not the number YAML made of it), and a warning for `yes`, `no`, `on`,
 * `off`, `y` and `n`, which YAML 1.2 reads as text but YAML 1.1 tools read as booleans.
 */
import { asRecord } from '../util/is-record.js';
import type { SourceLocator } from './source-locator.js';
import type { Problem, SourcePosition } from './types.js';

/** Plain scalars that YAML 1.1 (and many tools still on it) reads as booleans. */
const YAML11_BOOLEANS = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
/** Where a plain scalar ends: a comment, a flow indicator, or the line end. */
const PLAIN_END = /\s+#|[,\]}]|\r?\n|$/;

/** Offset of a 1-based line and column (UTF-16 units) in `text`; undefined when out of range. */
function offsetOf(text: string, position: SourcePosition): number | undefined {
  let offset = 0;
  for (let line = 1; line < position.line; line++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return undefined;
    offset = next + 1;
  }
  return offset + position.column - 1;
}

/** The scalar's text as written at `position`, when it is plain (not quoted, not a block). */
function plainTextAt(text: string, position: SourcePosition): string | undefined {
  // Columns count from after a byte-order mark, as the parsers do.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const at = offsetOf(body, position);
  if (at === undefined || at >= body.length) return undefined;
  const first = body[at];
  if (first === '"' || first === "'" || first === '|' || first === '>' || first === '{' || first === '[') return undefined;
  const rest = body.slice(at);
  const end = PLAIN_END.exec(rest)?.index ?? rest.length;
  const raw = rest.slice(0, end).trim();
  return raw === '' ? undefined : raw;
}

/** `quote it: "31"` becomes `quote it: "0x1F"` when the file wrote 0x1F. */
export function quoteAsWritten(text: string, problems: Problem[]): Problem[] {
  return problems.map((p) => {
    const match = /quote it: "([^"]*)"/.exec(p.message);
    if (!match) return p;
    const raw = plainTextAt(text, p);
    if (raw === undefined || raw === match[1]) return p;
    return { ...p, message: p.message.replace(match[0], `quote it: ${JSON.stringify(raw)}`) };
  });
}

/** A warning for every entry text written as a plain YAML 1.1 boolean (`- yes`, `text: off`). */
export function warnYaml11Booleans(text: string, source: SourceLocator, entries: readonly unknown[]): Problem[] {
  const warnings: Problem[] = [];
  entries.forEach((entry, index) => {
    const record = asRecord(entry);
    const value = record ? record['text'] : entry;
    if (typeof value !== 'string' || !YAML11_BOOLEANS.test(value)) return;
    const path = record ? `/entries/${index}/text` : `/entries/${index}`;
    const position = source.positionOf(path);
    if (plainTextAt(text, position) !== value) return;
    warnings.push({
      ...position,
      path,
      severity: 'warning',
      message: `${value} is read as the text ${JSON.stringify(value)} here, but YAML 1.1 tools read a plain ${value} as a boolean; quote it: ${JSON.stringify(value)}`,
    });
  });
  return warnings;
}
