/**
 * The state file: read back on start, written atomically (temporary file in the same folder,
 * fsync, rename) after every write, so a crash leaves either the old or the new state.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
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

async function syncFolder(folder: string): Promise<void> {
  // Makes the rename itself durable; not supported everywhere (e.g. Windows), so best effort.
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // ignore
  }
}

/** Whether an error is a Node system error with this code. */
export function isErrnoCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
