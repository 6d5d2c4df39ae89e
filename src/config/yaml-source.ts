/**
 * YAML (and JSON, which YAML 1.2 reads too) parsed with source positions, so every problem can
 * name FILE:LINE:COL. Pure: text in, document and problems out.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type YAMLError } from 'yaml';
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

/** Deepest nesting of mappings and sequences read; the real files need 3 levels, JSON Schema validation recurses. */
export const MAX_NESTING_DEPTH = 64;

const TOO_DEEP = `nested too deeply: mappings and sequences may be nested at most ${MAX_NESTING_DEPTH} levels`;

/** True for the engine's own "stack overflow" error, which must never reach a user as such. */
function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/** Nesting depth of plain data, iteratively (the data may be too deep for recursion). */
function nestingDepth(data: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[data, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push([child, level]);
  }
  return deepest;
}

/** The message for one of the parser's errors. */
function describeYamlError(doc: Document.Parsed, text: string, error: YAMLError): string {
  if (error.code === 'DUPLICATE_KEY') {
    const key = keyAt(doc, error.pos[0]) ?? text.slice(error.pos[0], error.pos[1]).trim();
    return key ? `duplicate key "${key}": each key may appear once in a mapping` : 'duplicate key: each key may appear once in a mapping';
  }
  if (/call stack/i.test(error.message)) return TOO_DEEP;
  const hint = MESSAGES[error.code];
  return `invalid YAML: ${error.message.replace(/\s+/g, ' ').trim()}${hint && !error.message.toLowerCase().includes(hint) ? ` (${hint})` : ''}`;
}

/** Parses YAML text; problems name the offending line and column. */
export function parseYaml(text: string, file: string, base: string[] = []): { source?: YamlSource; problems: Problem[] } {
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  } catch (error) {
    if (!isStackOverflow(error)) throw error;
    return { problems: [{ file, line: 1, column: 1, path: '', message: TOO_DEEP }] };
  }
  const at = (offset: number): { line: number; column: number } => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const problems: Problem[] = doc.errors.map((error) => ({ file, ...at(error.pos[0]), path: '', message: describeYamlError(doc, text, error) }));
  if (problems.length > 0) return { problems };
  // An alias inside the node it names (`a: &a [*a]`) makes circular data that every later
  // step would walk forever: refuse it where it is written.
  let recursive: Problem | undefined;
  visit(doc, {
    Alias(_key, node, ancestors) {
      const target = node.resolve(doc);
      if (target !== undefined && ancestors.includes(target)) {
        recursive = { file, ...at(node.range?.[0] ?? 0), path: '', message: `recursive alias *${node.source}: an alias may not be used inside the value it names` };
        return visit.BREAK;
      }
      return undefined;
    },
  });
  if (recursive) return { problems: [recursive] };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message =
      error instanceof ReferenceError && /alias/i.test(error.message)
        ? `too many alias expansions (limit ${MAX_ALIAS_COUNT}): YAML aliases that multiply are refused`
        : isStackOverflow(error)
          ? TOO_DEEP
          : `cannot read YAML: ${error instanceof Error ? error.message : String(error)}`;
    return { problems: [{ file, line: 1, column: 1, path: '', message }] };
  }
  if (nestingDepth(data, MAX_NESTING_DEPTH) > MAX_NESTING_DEPTH) {
    return { problems: [{ file, line: 1, column: 1, path: '', message: TOO_DEEP }] };
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
