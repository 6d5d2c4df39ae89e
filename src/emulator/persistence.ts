/**
 * The state file: read back on start, written atomically (temporary file in the same folder,
 * fsync, rename) after every write, so a crash leaves either the old or the new state.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../util/atomic-write.js';
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
 * Writes a state file atomically (the one atomic write, `util/atomic-write.ts`: its temporary
 * files are `.<name>.<pid>.<random>.tmp` beside the file, so `removeTemporaryFiles` finds those
 * a killed emulator left), readable by its owner only, creating its folder on first use. Compact
 * JSON: indentation made a file of 100,000 entries 2.5 times larger (12 MB, not 5), and every
 * plan reads it whole.
 */
export async function saveStateFile(file: string, state: EmulatorState): Promise<void> {
  try {
    await writeFileAtomic(file, `${JSON.stringify(state)}\n`, 'the emulator state file', { mode: 0o600 });
  } catch (error) {
    throw new Error(`could not write ${file}`, { cause: error });
  }
}

/** Whether an error is a Node system error with this code. */
export function isErrnoCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
