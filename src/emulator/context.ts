/**
 * Everything one running emulator holds, shared by its service endpoint, its admin API and its
 * inspector page: the state, the clock, the faults, the rate limiter, the request log.
 */
import {
  generateRandomHexId,
  resolveAccountRules,
  type AccountEnvironment,
  type AccountRuleDefaults,
  type AccountRulesOptions,
} from './account.js';
import { createEmulatorClock, type EmulatorClock } from './clock.js';
import { DEFAULT_FAULT_SEED, DEFAULT_LOCAL_API_KEY } from './constants.js';
import { createFaultRules, type FaultRules } from './fault-rules.js';
import { createFaultInjector, type FaultInjector } from './faults.js';
import { saveStateFile } from './persistence.js';
import { createRateLimiter, type RateLimiter } from './rate-limit.js';
import { createRequestLog, type RequestLog } from './request-log.js';
import { fingerprintApiKey, type AccountState, type EmulatorState } from './state.js';
import type { EmulatorServerOptions } from './server-options.js';

/** The running emulator's parts. `state` is replaced whole by an import or a reset. */
export interface EmulatorContext {
  options: EmulatorServerOptions;
  state: EmulatorState;
  clock: EmulatorClock;
  /** Keys given at start (`--api-key`); accounts made through the admin API are accepted too. */
  apiKeys: ReadonlySet<string>;
  /** The scripted and random faults of the options. */
  faults: FaultInjector;
  /** The fault rules of the admin API. */
  faultRules: FaultRules;
  limiter: RateLimiter;
  requestLog: RequestLog;
  defaults: AccountRuleDefaults;
  generateId: () => string;
  /** Writes the state file, if there is one (saves run one after another). */
  persist(): Promise<void>;
  /** Resolves when every save started so far is done. */
  flushed(): Promise<void>;
  /** Set once `close` starts: answers then ask clients to close their connections. */
  closing: boolean;
}

/** Builds the context of a server from its options and its loaded state. */
export function createEmulatorContext(options: EmulatorServerOptions, state: EmulatorState, defaults: AccountRuleDefaults): EmulatorContext {
  const clock = createEmulatorClock(options.now ?? Date.now);
  let saving: Promise<void> = Promise.resolve();
  const context: EmulatorContext = {
    options,
    state,
    clock,
    apiKeys: new Set(options.apiKeys && options.apiKeys.length > 0 ? options.apiKeys : [DEFAULT_LOCAL_API_KEY]),
    faults: createFaultInjector(options),
    faultRules: createFaultRules(options.faultSeed ?? DEFAULT_FAULT_SEED),
    limiter: createRateLimiter(options.rpm ?? 0, clock.now),
    requestLog: createRequestLog(options.requestLogSize),
    defaults,
    generateId: options.generateId ?? generateRandomHexId,
    persist() {
      const file = options.stateFile;
      if (!file) return Promise.resolve();
      const next = saving.then(() => saveStateFile(file, context.state));
      saving = next.catch(() => undefined);
      return next;
    },
    flushed: () => saving,
    closing: false,
  };
  return context;
}

/** Whether the emulator answers for this key: a key given at start, or an account made through the admin API. */
export function isKnownApiKey(context: EmulatorContext, apiKey: string): boolean {
  return context.apiKeys.has(apiKey) || context.state.accounts[fingerprintApiKey(apiKey)]?.settings !== undefined;
}

/** The rules for one account: the emulator's options with the account's own settings over them. */
export function accountEnvironment(context: EmulatorContext, account: AccountState | undefined): AccountEnvironment {
  const settings = account?.settings ?? {};
  const options: AccountRulesOptions = {
    ...context.options,
    ...(settings.max_vocabularies === undefined ? {} : { maxVocabularies: settings.max_vocabularies }),
    // An account's region picks its models, over a model list given at start.
    ...(settings.region === undefined ? {} : { region: settings.region, models: undefined }),
  };
  return { rules: resolveAccountRules(options, context.defaults), now: context.clock.now, generateId: context.generateId };
}
