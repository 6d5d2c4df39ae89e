/**
 * A fast, strict reader for the common shape of vocabulary and config files: the `yaml` package
 * spends seconds of CPU on 100,000 entries (its Document and CST keep a node per token), and
 * loading it is a third of the start-up of `vocab validate`.
 *
 * It reads a subset of YAML line by line: block mappings of plain keys (nested by indentation)
 * whose values are one-line scalars, one-line flow sequences or flow maps of scalars, block
 * mappings, or block sequences whose items are one-line scalars or one-line flow maps of
 * scalars; comments, blank lines and CRLF. For such a file it yields exactly the value `yaml`
 * yields and the same positions. Anything else (anchors, tags, multi-line or block scalars,
 * nested sequences, escapes other than \" and \\, plain scalars that the core schema resolves
 * to something other than a string, a small integer or a plain decimal, empty values, duplicate keys, tabs,
 * document markers, directives...) is declined, and the loader falls back to the full parser:
 * correctness first, speed for the common case.
 *
 * Pure: text in, data and positions out.
 */
import { splitPath } from './rule-problem.js';
import type { PackedPositions, SourceLocator } from './source-locator.js';
import type { SourcePosition } from './types.js';

/** The outcome: a located source, or the reason the full parser must read the file. */
export type FastParseResult = { handled: true; source: SourceLocator } | { handled: false; reason: string };

/** A scalar the core schema would not read as a string (null, bool, int, float, inf, nan). */
const CORE_NON_STRING = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  /^0o[0-7]+$/,
  /^[-+]?[0-9]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
];
/** Integers read here without doubt: no sign, no leading zero, well inside the safe range. */
const PLAIN_INTEGER = /^(?:0|[1-9][0-9]{0,14})$/;
/** Decimals read here without doubt (`max_removed_ratio: 0.3`): digits on both sides of the point, no sign, no exponent. */
const PLAIN_DECIMAL = /^(?:0|[1-9][0-9]{0,14})\.[0-9]{1,15}$/;
/** Keys read here: identifier-like, so never a number, a bool or an indicator. */
const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;
/** Keys that would be read as something other than a string, or touch the prototype. */
const RESERVED_KEYS = new Set(['true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'null', 'Null', 'NULL', '__proto__']);
/**
 * Characters whose handling differs between YAML readers or needs the full parser: tabs, C0
 * controls other than LF and CR, DEL, NEL, the Unicode line and paragraph separators, the BOM,
 * a lone CR, and unpaired surrogates.
 */
const DECLINED_CHARACTERS =
  /[\t\x00-\x09\x0b\x0c\x0e-\x1f\x7f\u0085\u2028\u2029\ufeff]|\r(?!\n)|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Every character `DECLINED_CHARACTERS` can match (all of CR and every surrogate), without look-arounds. */
const MAYBE_DECLINED = /[\t\x00-\x09\x0b-\x1f\x7f\u0085\u2028\u2029\ufeff\ud800-\udfff]/;
/** Characters that cannot start a plain scalar in this subset (YAML indicators, reserved ones). */
const INDICATORS = new Set(['-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`']);

const SPACE = 0x20;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;

class Decline extends Error {}

function decline(reason: string): never {
  throw new Decline(reason);
}

/** A node's position and shape, as much as positions need. */
type FastNode =
  | { kind: 'scalar'; offset: number }
  | { kind: 'seq'; offset: number; items: ItemTable }
  | { kind: 'map'; offset: number; pairs: Map<string, { keyOffset: number; value: FastNode }> };

/**
 * Items of a sequence: offsets in flat arrays, not a node per item (100,000 items). A flow
 * map item is parsed again, on demand, when a problem needs the position of one of its keys.
 */
interface ItemTable {
  offsets: number[];
  /** True where the item is a flow map. */
  maps: boolean[];
}

interface Cursor {
  text: string;
  /** Index of the first character after the line's content (before CR LF or LF). */
  end: number;
}

/**
 * Reads a vocabulary or config file in the fast subset, or declines (with the reason) so that
 * the loader uses the full YAML parser.
 */
export function parseYamlFast(text: string, file: string): FastParseResult {
  try {
    return { handled: true, source: readDocument(text, file) };
  } catch (error) {
    if (error instanceof Decline) return { handled: false, reason: error.message };
    throw error;
  }
}

/** A block mapping being read: its indentation, data and position table. */
interface OpenMap {
  indent: number;
  data: Record<string, unknown>;
  pairs: Map<string, { keyOffset: number; value: FastNode }>;
}

/** A key whose value is a block on the next lines (a sequence or a mapping). */
interface PendingKey {
  key: string;
  keyOffset: number;
  parent: OpenMap;
}

function readDocument(text: string, file: string): SourceLocator {
  // The exact test has look-arounds and costs more per character; most files have none of the
  // characters it looks at, which the plain class below rules out first.
  if (MAYBE_DECLINED.test(text) && DECLINED_CHARACTERS.test(text)) decline('tabs, control characters, a lone CR or unpaired surrogates');
  const lineStarts: number[] = [];
  const root: OpenMap = { indent: 0, data: {}, pairs: new Map() };
  // The mappings open at the current line, innermost last.
  const open: OpenMap[] = [root];
  let rootOffset = -1;
  let pending: PendingKey | undefined;
  // The block sequence being read.
  let seq: { indent: number; values: unknown[]; items: ItemTable } | undefined;

  let start = 0;
  const length = text.length;
  while (start < length || (start === length && lineStarts.length === 0)) {
    lineStarts.push(start);
    let newline = text.indexOf('\n', start);
    if (newline === -1) newline = length;
    const end = newline > start && text.charCodeAt(newline - 1) === 0x0d ? newline - 1 : newline;
    const line: Cursor = { text, end };
    let first = start;
    while (first < end && text.charCodeAt(first) === SPACE) first++;
    const indent = first - start;
    if (first < end && text.charCodeAt(first) !== HASH) {
      const isItem = text.charCodeAt(first) === DASH && (first + 1 === end || text.charCodeAt(first + 1) === SPACE);
      if (pending !== undefined) {
        seq = openBlock(pending, isItem, indent, first, open);
        pending = undefined;
      }
      if (seq !== undefined && isItem && indent === seq.indent) {
        readItem(line, first + 1, seq.values, seq.items);
      } else {
        seq = undefined;
        while (open.length > 1 && open[open.length - 1]!.indent > indent) open.pop();
        const map = open[open.length - 1]!;
        if (indent !== map.indent || isItem) decline(`unexpected indentation at line ${lineStarts.length}`);
        if (indent === 0 && (text.startsWith('---', first) || text.startsWith('...', first))) decline('document markers');
        if (rootOffset === -1) rootOffset = first;
        pending = readPair(line, first, map);
      }
    }
    if (newline === length) break;
    start = newline + 1;
  }
  if (pending !== undefined) decline(`"${pending.key}" has an empty value`);
  if (rootOffset === -1) decline('no mapping at the top level');
  return createLocator(file, root.data, { kind: 'map', offset: rootOffset, pairs: root.pairs }, text, lineStarts);
}

/**
 * The block value of a pending key, from its first line: a sequence (returned, to be read item
 * by item) or a mapping indented deeper (opened). Anything else is an empty value: declined.
 */
function openBlock(pending: PendingKey, isItem: boolean, indent: number, first: number, open: OpenMap[]): { indent: number; values: unknown[]; items: ItemTable } | undefined {
  const { key, keyOffset, parent } = pending;
  if (isItem && indent >= parent.indent) {
    const seq = { indent, values: [] as unknown[], items: { offsets: [], maps: [] } as ItemTable };
    parent.pairs.set(key, { keyOffset, value: { kind: 'seq', offset: first, items: seq.items } });
    parent.data[key] = seq.values;
    return seq;
  }
  if (isItem || indent <= parent.indent) decline(`"${key}" has an empty value`);
  const child: OpenMap = { indent, data: {}, pairs: new Map() };
  parent.pairs.set(key, { keyOffset, value: { kind: 'map', offset: first, pairs: child.pairs } });
  parent.data[key] = child.data;
  open.push(child);
  return undefined;
}

/** `key: value` in a block mapping; returns the key when its value is a block on the next lines. */
function readPair(line: Cursor, at: number, map: OpenMap): PendingKey | undefined {
  const { text, end } = line;
  const colon = text.indexOf(':', at);
  if (colon === -1 || colon >= end) decline('a line that is not "key: value"');
  const key = text.slice(at, colon);
  checkKey(key);
  if (map.pairs.has(key)) decline(`duplicate key "${key}"`);
  let i = colon + 1;
  if (i < end && text.charCodeAt(i) !== SPACE) decline('":" not followed by a space');
  while (i < end && text.charCodeAt(i) === SPACE) i++;
  if (i === end || text.charCodeAt(i) === HASH) return { key, keyOffset: at, parent: map };
  const ch = text[i];
  let read: { value: unknown; end: number };
  let node: FastNode;
  if (ch === '{') {
    const pairs = new Map<string, { keyOffset: number; value: FastNode }>();
    read = readFlowMap(text, i, end, pairs);
    node = { kind: 'map', offset: i, pairs };
  } else if (ch === '[') {
    const list = readFlowSeq(text, i, end);
    read = list;
    node = { kind: 'seq', offset: i, items: list.items };
  } else {
    read = readBlockScalar(text, i, end);
    node = { kind: 'scalar', offset: i };
  }
  checkRest(text, read.end, end);
  map.data[key] = read.value;
  map.pairs.set(key, { keyOffset: at, value: node });
  return undefined;
}

/** One block sequence item after its `-`: a scalar or a flow map, alone on its line. */
function readItem(line: Cursor, afterDash: number, values: unknown[], items: ItemTable): void {
  const { text, end } = line;
  let i = afterDash;
  while (i < end && text.charCodeAt(i) === SPACE) i++;
  if (i === end || text.charCodeAt(i) === HASH) decline('an empty sequence item');
  let read: { value: unknown; end: number };
  const isMap = text[i] === '{';
  if (isMap) read = readFlowMap(text, i, end);
  else if (text[i] === '[') decline('a nested sequence');
  else read = readBlockScalar(text, i, end);
  checkRest(text, read.end, end);
  values.push(read.value);
  items.offsets.push(i);
  items.maps.push(isMap);
}

/** After a value: only spaces, then an optional comment that starts after a space. */
function checkRest(text: string, from: number, end: number): void {
  let i = from;
  while (i < end && text.charCodeAt(i) === SPACE) i++;
  if (i === end) return;
  if (text.charCodeAt(i) === HASH && i > from) return;
  decline('more content after a value');
}

/** Entry keys, met 100,000 times: recognised in place, so they are neither sliced nor matched against PLAIN_KEY. */
const ENTRY_KEYS = ['text', 'weight', 'lang', 'target_lang', 'translation'];

/** The key in `text` from `start` to `end`, checked. */
function readKey(text: string, start: number, end: number): string {
  const length = end - start;
  // A known key is returned as the constant string, which also lets V8 reuse the object shape.
  for (const known of ENTRY_KEYS) if (known.length === length && text.startsWith(known, start)) return known;
  const key = text.slice(start, end);
  checkKey(key);
  return key;
}

function checkKey(key: string): void {
  if (!PLAIN_KEY.test(key) || RESERVED_KEYS.has(key)) decline(`a key the fast reader does not take: ${JSON.stringify(key)}`);
}

/** A scalar in block context (a top-level value or a sequence item). */
function readBlockScalar(text: string, at: number, end: number): { value: string | number; end: number } {
  const ch = text[at]!;
  if (ch === '"') return readDoubleQuoted(text, at, end);
  if (ch === "'") return readSingleQuoted(text, at, end);
  if (INDICATORS.has(ch)) decline(`a value starting with ${JSON.stringify(ch)}`);
  // A plain scalar ends at a comment (" #") or the end of the line.
  let stop = at;
  while (stop < end && !(text.charCodeAt(stop) === HASH && text.charCodeAt(stop - 1) === SPACE)) stop++;
  let last = stop;
  while (last > at && text.charCodeAt(last - 1) === SPACE) last--;
  const raw = text.slice(at, last);
  if (raw.includes(': ') || raw.endsWith(':')) decline('a plain scalar containing ": " (a nested mapping?)');
  return { value: resolvePlain(raw), end: last };
}

/** A plain scalar as the core schema reads it, when that is a string, a small integer or a plain decimal. */
function resolvePlain(raw: string): string | number {
  const code = raw.charCodeAt(0);
  // Only scalars starting like a number or a keyword can resolve to a non-string.
  const maybeSpecial = (code >= 0x30 && code <= 0x39) || code === 0x2b || code === 0x2d || code === 0x2e || code === 0x7e || /^[tTfFnN]/.test(raw);
  if (maybeSpecial) {
    if (PLAIN_INTEGER.test(raw) || PLAIN_DECIMAL.test(raw)) return Number(raw);
    for (const pattern of CORE_NON_STRING) if (pattern.test(raw)) decline(`a plain scalar that is not a string: ${JSON.stringify(raw)}`);
  }
  return raw;
}

/** `"..."` on one line; only the escapes \" and \\ are read here. */
function readDoubleQuoted(text: string, at: number, end: number): { value: string; end: number } {
  let i = at + 1;
  let value = '';
  let from = i;
  for (;;) {
    if (i >= end) decline('a double-quoted scalar that does not end on its line');
    const c = text.charCodeAt(i);
    if (c === 0x22) break;
    if (c === 0x5c) {
      const next = text[i + 1];
      if (next !== '"' && next !== '\\') decline('an escape other than \\" or \\\\');
      value += text.slice(from, i) + next;
      i += 2;
      from = i;
      continue;
    }
    i++;
  }
  value += text.slice(from, i);
  return { value, end: i + 1 };
}

/** `'...'` on one line; `''` is a quote. */
function readSingleQuoted(text: string, at: number, end: number): { value: string; end: number } {
  let i = at + 1;
  let value = '';
  let from = i;
  for (;;) {
    if (i >= end) decline('a single-quoted scalar that does not end on its line');
    if (text.charCodeAt(i) === 0x27) {
      if (text.charCodeAt(i + 1) === 0x27 && i + 1 < end) {
        value += text.slice(from, i + 1);
        i += 2;
        from = i;
        continue;
      }
      break;
    }
    i++;
  }
  value += text.slice(from, i);
  return { value, end: i + 1 };
}

/** A scalar inside a flow collection, ending before `,` or the closing bracket. */
function readFlowScalar(text: string, at: number, end: number, close: number): { value: string | number; end: number } {
  const ch = text[at]!;
  if (ch === '"') return readDoubleQuoted(text, at, end);
  if (ch === "'") return readSingleQuoted(text, at, end);
  if (INDICATORS.has(ch)) decline(`a flow value starting with ${JSON.stringify(ch)}`);
  let i = at;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2c || c === close) break;
    // ":" in a flow scalar and the other brackets change the meaning; " #" starts a comment.
    if (c === COLON || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d) decline('a flow scalar with ":" or brackets');
    if (c === HASH && text.charCodeAt(i - 1) === SPACE) decline('a comment inside a flow collection');
  }
  let last = i;
  while (last > at && text.charCodeAt(last - 1) === SPACE) last--;
  return { value: resolvePlain(text.slice(at, last)), end: last };
}

function skipSpaces(text: string, i: number, end: number): number {
  while (i < end && text.charCodeAt(i) === SPACE) i++;
  return i;
}

/** `{ key: scalar, ... }` on one line. */
function readFlowMap(
  text: string,
  at: number,
  end: number,
  pairs?: Map<string, { keyOffset: number; value: FastNode }>,
): { value: Record<string, unknown>; end: number } {
  const value: Record<string, unknown> = {};
  // Entry items pass no `pairs`: the position table is rebuilt for the rare item a problem
  // points into, and building it (a Map each) for 100,000 items showed in profiles.
  let i = skipSpaces(text, at + 1, end);
  if (text.charCodeAt(i) === 0x7d) decline('an empty flow map');
  for (;;) {
    const keyStart = i;
    while (i < end && text.charCodeAt(i) !== COLON && text.charCodeAt(i) !== 0x2c && text.charCodeAt(i) !== 0x7d) i++;
    if (text.charCodeAt(i) !== COLON || text.charCodeAt(i + 1) !== SPACE) decline('a flow map entry that is not "key: value"');
    const key = readKey(text, keyStart, i);
    if (Object.prototype.hasOwnProperty.call(value, key)) decline(`duplicate key "${key}"`);
    i = skipSpaces(text, i + 1, end);
    if (i >= end || text.charCodeAt(i) === 0x2c || text.charCodeAt(i) === 0x7d) decline('an empty value in a flow map');
    const read = readFlowScalar(text, i, end, 0x7d);
    value[key] = read.value;
    pairs?.set(key, { keyOffset: keyStart, value: { kind: 'scalar', offset: i } });
    i = skipSpaces(text, read.end, end);
    const c = text.charCodeAt(i);
    if (c === 0x7d) return { value, end: i + 1 };
    if (c !== 0x2c) decline('a flow map that does not close on its line');
    i = skipSpaces(text, i + 1, end);
    if (i >= end || text.charCodeAt(i) === 0x7d) decline('a trailing comma in a flow map');
  }
}

/** `[scalar, ...]` on one line. */
function readFlowSeq(text: string, at: number, end: number): { value: unknown[]; end: number; items: ItemTable } {
  const value: unknown[] = [];
  const items: ItemTable = { offsets: [], maps: [] };
  let i = skipSpaces(text, at + 1, end);
  if (text.charCodeAt(i) === 0x5d) return { value, end: i + 1, items };
  for (;;) {
    if (i >= end || text.charCodeAt(i) === 0x2c) decline('an empty item in a flow sequence');
    const read = readFlowScalar(text, i, end, 0x5d);
    value.push(read.value);
    items.offsets.push(i);
    items.maps.push(false);
    i = skipSpaces(text, read.end, end);
    const c = text.charCodeAt(i);
    if (c === 0x5d) return { value, end: i + 1, items };
    if (c !== 0x2c) decline('a flow sequence that does not close on its line');
    i = skipSpaces(text, i + 1, end);
    if (i >= end || text.charCodeAt(i) === 0x5d) decline('a trailing comma in a flow sequence');
  }
}

function lineEndAt(text: string, offset: number): number {
  let newline = text.indexOf('\n', offset);
  if (newline === -1) newline = text.length;
  return newline > offset && text.charCodeAt(newline - 1) === 0x0d ? newline - 1 : newline;
}

function itemNode(text: string, items: ItemTable, index: number): FastNode | undefined {
  const offset = items.offsets[index];
  if (offset === undefined) return undefined;
  if (!items.maps[index]) return { kind: 'scalar', offset };
  const pairs = new Map<string, { keyOffset: number; value: FastNode }>();
  readFlowMap(text, offset, lineEndAt(text, offset), pairs);
  return { kind: 'map', offset, pairs };
}

/** Positions with the same rules as `positionOf` over a `yaml` Document (see yaml-source.ts). */
function createLocator(file: string, data: Record<string, unknown>, root: FastNode, text: string, lineStarts: number[]): SourceLocator {
  const at = (offset: number): SourcePosition => {
    // Binary search for the last line starting at or before `offset`.
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { file, line: low + 1, column: offset - lineStarts[low]! + 1 };
  };
  const find = (path: string): FastNode | undefined => {
    let node: FastNode | undefined = root;
    for (const segment of splitPath(path)) {
      if (node === undefined) return undefined;
      if (node.kind === 'map') node = node.pairs.get(segment)?.value;
      else if (node.kind === 'seq') node = itemNode(text, node.items, Number(segment));
      else return undefined;
    }
    return node;
  };
  return {
    file,
    data,
    positionOf(path, pointsAt) {
      const segments = splitPath(path);
      let node: FastNode = root;
      let offset = root.offset;
      for (let i = 0; i < segments.length; i++) {
        const segment = segments[i]!;
        if (node.kind === 'map') {
          const pair = node.pairs.get(segment);
          if (pair === undefined) break;
          if (i === segments.length - 1 && pointsAt === 'key') {
            offset = pair.keyOffset;
            break;
          }
          node = pair.value;
        } else if (node.kind === 'seq') {
          // `yaml` reads a segment such as "01" or "x" through Number() too.
          const next = itemNode(text, node.items, Number(segment));
          if (next === undefined) break;
          node = next;
        } else {
          break;
        }
        offset = node.offset;
      }
      return at(offset);
    },
    itemPositions(path) {
      const node = find(path);
      if (node === undefined || node.kind !== 'seq') return [];
      return node.items.offsets.map(at);
    },
    itemLinesAndColumns(path) {
      const node = find(path);
      return node?.kind === 'seq' ? packPositions(node.items.offsets, lineStarts) : undefined;
    },
  };
}

/** Lines and columns of increasing offsets, found by walking the line table once (any order still works). */
function packPositions(offsets: readonly number[], lineStarts: readonly number[]): PackedPositions {
  const n = offsets.length;
  const lines = new Uint32Array(n);
  const columns = new Uint32Array(n);
  let line = 0;
  for (let i = 0; i < n; i++) {
    const offset = offsets[i]!;
    if (offset < lineStarts[line]!) line = 0;
    while (line + 1 < lineStarts.length && lineStarts[line + 1]! <= offset) line++;
    lines[i] = line + 1;
    columns[i] = offset - lineStarts[line]! + 1;
  }
  return { lines, columns };
}
