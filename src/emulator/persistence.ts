/**
 * The state file: read back on start, written atomically (temporary file in the same folder,
 * fsync, rename) after every write, so a crash leaves either the old or the new state.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { syncFolder } from '../util/atomic-write.js';
import { EmulatorStateError, createEmptyState, readEmulatorState, type EmulatorState } from './state.js';

/** Reads a state file; a missing file is an empty state, a corrupt one an `EmulatorStateError`. */
export async function loadStateFile(file: string): Promise<EmulatorState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT')) return createEmptyState();
    throw new EmulatorStateError(`cannot read emulator state file ${file}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new EmulatorStateError(
      `emulator state file ${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}); fix or remove it (it was left untouched)`,
      { cause: error },
    );
  }
  try {
    return readEmulatorState(parsed);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EmulatorStateError(`emulator state file ${file} is not a vocab emulator state: ${reason}; fix or remove it (it was left untouched)`, {
      cause: error,
    });
  }
}

/**
 * Writes a state file atomically, creating its folder on first use. Compact JSON: indentation
 * made a file of 100,000 entries 2.5 times larger (12 MB, not 5), and every plan reads it whole.
 */
export async function saveStateFile(file: string, state: EmulatorState): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(state)}\n`);
}

/** The temporary files of `writeFileAtomic` start with this (hidden, and easy to spot). */
export function temporaryFilePrefix(file: string): string {
  return `.${basename(file)}.`;
}

/** Writes a file by temporary file + fsync + rename in the same folder. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const folder = dirname(file);
  await mkdir(folder, { recursive: true });
  const temporary = join(folder, `${temporaryFilePrefix(file)}${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw new Error(`could not write ${file}`, { cause: error });
  }
  await syncFolder(folder);
}

/**
 * Removes the temporary files that `writeFileAtomic` left beside `file`: this process's own
 * (none after a clean stop, but a write cut short may leave one) and those of processes that no
 * longer run (a killed emulator). Returns how many were removed; never throws.
 */
export async function removeTemporaryFiles(file: string): Promise<number> {
  const folder = dirname(file);
  const prefix = temporaryFilePrefix(file);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const match = /^(\d+)\.[0-9a-f]+\.tmp$/.exec(name.slice(prefix.length));
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid !== process.pid && isProcessAlive(pid)) continue;
    try {
      await unlink(join(folder, name));
      removed++;
    } catch {
      // gone meanwhile
    }
  }
  return removed;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return !isErrnoCode(error, 'ESRCH');
  }
}

/** Whether an error is a Node system error with this code. */
export function isErrnoCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
