/** `vocab emulator` once its flags are read: start, announce, wait for a signal, shut down cleanly. */
import { DEFAULT_FAULT_SEED, DEFAULT_LOCAL_API_KEY } from './constants.js';
import { isLoopbackHost } from './http-io.js';
import { startEmulatorServer, type EmulatorServerOptions } from './server.js';

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
export { isLoopbackHost } from './http-io.js';

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
  const signal = await new Promise<string>((resolve) => {
    const onSignal = (name: string): void => {
      signals.off('SIGINT', onInt);
      signals.off('SIGTERM', onTerm);
      resolve(name);
    };
    const onInt = (): void => onSignal('SIGINT');
    const onTerm = (): void => onSignal('SIGTERM');
    signals.on('SIGINT', onInt);
    signals.on('SIGTERM', onTerm);
  });
  io.stderr.write(`vocab emulator: ${signal}, shutting down\n`);
  await server.close();
  return 0;
}
