import type { KnownBlock } from '@slack/types';
import { context, escapeText, escapeUserText, section, truncate } from '../chat/blocks';
import type { ChatMessage } from '../chat/message';
import type { RedisOutbox } from '../chat/redis-outbox';
import { slackDate } from '../chat/slack-date';
import { formatDuration } from '../config/duration';
import { outsideText } from '../diag/render-diag';
import { scrubCredentials } from '../log/scrub-credentials';
import type { RemediationRequest } from './remediation';
import { remediationMessageKey } from './remediation-queue';

/** Puts the request's one message in the outbox (created on first call, updated after). */
export function showRequest(outbox: Pick<RedisOutbox, 'put'>, request: RemediationRequest) {
  return outbox.put(request.channelId, remediationMessageKey(request.id), renderRemediation(request));
}

export const APPROVE_ACTION_ID = 'remediation_approve';
export const DENY_ACTION_ID = 'remediation_deny';

const ICON: Record<RemediationRequest['state'], string> = {
  'awaiting-approval': ':raised_hand:',
  approved: ':ok_hand:',
  denied: ':no_entry:',
  expired: ':hourglass:',
  running: ':hammer_and_wrench:',
  succeeded: ':white_check_mark:',
  failed: ':x:',
  previewed: ':mag:',
};

const title = (r: RemediationRequest): string => {
  const verb = r.action === 'restart' ? 'Restart' : 'Rollback';
  const target = r.action === 'rollback' && r.revision ? ` to ${r.revision}` : '';
  return `${r.dryRun ? 'Dry run: ' : ''}${verb} of *${escapeText(r.service)}*${escapeText(target)} in *${escapeText(r.environment)}*`;
};

function stateLine(r: RemediationRequest): string {
  switch (r.state) {
    case 'awaiting-approval':
      return `Waiting for approval by an approver other than <@${r.requestedBy}>${r.expiresAt ? `; expires ${slackDate(r.expiresAt)}` : ''}.`;
    case 'approved':
      return r.approvedBy ? `Approved by <@${r.approvedBy}>; starting.` : 'Starting.';
    case 'denied':
      return `Denied by <@${r.deniedBy ?? '?'}>. Nothing was changed.`;
    case 'expired':
      return 'Expired: nobody approved it within 15 minutes. Nothing was changed; ask again if it is still needed.';
    case 'running':
      return `Running${r.approvedBy ? ` (approved by <@${r.approvedBy}>)` : ''}.`;
    case 'succeeded':
    case 'failed':
    case 'previewed':
      // Outcomes and progress quote Google and the revision's own messages: scrubbed when written,
      // and again here for records written before.
      return outsideText(r.outcome ?? r.state);
  }
}

/**
 * The one message of a remediation request: what is asked and by whom, the Approve and Deny
 * buttons while it waits, then its progress, live, and how it ended.
 */
export function renderRemediation(r: RemediationRequest): ChatMessage {
  const blocks: KnownBlock[] = [
    section(
      `${ICON[r.state]} ${title(r)}\nRequested by <@${r.requestedBy}> ${slackDate(r.requestedAt)}${r.reason ? ` — ${truncate(escapeUserText(r.reason), 300)}` : ''}`,
    ),
    section(stateLine(r)),
  ];
  if (r.progress.length > 0) {
    const lines = r.progress
      .slice(-12)
      .map((p) => `• ${slackDate(p.at, '{time_secs}')} ${outsideText(p.text)}`);
    blocks.push(section(lines.join('\n')));
  }
  if (r.changes?.length) {
    blocks.push(
      section(
        `*${r.dryRun ? 'Would change' : 'Changes'}*\n${r.changes.map((c) => `• \`${escapeText(c)}\``).join('\n')}`,
      ),
    );
  }
  if (r.dryRun && r.body) {
    blocks.push(
      section(
        `The update Warroom would send (PATCH, empty fields omitted):\n\`\`\`${truncate(escapeText(r.body), 2700)}\`\`\``,
      ),
    );
  }
  if (r.state === 'awaiting-approval') {
    blocks.push({
      type: 'actions',
      block_id: `remediation:${r.id}`,
      elements: [
        {
          type: 'button',
          action_id: APPROVE_ACTION_ID,
          text: { type: 'plain_text', text: 'Approve' },
          style: 'primary',
          value: r.id,
          confirm: {
            title: { type: 'plain_text', text: 'Approve this change?' },
            text: {
              type: 'mrkdwn',
              text: `${r.action === 'restart' ? 'Restart' : 'Roll back'} ${escapeText(r.service)} in ${escapeText(r.environment)} now.`,
            },
            confirm: { type: 'plain_text', text: 'Approve' },
            deny: { type: 'plain_text', text: 'Cancel' },
          },
        },
        {
          type: 'button',
          action_id: DENY_ACTION_ID,
          text: { type: 'plain_text', text: 'Deny' },
          style: 'danger',
          value: r.id,
        },
      ],
    });
  }
  const took =
    r.startedAt && r.finishedAt
      ? ` · took ${formatDuration(Math.max(0, Date.parse(r.finishedAt) - Date.parse(r.startedAt)))}`
      : '';
  const hint = r.state === 'awaiting-approval' ? ` · or type \`/incident approve ${r.id}\`` : '';
  blocks.push(context(`Request ${r.id}${took}${hint}`));
  const plain = `${r.dryRun ? 'Dry run: ' : ''}${r.action} of ${r.service} in ${r.environment} (${r.id}): ${
    r.state === 'succeeded' || r.state === 'failed' || r.state === 'previewed'
      ? scrubCredentials(r.outcome ?? r.state)
      : r.state
  }`;
  return { text: escapeText(truncate(plain, 500)), blocks };
}
