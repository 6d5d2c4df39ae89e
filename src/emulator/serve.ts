/** `vocab emulator` once its flags are read: start, announce, wait for a signal, shut down cleanly. */
import { DEFAULT_FAULT_SEED, DEFAULT_LOCAL_API_KEY } from './constants.js';
import { isLoopbackHost } from '../util/loopback.js';
import { removeTemporaryFiles } from '../util/atomic-write.js';
import { startEmulatorServer, type EmulatorServer, type EmulatorServerOptions } from './server.js';

/**
 * After SIGINT or SIGTERM, how long requests in flight may take to finish before every
 * connection is dropped (a slow or stuck client never holds the emulator up for longer).
 */
const SHUTDOWN_GRACE_MS = 2_000;

/** Where `serveEmulatorUntilSignalled` writes, and the signals it waits for. */
export interface ServeEmulatorIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Emits `SIGINT` / `SIGTERM` (default `process`). */
  signals?: NodeJS.EventEmitter;
}

/** Where the emulator's API keys came from, for the startup note (the key itself is never printed unless it is the public default). */
export type ApiKeySource = 'flag' | 'environment' | 'default';

/** Whether a bind address only accepts connections from this machine. */

/** The API keys `vocab emulator` accepts: the flags, else DASHSCOPE_API_KEY, else the public default. */
export function chooseEmulatorApiKeys(flagKeys: readonly string[], envKey: string | undefined): { keys: string[]; source: ApiKeySource } {
  if (flagKeys.length > 0) return { keys: [...flagKeys], source: 'flag' };
  if (envKey) return { keys: [envKey], source: 'environment' };
  return { keys: [DEFAULT_LOCAL_API_KEY], source: 'default' };
}

/**
 * Runs the emulator until SIGINT or SIGTERM: prints the base URL (one line) on stdout when
 * ready and hints on stderr; on a signal stops accepting, finishes in-flight requests, flushes
 * the state and resolves with exit code 0.
 */
export async function serveEmulatorUntilSignalled(
  options: EmulatorServerOptions & { apiKeySource: ApiKeySource },
  io: ServeEmulatorIo,
): Promise<number> {
  const signals = io.signals ?? process;
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) {
    io.stderr.write(
      `warning: binding to ${host}: the emulator is reachable from other machines; it is meant for loopback (127.0.0.1)\n`,
    );
  }
  if (options.stateFile) await removeTemporaryFiles(options.stateFile);
  const server = await startEmulatorServer(options);
  io.stdout.write(`${server.url}\n`);
  const keyNote =
    options.apiKeySource === 'default'
      ? `DASHSCOPE_API_KEY=${DEFAULT_LOCAL_API_KEY} (the emulator's default key)`
      : options.apiKeySource === 'environment'
        ? 'the key in DASHSCOPE_API_KEY'
        : `the ${options.apiKeys?.length ?? 0} key(s) given with --api-key`;
  io.stderr.write(
    [
      `vocab emulator listening on ${server.url}`,
      `  export DASHSCOPE_HTTP_BASE_URL=${server.url}`,
      `  accepts ${keyNote}`,
      `  state: ${options.stateFile ?? 'in memory only (use --state FILE to keep it)'}`,
      `  admin API: ${server.adminUrl}/ (inspector page: ${server.adminUrl}/ui)`,
      ...(options.faultRate ? [`  random faults: rate ${options.faultRate}, seed ${options.faultSeed ?? DEFAULT_FAULT_SEED}`] : []),
      '  stop with Ctrl-C (SIGINT) or SIGTERM',
      '',
    ].join('\n'),
  );
  const signal = await nextSignal(signals);
  io.stderr.write(`vocab emulator: ${signal}, shutting down\n`);
  await stopServer(server, signals, io);
  // Temporary files of an interrupted write, this process's or a killed emulator's.
  if (options.stateFile) await removeTemporaryFiles(options.stateFile);
  return 0;
}

/** The name of the next SIGINT or SIGTERM; `stop` removes the listeners without waiting. */
function listenForSignal(signals: NodeJS.EventEmitter): { next: Promise<string>; stop: () => void } {
  let stop: () => void = () => undefined;
  const next = new Promise<string>((resolve) => {
    const onInt = (): void => onSignal('SIGINT');
    const onTerm = (): void => onSignal('SIGTERM');
    stop = (): void => {
      signals.off('SIGINT', onInt);
      signals.off('SIGTERM', onTerm);
    };
    const onSignal = (name: string): void => {
      stop();
      resolve(name);
    };
    signals.on('SIGINT', onInt);
    signals.on('SIGTERM', onTerm);
  });
  return { next, stop };
}

/** The name of the next SIGINT or SIGTERM. */
function nextSignal(signals: NodeJS.EventEmitter): Promise<string> {
  return listenForSignal(signals).next;
}

/**
 * Stops accepting and lets requests in flight finish, for at most `SHUTDOWN_GRACE_MS` or until
 * a second signal; then drops every connection, idle or active, and waits for the state to be
 * flushed.
 */
async function stopServer(server: EmulatorServer, signals: NodeJS.EventEmitter, io: ServeEmulatorIo): Promise<void> {
  const closed = server.close();
  let timer: NodeJS.Timeout | undefined;
  const second = listenForSignal(signals);
  const impatient = Promise.race([
    new Promise<'grace'>((resolve) => {
      timer = setTimeout(() => resolve('grace'), SHUTDOWN_GRACE_MS);
      timer.unref();
    }),
    second.next,
  ]);
  const first = await Promise.race([closed.then(() => 'closed' as const), impatient]);
  clearTimeout(timer);
  second.stop();
  if (first !== 'closed') {
    io.stderr.write(`vocab emulator: ${first === 'grace' ? `requests still open after ${SHUTDOWN_GRACE_MS / 1000} s` : `${first} again`}: closing every connection\n`);
    server.closeAllConnections();
  }
  await closed;
}
