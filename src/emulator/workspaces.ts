/**
 * The `X-DashScope-WorkSpace` header. The vendor says hotword lists work only in the primary
 * workspace and that sub-workspaces do not support them; the answer a sub-workspace gets is not
 * documented. Our guess: 403 AccessDenied with a message that says so.
 */
import { ServiceRejection } from './service-rejection.js';
import type { AccountState } from './state.js';

/** The header, lower-cased as Node gives it. */
export const WORKSPACE_HEADER = 'x-dashscope-workspace';

/** Code of the answer in a sub-workspace or an unknown one (our guess). */
const WORKSPACE_REJECTION_CODE = 'AccessDenied';

/**
 * Why a request in this workspace is refused, or null. An account without workspace settings
 * takes any header (it names the primary workspace); without the header a request reaches the
 * primary workspace.
 */
export function workspaceRejection(account: AccountState | undefined, workspace: string | null): ServiceRejection | null {
  const workspaces = account?.settings?.workspaces;
  if (workspaces === undefined || workspace === null || workspace === workspaces.primary) return null;
  if (workspaces.sub.includes(workspace)) {
    return new ServiceRejection(
      403,
      WORKSPACE_REJECTION_CODE,
      `Workspace ${workspace} is a sub-workspace: custom vocabularies (hotwords) are supported only in the primary workspace.`,
    );
  }
  return new ServiceRejection(403, WORKSPACE_REJECTION_CODE, `Workspace ${workspace} does not exist or this API key has no access to it.`);
}

/** The workspace a request names: the header's value, or null when absent or empty. */
export function requestedWorkspace(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}
