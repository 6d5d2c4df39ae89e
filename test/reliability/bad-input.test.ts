/**
 * Bad input: generated malformed YAML and schema-violating documents, config files and
 * vocabulary files alike. Each must be answered with problems located as FILE:LINE:COL, never a
 * crash or a hang. Most documents go through the library (`validate({ cwd })`) in-process; the
 * hazardous ones (alias bombs, deep nesting, huge files) and a seeded sample go through the BUILT
 * `vocab validate` first, each run under a hang timeout: exit 1 with `FILE:LINE:COL: ` lines, no
 * stack frame, exit 0 only for a mutation that stayed valid, and the same verdict as the library.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validate } from '../../src/index.js';
import { assertBuilt, BASE_SEED, bump, createRng, mapLimit, newFigures, removeDir, reportFigures, runVocab, size, type Rng } from './support.js';

const DOCUMENTS = size(100, 1000);
const CLI_SAMPLE = size(12, 60);
const SEED = BASE_SEED ^ 0x3d;
/** A hang detector: a run that takes this long is reported as hanging. */
const HANG_TIMEOUT_MS = 30_000;

const figures = newFigures('bad-input', SEED);
afterAll(() => reportFigures(figures));
beforeAll(() => assertBuilt());

const VALID_CONFIG = `# yaml-language-server: $schema=./schemas/vocab.config.schema.json
vocabularies: [vocabularies/*.yaml]
default_environment: local
environments:
  local:
    endpoint: local
  prod:
    region: cn-beijing
    api_key_env: DASHSCOPE_API_KEY_PROD
ownership:
  prefixes: [movies, support]
quota:
  max_vocabularies: 10
  word_caps: { fun-asr: 10000 }
safety:
  protect: [movies]
  max_removed_ratio: 0.3
apply:
  concurrency: 4
  replace: create_before_destroy
  wait_timeout_seconds: 300
`;

const VALID_VOCABULARY = `# a vocabulary
prefix: movies
target_model: fun-asr
name: movies
defaults: { weight: 4, lang: zh }
entries:
  - 赛德克巴莱
  - { text: Seediq Bale, lang: en }
  - { text: 夏洛特烦恼, weight: 5 }
  - text: 霸王别姬
    weight: 3
  - { text: "Farewell My Concubine", lang: en }
`;

const VALID_GUMMY = `prefix: films
target_model: gummy-realtime-v1
defaults: { lang: zh }
entries:
  - { text: 流浪地球, target_lang: en, translation: The Wandering Earth }
  - { text: 霸王别姬, target_lang: ja, translation: さらば、わが愛 }
`;

/** One generated document: which file it replaces and its bytes. */
interface Doc {
  id: number;
  kind: string;
  target: 'config' | 'vocabulary';
  bytes: Buffer;
  /** Run through the CLI first (a hang in-process could not be stopped). */
  hazard: boolean;
}

const enc = (s: string): Buffer => Buffer.from(s, 'utf8');

function lines(text: string): string[] {
  return text.split('\n');
}

/** Replaces the value of a random `key: value` line with `value`. */
function replaceValue(rng: Rng, text: string, value: string): string {
  const ls = lines(text);
  const candidates = ls.map((l, i) => [l, i] as const).filter(([l]) => /^\s*(- )?[a-z_]+: \S/.test(l));
  if (!candidates.length) return text + `\nx: ${value}\n`;
  const [l, i] = rng.pick(candidates);
  ls[i] = l.replace(/^(\s*(?:- )?[a-z_]+: ).*$/, `$1${value}`);
  return ls.join('\n');
}

function insertAt(rng: Rng, text: string, piece: string): string {
  const at = rng.int(0, text.length);
  return text.slice(0, at) + piece + text.slice(at);
}

const MUTATIONS: Record<string, (rng: Rng, base: string) => { bytes: Buffer; hazard?: boolean }> = {
  'byte mutation': (rng, base) => {
    const b = Buffer.from(enc(base));
    const n = rng.int(1, 6);
    for (let i = 0; i < n; i++) b[rng.int(0, b.length - 1)] = rng.int(0, 255);
    return { bytes: b };
  },
  'byte insertion and deletion': (rng, base) => {
    let b = enc(base);
    for (let i = rng.int(1, 4); i > 0; i--) {
      const at = rng.int(0, b.length - 1);
      b = rng.chance(0.5)
        ? Buffer.concat([b.subarray(0, at), Buffer.from([rng.int(0, 255)]), b.subarray(at)])
        : Buffer.concat([b.subarray(0, at), b.subarray(at + rng.int(1, 8))]);
    }
    return { bytes: b };
  },
  truncation: (rng, base) => {
    const b = enc(base);
    return { bytes: b.subarray(0, rng.int(0, b.length - 1)) };
  },
  'unbalanced bracket or quote': (rng, base) => ({ bytes: enc(insertAt(rng, base, rng.pick(['[', ']', '{', '}', '"', "'", '{ text: "', '[a, {b: ']))) }),
  tabs: (rng, base) => {
    const ls = lines(base);
    const i = rng.int(1, ls.length - 1);
    ls[i] = ls[i]!.replace(/^ +/, '\t').replace(/: /, rng.chance(0.5) ? ':\t' : ': ');
    return { bytes: enc(ls.join('\n')) };
  },
  'wrong type': (rng, base) => ({
    bytes: enc(replaceValue(rng, base, rng.pick(['12345', '"4"', 'high', 'true', 'null', '[1, 2]', '{ nested: { deeper: [1] } }', '-3', '0.5', '~', '2024-01-01', '!!binary aGVsbG8=']))),
  }),
  'unknown key': (rng, base) => {
    const ls = lines(base);
    const i = rng.int(1, ls.length);
    const indent = (ls[Math.min(i, ls.length - 1)] ?? '').match(/^\s*/)?.[0] ?? '';
    ls.splice(i, 0, `${indent}${rng.pick(['colour', 'lnag', 'wieght', 'prefixes', 'enviroments', 'api_key', 'apiKey', 'text2'])}: ${rng.pick(['red', '3', 'sk-0123456789abcdef0123456789abcdef'])}`);
    return { bytes: enc(ls.join('\n')) };
  },
  'huge number': (rng, base) => ({
    bytes: enc(replaceValue(rng, base, rng.pick(['1e400', '99999999999999999999999999', '-1e308', '.inf', '-.inf', '.nan', '0x7fffffffffffffff', '1' + '0'.repeat(400)]))),
  }),
  'invalid UTF-8': (rng, base) => {
    const b = enc(base);
    const at = rng.int(0, b.length);
    const bad = rng.pick([[0xff], [0xc3, 0x28], [0xe2, 0x82], [0xf0, 0x28, 0x8c, 0x28], [0xed, 0xa0, 0x80], [0xc0, 0xaf]]);
    return { bytes: Buffer.concat([b.subarray(0, at), Buffer.from(bad), b.subarray(at)]) };
  },
  'BOM and CRLF': (rng, base) => {
    let text = rng.chance(0.5) ? base.replace(/\n/g, '\r\n') : base.replace(/\n/g, rng.pick(['\r', '\n\r', '\u2028']));
    if (rng.chance(0.5)) text = `\ufeff${text}`;
    if (rng.chance(0.3)) text = insertAt(rng, text, '\ufeff');
    return { bytes: enc(text) };
  },
  'control characters': (rng, base) => ({ bytes: enc(insertAt(rng, base, rng.pick(['\u0000', '\u0007', '\u001b[31m', '\u007f', '\u0085', '\ud800']))) }),
  'alias bomb': (rng) => {
    const n = rng.int(6, 10);
    const ls = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (let i = 1; i < n; i++) ls.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    ls.push(`entries: *${String.fromCharCode(96 + n)}`);
    return { bytes: enc(ls.join('\n') + '\n'), hazard: true };
  },
  'recursive alias': () => ({ bytes: enc('entries: &a [*a, *a]\nprefix: &b { x: *b }\n'), hazard: true }),
  'deeply nested flow': (rng) => {
    const depth = rng.pick([100, 1_000, 10_000, 100_000]);
    const open = rng.chance(0.5) ? '[' : '{a: ';
    const close = open === '[' ? ']' : '}';
    return { bytes: enc(`prefix: movies\nentries: ${open.repeat(depth)}1${rng.chance(0.8) ? close.repeat(depth) : ''}\n`), hazard: true };
  },
  'deeply nested block': (rng) => {
    const depth = rng.pick([200, 2_000]);
    const ls = ['entries:'];
    for (let i = 1; i <= depth; i++) ls.push(`${' '.repeat(i)}- `);
    return { bytes: enc(`${ls.join('')}x\n`), hazard: true };
  },
  'duplicate key': (rng, base) => {
    const ls = lines(base);
    const keyed = ls.filter((l) => /^[a-z_]+:/.test(l));
    const dup = rng.pick(keyed);
    ls.splice(rng.int(1, ls.length), 0, dup);
    return { bytes: enc(ls.join('\n')) };
  },
  'empty or blank': (rng) => ({ bytes: enc(rng.pick(['', ' ', '\n\n', '# only a comment\n', '---\n', '...\n', '~\n', 'null\n', '[]\n', '{}\n', '""\n', '0\n'])) }),
  'several documents': (_rng, base) => ({ bytes: enc(`${base}\n---\n${base}`) }),
  'tags and directives': (rng, base) => ({
    bytes: enc(rng.pick([`%YAML 1.1\n---\n${base}`, `%TAG ! tag:x,2000:\n---\n${base}`, `!!map\n${base}`, replaceValue(rng, base, '!js/function "function(){}"'), replaceValue(rng, base, '!custom 1')])),
  }),
  'undefined alias': (rng, base) => ({ bytes: enc(replaceValue(rng, base, '*nothere')) }),
  'long line': (rng, base) => ({ bytes: enc(replaceValue(rng, base, 'x'.repeat(rng.pick([10_000, 200_000])))) }),
  'file over the size limit': () => ({ bytes: Buffer.concat([enc('prefix: movies\nentries:\n'), Buffer.alloc(6 * 1024 * 1024, '  - x\n')]), hazard: true }),
  'JSON in YAML': (rng) => ({ bytes: enc(rng.pick(['{"prefix": "movies", "entries": [1, 2, {"text": []}]}', '{"prefix": movies', '["a", "b"]', '"just a string"'])) }),
  'entry shapes': (rng) => ({
    bytes: enc(
      `prefix: ${rng.pick(['movies', 'MOVIES', 'toolongprefix1', '', '"m-1"', '12'])}\ntarget_model: ${rng.pick(['fun-asr', 'gummy-realtime-v1', 'nope', '1'])}\nentries:\n${rng.pick([
        '  - { text: "", weight: 3, lang: zh }',
        '  - { text: 这是一个非常非常非常非常长的文本超过十五个字, weight: 3, lang: zh }',
        '  - { text: one two three four five six seven eight, weight: 3, lang: en }',
        '  - { text: x, weight: 6, lang: zh }',
        '  - { text: x, weight: 2.5, lang: zh }',
        '  - { text: x, weight: 3, lang: klingon }',
        '  - { text: x, weight: 3, lang: zh, translation: y }',
        '  - { text: x, weight: 3, lang: zh }\n  - { text: x, weight: 4, lang: zh }',
        '  - [nested, list]',
        '  - { text: { a: 1 } }',
        '  - 7',
      ])}\n`,
    ),
  }),
};

function generate(rng: Rng, count: number): Doc[] {
  const kinds = Object.keys(MUTATIONS);
  const docs: Doc[] = [];
  for (let id = 0; id < count; id++) {
    // Every kind comes up early, so a bounded run covers them all.
    // The 6 MiB file is made once: its point is the limit, not the disk.
    const kind = id < kinds.length ? kinds[id]! : rng.pick(kinds.filter((k) => k !== 'file over the size limit'));
    const target = rng.chance(0.4) ? 'config' : 'vocabulary';
    const base = target === 'config' ? VALID_CONFIG : rng.chance(0.8) ? VALID_VOCABULARY : VALID_GUMMY;
    const { bytes, hazard } = MUTATIONS[kind]!(rng, base);
    docs.push({ id, kind, target, bytes, hazard: hazard ?? false });
  }
  return docs;
}

async function writeRepo(dir: string, doc: Doc): Promise<void> {
  await mkdir(path.join(dir, 'vocabularies'), { recursive: true });
  await writeFile(path.join(dir, 'vocab.config.yaml'), doc.target === 'config' ? doc.bytes : VALID_CONFIG);
  await writeFile(path.join(dir, 'vocabularies/movies.yaml'), doc.target === 'vocabulary' ? doc.bytes : VALID_VOCABULARY);
  await writeFile(path.join(dir, 'vocabularies/films.yaml'), VALID_GUMMY);
}

const LOCATED = /^[^\s:][^:\n]*:\d+:\d+: \S/m;
const CRASH_SIGNS = /^\s+at |TypeError|RangeError|ReferenceError|Maximum call stack|SyntaxError: Unexpected|heap out of memory|\[object Object\]|undefined:\d/m;

describe(`bad input (${DOCUMENTS} documents, ${CLI_SAMPLE}+ through the CLI, seed ${SEED})`, () => {
  it('every document gets located problems (or stays valid); never a crash, a stack trace or a hang', async () => {
    const started = performance.now();
    const rng = createRng(SEED);
    const docs = generate(rng, DOCUMENTS);
    const work = await mkdtemp(path.join(tmpdir(), 'vocab-reliability-input-'));
    const failures: string[] = [];
    const byKind: Record<string, number> = {};
    const stayedValidByKind: Record<string, number> = {};
    let invalid = 0;
    let stayedValid = 0;
    let cliRuns = 0;
    let crashes = 0;
    let hangs = 0;
    let badMessages = 0;
    let disagreements = 0;
    const hung = new Set<number>();
    const cliCode = new Map<number, number>();
    const describe = (d: Doc): string => `document ${d.id} (${d.kind}, ${d.target}, seed ${SEED}): ${JSON.stringify(d.bytes.subarray(0, 120).toString('latin1'))}`;

    try {
      // 1. The CLI, hazards first, each run under the hang timeout.
      const sample = new Set(rng.sample(docs.filter((d) => !d.hazard).map((d) => d.id), CLI_SAMPLE));
      const viaCli = docs.filter((d) => d.hazard || sample.has(d.id));
      await mapLimit(viaCli, 6, async (doc) => {
        const dir = path.join(work, `cli-${doc.id}`);
        await writeRepo(dir, doc);
        const run = await runVocab(['validate'], { cwd: dir, timeoutMs: HANG_TIMEOUT_MS });
        cliRuns++;
        const out = `${run.stdout}\n${run.stderr}`;
        if (run.timedOut) {
          hangs++;
          hung.add(doc.id);
          failures.push(`hang: vocab validate still running after ${HANG_TIMEOUT_MS} ms on ${describe(doc)}`);
          return;
        }
        if (run.code !== 0 && run.code !== 1) {
          crashes++;
          failures.push(`exit ${run.code} (signal ${run.signal}) on ${describe(doc)}: ${out.slice(0, 400)}`);
          return;
        }
        cliCode.set(doc.id, run.code);
        if (CRASH_SIGNS.test(out)) {
          crashes++;
          failures.push(`crash signs in the output of vocab validate on ${describe(doc)}: ${out.slice(0, 600)}`);
        } else if (run.code === 1 && !LOCATED.test(out)) {
          badMessages++;
          failures.push(`exit 1 without a FILE:LINE:COL line on ${describe(doc)}: ${out.slice(0, 400)}`);
        }
        await removeDir(dir);
      });

      // 2. The library, in-process, for every document that did not hang the CLI.
      const dir = path.join(work, 'lib');
      for (const doc of docs) {
        bump(byKind, doc.kind);
        figures.trials++;
        if (hung.has(doc.id)) continue;
        await writeRepo(dir, doc);
        let problems;
        try {
          problems = await validate({ cwd: dir });
        } catch (error) {
          crashes++;
          failures.push(`validate() threw on ${describe(doc)}: ${error instanceof Error ? error.stack : String(error)}`);
          continue;
        }
        const errors = problems.filter((p) => p.severity !== 'warning');
        if (errors.length === 0) {
          stayedValid++;
          bump(stayedValidByKind, doc.kind);
        } else invalid++;
        for (const p of errors) {
          const ok =
            typeof p.file === 'string' && p.file !== '' && Number.isInteger(p.line) && p.line >= 1 && Number.isInteger(p.column) && p.column >= 1 &&
            typeof p.message === 'string' && p.message.trim() !== '' && !CRASH_SIGNS.test(p.message);
          if (!ok) {
            badMessages++;
            failures.push(`unclear problem ${JSON.stringify(p).slice(0, 300)} on ${describe(doc)}`);
            break;
          }
        }
        const code = cliCode.get(doc.id);
        if (code !== undefined && code !== (errors.length ? 1 : 0)) {
          disagreements++;
          failures.push(`vocab validate exited ${code} but the library found ${errors.length} errors on ${describe(doc)}`);
        }
      }
    } finally {
      figures.wall_ms = performance.now() - started;
      figures.extra = {
        documents: docs.length,
        'answered with problems': invalid,
        'mutations that stayed valid': stayedValid,
        'stayed valid, by kind': Object.entries(stayedValidByKind).sort().map(([k, v]) => `${k} ${v}`).join(', ') || '-',
        'mutation kinds': Object.keys(byKind).length,
        'runs of the built vocab validate': cliRuns,
        crashes,
        hangs,
        'problems without FILE:LINE:COL': badMessages,
        'CLI and library disagree': disagreements,
      };
      await removeDir(work);
    }
    expect({ count: failures.length, first: failures.slice(0, 20) }).toEqual({ count: 0, first: [] });
    expect(figures.trials).toBe(DOCUMENTS);
    expect(invalid).toBeGreaterThan(DOCUMENTS / 2);
  }, 900_000);
});
