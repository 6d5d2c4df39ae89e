/**
 * The one atomic file write of the project: a temporary file in the target's folder, fsync,
 * then rename over the target, so a reader sees the old file or the new one, never half of one.
 * It refuses targets it must not replace: a symbolic link (the rename would replace the link,
 * and writing through it would change a file elsewhere), a directory, a device, a FIFO or a
 * socket. The temporary file is removed whatever fails.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Why a path cannot be written as a regular file; its message never quotes the path. */
export class UnwritableTargetError extends Error {
  override readonly name = 'UnwritableTargetError';
}

/** Options of `writeFileAtomic`. */
export interface AtomicWriteOptions {
  /** Permissions of a new file (default 0o666, less the umask). */
  mode?: number;
}

/** The prefix of the temporary files next to `file` (hidden, and easy to spot). */
export function temporaryFilePrefix(file: string): string {
  return `.${basename(file)}.`;
}

/** A temporary file's name after its prefix: the writer's process id, a random part, `.tmp`. */
const TEMPORARY_SUFFIX = /^(\d+)\.[0-9a-f]+\.tmp$/;

function temporaryFileOf(file: string): string {
  return join(dirname(file), `${temporaryFilePrefix(file)}${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** What is at `file` when it is something a write must not replace, in words; undefined when it is absent or a regular file. */
export async function describeUnwritableTarget(file: string): Promise<string | undefined> {
  if (file === '') return 'is empty: give a file name';
  let info;
  try {
    info = await lstat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') return 'has a part that is not a directory';
    if (code === 'EACCES' || code === 'EPERM') return 'cannot be examined: permission denied';
    return `cannot be examined (${code ?? 'unknown error'})`;
  }
  if (info.isSymbolicLink()) return 'is a symbolic link; give the path of a regular file (links are not written through or replaced)';
  if (info.isDirectory()) return 'is a directory; give a file name';
  if (!info.isFile()) return 'is not a regular file (a device, FIFO or socket); give the path of a regular file';
  return undefined;
}

/** Throws UnwritableTargetError (`what` names the target, e.g. "--out") when `file` must not be written. */
export async function assertWritableTarget(file: string, what: string): Promise<void> {
  const why = await describeUnwritableTarget(file);
  if (why !== undefined) throw new UnwritableTargetError(`${what} ${why}`);
}

/**
 * Writes `text` to `file` atomically, creating its folder. Refuses (UnwritableTargetError) a
 * target that is a symbolic link, a directory or not a regular file; `what` names the target
 * in messages (default "the file").
 */
export async function writeFileAtomic(file: string, text: string | Uint8Array, what = 'the file', options: AtomicWriteOptions = {}): Promise<void> {
  await assertWritableTarget(file, what);
  const folder = dirname(file);
  await mkdir(folder, { recursive: true });
  const temporary = temporaryFileOf(file);
  const handle = await open(temporary, 'wx', options.mode ?? 0o666);
  try {
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // The target may have been swapped for a link or a folder meanwhile: look again, just before.
    await assertWritableTarget(file, what);
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncFolder(folder);
}

/** Makes a rename in `folder` durable (fsync of the folder); best effort where unsupported. */
export async function syncFolder(folder: string): Promise<void> {
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

/**
 * Removes the temporary files that `writeFileAtomic` left beside `file`: this process's own
 * (none after a clean stop, but a write cut short may leave one) and those of processes that no
 * longer run (a killed writer). Returns how many were removed; never throws.
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
    const match = TEMPORARY_SUFFIX.exec(name.slice(prefix.length));
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
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
