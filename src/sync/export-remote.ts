import { access, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { checkVocabularyData } from '../config/entry-rules.js';
import type { VocabularyService } from '../dashscope/types.js';
import { ConfigError } from '../errors.js';
import { escapeTerminal } from '../report/escape-terminal.js';
import { renderVocabularyFile, type ExportedVocabulary } from '../report/vocabulary-file.js';
import { newestFirstOrder } from '../plan/build-plan.js';
import { readRemote } from './read-remote.js';
import type { RemoteVocabulary } from '../plan/types.js';
import { compareText } from '../util/text.js';

/** Options of `exportRemote`. */
export interface ExportRemoteOptions {
  service: VocabularyService;
  /** Only these prefixes; every list on the account when empty. */
  prefixes: readonly string[];
  /** Folder the files are written to (absolute). */
  outDir: string;
  /** Overwrite files that exist. */
  force: boolean;
  /** Environment name, for the header comment. */
  environment: string;
  now: Date;
}

/** One file written (or that would be), and notes such as skipped duplicates. */
export interface ExportResult {
  /** `objections`: what `vocab validate` will say of the file (a list made outside vocab's rules); empty when valid. */
  files: { path: string; vocabulary_id: string; name: string; prefix: string; entries: number; objections: string[] }[];
  notes: string[];
  /** Prefixes asked for (`prefixes`) that no list on the account has. */
  unmatched: string[];
}

/**
 * A file name made from remote data (a prefix, or prefix-model): the vocabulary name rule of the
 * schema, so no path separator, no leading dot, no `..`, at most 64 characters.
 */
const SAFE_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * The path of a vocabulary's file inside `outDir`, or a ConfigError when its name (made from
 * the service's data) could escape the folder or name a sub-folder.
 */
export function exportFilePath(outDir: string, name: string, vocabularyId: string): string {
  const unsafe = (): ConfigError =>
    new ConfigError(
      `export refused, nothing written: the list ${escapeTerminal(vocabularyId)} would be written as ${escapeTerminal(JSON.stringify(`${name}.yaml`))}, which is not a plain file name inside the output folder (its prefix or target_model from the service holds a path); export other lists with --prefix`,
    );
  if (!SAFE_FILE_NAME.test(name) || name.includes('..')) throw unsafe();
  const path = join(outDir, `${name}.yaml`);
  const inside = relative(outDir, path);
  if (inside === '' || isAbsolute(inside) || inside.includes(sep) || inside.startsWith('..')) throw unsafe();
  return path;
}

/** Objections written into one file's comment; the rest are counted. */
const MAX_OBJECTION_COMMENTS = 10;

/**
 * What validation will object to in an exported file: the file's own rules (prefix, model,
 * texts, weights, languages), read back from the text exactly as `vocab validate` reads it.
 */
function objectionsTo(text: string): string[] {
  const data: unknown = parse(text);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return ['the file is not a mapping'];
  return checkVocabularyData(data as Record<string, unknown>).problems
    .filter((p) => p.severity !== 'warning')
    .map((p) => `${p.path}: ${p.message}`);
}

/** The comment lines for a file's objections: at most MAX_OBJECTION_COMMENTS, then a count. */
function objectionComments(objections: readonly string[]): string[] {
  if (objections.length === 0) return [];
  const shown = objections.slice(0, MAX_OBJECTION_COMMENTS).map((o) => `  ${o}`);
  const more = objections.length > MAX_OBJECTION_COMMENTS ? [`  … and ${objections.length - MAX_OBJECTION_COMMENTS} more`] : [];
  return [`this list was made outside vocab's rules; "vocab validate" will object (${objections.length}):`, ...shown, ...more, 'fix these before "vocab plan" uses the file'];
}

const SCHEMA_FILE = fileURLToPath(new URL('../../schemas/vocabulary.schema.json', import.meta.url));

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** One list per identity (the newest of duplicates, noted), each with its file name. */
function chooseLists(snapshot: { owned: RemoteVocabulary[] }): { chosen: ExportedVocabulary[]; ids: Map<string, string>; notes: string[] } {
  const notes: string[] = [];
  const byIdentity = new Map<string, RemoteVocabulary[]>();
  for (const v of snapshot.owned) {
    const key = `${v.prefix}\u0000${v.target_model}`;
    byIdentity.set(key, [...(byIdentity.get(key) ?? []), v]);
  }
  const modelsPerPrefix = new Map<string, number>();
  for (const [key] of byIdentity) {
    const prefix = key.split('\u0000')[0]!;
    modelsPerPrefix.set(prefix, (modelsPerPrefix.get(prefix) ?? 0) + 1);
  }
  // Newest first, in the plan's own order, so the list exported is the one a plan keeps.
  const newestFirst = newestFirstOrder(snapshot.owned);
  const chosen: ExportedVocabulary[] = [];
  const ids = new Map<string, string>();
  for (const lists of byIdentity.values()) {
    const [keep, ...rest] = [...lists].sort(newestFirst);
    if (!keep) continue;
    for (const other of rest) {
      notes.push(
        escapeTerminal(`${other.vocabulary_id} duplicates ${keep.vocabulary_id} (${keep.prefix}, ${keep.target_model}); exported the newest only, the next apply deletes the duplicate`),
      );
    }
    // One prefix on two models needs two names: the name is the identity in outputs.
    const name = (modelsPerPrefix.get(keep.prefix) ?? 0) > 1 ? `${keep.prefix}-${keep.target_model}` : keep.prefix;
    chosen.push({ name, prefix: keep.prefix, target_model: keep.target_model, entries: keep.entries });
    ids.set(name, keep.vocabulary_id);
  }
  return { chosen, ids, notes };
}

/**
 * Writes one vocabulary file per remote list (per identity: the newest of duplicates), so an
 * existing account is adopted in one step. Refuses, writing nothing, when a file exists and
 * `force` is not set.
 */
export async function exportRemote(options: ExportRemoteOptions): Promise<ExportResult> {
  const snapshot = await readRemote(options.service, { ownedPrefixes: options.prefixes.length > 0 ? options.prefixes : 'all' });
  const { chosen, ids, notes } = chooseLists(snapshot);
  chosen.sort((a, b) => compareText(a.name, b.name));
  const unmatched = options.prefixes.filter((prefix) => !chosen.some((c) => c.prefix === prefix));

  const files = chosen.map((v) => ({ path: exportFilePath(options.outDir, v.name, ids.get(v.name) ?? v.prefix), vocabulary: v }));
  refuseCaseCollisions(files.map((f) => f.path));
  const existing: string[] = [];
  for (const file of files) if (await exists(file.path)) existing.push(file.path);
  if (existing.length > 0 && !options.force) {
    throw new ConfigError(
      `export refused, nothing written: ${existing.length} file(s) exist (use --force to overwrite): ${existing.join(', ')}`,
    );
  }
  await mkdir(options.outDir, { recursive: true });
  const schemaPath = relative(options.outDir, SCHEMA_FILE).split(sep).join('/');
  const result: ExportResult = { files: [], notes, unmatched };
  for (const { path, vocabulary } of files) {
    // Comment lines: escaped so that nothing in them can end the comment and start YAML.
    const header = escapeTerminal(`exported from environment "${options.environment}" (${ids.get(vocabulary.name)}) at ${options.now.toISOString()}`);
    const objections = objectionsTo(renderVocabularyFile(vocabulary, { schemaPath, header }));
    const text = renderVocabularyFile(vocabulary, { schemaPath, header, comments: objectionComments(objections).map((c) => escapeTerminal(c)) });
    const temporary = `${path}.${process.pid}.tmp`;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temporary, text, 'utf8');
    await rename(temporary, path);
    result.files.push({ path, vocabulary_id: ids.get(vocabulary.name)!, name: vocabulary.name, prefix: vocabulary.prefix, entries: vocabulary.entries.length, objections });
  }
  return result;
}

/** Two files whose names differ only by case would overwrite each other on macOS and Windows. */
function refuseCaseCollisions(paths: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const path of paths) {
    const other = seen.get(path.toLowerCase());
    if (other !== undefined) {
      throw new ConfigError(`export refused, nothing written: ${escapeTerminal(other)} and ${escapeTerminal(path)} differ only by case; export them separately with --prefix`);
    }
    seen.set(path.toLowerCase(), path);
  }
}
