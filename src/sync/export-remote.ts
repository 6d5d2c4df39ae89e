import { access, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { VocabularyService } from '../dashscope/types.js';
import { ConfigError } from '../errors.js';
import { renderVocabularyFile, type ExportedVocabulary } from '../report/vocabulary-file.js';
import { newestFirstOrder } from '../plan/build-plan.js';
import { readRemote } from './read-remote.js';
import type { RemoteVocabulary } from '../plan/types.js';

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
  files: { path: string; vocabulary_id: string; name: string; entries: number }[];
  notes: string[];
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

/**
 * Writes one vocabulary file per remote list (per identity: the newest of duplicates), so an
 * existing account is adopted in one step. Refuses, writing nothing, when a file exists and
 * `force` is not set.
 */
export async function exportRemote(options: ExportRemoteOptions): Promise<ExportResult> {
  const snapshot = await readRemote(options.service, { ownedPrefixes: options.prefixes.length > 0 ? options.prefixes : 'all' });
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
      notes.push(`${other.vocabulary_id} duplicates ${keep.vocabulary_id} (${keep.prefix}, ${keep.target_model}); exported the newest only, the next apply deletes the duplicate`);
    }
    // One prefix on two models needs two names: the name is the identity in outputs.
    const name = (modelsPerPrefix.get(keep.prefix) ?? 0) > 1 ? `${keep.prefix}-${keep.target_model}` : keep.prefix;
    chosen.push({ name, prefix: keep.prefix, target_model: keep.target_model, entries: keep.entries });
    ids.set(name, keep.vocabulary_id);
  }
  chosen.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const prefix of options.prefixes) {
    if (!chosen.some((c) => c.prefix === prefix)) notes.push(`no list with prefix "${prefix}" on the account`);
  }

  const files = chosen.map((v) => ({ path: join(options.outDir, `${v.name}.yaml`), vocabulary: v }));
  const existing: string[] = [];
  for (const file of files) if (await exists(file.path)) existing.push(file.path);
  if (existing.length > 0 && !options.force) {
    throw new ConfigError(
      `export refused, nothing written: ${existing.length} file(s) exist (use --force to overwrite): ${existing.join(', ')}`,
    );
  }
  await mkdir(options.outDir, { recursive: true });
  const schemaPath = relative(options.outDir, SCHEMA_FILE).split(sep).join('/');
  const result: ExportResult = { files: [], notes };
  for (const { path, vocabulary } of files) {
    const text = renderVocabularyFile(vocabulary, {
      schemaPath,
      header: `exported from environment "${options.environment}" (${ids.get(vocabulary.name)}) at ${options.now.toISOString()}`,
    });
    const temporary = `${path}.${process.pid}.tmp`;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temporary, text, 'utf8');
    await rename(temporary, path);
    result.files.push({ path, vocabulary_id: ids.get(vocabulary.name)!, name: vocabulary.name, entries: vocabulary.entries.length });
  }
  return result;
}
