/**
 * A loopback HTTP proxy in front of the emulator that plays the network: it can hold create
 * requests at a gate (until a number of them arrived, so two applies are sure to race), and hold
 * one chosen create for a while before passing it on (a request that lands after its client gave
 * up). Everything else passes straight through.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

/** Options of `startGateProxy`. */
export interface GateProxyOptions {
  /** The emulator's base URL (…/api/v1). */
  target: string;
  /** Hold creates until this many arrived (or `gateTimeoutMs` after the first), then release them together. */
  gateCreates?: number;
  gateTimeoutMs?: number;
  /** Hold the n-th create (1-based) this long before passing it on, whatever its client does. */
  lateCreate?: { nth: number; delayMs: number };
}

/** A running proxy. */
export interface GateProxy {
  url: string;
  /** Creates that reached the proxy. */
  creates(): number;
  /** Resolves when the late create (if any) has been answered by the emulator. */
  lateLanded(): Promise<void>;
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function actionOf(body: Buffer): string | null {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { input?: { action?: unknown } };
    return typeof parsed.input?.action === 'string' ? parsed.input.action : null;
  } catch {
    return null;
  }
}

/** Starts the proxy on a free loopback port (closed when the test finishes). */
export async function startGateProxy(options: GateProxyOptions): Promise<GateProxy> {
  const base = new URL(options.target);
  let creates = 0;
  const held: (() => void)[] = [];
  let gateOpen = options.gateCreates === undefined;
  let landed: () => void = () => undefined;
  const lateLanded = new Promise<void>((resolve) => (landed = resolve));
  let timer: NodeJS.Timeout | undefined;
  const openGate = (): void => {
    gateOpen = true;
    for (const release of held.splice(0)) release();
  };

  const forward = async (req: IncomingMessage, body: Buffer, res: ServerResponse | null): Promise<void> => {
    const url = `${base.origin}${req.url ?? '/'}`;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
    const answer = await fetch(url, { method: req.method ?? 'POST', headers, body });
    const text = Buffer.from(await answer.arrayBuffer());
    if (!res || res.destroyed) return;
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(text);
  };

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      if (actionOf(body) === 'create_vocabulary') {
        const nth = ++creates;
        if (options.lateCreate?.nth === nth) {
          await new Promise((resolve) => setTimeout(resolve, options.lateCreate!.delayMs));
          await forward(req, body, res);
          landed();
          return;
        }
        if (!gateOpen) {
          timer ??= setTimeout(openGate, options.gateTimeoutMs ?? 15_000);
          if (options.gateCreates !== undefined && creates >= options.gateCreates) openGate();
          else await new Promise<void>((resolve) => held.push(resolve));
        }
      }
      await forward(req, body, res);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        clearTimeout(timer);
        openGate();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}${base.pathname}`, creates: () => creates, lateLanded: () => lateLanded };
}
