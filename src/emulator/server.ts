/**
 * The emulator's HTTP front (`node:http`): the customization endpoint (service-endpoint.ts) and,
 * beside it under `/_vocab/`, the admin API and the inspector page (admin-api.ts).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdminRequest } from './admin-api.js';
import { ADMIN_PATH_PREFIX, DEFAULT_SERVER_UNDEPLOYED_MS, DEFAULT_UPDATE_INTERVAL_MS, INTERNAL_ERROR_MESSAGE } from './constants.js';
import { createEmulatorContext, type EmulatorContext } from './context.js';
import type { ScriptedFault } from './faults.js';
import { sendJson } from './http-io.js';
import { loadStateFile } from './persistence.js';
import type { RequestLog } from './request-log.js';
import type { EmulatorServerOptions } from './server-options.js';
import { handleServiceRequest } from './service-endpoint.js';
import { createEmptyState, fingerprintApiKey, type AccountState, type EmulatorState } from './state.js';

export type { EmulatorServerOptions } from './server-options.js';

/** Default bind address: loopback only. */
export const DEFAULT_EMULATOR_HOST = '127.0.0.1';

/** A running emulator. */
export interface EmulatorServer {
  /** Base URL including `/api/v1`, e.g. `http://127.0.0.1:8787/api/v1`. */
  url: string;
  /** Root of the admin API, e.g. `http://127.0.0.1:8787/_vocab`. */
  adminUrl: string;
  port: number;
  host: string;
  /** Stops accepting, lets in-flight requests finish, flushes the state file. */
  close(): Promise<void>;
  /** Drops every connection at once, idle or active: for a stop that cannot wait for slow clients. */
  closeAllConnections(): void;
  /** Every request seen (by key fingerprint, never the key). */
  requestLog: RequestLog;
  /** Queues scripted faults, consumed in order by matching requests. */
  scriptFaults(...faults: ScriptedFault[]): void;
  /** Scripted faults not yet consumed. */
  pendingFaults(): ScriptedFault[];
  /** A deep copy of the whole state. */
  snapshotState(): EmulatorState;
  /** A deep copy of one key's account, or undefined if it never wrote. */
  accountState(apiKey: string): AccountState | undefined;
}

function isAdminPath(url: string | undefined): boolean {
  const path = (url ?? '/').split('?')[0] ?? '/';
  return path === ADMIN_PATH_PREFIX || path.startsWith(`${ADMIN_PATH_PREFIX}/`);
}

function createHttpServer(context: EmulatorContext): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const handler = isAdminPath(req.url) ? handleAdminRequest : handleServiceRequest;
    handler(context, req, res).catch((error: unknown) => {
      // A bug or a failed save: answer like the service's own internal error.
      const requestId = randomUUID();
      const detail = error instanceof Error ? error.message : String(error);
      if (!res.headersSent) {
        sendJson(res, 500, { code: 'InternalError', message: `${INTERNAL_ERROR_MESSAGE} (${detail})`, request_id: requestId }, requestId, {}, context.closing);
      } else {
        res.destroy();
      }
    });
  });
}

async function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}

/** Starts the emulator on `host:port` and resolves once it is listening. */
export async function startEmulatorServer(options: EmulatorServerOptions = {}): Promise<EmulatorServer> {
  const host = options.host ?? DEFAULT_EMULATOR_HOST;
  const state = options.initialState ? structuredClone(options.initialState) : options.stateFile ? await loadStateFile(options.stateFile) : createEmptyState();
  const context = createEmulatorContext(options, state, { undeployedMs: DEFAULT_SERVER_UNDEPLOYED_MS, updateIntervalMs: DEFAULT_UPDATE_INTERVAL_MS });
  if (options.initialState) await context.persist();
  const server = createHttpServer(context);
  const address = await listen(server, options.port ?? 0, host);
  const origin = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  return {
    url: `${origin}/api/v1`,
    adminUrl: `${origin}${ADMIN_PATH_PREFIX}`,
    port: address.port,
    host: address.address,
    requestLog: context.requestLog,
    async close() {
      context.closing = true;
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      });
      await context.flushed();
    },
    closeAllConnections: () => server.closeAllConnections(),
    scriptFaults(...list) {
      context.faults.scriptFaults(list);
    },
    pendingFaults: () => context.faults.pendingFaults(),
    snapshotState: () => structuredClone(context.state),
    accountState(apiKey) {
      const account = context.state.accounts[fingerprintApiKey(apiKey)];
      return account ? structuredClone(account) : undefined;
    },
  };
}
