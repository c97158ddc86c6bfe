import type { ChatMessage } from '../chat/message';
import { GcpError } from '../gcp/cloud-gateway';

const SHARE =
  'share the folder with Warroom’s service account as an *editor* (on a shared drive: a Content manager)';

/** What went wrong writing the draft, and the fix, said in the incident's channel. */
export function renderPostmortemFailure(error: unknown, folderId: string): ChatMessage {
  const kind = error instanceof GcpError ? error.kind : 'other';
  const folder = `\`${folderId.replace(/[`<>&]/g, '')}\``;
  const retry = 'then type `/incident postmortem`. The incident itself is closed as usual.';
  const why: Record<string, string> = {
    'permission-denied': `Google Drive refused Warroom access to folder ${folder} (403). To fix: ${SHARE}, make sure the Drive API is enabled in the account’s project, ${retry}`,
    'not-found': `Google Drive found no folder ${folder} (404). Either \`postmortem.driveFolderId\` is wrong (it is the id at the end of the folder’s URL), or the folder is not shared with Warroom’s service account, which Drive reports the same way. To fix: correct the id or ${SHARE}, ${retry}`,
    'rate-limited': `Google Drive’s quota is used up for now (429). Warroom tries again in a minute; if that fails too, wait a few minutes, ${retry}`,
    unauthenticated: `Warroom’s credentials were refused by Google Drive (401): they need the scope https://www.googleapis.com/auth/drive.file. To fix: give the service account that scope (see docs/configuration.md), ${retry}`,
  };
  const text =
    why[kind] ??
    `Google Drive did not take the document (${kind}). Warroom tries again in a minute; if that fails too, ${retry.replace('then type', 'type')}`;
  return {
    text: `Postmortem draft not written: ${text}`,
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `:warning: *Postmortem draft not written.* ${text}` },
      },
    ],
  };
}

/** Drive answered that it did nothing (4xx): no document can exist from this attempt. */
export function createdNothing(error: unknown): boolean {
  return error instanceof GcpError && error.status !== undefined && error.status >= 400 && error.status < 500;
}
