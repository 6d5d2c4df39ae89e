/** The one open issue that carries the current drift report. */
import type { GitHubApi, Issue } from './github-api.js';
import { fitBody } from './sticky-comment.js';

export const DRIFT_LABEL = 'vocab-drift';
const TITLE = 'vocab drift: the DashScope accounts differ from the declared state';

/** What happened to the issue. */
export type DriftIssueOutcome =
  | { kind: 'opened' | 'updated' | 'unchanged'; number: number; url: string | undefined }
  | { kind: 'closed'; numbers: number[] };

async function openDriftIssues(api: GitHubApi): Promise<Issue[]> {
  const issues = await api.list<Issue>(`/issues?labels=${DRIFT_LABEL}&state=open`);
  return issues.filter((i) => i.pull_request === undefined || i.pull_request === null);
}

/**
 * Drift found: opens the issue (labelled `vocab-drift`) or rewrites its description. Editing
 * notifies nobody, so a comment is added only when the report itself changed.
 */
export async function reportDrift(api: GitHubApi, report: string, runUrl: string): Promise<DriftIssueOutcome> {
  const body = fitBody(`${report}\n\n<sub>Last checked by ${runUrl}</sub>\n`, 'the job summary');
  const [issue] = await openDriftIssues(api);
  if (!issue) {
    const made = await api.send<Issue>('POST', '/issues', { title: TITLE, body, labels: [DRIFT_LABEL] });
    return { kind: 'opened', number: made.number, url: made.html_url };
  }
  const changed = !(issue.body ?? '').startsWith(report.slice(0, 60_000));
  await api.send('PATCH', `/issues/${issue.number}`, { body });
  if (changed) {
    await api.send('POST', `/issues/${issue.number}/comments`, { body: `The drift report changed; the description now shows ${runUrl}.` });
  }
  return { kind: changed ? 'updated' : 'unchanged', number: issue.number, url: issue.html_url };
}

/** In sync: closes every open drift issue with a comment saying so. */
export async function closeDrift(api: GitHubApi, runUrl: string): Promise<DriftIssueOutcome> {
  const open = await openDriftIssues(api);
  for (const issue of open) {
    await api.send('POST', `/issues/${issue.number}/comments`, { body: `In sync again as of ${runUrl}; closing.` });
    await api.send('PATCH', `/issues/${issue.number}`, { state: 'closed', state_reason: 'completed' });
  }
  return { kind: 'closed', numbers: open.map((i) => i.number) };
}
