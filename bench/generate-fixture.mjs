/**
 * Realistic large vocabulary files for the bench, from a seeded generator (same files every
 * run): Chinese, English and Japanese texts, weights and langs, written both as bare strings
 * and as `{ text, weight, lang }` flow maps, with comments and quoted texts sprinkled in.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSeededRandom } from '../dist/emulator/faults.js';

/** The emulator's seeded PRNG (mulberry32): Math.random would make runs incomparable. */
export const createRandom = createSeededRandom;

const HANZI =
  '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理世车';
const KANA_WORDS = ['トヨタ', 'ソニー', 'ラーメン', 'すし', 'カラオケ', '東京タワー', '新幹線', '宮崎駿', '千と千尋', 'アニメ', 'ポケモン', '任天堂'];
const ENGLISH =
  'cloud speech model vocabulary hotword sync plan apply drift engine stream token audio record meeting movie title support ticket refund invoice order account billing router switch cluster node kernel driver update release beta alpha gamma delta omega river mountain garden lantern dragon tiger phoenix bamboo panda harbor bridge tower station market street avenue square palace temple museum theater concert festival season winter summer autumn spring morning evening midnight sunrise sunset thunder lightning rainbow crystal silver golden copper iron stone paper glass velvet silk cotton linen marble granite'.split(' ');

function pick(random, items) {
  return items[Math.floor(random() * items.length)];
}

function chineseText(random) {
  const length = 2 + Math.floor(random() * 6);
  let text = '';
  for (let i = 0; i < length; i++) text += HANZI[Math.floor(random() * HANZI.length)];
  return text;
}

function englishText(random) {
  const words = 1 + Math.floor(random() * 3);
  const out = [];
  for (let i = 0; i < words; i++) {
    const word = pick(random, ENGLISH);
    out.push(i === 0 || random() < 0.5 ? word[0].toUpperCase() + word.slice(1) : word);
  }
  return out.join(' ');
}

/** One list's entries as data: `{ text, weight?, lang? }`, unique by (text, lang). */
export function generateEntries(random, count) {
  const seen = new Set();
  const entries = [];
  while (entries.length < count) {
    const roll = random();
    let entry;
    if (roll < 0.5) entry = { text: chineseText(random), lang: 'zh' };
    else if (roll < 0.92) entry = { text: englishText(random), lang: 'en' };
    else entry = { text: `${pick(random, KANA_WORDS)}${chineseText(random).slice(0, 2)}`, lang: 'ja' };
    const key = `${entry.text}\u0000${entry.lang}`;
    if (seen.has(key)) continue;
    seen.add(key);
    entry.weight = 1 + Math.floor(random() * 5);
    entries.push(entry);
  }
  return entries;
}

/** Renders one vocabulary file; defaults are weight 4, lang zh, so bare strings mean exactly that. */
export function renderVocabularyFile({ prefix, entries, random }) {
  const lines = [
    '# yaml-language-server: $schema=../schemas/vocabulary.schema.json',
    `# Generated for the benchmark: ${entries.length} entries.`,
    `prefix: ${prefix}`,
    'target_model: fun-asr',
    `name: ${prefix}-list`,
    'defaults: { weight: 4, lang: zh }',
    'entries:',
  ];
  for (const entry of entries) {
    if (random() < 0.002) lines.push('  # reviewed by the support team');
    const bare = entry.lang === 'zh' && entry.weight === 4;
    const text = random() < 0.05 ? JSON.stringify(entry.text) : entry.text;
    if (bare) lines.push(`  - ${text}`);
    else if (entry.lang === 'zh') lines.push(`  - { text: ${text}, weight: ${entry.weight} }`);
    else lines.push(`  - { text: ${text}, weight: ${entry.weight}, lang: ${entry.lang} }`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Writes `vocab.config.yaml` and `lists` vocabulary files of `entriesPerList` entries into
 * `dir`; returns each list's prefix and entries (with defaults applied) for seeding an account.
 */
export function writeFixture(dir, { lists, entriesPerList, seed, environmentName = 'bench', environmentYaml }) {
  const random = createRandom(seed);
  mkdirSync(join(dir, 'vocabularies'), { recursive: true });
  const out = [];
  for (let i = 0; i < lists; i++) {
    const prefix = `bench${i}`;
    const entries = generateEntries(random, entriesPerList);
    writeFileSync(join(dir, 'vocabularies', `${prefix}.yaml`), renderVocabularyFile({ prefix, entries, random }));
    out.push({ prefix, entries });
  }
  writeFileSync(
    join(dir, 'vocab.config.yaml'),
    [
      'vocabularies: [vocabularies/*.yaml]',
      `default_environment: ${environmentName}`,
      'environments:',
      environmentYaml,
      'ownership:',
      `  prefixes: [${out.map((l) => l.prefix).join(', ')}]`,
      'quota:',
      '  max_vocabularies: 10',
      '',
    ].join('\n'),
  );
  return out;
}
