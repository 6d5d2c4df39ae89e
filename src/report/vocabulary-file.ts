import { Document, isMap, isSeq } from 'yaml';
import type { WireEntry } from '../dashscope/types.js';
import { compareText } from '../util/text.js';

/** What `vocab export` writes for one remote list. */
export interface ExportedVocabulary {
  name: string;
  prefix: string;
  target_model: string;
  entries: WireEntry[];
}

/** Options of `renderVocabularyFile`. */
export interface RenderVocabularyFileOptions {
  /** Path of the vocabulary JSON Schema relative to the file, for the editor comment. */
  schemaPath: string;
  /** A first comment line, e.g. where and when it was exported. */
  header?: string;
  /** More comment lines after the header, e.g. what validation will object to (one line each). */
  comments?: readonly string[];
}

type DefaultKey = 'weight' | 'lang' | 'target_lang';

/** The most common value of a field when every entry has it (else a default would change entries). */
function commonValue(entries: WireEntry[], key: DefaultKey): string | number | undefined {
  const counts = new Map<string | number, number>();
  for (const entry of entries) {
    const value = entry[key];
    if (value === undefined) return undefined;
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  let best: string | number | undefined;
  let bestCount = 1; // a default used by one entry only does not shorten the file
  for (const [value, count] of counts) {
    if (count > bestCount) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}

/** Stable order: by text (code points), then lang, then target language. */
export function compareEntries(a: WireEntry, b: WireEntry): number {
  const key = (e: WireEntry): string => `${e.text}\u0000${e.lang ?? ''}\u0000${e.target_lang ?? ''}`;
  return compareText(key(a), key(b));
}

/**
 * A vocabulary file for a remote list: entries sorted stably, the common weight and language
 * factored into `defaults`, and entries that only repeat the defaults written as bare strings.
 */
export function renderVocabularyFile(vocabulary: ExportedVocabulary, options: RenderVocabularyFileOptions): string {
  const entries = [...vocabulary.entries].sort(compareEntries);
  const defaults: Partial<Record<DefaultKey, string | number>> = {};
  for (const key of ['weight', 'lang', 'target_lang'] as const) {
    const value = commonValue(entries, key);
    if (value !== undefined) defaults[key] = value;
  }
  const items = entries.map((entry): string | Record<string, string | number> => {
    const rest: Record<string, string | number> = {};
    for (const key of ['weight', 'lang', 'target_lang', 'translation'] as const) {
      const value = entry[key];
      if (value !== undefined && defaults[key as DefaultKey] !== value) rest[key] = value;
    }
    return Object.keys(rest).length === 0 ? entry.text : { text: entry.text, ...rest };
  });
  const body: Record<string, unknown> = {
    prefix: vocabulary.prefix,
    target_model: vocabulary.target_model,
  };
  if (vocabulary.name !== vocabulary.prefix) body.name = vocabulary.name;
  if (Object.keys(defaults).length > 0) body.defaults = defaults;
  body.entries = items;
  const document = new Document(body);
  // Flow style for the small maps keeps one entry per line, like hand-written files.
  const root = document.contents;
  if (isMap(root)) {
    const defaultsNode = root.get('defaults', true);
    if (isMap(defaultsNode)) defaultsNode.flow = true;
    const entriesNode = root.get('entries', true);
    if (isSeq(entriesNode)) for (const item of entriesNode.items) if (isMap(item)) item.flow = true;
  }
  const head = [`# yaml-language-server: $schema=${options.schemaPath}`];
  if (options.header) head.push(`# ${options.header}`);
  // A line break in a comment would end it and turn the rest into YAML.
  for (const comment of options.comments ?? []) head.push(`# ${comment.replace(/[\r\n\u2028\u2029]+/g, ' ')}`);
  return `${head.join('\n')}\n${document.toString({ lineWidth: 0 })}`;
}
