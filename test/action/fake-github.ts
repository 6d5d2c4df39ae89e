/**
 * A stand-in for the GitHub REST API on loopback: the calls the action makes for the plan
 * comment, the drift issue and the branch tip, recorded so tests can check exactly what was sent.
 * Lists are served two per page with a `Link: rel="next"` header, so pagination is exercised.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

export const TOKEN = 'ghs_test-token-0123456789';
const PAGE = 2;

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  user: { login: string; type: 'Bot' | 'User' };
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  pull_request?: object;
}

export interface RecordedCall {
  method: string;
  path: string;
  body: unknown;
}

export interface FakeGitHub {
  url: string;
  comments: FakeComment[];
  issues: FakeIssue[];
  /** Branch name -> sha the ref endpoint answers. */
  branches: Map<string, string>;
  calls: RecordedCall[];
  /** The calls that changed something (POST, PATCH). */
  writes(): RecordedCall[];
}

type Handler = (m: RegExpMatchArray, body: Record<string, unknown>, url: URL) => { status: number; json: unknown; paged?: boolean };

function routes(state: FakeGitHub): [string, RegExp, Handler][] {
  let nextId = 1000;
  const issueJson = (i: FakeIssue) => ({ ...i, labels: i.labels.map((name) => ({ name })), html_url: `https://github.test/o/r/issues/${i.number}` });
  return [
    ['GET', /^\/repos\/o\/r\/issues\/(\d+)\/comments$/, (m) => ({ status: 200, paged: true, json: state.comments.filter((c) => c.issue === Number(m[1])) })],
    ['POST', /^\/repos\/o\/r\/issues\/(\d+)\/comments$/, (m, body) => {
      const comment: FakeComment = { id: nextId++, issue: Number(m[1]), body: String(body.body), user: { login: 'github-actions[bot]', type: 'Bot' } };
      state.comments.push(comment);
      return { status: 201, json: { ...comment, html_url: `https://github.test/o/r/pull/${m[1]}#issuecomment-${comment.id}` } };
    }],
    ['PATCH', /^\/repos\/o\/r\/issues\/comments\/(\d+)$/, (m, body) => {
      const comment = state.comments.find((c) => c.id === Number(m[1]));
      if (!comment) return { status: 404, json: { message: 'Not Found' } };
      comment.body = String(body.body);
      return { status: 200, json: comment };
    }],
    ['GET', /^\/repos\/o\/r\/issues$/, (_m, _b, url) => {
      const label = url.searchParams.get('labels');
      const open = state.issues.filter((i) => i.state === url.searchParams.get('state') && (!label || i.labels.includes(label)));
      return { status: 200, paged: true, json: open.map(issueJson) };
    }],
    ['POST', /^\/repos\/o\/r\/issues$/, (_m, body) => {
      const issue: FakeIssue = { number: state.issues.length + 1, title: String(body.title), body: String(body.body), state: 'open', labels: (body.labels as string[]) ?? [] };
      state.issues.push(issue);
      return { status: 201, json: issueJson(issue) };
    }],
    ['PATCH', /^\/repos\/o\/r\/issues\/(\d+)$/, (m, body) => {
      const issue = state.issues.find((i) => i.number === Number(m[1]));
      if (!issue) return { status: 404, json: { message: 'Not Found' } };
      if (typeof body.body === 'string') issue.body = body.body;
      if (body.state === 'closed' || body.state === 'open') issue.state = body.state;
      return { status: 200, json: issueJson(issue) };
    }],
    ['GET', /^\/repos\/o\/r\/git\/ref\/heads\/(.+)$/, (m) => {
      const sha = state.branches.get(m[1]!);
      return sha ? { status: 200, json: { ref: `refs/heads/${m[1]}`, object: { sha, type: 'commit' } } } : { status: 404, json: { message: 'Not Found' } };
    }],
  ];
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function answer(res: ServerResponse, state: FakeGitHub, url: URL, result: ReturnType<Handler>): void {
  let json = result.json;
  if (result.paged && Array.isArray(json)) {
    const page = Number(url.searchParams.get('page') ?? '1');
    if (json.length > page * PAGE) {
      const next = new URL(url.href, state.url);
      next.searchParams.set('page', String(page + 1));
      res.setHeader('link', `<${next.href}>; rel="next"`);
    }
    json = json.slice((page - 1) * PAGE, page * PAGE);
  }
  res.writeHead(result.status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
}

/** Starts the stand-in (closed when the test finishes). */
export async function startFakeGitHub(): Promise<FakeGitHub> {
  const state: FakeGitHub = { url: '', comments: [], issues: [], branches: new Map(), calls: [], writes: () => state.calls.filter((c) => c.method !== 'GET') };
  const table = routes(state);
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', state.url);
      const body = await readBody(req);
      state.calls.push({ method: req.method ?? '', path: `${url.pathname}${url.search}`, body });
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return void res.writeHead(401).end('{"message":"Bad credentials"}');
      for (const [method, pattern, handler] of table) {
        const m = url.pathname.match(pattern);
        if (m && method === req.method) return answer(res, state, url, handler(m, body, url));
      }
      res.writeHead(404).end('{"message":"Not Found"}');
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return state;
}
