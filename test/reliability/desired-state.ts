/**
 * A desired state that changes from trial to trial under a seeded PRNG: entries added, removed
 * and reweighted, vocabularies added and removed, target models changed (a replace). It stays
 * inside the account quota with the unmanaged lists counted, so every plan it makes is feasible.
 * Also: the account checks shared by the apply suites (duplicates, lost entries, unmanaged lists).
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import type { StoredVocabulary } from '../../src/emulator/state.js';
import type { Rng } from './support.js';

/** Prefixes this repository owns (ownership.prefixes), so a removed file means a delete. */
export const OWNED_PREFIXES = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];
/** Models a vocabulary moves between (all weighted, all offered in cn-beijing, all take zh and en). */
export const MODELS = ['fun-asr', 'fun-asr-realtime', 'paraformer-v2'] as const;
/** The account's list quota. */
export const QUOTA = 10;

/** One desired entry, fully spelled out (no defaults), as the account should hold it. */
export interface Entry {
  text: string;
  weight: number;
  lang: 'zh' | 'en';
}

/** One vocabulary file. */
export interface Vocabulary {
  prefix: string;
  target_model: string;
  entries: Entry[];
}

/** Unmanaged lists put on the account by "another tool" before the first trial. */
export const UNMANAGED: Vocabulary[] = [
  { prefix: 'other', target_model: 'fun-asr', entries: [{ text: '别动我', weight: 3, lang: 'zh' }, { text: 'hands off', weight: 2, lang: 'en' }] },
  { prefix: 'legacy', target_model: 'paraformer-v2', entries: [{ text: '老系统', weight: 5, lang: 'zh' }] },
];

const HAN = '赛德克巴莱夏洛特烦恼阙里人家霸王别姬卧虎藏龙让子弹飞流浪地球药神哪吒魔童降世千寻神隐';

/** The mutable desired state of one repository. */
export class DesiredModel {
  readonly vocabularies = new Map<string, Vocabulary>();
  private counter = 0;

  constructor(
    private readonly rng: Rng,
    /** Most managed lists at once: quota minus the unmanaged lists, minus room for replaces. */
    readonly maxManaged: number,
  ) {}

  private newEntry(prefix: string): Entry {
    const n = ++this.counter;
    const kind = this.rng.int(0, 2);
    if (kind === 0) {
      const a = HAN[this.rng.int(0, HAN.length - 1)]!;
      const b = HAN[this.rng.int(0, HAN.length - 1)]!;
      return { text: `${a}${b}${n}`, weight: this.rng.int(1, 5), lang: 'zh' };
    }
    if (kind === 1) return { text: `${prefix} term ${n}`, weight: this.rng.int(1, 5), lang: 'en' };
    return { text: `${prefix}w${n}`, weight: this.rng.int(1, 5), lang: this.rng.pick(['zh', 'en'] as const) };
  }

  private addVocabulary(): boolean {
    const free = OWNED_PREFIXES.filter((p) => !this.vocabularies.has(p));
    if (free.length === 0 || this.vocabularies.size >= this.maxManaged) return false;
    const prefix = this.rng.pick(free);
    const entries = Array.from({ length: this.rng.int(1, 12) }, () => this.newEntry(prefix));
    this.vocabularies.set(prefix, { prefix, target_model: this.rng.pick(MODELS), entries });
    return true;
  }

  /** Some random changes; returns what was done (for failure messages). */
  mutate(): string[] {
    const done: string[] = [];
    if (this.vocabularies.size === 0) {
      this.addVocabulary();
      this.addVocabulary();
      done.push('seed two vocabularies');
    }
    const ops = this.rng.int(1, 4);
    for (let i = 0; i < ops; i++) {
      const vocab = this.rng.pick([...this.vocabularies.values()]);
      const op = this.rng.int(0, 9);
      if (op <= 1) {
        const n = this.rng.int(1, 6);
        for (let k = 0; k < n; k++) vocab.entries.push(this.newEntry(vocab.prefix));
        done.push(`${vocab.prefix}: +${n} entries`);
      } else if (op === 2 && vocab.entries.length > 1) {
        const n = this.rng.int(1, Math.min(4, vocab.entries.length - 1));
        for (let k = 0; k < n; k++) vocab.entries.splice(this.rng.int(0, vocab.entries.length - 1), 1);
        done.push(`${vocab.prefix}: -${n} entries`);
      } else if (op === 3 || op === 2) {
        for (const e of this.rng.sample(vocab.entries, this.rng.int(1, 3))) e.weight = (e.weight % 5) + 1;
        done.push(`${vocab.prefix}: reweighted`);
      } else if (op === 4) {
        const ascii = vocab.entries.filter((e) => /^[\x20-\x7e]+$/.test(e.text));
        if (ascii.length) {
          const e = this.rng.pick(ascii);
          e.lang = e.lang === 'zh' ? 'en' : 'zh';
          done.push(`${vocab.prefix}: lang of ${e.text}`);
        }
      } else if (op === 5 || op === 6) {
        if (this.addVocabulary()) done.push('new vocabulary');
      } else if (op === 7 && this.vocabularies.size > 1) {
        this.vocabularies.delete(vocab.prefix);
        done.push(`${vocab.prefix}: removed`);
      } else if (op >= 8) {
        const model = this.rng.pick(MODELS.filter((m) => m !== vocab.target_model));
        done.push(`${vocab.prefix}: ${vocab.target_model} -> ${model} (replace)`);
        vocab.target_model = model;
      }
    }
    return done;
  }

  /** Writes every vocabulary file (and removes those no longer declared). */
  async write(repoDir: string): Promise<void> {
    const dir = path.join(repoDir, 'vocabularies');
    await mkdir(dir, { recursive: true });
    for (const name of await readdir(dir)) {
      if (!this.vocabularies.has(name.replace(/\.yaml$/, ''))) await rm(path.join(dir, name));
    }
    for (const v of this.vocabularies.values()) {
      // Some entries use the file's defaults, some spell everything out: both shapes get exercised.
      const defaults = { weight: 3, lang: 'zh' as const };
      const entries = v.entries.map((e) =>
        e.weight === defaults.weight && e.lang === defaults.lang ? e.text : e.lang === defaults.lang ? { text: e.text, weight: e.weight } : { ...e },
      );
      await writeFile(path.join(dir, `${v.prefix}.yaml`), stringify({ prefix: v.prefix, target_model: v.target_model, defaults, entries }), 'utf8');
    }
  }
}

/** The config of a test repository pointing at `url`. */
export function configYaml(url: string, apply: { concurrency: number; replace: string }, keyEnv = 'VOCAB_RELIABILITY_KEY'): string {
  return stringify({
    vocabularies: ['vocabularies/*.yaml'],
    default_environment: 'test',
    environments: { test: { endpoint: url, api_key_env: keyEnv } },
    ownership: { prefixes: OWNED_PREFIXES },
    quota: { max_vocabularies: QUOTA },
    safety: { max_removed_ratio: 1 },
    // The emulators of these suites do not space updates (updateIntervalMs: 0); neither does the plan.
    apply: { ...apply, wait_timeout_seconds: 30, update_interval_seconds: 0 },
  });
}

const entryKey = (e: { text: string; lang?: string | undefined }): string => `${e.text.normalize('NFC')}\u0000${e.lang ?? ''}`;

/** Lists of the account that share an identity (prefix, target_model) with another. */
export function findDuplicates(lists: readonly StoredVocabulary[]): string[] {
  const seen = new Map<string, string[]>();
  for (const l of lists) {
    const id = `${l.prefix}/${l.target_model}`;
    seen.set(id, [...(seen.get(id) ?? []), l.vocabulary_id]);
  }
  return [...seen].filter(([, ids]) => ids.length > 1).map(([id, ids]) => `${id}: ${ids.join(', ')}`);
}

/** What the account lacks or holds wrongly compared with the desired state (empty when it matches). */
export function compareAccount(lists: readonly StoredVocabulary[], desired: Iterable<Vocabulary>): { lost: string[]; extra: string[] } {
  const lost: string[] = [];
  const extra: string[] = [];
  const wanted = new Map([...desired].map((v) => [`${v.prefix}/${v.target_model}`, v]));
  for (const v of wanted.values()) {
    const remote = lists.filter((l) => l.prefix === v.prefix && l.target_model === v.target_model);
    const have = new Map<string, { weight?: number | undefined; lang?: string | undefined }>();
    for (const r of remote) for (const e of r.vocabulary) have.set(entryKey(e), e);
    for (const e of v.entries) {
      const got = have.get(entryKey(e));
      if (!got) lost.push(`${v.prefix}/${v.target_model}: "${e.text}" (${e.lang}) missing`);
      else if (got.weight !== e.weight) lost.push(`${v.prefix}/${v.target_model}: "${e.text}" weight ${got.weight} instead of ${e.weight}`);
    }
    const want = new Set(v.entries.map(entryKey));
    for (const r of remote) for (const e of r.vocabulary) if (!want.has(entryKey(e))) extra.push(`${v.prefix}/${v.target_model}: "${e.text}" not declared`);
  }
  for (const l of lists) {
    if (OWNED_PREFIXES.includes(l.prefix) && !wanted.has(`${l.prefix}/${l.target_model}`)) extra.push(`${l.vocabulary_id} (${l.prefix}/${l.target_model}) not declared`);
  }
  return { lost, extra };
}

/** The unmanaged lists of an account, as comparable text (id, model, content, modification time). */
export function unmanagedFingerprint(lists: readonly StoredVocabulary[]): string {
  return JSON.stringify(
    lists
      .filter((l) => !OWNED_PREFIXES.includes(l.prefix))
      .map((l) => [l.vocabulary_id, l.prefix, l.target_model, l.gmt_modified, entriesFingerprint(l.vocabulary)])
      .sort(),
  );
}

/** Entries of a list as a sorted comparable text. */
export function entriesFingerprint(entries: readonly { text: string; weight?: number | undefined; lang?: string | undefined }[]): string {
  return JSON.stringify(entries.map((e) => `${entryKey(e)}\u0000${e.weight ?? ''}`).sort());
}
