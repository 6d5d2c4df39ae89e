/**
 * The admin API under `/_vocab/`: who may call it, how its requests are read and its answers
 * written. The routes themselves are in admin-routes.ts, the inspector page in inspector-page.ts.
 *
 * Callers on loopback are let in; others only with the admin key (`--admin-key`, header
 * `x-vocab-admin-key`). A browser page from another site is refused twice over: its `Origin`
 * does not match, and a `Host` that is not a loopback name (DNS rebinding) is refused too.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ServiceRejection } from './service-rejection.js';
import { ADMIN_ROUTES, type AdminRequest } from './admin-routes.js';
import { ADMIN_API_VERSION, ADMIN_KEY_HEADER, ADMIN_PATH_PREFIX, DEFAULT_MAX_ADMIN_BODY_BYTES } from './constants.js';
import type { EmulatorContext } from './context.js';
import { isLoopbackHost } from '../util/loopback.js';
import { BodyTooLarge, isLoopbackHostHeader, readBody, sendJson } from './http-io.js';

function sameSecret(sent: string, expected: string): boolean {
  const a = Buffer.from(sent, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function originMatchesHost(origin: string, host: string | undefined): boolean {
  try {
    return new URL(origin).host.toLowerCase() === (host ?? '').toLowerCase();
  } catch {
    return false;
  }
}

/** Why a caller may not use the admin API, or null when it may. */
export function adminRefusal(req: IncomingMessage, adminKey: string | undefined): string | null {
  const sent = req.headers[ADMIN_KEY_HEADER];
  if (typeof sent === 'string') {
    if (adminKey !== undefined && sameSecret(sent, adminKey)) return null;
    return adminKey === undefined ? `this emulator has no admin key; do not send ${ADMIN_KEY_HEADER}` : `wrong ${ADMIN_KEY_HEADER}`;
  }
  if (!isLoopbackHost(req.socket.remoteAddress)) {
    return adminKey === undefined
      ? 'the admin API answers loopback callers only; start the emulator with --admin-key KEY to let others in'
      : `the admin API answers callers other than loopback only with the admin key in the ${ADMIN_KEY_HEADER} header`;
  }
  if (!isLoopbackHostHeader(req.headers.host)) return 'the Host header must name a loopback address';
  const origin = req.headers.origin;
  if (origin !== undefined && !originMatchesHost(origin, req.headers.host)) return `requests from ${origin} are refused`;
  return null;
}

function sendServiceRejection(context: EmulatorContext, res: ServerResponse, status: number, code: string, message: string): void {
  const requestId = randomUUID();
  sendJson(res, status, { api_version: ADMIN_API_VERSION, error: { code, message } }, requestId, {}, context.closing);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ServiceRejection(400, 'BadRequest', `the path segment ${JSON.stringify(segment)} is not valid percent-encoding`);
  }
}

/** Reads the whole body first, so every answer leaves the connection clean for the next request. */
async function readAdminRequest(req: IncomingMessage): Promise<AdminRequest> {
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  const rest = url.pathname.slice(ADMIN_PATH_PREFIX.length).replace(/^\/+|\/+$/g, '');
  const segments = rest === '' ? [] : rest.split('/').map(decodeSegment);
  const text = await readBody(req, DEFAULT_MAX_ADMIN_BODY_BYTES);
  return {
    method: req.method ?? 'GET',
    segments,
    query: url.searchParams,
    json() {
      if (text.trim() === '') return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        throw new ServiceRejection(400, 'BadRequest', `the body is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
      }
    },
  };
}

async function route(context: EmulatorContext, request: AdminRequest, res: ServerResponse): Promise<void> {
  const resource = request.segments[0] ?? '';
  const routes = ADMIN_ROUTES.get(resource);
  if (routes === undefined || (request.segments.length > 1 && resource !== 'accounts')) {
    throw new ServiceRejection(404, 'NotFound', `no admin route ${ADMIN_PATH_PREFIX}/${request.segments.join('/')}; see GET ${ADMIN_PATH_PREFIX}/`);
  }
  const handler = Object.hasOwn(routes, request.method) ? routes[request.method] : undefined;
  if (handler === undefined) {
    throw new ServiceRejection(405, 'MethodNotAllowed', `${request.method} is not allowed on ${ADMIN_PATH_PREFIX}/${resource}; use ${Object.keys(routes).join(', ')}`);
  }
  const answer = await handler(context, request);
  if (answer.kind === 'html') {
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      // Only the page's own script runs, and it only talks to this emulator.
      'content-security-policy': `default-src 'none'; script-src 'nonce-${answer.nonce}'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'`,
    });
    res.end(answer.html);
    return;
  }
  sendJson(res, answer.status ?? 200, { api_version: ADMIN_API_VERSION, ...answer.body }, randomUUID(), { 'cache-control': 'no-store' }, context.closing);
}

/** Answers one request under `/_vocab/`. */
export async function handleAdminRequest(context: EmulatorContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const refusal = adminRefusal(req, context.options.adminKey);
  if (refusal !== null) {
    req.resume();
    sendServiceRejection(context, res, 403, 'Forbidden', refusal);
    return;
  }
  try {
    await route(context, await readAdminRequest(req), res);
  } catch (error) {
    if (error instanceof ServiceRejection) sendServiceRejection(context, res, error.status, error.code, error.message);
    else if (error instanceof BodyTooLarge) sendServiceRejection(context, res, 413, 'RequestTooLarge', `the body is larger than ${DEFAULT_MAX_ADMIN_BODY_BYTES} bytes`);
    else throw error;
  }
}
