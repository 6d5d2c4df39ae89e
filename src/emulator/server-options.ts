/** The options of `startEmulatorServer`. */
import type { AccountRulesOptions } from './account.js';
import type { FaultOptions } from './faults.js';
import type { EmulatorState } from './state.js';

/** Options of `startEmulatorServer`; every field is optional. */
export interface EmulatorServerOptions extends AccountRulesOptions, FaultOptions {
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: a free one). */
  port?: number;
  /** Accepted API keys, one account each (default [`sk-local-emulator`]). */
  apiKeys?: readonly string[];
  /** State file, loaded on start and written after every write (default: memory only). */
  stateFile?: string;
  /** A state to start from instead of the state file's (`vocab emulator exec --import`). */
  initialState?: EmulatorState;
  /** UNDEPLOYED period after a create or update, ms (default 0: OK at once, as the vendor's sample expects). */
  undeployedMs?: number;
  /** Least time between writes of one list, ms (default 300,000; 0: not enforced). */
  updateIntervalMs?: number;
  /** Delay before each answer, ms (default 0). */
  latencyMs?: number;
  /** Requests per minute per account before 429 Throttling.RateQuota (default 0: no limit). */
  rpm?: number;
  /** Largest request body, bytes (default 4 MiB), else 413. */
  maxBodyBytes?: number;
  /** Entries kept in the request log (default 1000). */
  requestLogSize?: number;
  /** Key that lets callers other than loopback use the admin API (header `x-vocab-admin-key`). */
  adminKey?: string;
  /** Clock, epoch ms (default `Date.now`); the admin API can move it forward. */
  now?: () => number;
  /** How latency is waited (default a timer); tests inject one that records. */
  sleep?: (ms: number) => Promise<void>;
  /** Source of the 32 hex characters of new ids (default random). */
  generateId?: () => string;
}
