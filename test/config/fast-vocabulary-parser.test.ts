/**
 * The fast vocabulary reader must never disagree with the `yaml` package: for every input it
 * either declines or yields exactly the same data and the same position for every path.
 */
import { createSeededRandom } from '../../src/emulator/faults.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYamlFast } from '../../src/config/fast-vocabulary-parser.js';
import { joinPath } from '../../src/config/rule-problem.js';
import type { SourceLocator } from '../../src/config/source-locator.js';
import { parseYaml, yamlLocator } from '../../src/config/yaml-source.js';
import { cannotHoldApiKeys, findApiKeys } from '../../src/config/secret-rules.js';

const FILE = 'vocabularies/test.yaml';
const GENERATED_CASES = 3000;
const HOSTILE_CASES = 1000;
/** Below this share of handled inputs the differential test would prove little. */
const MIN_HANDLED_SHARE = 0.25;

/** Pieces the fast reader should take in most positions. */
const COMMON_PIECES = [
  '赛德克巴莱', '夏洛特烦恼', 'Seediq Bale', 'Goodbye Mr. Loser', '宮崎駿', 'トヨタ', '😀', '𠮷野家', 'C#', 'a#b', 'café',
  "Confucius' Family", 'say "hi"', 'Let the Bullets Fly', '流浪地球2', 'iPhone 15 Pro', '3D打印', '100 Days', 'x\u00a0y', 'e-mail',
];
/** Pieces that test the edges: indicators, comments, number- and keyword-looking texts, spaces. */
const EDGE_PIECES = [
  ' #x', ':', 'a:b', 'key: value', ',', 'x, y', '{', '}', '[', ']', '{a}', '[b]', ' ', '  ', '123', '1.5', '0x1F', '0o17',
  '.inf', '-.Inf', '.nan', '1e3', '+1', '-2', '007', 'true', 'False', 'null', 'NULL', '~', 'yes', 'No', '-x', '?q', '&a',
  '*a', '!tag', '|', '>', '%p', '@at', '`b`', 'back\\slash', 'cafe\u0301', '4', '0', '12345678901234567', '---', '...',
];

type Random = () => number;
const pick = <T,>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

function randomText(random: Random): string {
  const parts = 1 + Math.floor(random() * 2);
  let text = '';
  for (let i = 0; i < parts; i++) text += pick(random, random() < 0.92 ? COMMON_PIECES : EDGE_PIECES);
  return text;
}

/** A scalar written plain, double-quoted or single-quoted. */
function renderScalar(random: Random, value: string): string {
  const roll = random();
  if (roll < 0.55) return value;
  if (roll < 0.8) return JSON.stringify(value);
  return `'${value.replace(/'/g, "''")}'`;
}

function renderWeight(random: Random): string {
  return random() < 0.9 ? pick(random, ['1', '2', '3', '4', '5']) : pick(random, ['04', '"4"', '+3', '4.0', '0x4', 'null', '~', '10', '0']);
}

const spaced = (random: Random): string => pick(random, ['', ' ', '  ']);

function renderFlowMap(random: Random, keys: readonly string[] = ['text', 'weight', 'lang', 'translation', 'target_lang', 'weigth']): string {
  // Distinct keys in a random order (text first, mostly), and now and then a duplicate.
  const order = [...keys].sort(() => random() - 0.5);
  if (keys.includes('text') && random() < 0.9) order.unshift(...order.splice(order.indexOf('text'), 1));
  const chosen = order.slice(0, 1 + Math.floor(random() * 3));
  if (random() < 0.03) chosen.push(chosen[0]!);
  const pairs: string[] = [];
  for (const key of chosen) {
    let value: string;
    if (key === 'weight' || key === 'weigth') value = renderWeight(random);
    else if (key === 'lang' || key === 'target_lang') value = renderScalar(random, pick(random, ['zh', 'en', 'ja', 'fr', 'true']));
    else value = renderScalar(random, randomText(random));
    pairs.push(`${key}:${random() < 0.97 ? ' ' : ''}${value}`);
  }
  const inner = spaced(random);
  return `{${inner}${pairs.join(`${random() < 0.2 ? ' ' : ''},${random() < 0.9 ? ' ' : ''}`)}${random() < 0.02 ? ',' : ''}${inner}}`;
}

const comment = (random: Random): string => (random() < 0.15 ? `${random() < 0.9 ? ' ' : ''}# ${randomText(random)}` : '');

const HAZARDS = [
  '\tprefix: tabbed', 'anchor: &a x', 'alias: *a', 'tagged: !!str 12', 'block: |', 'folded: >', '---', '...', '%YAML 1.2',
  '  continued line', 'defaults:\n  weight: 4', 'entries: []', 'empty:', 'prefix: again', '"quoted key": 1', 'a: b: c',
  '? complex', 'list:\n- - nested', 'esc: "tab\\t"', 'multi: "open', 'x: 1\r', '\u2028',
];

/** A vocabulary file in (mostly) the common shape, with the odd hazard thrown in. */
function generateFile(random: Random): string {
  const eol = random() < 0.2 ? '\r\n' : '\n';
  const lines: string[] = [];
  if (random() < 0.5) lines.push('# yaml-language-server: $schema=../schemas/vocabulary.schema.json');
  if (random() < 0.2) lines.push('');
  const top: string[][] = [];
  top.push([`prefix: ${renderScalar(random, pick(random, ['movies', 'support', 'a1', '123', 'Movies', 'true']))}${comment(random)}`]);
  top.push([`target_model: ${renderScalar(random, pick(random, ['fun-asr', 'paraformer-v2', 'gummy-realtime-v1']))}`]);
  if (random() < 0.5) top.push([`name: ${renderScalar(random, randomText(random))}${comment(random)}`]);
  if (random() < 0.5) {
    const envs = ['staging', 'prod', 'local'].filter((_, i) => i === 0 || random() < 0.7);
    if (random() < 0.5) top.push([`environments: [${envs.map((e) => renderScalar(random, e)).join(', ')}]`]);
    else top.push(['environments:', ...envs.map((e) => `  - ${renderScalar(random, e)}`)]);
  }
  if (random() < 0.7) top.push([`defaults: ${renderFlowMap(random, ['weight', 'lang', 'target_lang'])}${comment(random)}`]);
  const indent = pick(random, ['', '  ', '    ']);
  const entries = ['entries:' + comment(random)];
  const count = Math.floor(random() * 8);
  for (let i = 0; i < count; i++) {
    if (random() < 0.08) entries.push(`${pick(random, ['', '  ', '      '])}# ${randomText(random)}`);
    if (random() < 0.05) entries.push('');
    const item = random() < 0.45 ? renderScalar(random, randomText(random)) : renderFlowMap(random);
    entries.push(`${indent}-${random() < 0.95 ? ' ' : '  '}${item}${comment(random)}${random() < 0.1 ? ' ' : ''}`);
  }
  top.push(entries);
  for (let i = top.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [top[i], top[j]] = [top[j]!, top[i]!];
  }
  for (const block of top) lines.push(...block);
  if (random() < 0.1) lines.splice(Math.floor(random() * (lines.length + 1)), 0, pick(random, HAZARDS));
  return lines.join(eol) + (random() < 0.8 ? eol : '');
}

/** Every path of a value: map keys and sequence items, recursively. */
function pathsOf(value: unknown, path = ''): { path: string; isKey: boolean }[] {
  const out: { path: string; isKey: boolean }[] = [];
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      out.push({ path: `${path}/${i}`, isKey: false }, ...pathsOf(item, `${path}/${i}`));
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const child = `${path}${joinPath(key)}`;
      out.push({ path: child, isKey: true }, ...pathsOf(item, child));
    }
  }
  return out;
}

/** Compares the fast reader with `yaml` on one input; returns whether the fast reader took it. */
function compare(text: string): boolean {
  const fast = parseYamlFast(text, FILE);
  if (!fast.handled) return false;
  const full = parseYaml(text, FILE);
  // Whatever the fast reader takes, the full parser reads without an error or a warning.
  expect(full.problems, text).toEqual([]);
  const reference: SourceLocator = yamlLocator(full.source!);
  expect(fast.source.data, text).toStrictEqual(reference.data);
  const probes = [
    { path: '', isKey: false },
    { path: '/nope', isKey: true },
    { path: '/entries/999', isKey: false },
    { path: '/entries/0/nope', isKey: true },
    { path: '/entries/0/text/deeper', isKey: false },
    { path: '/defaults/weight', isKey: true },
    ...pathsOf(reference.data),
  ];
  for (const { path, isKey } of probes) {
    expect(fast.source.positionOf(path), `${path} in\n${text}`).toEqual(reference.positionOf(path));
    if (isKey) expect(fast.source.positionOf(path, 'key'), `${path} (key) in\n${text}`).toEqual(reference.positionOf(path, 'key'));
  }
  for (const path of ['/entries', '/environments', '/defaults', '/nope', '/vocabularies', '/ownership/prefixes', ...pathsOf(reference.data).map((p) => p.path)]) {
    const items = reference.itemPositions(path);
    expect(fast.source.itemPositions(path), `items of ${path}`).toEqual(items);
    // The packed form says the same, where there is a sequence.
    const packed = fast.source.itemLinesAndColumns?.(path);
    if (packed) expect([...packed.lines].map((line, i) => ({ file: FILE, line, column: packed.columns[i] })), `packed items of ${path}`).toEqual(items);
  }
  return true;
}

/** Config-shaped scalars: names, URLs, globs, numbers, and the odd hazard. */
const CONFIG_SCALARS = [
  'local', 'staging', 'prod', 'cn-beijing', 'ap-southeast-1', 'https://dashscope.aliyuncs.com/api/v1', 'http://127.0.0.1:8080/api/v1',
  'vocabularies/*.yaml', 'vocabularies/**/*.{yaml,yml}', '.vocab/local-account.json', 'DASHSCOPE_API_KEY_PROD', 'create_before_destroy',
  '10', '300', '0', '4', '0.3', '0.25', '1.0', 'yes', 'no', 'on', 'a #b', 'café', '宮崎駿',
];
const CONFIG_HAZARDS = ['1e3', '.5', '1.', '-0.3', '+1', '007', 'true', 'null', '~', 'a: b', '*.yaml', '&x', '"quoted"', '', '-x', '12345678901234567', '0.1234567890123456'];
const configScalar = (random: Random): string => (random() < 0.9 ? pick(random, CONFIG_SCALARS) : pick(random, CONFIG_HAZARDS));

/** A block mapping of config-like keys, nested up to `depth` levels, at `indent`. */
function renderConfigMap(random: Random, indent: string, depth: number): string[] {
  const keys = ['endpoint', 'region', 'api_key_env', 'state_file', 'apply', 'quota', 'safety', 'ownership', 'prefixes', 'protect', 'concurrency', 'fun-asr', 'local', 'prod'];
  const lines: string[] = [];
  const chosen = [...keys].sort(() => random() - 0.5).slice(0, 1 + Math.floor(random() * 4));
  if (random() < 0.03) chosen.push(chosen[0]!);
  for (const key of chosen) {
    if (random() < 0.1) lines.push(`${random() < 0.5 ? indent : ''}# ${randomText(random)}`);
    if (random() < 0.05) lines.push('');
    const roll = random();
    if (depth > 0 && roll < 0.3) {
      lines.push(`${indent}${key}:${comment(random)}`, ...renderConfigMap(random, indent + pick(random, ['  ', '    ', ' ']), depth - 1));
    } else if (roll < 0.4) {
      const itemIndent = indent + pick(random, ['', '  ', '    ']);
      lines.push(`${indent}${key}:`, ...Array.from({ length: 1 + Math.floor(random() * 3) }, () => `${itemIndent}- ${renderScalar(random, configScalar(random))}${comment(random)}`));
    } else if (roll < 0.55) {
      lines.push(`${indent}${key}: [${Array.from({ length: Math.floor(random() * 3) }, () => renderScalar(random, configScalar(random))).join(', ')}]${comment(random)}`);
    } else {
      lines.push(`${indent}${key}:${random() < 0.97 ? ' ' : ''}${renderScalar(random, configScalar(random))}${pick(random, ['', '', '   '])}${comment(random)}`);
    }
  }
  return lines;
}

/** A config file in (mostly) the common shape: nested block mappings, sequences of both styles, comments. */
function generateConfig(random: Random): string {
  const eol = random() < 0.2 ? '\r\n' : '\n';
  const lines = random() < 0.5 ? ['# yaml-language-server: $schema=./schemas/vocab.config.schema.json'] : [];
  lines.push(`vocabularies: [${renderScalar(random, configScalar(random))}]`);
  if (random() < 0.7) lines.push(`default_environment: ${renderScalar(random, configScalar(random))}`);
  lines.push('environments:', ...renderConfigMap(random, pick(random, ['  ', '    ']), 2));
  if (random() < 0.8) lines.push(...renderConfigMap(random, '', 2));
  if (random() < 0.1) lines.splice(Math.floor(random() * (lines.length + 1)), 0, pick(random, HAZARDS));
  return lines.join(eol) + (random() < 0.8 ? eol : '');
}

/** Keys that are names on Object.prototype: read as ordinary keys, or declined. */
const PROTOTYPE_KEYS = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__', 'prototype', 'isPrototypeOf'];
/**
 * Text that is not text, or invisible: zero-width and format characters, lone combining marks,
 * C1 controls, bidirectional controls, odd spaces, a BOM, lone surrogates (raw and as escapes).
 */
const HOSTILE_PIECES = [
  '\u200b', '\u200c', '\u200d', '\u2060', '\u00ad', '\u0301', '\u0302\u0303', '\u200e', '\u200f', '\u202e', '\u2066',
  '\u0080', '\u009f', '\u0085', '\u00a0', '\u3000', '\u2028', '\ufeff', '\ud800', '\udc00', '\\ud800', '\\u200b',
  '\\x85', '\\N', '👨\u200d👩\u200d👧', '\u{E0001}', '\u{10FFFF}', '\ufffe', 'a\u0301', ...PROTOTYPE_KEYS,
];

function hostileText(random: Random): string {
  let text = '';
  for (let i = 0, n = 1 + Math.floor(random() * 3); i < n; i++) text += pick(random, random() < 0.6 ? HOSTILE_PIECES : COMMON_PIECES);
  return text;
}

/** A file in the common shape whose texts are hostile and whose maps have prototype-named keys. */
function generateHostileFile(random: Random): string {
  const scalar = (): string => renderScalar(random, hostileText(random));
  const protoPair = (): string => `${pick(random, PROTOTYPE_KEYS)}: ${scalar()}`;
  const top = ['prefix: movies', 'target_model: fun-asr', `defaults: { weight: 4${random() < 0.3 ? `, ${protoPair()}` : ''} }`];
  if (random() < 0.5) top.push(protoPair());
  if (random() < 0.2) top.push(`name: ${scalar()}`);
  for (let i = top.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [top[i], top[j]] = [top[j]!, top[i]!];
  }
  const entries = ['entries:'];
  for (let i = 0, n = 1 + Math.floor(random() * 5); i < n; i++) {
    const item = random() < 0.5 ? scalar() : `{ text: ${scalar()}${random() < 0.4 ? `, ${protoPair()}` : ''} }`;
    entries.push(`  - ${item}`);
  }
  return [...top, ...entries].join('\n') + '\n';
}

/** Keys and values that hold or name a secret, in the spellings `findApiKeys` knows, and near misses. */
const SECRET_KEYS = ['api_key', 'apiKey', 'A-P-I_KEY', 'Secret_Key', 'ACCESS-KEY', 'accessKeySecret', 'apitoken', 'dashscope_api_key', 'apis', 'keys', 'token'];
const SECRET_VALUES = ['sk-0123456789abcdefABCDEF', 'xsk-0123456789abcdefABCDEFx', 'sk-short', 'Capital', 'an sk- prefix', 'plain'];

function generateSecretFile(random: Random): string {
  const lines = ['prefix: movies', 'target_model: fun-asr', 'entries:'];
  for (let i = 0, n = 1 + Math.floor(random() * 4); i < n; i++) {
    const extra = random() < 0.5 ? `, ${pick(random, SECRET_KEYS)}: ${pick(random, SECRET_VALUES)}` : '';
    lines.push(`  - { text: ${renderScalar(random, pick(random, [...SECRET_VALUES, ...COMMON_PIECES]))}${extra} }`);
  }
  if (random() < 0.3) lines.push(`${pick(random, SECRET_KEYS)}: ${pick(random, SECRET_VALUES)}`);
  return `${lines.join('\n')}\n`;
}

describe('the key scan skipped on a text that cannot hold a key', () => {
  it('finds nothing whenever the text says it cannot, on generated files with secret names and values', () => {
    const random = createSeededRandom(20261203);
    let found = 0;
    let skipped = 0;
    for (let i = 0; i < 2000; i++) {
      const text = generateSecretFile(random);
      const fast = parseYamlFast(text, FILE);
      if (!fast.handled) continue;
      const problems = findApiKeys(fast.source.data);
      if (problems.length > 0) found++;
      if (cannotHoldApiKeys(text)) {
        skipped++;
        expect(problems, text).toEqual([]);
      }
    }
    // Both sides are exercised: files with keys found, and files the search rules out.
    expect(found).toBeGreaterThan(100);
    expect(skipped).toBeGreaterThan(100);
  });
});

describe('fast vocabulary reader', () => {
  it('agrees with yaml on hostile texts and prototype-named keys, or declines', () => {
    const random = createSeededRandom(20261201);
    let handled = 0;
    for (let i = 0; i < HOSTILE_CASES; i++) {
      if (compare(generateHostileFile(random))) handled++;
    }
    // Many are declined (escapes, controls); the rest must agree exactly, and enough are taken to prove it.
    expect(handled / HOSTILE_CASES).toBeGreaterThan(0.1);
  });

  it('reads prototype-named keys as ordinary keys, or declines __proto__', () => {
    const text = 'prefix: movies\ntarget_model: fun-asr\nconstructor: x\nentries:\n  - { text: a, toString: b, hasOwnProperty: c }\n';
    expect(compare(text)).toBe(true);
    const fast = parseYamlFast(text, FILE);
    expect(fast.handled && Object.getPrototypeOf(fast.source.data)).toBe(Object.prototype);
    expect(fast.handled && (fast.source.data as Record<string, unknown>)['constructor']).toBe('x');
    expect(parseYamlFast('prefix: a\n__proto__: x\n', FILE).handled).toBe(false);
    expect(parseYamlFast('prefix: a\nentries:\n  - { __proto__: x }\n', FILE).handled).toBe(false);
  });

  it('agrees with yaml on generated files (data and every position) or declines', () => {
    const random = createSeededRandom(20240611);
    let handled = 0;
    for (let i = 0; i < GENERATED_CASES; i++) {
      if (compare(generateFile(random))) handled++;
    }
    expect(handled / GENERATED_CASES).toBeGreaterThan(MIN_HANDLED_SHARE);
  });

  it('agrees with yaml on generated configs (nested mappings, data and every position) or declines', () => {
    const random = createSeededRandom(20261202);
    let handled = 0;
    for (let i = 0; i < GENERATED_CASES; i++) {
      if (compare(generateConfig(random))) handled++;
    }
    expect(handled / GENERATED_CASES).toBeGreaterThan(MIN_HANDLED_SHARE);
  });

  it('reads every config of the repository and its examples', () => {
    const root = join(import.meta.dirname, '../..');
    const configs = ['vocab.config.yaml', ...readdirSync(join(root, 'examples')).map((e) => join('examples', e, 'vocab.config.yaml'))];
    let files = 0;
    for (const file of configs) {
      let text: string;
      try {
        text = readFileSync(join(root, file), 'utf8');
      } catch {
        continue;
      }
      expect(compare(text), file).toBe(true);
      files++;
    }
    expect(files).toBeGreaterThan(1);
  });

  it('reads every example vocabulary file of the repository', () => {
    const root = join(import.meta.dirname, '../..');
    const dirs = ['vocabularies', ...readdirSync(join(root, 'examples')).map((e) => join('examples', e, 'vocabularies'))];
    let files = 0;
    for (const dir of dirs) {
      let names: string[];
      try {
        names = readdirSync(join(root, dir)).filter((n) => n.endsWith('.yaml'));
      } catch {
        continue;
      }
      for (const name of names) {
        expect(compare(readFileSync(join(root, dir, name), 'utf8')), `${dir}/${name}`).toBe(true);
        files++;
      }
    }
    expect(files).toBeGreaterThan(0);
  });

  it('reads the common shape with CRLF, comments and both quote styles', () => {
    const text = [
      '# a list',
      'prefix: movies # trailing',
      'target_model: fun-asr',
      'environments: [staging, "prod"]',
      'defaults: { weight: 4, lang: zh }',
      'entries:',
      '  - 赛德克巴莱',
      '  # between items',
      "  - { text: 'Confucius'' Family', lang: en }",
      '  - "say \\"hi\\" # not a comment"',
      '  - C#',
      '',
    ].join('\r\n');
    expect(compare(text)).toBe(true);
    const fast = parseYamlFast(text, FILE);
    expect(fast.handled && fast.source.data).toEqual({
      prefix: 'movies',
      target_model: 'fun-asr',
      environments: ['staging', 'prod'],
      defaults: { weight: 4, lang: 'zh' },
      entries: ['赛德克巴莱', { text: "Confucius' Family", lang: 'en' }, 'say "hi" # not a comment', 'C#'],
    });
    expect(fast.handled && fast.source.positionOf('/entries/1/lang', 'key')).toEqual({ file: FILE, line: 9, column: 35 });
  });

  const base = 'prefix: movies\ntarget_model: fun-asr\nentries:\n';
  const declined: [string, string][] = [
    ['an anchor and an alias', `${base}  - &a x\n  - *a\n`],
    ['a tag', `${base}  - !!str 12\n`],
    ['a block scalar', `${base}  - |\n    text\n`],
    ['a multi-line plain scalar', `${base}  - first\n    second\n`],
    ['a multi-line quoted scalar', `${base}  - "first\n    second"\n`],
    ['a mapping indented between its parent and its siblings', `a:\n    b: 1\n  c: 2\n`],
    ['a line indented under a scalar value', `a: 1\n  b: 2\n`],
    ['a key with no value before a shallower line', `a:\n  b:\nc: 1\n`],
    ['a sequence item less indented than its key', `a:\n  b:\n- x\n`],
    ['a nested sequence', `${base}  - [a, b]\n`],
    ['an escape other than \\" and \\\\', `${base}  - "tab\\there"\n`],
    ['an integer-looking text with a sign', `${base}  - +1\n`],
    ['a float with an exponent', `${base}  - 1.5e3\n`],
    ['a float without digits after the point', `${base}  - 1.\n`],
    ['true', `${base}  - true\n`],
    ['null', `${base}  - null\n`],
    ['a tilde', `${base}  - ~\n`],
    ['a hex integer', `${base}  - 0x1F\n`],
    ['infinity', `${base}  - .inf\n`],
    ['a duplicate top-level key', `${base}  - x\nprefix: again\n`],
    ['a duplicate key in a flow map', `${base}  - { text: a, text: b }\n`],
    ['a tab for indentation', `${base}\t- x\n`],
    ['a document marker', `---\n${base}  - x\n`],
    ['a directive', `%YAML 1.2\n---\n${base}  - x\n`],
    ['an empty value', `prefix:\ntarget_model: fun-asr\n`],
    ['an empty item', `${base}  -\n`],
    ['a trailing comma', `${base}  - { text: a, }\n`],
    ['a flow map over two lines', `${base}  - { text: a,\n      weight: 4 }\n`],
    ['a nested mapping in a plain scalar', `${base}  - key: value\n`],
    ['items at two indentations', `${base}  - a\n    - b\n`],
    ['a comment inside a flow map', `${base}  - { text: a #c\n`],
    ['a quoted key', `${base}  - { "text": a }\n`],
    ['a top-level sequence', `- a\n- b\n`],
    ['only comments', `# nothing\n`],
    ['a lone CR', `${base}  - a\rb\n`],
    ['a big integer', `${base}  - { text: a, weight: 12345678901234567 }\n`],
    ['a surrogate written as an escape', `${base}  - "\\ud800"\n`],
    ['a lone surrogate', `${base}  - a\ud800b\n`],
    ['a C1 control (NEL)', `${base}  - a\u0085b\n`],
    ['a line separator', `${base}  - a\u2028b\n`],
    ['a BOM inside the text', `${base}  - a\ufeffb\n`],
  ];
  it.each(declined)('declines %s', (_, text) => {
    const result = parseYamlFast(text, FILE);
    expect(result.handled).toBe(false);
    if (!result.handled) expect(result.reason).not.toBe('');
  });
});
