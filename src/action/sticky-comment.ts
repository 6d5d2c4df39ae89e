/** One pull-request comment per marker, created once and edited on every later run. */
import type { GitHubApi, IssueComment } from './github-api.js';

/** GitHub refuses comment bodies over 65,536 characters. */
const MAX_BODY = 65_000;

/** Cuts a body to what GitHub accepts, saying where the rest is. */
export function fitBody(body: string, where: string): string {
  return body.length <= MAX_BODY ? body : `${body.slice(0, MAX_BODY)}\n\n(truncated; the full report is in ${where})\n`;
}

/** What happened to the comment. */
export type StickyOutcome = { kind: 'created' | 'updated'; url: string | undefined } | { kind: 'skipped' };

/**
 * Finds the comment a bot wrote that starts with `marker` and replaces its body, or creates
 * it. `createIfMissing: false` (a plan with no changes) only updates an existing comment.
 */
export async function upsertStickyComment(
  api: GitHubApi,
  options: { issueNumber: number; marker: string; body: string; createIfMissing: boolean },
): Promise<StickyOutcome> {
  const comments = await api.list<IssueComment>(`/issues/${options.issueNumber}/comments`);
  const existing = comments.find((c) => c.user?.type === 'Bot' && (c.body ?? '').startsWith(options.marker));
  if (existing) {
    const updated = await api.send<IssueComment>('PATCH', `/issues/comments/${existing.id}`, { body: options.body });
    return { kind: 'updated', url: updated.html_url };
  }
  if (!options.createIfMissing) return { kind: 'skipped' };
  const created = await api.send<IssueComment>('POST', `/issues/${options.issueNumber}/comments`, { body: options.body });
  return { kind: 'created', url: created.html_url };
}
