/**
 * YAML (and JSON, which YAML 1.2 reads too) parsed with source positions, so every problem can
 * name FILE:LINE:COL. Pure: text in, document and problems out.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { MAX_ALIAS_COUNT } from './defaults.js';
import { splitPath } from './rule-problem.js';
import type { SourceLocator } from './source-locator.js';
import type { Problem, SourcePosition } from './types.js';

/** A parsed file: its document, line table and plain data. */
export interface YamlSource {
  /** File name used in problems (relative to the working directory when inside it). */
  file: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  data: unknown;
  /** Path of the part of the document this tool reads (`['vocab']` in package.json). */
  base: string[];
}

const MESSAGES: Record<string, string> = {
  BAD_INDENT: 'bad indentation',
  MISSING_CHAR: 'missing character',
  MULTILINE_IMPLICIT_KEY: 'a key must be on a single line (is a ":" or indentation missing?)',
  BLOCK_AS_IMPLICIT_KEY: 'nested mappings are not allowed here (check the indentation)',
  TAB_AS_INDENT: 'tabs are not allowed for indentation; use spaces',
};

/** Parses YAML text; problems name the offending line and column. */
export function parseYaml(text: string, file: string, base: string[] = []): { source?: YamlSource; problems: Problem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const at = (offset: number): { line: number; column: number } => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const problems: Problem[] = [];
  for (const error of doc.errors) {
    const { line, column } = at(error.pos[0]);
    let message: string;
    if (error.code === 'DUPLICATE_KEY') {
      const key = keyAt(doc, error.pos[0]) ?? text.slice(error.pos[0], error.pos[1]).trim();
      message = key ? `duplicate key "${key}": each key may appear once in a mapping` : 'duplicate key: each key may appear once in a mapping';
    } else {
      const hint = MESSAGES[error.code];
      message = `invalid YAML: ${error.message.replace(/\s+/g, ' ').trim()}${hint && !error.message.toLowerCase().includes(hint) ? ` (${hint})` : ''}`;
    }
    problems.push({ file, line, column, path: '', message });
  }
  if (problems.length > 0) return { problems };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message =
      error instanceof ReferenceError && /alias/i.test(error.message)
        ? `too many alias expansions (limit ${MAX_ALIAS_COUNT}): YAML aliases that multiply are refused`
        : `cannot read YAML: ${error instanceof Error ? error.message : String(error)}`;
    return { problems: [{ file, line: 1, column: 1, path: '', message }] };
  }
  for (const warning of doc.warnings) {
    const { line, column } = at(warning.pos[0]);
    problems.push({ file, line, column, path: '', message: warning.message.replace(/\s+/g, ' ').trim(), severity: 'warning' });
  }
  return { source: { file, doc, lineCounter, data, base }, problems };
}

/**
 * The position of the node at `path` (a JSON pointer relative to the source's base), or of its
 * nearest ancestor that exists. With `pointsAt: 'key'`, the position of the map key itself.
 */
export function positionOf(source: YamlSource, path: string, pointsAt?: 'key'): SourcePosition {
  const segments = [...source.base, ...splitPath(path)];
  let node: unknown = source.doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (isAlias(node)) node = node.resolve(source.doc);
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === segment);
      if (pair === undefined) break;
      const last = i === segments.length - 1;
      const keyStart = rangeStart(pair.key);
      if (last && pointsAt === 'key') {
        offset = keyStart ?? offset;
        break;
      }
      // `key:` with no value: point at the key rather than at an empty range.
      const valueStart = isEmptyScalar(pair.value) ? undefined : rangeStart(pair.value);
      next = pair.value;
      offset = valueStart ?? keyStart ?? offset;
      if (valueStart === undefined) {
        node = next;
        break;
      }
    } else if (isSeq(node)) {
      next = node.items[Number(segment)];
      const start = rangeStart(next);
      if (start === undefined) break;
      offset = start;
    } else {
      break;
    }
    node = next;
  }
  const { line, col } = source.lineCounter.linePos(offset);
  return { file: source.file, line, column: col };
}

/** Positions of the items of the sequence at `path` (empty when it is not a sequence). */
export function itemPositions(source: YamlSource, path: string): SourcePosition[] {
  const segments = [...source.base, ...splitPath(path)];
  let node: unknown = source.doc.getIn(segments, true);
  if (isAlias(node)) node = node.resolve(source.doc);
  if (!isSeq(node)) return [];
  return node.items.map((item) => {
    const { line, col } = source.lineCounter.linePos(rangeStart(item) ?? 0);
    return { file: source.file, line, column: col };
  });
}

/** The YAML source seen through the loader's position interface. */
export function yamlLocator(source: YamlSource): SourceLocator {
  return {
    file: source.file,
    data: source.data,
    positionOf: (path, pointsAt) => positionOf(source, path, pointsAt),
    itemPositions: (path) => itemPositions(source, path),
  };
}

/** The text of the map key that starts at `offset`, if any. */
function keyAt(doc: Document.Parsed, offset: number): string | undefined {
  let found: string | undefined;
  visit(doc, {
    Pair(_, pair) {
      if (rangeStart(pair.key) === offset) {
        found = keyText(pair.key);
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function isEmptyScalar(node: unknown): boolean {
  return isScalar(node) && (node.value === null || node.value === undefined) && (node.range?.[0] ?? 0) === (node.range?.[1] ?? 0);
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}
