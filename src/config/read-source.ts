/**
 * Reading one input file safely: size checked before reading, strict UTF-8 with the offset of
 * the first bad byte, BOM removed, empty files named as such. Problems, never throws.
 */
import { readRegularFile, UnreadableFileError } from '../util/read-regular-file.js';
import { MAX_FILE_BYTES } from './defaults.js';
import type { Problem } from './types.js';

/** The text of a file, or the problem that stopped reading it. */
export type SourceText = { ok: true; text: string } | { ok: false; problem: Problem };

const fail = (file: string, message: string, line = 1, column = 1): SourceText => ({
  ok: false,
  problem: { file, line, column, path: '', message },
});

/**
 * Reads `absPath` as text; `displayFile` is the name used in problems. A folder, FIFO, socket or
 * device is refused before a byte is read (see readRegularFile), never waited on.
 */
export async function readSourceText(absPath: string, displayFile: string, what = 'file'): Promise<SourceText> {
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(absPath, MAX_FILE_BYTES);
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) return fail(displayFile, describeIoError(error, 'cannot read'));
    if (error.kind === 'directory') return fail(displayFile, `is a directory, expected a ${what}`);
    if (error.kind === 'not-regular') return fail(displayFile, `is not a regular file (a FIFO, socket or device), expected a ${what}`);
    return fail(displayFile, `file is too large: ${formatBytes(error.size)}, the limit is ${formatBytes(MAX_FILE_BYTES)}`);
  }
  return decodeSource(bytes, displayFile);
}

/** Decodes bytes as strict UTF-8 (BOM removed); reports the first invalid byte's line, column and offset. */
export function decodeSource(bytes: Uint8Array, displayFile: string): SourceText {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8Byte(bytes);
    const { line, column } = bytePosition(bytes, offset);
    const byte = (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    return fail(displayFile, `file is not valid UTF-8: invalid byte 0x${byte} at byte offset ${offset}; save the file as UTF-8`, line, column);
  }
  if (text.trim() === '') return fail(displayFile, 'file is empty');
  return { ok: true, text };
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    if (i + need >= bytes.length) return i; // sequence cut off by the end of the file
    let cp = b & (0xff >> (need + 2));
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}

/** 1-based line and column (in characters, counting a multi-byte character once) of a byte offset. */
function bytePosition(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x0a) {
      line++;
      column = 1;
    } else if ((b & 0xc0) !== 0x80) {
      column++;
    }
  }
  return { line, column };
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1).replace(/\.0$/, '')} KiB`;
  return `${n} bytes`;
}

/** A filesystem error in words, without a stack trace. */
export function describeIoError(error: unknown, doing: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'file not found';
    case 'EACCES':
    case 'EPERM':
      return `${doing}: permission denied`;
    case 'EISDIR':
      return 'is a directory, expected a file';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ELOOP':
      return 'is a symbolic link that loops (too many levels of links)';
    case 'ENXIO':
      return 'is not a regular file (a socket or a device without a reader)';
    default:
      // The code only: the system's message repeats the path, which may be anything.
      return `${doing}: ${code ?? (error instanceof Error ? error.name : 'unknown error')}`;
  }
}
