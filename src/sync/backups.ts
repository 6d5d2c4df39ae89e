import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { RemoteVocabulary } from '../plan/types.js';

/** Where apply saves the previous content of a list before it overwrites or deletes it. */
export interface BackupStore {
  /** Saves the list and returns where it went (a path, for the report). */
  save(vocabulary: RemoteVocabulary, reason: 'update' | 'replace' | 'delete', at: Date): Promise<string>;
}

/** The content of one backup file. */
export interface BackupDocument {
  format_version: 1;
  saved_at: string;
  reason: 'update' | 'replace' | 'delete';
  vocabulary_id: string;
  prefix: string;
  target_model: string;
  status: string;
  gmt_create: string;
  gmt_modified: string;
  entries: RemoteVocabulary['entries'];
}

/** File-name-safe timestamp: 2026-11-21T11-10-33-123Z. */
function stamp(at: Date): string {
  return at.toISOString().replace(/[:.]/g, '-');
}

/**
 * Backups as one JSON file per vocabulary and moment under `dir` (normally `.vocab/backups/`),
 * written atomically so a killed apply never leaves half a backup.
 */
export function createFileBackupStore(dir: string): BackupStore {
  return {
    async save(vocabulary, reason, at) {
      const document: BackupDocument = {
        format_version: 1,
        saved_at: at.toISOString(),
        reason,
        vocabulary_id: vocabulary.vocabulary_id,
        prefix: vocabulary.prefix,
        target_model: vocabulary.target_model,
        status: vocabulary.status,
        gmt_create: vocabulary.gmt_create,
        gmt_modified: vocabulary.gmt_modified,
        entries: vocabulary.entries,
      };
      const file = join(dir, `${vocabulary.vocabulary_id}.${stamp(at)}.json`);
      try {
        // Temporary file, fsync, rename (its folder made on first use): a killed apply never leaves half a backup.
        await writeFileAtomic(file, `${JSON.stringify(document, null, 2)}\n`, 'the backup file');
      } catch (error) {
        throw new Error(`could not write the backup of ${vocabulary.vocabulary_id} to ${file}`, { cause: error });
      }
      return file;
    },
  };
}
