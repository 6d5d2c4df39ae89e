/**
 * `vocab emulator exec -- COMMAND…`: a throwaway emulator around one command, as Firebase's
 * `emulators:exec`. Starts the emulator on a free loopback port (from an imported state if
 * asked), runs the command with DASHSCOPE_HTTP_BASE_URL and DASHSCOPE_API_KEY set, exports the
 * state if asked, stops the emulator and gives back the command's exit code (128 + n when a
 * signal ended it).
 */
import { spawn } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { saveStateFile } from './persistence.js';
import { startEmulatorServer, type EmulatorServer } from './server.js';
import type { EmulatorServerOptions } from './server-options.js';
import { readStateBody } from './admin-input.js';
import { readFile } from 'node:fs/promises';
import { ServiceRejection } from './service-rejection.js';
import { EmulatorStateError, type EmulatorState } from './state.js';

/** Options of `execWithEmulator`. */
export interface ExecOptions {
  /** The command and its arguments. */
  command: readonly string[];
  /** The emulator's own options (port, faults, rules…); the host stays loopback. */
  server: EmulatorServerOptions;
  /** The key handed to the command (the emulator accepts it). */
  apiKey: string;
  /** A state to start from: a state file, or the body `GET /_vocab/state` answers. */
  importFile?: string;
  /** Where to write the state when the command is done (whatever its exit code). */
  exportFile?: string;
  /** The command's environment (DASHSCOPE_HTTP_BASE_URL and DASHSCOPE_API_KEY are set over it). */
  env: NodeJS.ProcessEnv;
  cwd: string;
  stderr: NodeJS.WritableStream;
  /** Emits SIGINT / SIGTERM, forwarded to the command (default `process`). */
  signals?: NodeJS.EventEmitter;
}

/** Exit code of a process ended by a signal, as shells report it. */
function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (osConstants.signals[signal] ?? 0);
}

/** Reads `--import FILE`: an emulator state file, or `{"api_version":1,"state":…}` from the admin API. */
async function readImportFile(file: string): Promise<EmulatorState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new EmulatorStateError(`cannot read ${file} (${error instanceof Error ? error.message : String(error)})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new EmulatorStateError(`${file} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    return readStateBody(parsed);
  } catch (error) {
    if (error instanceof ServiceRejection) throw new EmulatorStateError(`${file}: ${error.message}`);
    throw error;
  }
}

function runChild(options: ExecOptions, server: EmulatorServer): Promise<number> {
  const [file, ...args] = options.command;
  if (file === undefined) return Promise.resolve(1);
  const env = { ...options.env, DASHSCOPE_HTTP_BASE_URL: server.url, DASHSCOPE_API_KEY: options.apiKey, VOCAB_EMULATOR_ADMIN_URL: server.adminUrl };
  const child = spawn(file, args, { cwd: options.cwd, env, stdio: 'inherit' });
  const signals = options.signals ?? process;
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  signals.on('SIGINT', onInt);
  signals.on('SIGTERM', onTerm);
  return new Promise<number>((resolve) => {
    const done = (code: number): void => {
      signals.off('SIGINT', onInt);
      signals.off('SIGTERM', onTerm);
      resolve(code);
    };
    child.once('error', (error) => {
      options.stderr.write(`vocab emulator exec: cannot run ${file}: ${error.message}\n`);
      done(127);
    });
    child.once('exit', (code, signal) => done(signal ? signalExitCode(signal) : (code ?? 1)));
  });
}

/** Runs the command against a fresh emulator and resolves with its exit code. */
export async function execWithEmulator(options: ExecOptions): Promise<number> {
  const initialState = options.importFile === undefined ? undefined : await readImportFile(options.importFile);
  const apiKeys = options.server.apiKeys && options.server.apiKeys.length > 0 ? options.server.apiKeys : [options.apiKey];
  const server = await startEmulatorServer({ ...options.server, apiKeys, ...(initialState ? { initialState } : {}) });
  let code: number;
  try {
    code = await runChild(options, server);
  } finally {
    await server.close();
  }
  if (options.exportFile !== undefined) await saveStateFile(options.exportFile, server.snapshotState());
  return code;
}
