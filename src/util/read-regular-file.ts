/**
 * Reading a file that must be a regular file: opened non-blocking and examined through its
 * handle before a byte is read, so a FIFO, socket or device (or a file swapped for one after it
 * was found) is refused, never waited on; the size is checked before reading and after.
 */
import { constants as fsConstants } from 'node:fs';
import { open } from 'node:fs/promises';

/** Why a file was not read: a folder, not a regular file, or over the size limit. */
export class UnreadableFileError extends Error {
  override readonly name = 'UnreadableFileError';
  constructor(
    readonly kind: 'directory' | 'not-regular' | 'too-large',
    readonly size = 0,
  ) {
    super(kind === 'directory' ? 'is a directory' : kind === 'not-regular' ? 'is not a regular file (a FIFO, socket or device)' : `is larger than the limit (${size} bytes)`);
  }
}

/** The bytes of `file`; throws UnreadableFileError as above, or the system error (ENOENT, EACCES, ELOOP...). */
export async function readRegularFile(file: string, maxBytes: number): Promise<Buffer> {
  const handle = await open(file, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new UnreadableFileError('directory');
    if (!info.isFile()) throw new UnreadableFileError('not-regular');
    if (info.size > maxBytes) throw new UnreadableFileError('too-large', info.size);
    const bytes = await handle.readFile();
    // A file can grow between stat and read.
    if (bytes.length > maxBytes) throw new UnreadableFileError('too-large', bytes.length);
    return bytes;
  } finally {
    await handle.close().catch(() => undefined);
  }
}
