import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { startEmulatorServer, type EmulatorServer, type EmulatorServerOptions } from '../../src/emulator/server.js';

export const KEY = 'sk-test-0123456789abcdef';
/** 2024-11-05 08:31:32 UTC, i.e. 16:31:32 in Beijing. */
export const START_MS = Date.UTC(2024, 10, 5, 8, 31, 32);

/** A clock that only moves when told. */
export function createFakeClock(start = START_MS): { now: () => number; advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
  };
}

/** Ids 000..001, 000..002, ... (32 hex). */
export function createCountingIds(): () => string {
  let n = 0;
  return () => (++n).toString(16).padStart(32, '0');
}

/** The headers the official Python SDK sends. */
export function pythonSdkHeaders(key: string = KEY): Record<string, string> {
  return {
    authorization: `Bearer ${key}`,
    'content-type': 'application/json',
    accept: 'application/json',
    'user-agent': 'dashscope/1.26.2; python/3.11.9; platform/Linux-6.8-x86_64; processor/x86_64',
  };
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

/** POSTs a raw body to the customization endpoint with plain fetch. */
export async function postRaw(baseUrl: string, body: string, headers: Record<string, string> = pythonSdkHeaders()): Promise<CallResult> {
  const res = await fetch(`${baseUrl}/services/audio/asr/customization`, { method: 'POST', headers, body });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON (HTML 502)
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Sends one action the way the Python SDK does (with `"parameters": {}`). */
export async function callAction(baseUrl: string, input: Record<string, unknown>, key: string = KEY): Promise<CallResult> {
  return postRaw(baseUrl, JSON.stringify({ model: 'speech-biasing', input, parameters: {} }), pythonSdkHeaders(key));
}

/** `output` of a successful answer. */
export function outputOf(result: CallResult): Record<string, unknown> {
  if (result.status !== 200) throw new Error(`expected 200, got ${result.status}: ${result.text}`);
  return result.json.output as Record<string, unknown>;
}

/** Creates a list and returns its id. */
export async function createList(
  baseUrl: string,
  prefix = 'testpfx',
  vocabulary: unknown[] = [{ text: '吴贻弓', weight: 4, lang: 'zh' }],
  targetModel = 'fun-asr',
  key: string = KEY,
): Promise<string> {
  const out = outputOf(await callAction(baseUrl, { action: 'create_vocabulary', target_model: targetModel, prefix, vocabulary }, key));
  return String(out.vocabulary_id);
}

/** Lists one page. */
export async function listPage(baseUrl: string, input: Record<string, unknown> = {}, key: string = KEY): Promise<Record<string, unknown>[]> {
  const out = outputOf(await callAction(baseUrl, { action: 'list_vocabulary', ...input }, key));
  return out.vocabulary_list as Record<string, unknown>[];
}

/** A fresh temporary folder. */
export async function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'vocab-emulator-'));
}

/** Removes a temporary folder. */
export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Starts a server with a fake clock, counting ids and the test key; returns both. */
export async function startTestServer(
  options: EmulatorServerOptions = {},
): Promise<{ server: EmulatorServer; clock: ReturnType<typeof createFakeClock> }> {
  const clock = createFakeClock();
  const server = await startEmulatorServer({
    apiKeys: [KEY],
    now: clock.now,
    generateId: createCountingIds(),
    undeployedMs: 0,
    updateIntervalMs: 0,
    ...options,
  });
  return { server, clock };
}

/**
 * The test servers of one test file: call it at the top of the file; the `start` it returns
 * starts a server like `startTestServer`, and every server started in a test is closed after it
 * (a test may close one itself: closing twice closes once).
 */
export function closedAfterEachTest(): (options?: EmulatorServerOptions) => ReturnType<typeof startTestServer> {
  let servers: EmulatorServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((s) => s.close()));
    servers = [];
  });
  return async (options = {}) => {
    const started = await startTestServer(options);
    const close = started.server.close.bind(started.server);
    let closed: Promise<void> | undefined;
    started.server.close = () => (closed ??= close());
    servers.push(started.server);
    return started;
  };
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const TIME_PATTERN = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
