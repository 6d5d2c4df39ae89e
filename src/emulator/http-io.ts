/** Reading request bodies and writing answers, shared by the service endpoint and the admin API. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isLoopbackHost } from '../util/loopback.js';

/** The request body was larger than allowed. */
export class BodyTooLarge extends Error {
  override readonly name = 'BodyTooLarge';
}

/** Writes a JSON answer with its length and request id; while closing, asks the client to close. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  headers: Record<string, string>,
  closing: boolean,
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    'x-request-id': requestId,
    // While shutting down, keep-alive connections are closed after their answer.
    ...(closing ? { connection: 'close' } : {}),
    ...headers,
  });
  res.end(text);
}

/** Reads a whole body as UTF-8; past `limit` bytes the rest is drained and `BodyTooLarge` thrown. */
export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? '0');
  let size = 0;
  let tooLarge = declared > limit;
  const chunks: Buffer[] = [];
  // Past the limit the rest is drained, not stored, so the client can read the 413.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) tooLarge = true;
    if (!tooLarge) chunks.push(chunk);
  }
  if (tooLarge) throw new BodyTooLarge();
  return Buffer.concat(chunks).toString('utf8');
}


/** Whether a `Host` header (name or address, with an optional port) names this machine. */
export function isLoopbackHostHeader(header: string | undefined): boolean {
  if (header === undefined || !/^[A-Za-z0-9.:[\]-]+$/.test(header)) return false;
  try {
    return isLoopbackHost(new URL(`http://${header}`).hostname);
  } catch {
    return false;
  }
}
