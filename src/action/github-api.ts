/** The few GitHub REST calls the action makes, with the workflow's token. */

/** A comment or an issue as far as the action reads it. */
export interface IssueComment {
  id: number;
  body?: string | null;
  user?: { type?: string } | null;
  html_url?: string;
}

export interface Issue {
  number: number;
  body?: string | null;
  html_url?: string;
  pull_request?: unknown;
}

/** A failed call: the method, path and HTTP status, never the token. */
export class GitHubApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'GitHubApiError';
  }
}

/** A client bound to one repository. */
export interface GitHubApi {
  /** GET, following `Link: rel="next"` and concatenating the pages. */
  list<T>(path: string): Promise<T[]>;
  get<T>(path: string): Promise<T>;
  send<T>(method: 'POST' | 'PATCH', path: string, body: unknown): Promise<T>;
}

const NEXT = /<([^>]+)>;\s*rel="next"/;

/** A client for `apiUrl/repos/<repository>` (paths given relative to it, e.g. `/issues`). */
export function createGitHubApi(options: { apiUrl: string; repository: string; token: string }): GitHubApi {
  const base = `${options.apiUrl}/repos/${options.repository}`;
  const headers = {
    accept: 'application/vnd.github+json',
    authorization: `Bearer ${options.token}`,
    'x-github-api-version': '2022-11-28',
    'user-agent': 'vocab-sync-action',
  };
  const call = async (method: string, url: string, body?: unknown): Promise<Response> => {
    const response = await fetch(url, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) {
      const text = (await response.text()).slice(0, 300);
      throw new GitHubApiError(`GitHub API ${method} ${url.slice(options.apiUrl.length)}: HTTP ${response.status} ${text}`, response.status);
    }
    return response;
  };
  return {
    async list<T>(path: string): Promise<T[]> {
      const items: T[] = [];
      let url: string | undefined = `${base}${path}${path.includes('?') ? '&' : '?'}per_page=100`;
      for (let page = 0; url !== undefined && page < 50; page++) {
        const response: Response = await call('GET', url);
        items.push(...((await response.json()) as T[]));
        url = NEXT.exec(response.headers.get('link') ?? '')?.[1];
      }
      return items;
    },
    async get<T>(path: string): Promise<T> {
      return (await (await call('GET', `${base}${path}`)).json()) as T;
    },
    async send<T>(method: 'POST' | 'PATCH', path: string, body: unknown): Promise<T> {
      return (await (await call(method, `${base}${path}`, body)).json()) as T;
    },
  };
}
