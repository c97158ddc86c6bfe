import type { KnownBlock } from '@slack/types';
import { context, escapeText, escapeUserText, section } from '../chat/blocks';
import type { ChatMessage } from '../chat/message';
import { slackDate } from '../chat/slack-date';
import { formatDuration } from '../config/duration';
import { CONTACT_TIERS, type Config, type ContactTier, SLACK_GROUP_ID } from '../config/schema';
import type { Incident, PagerReason } from './incident';
import { INCIDENT_ID } from './incident-id';
import { clipText } from './render-status';

/** The `action_id` of the Acknowledge button in a page DM. */
export const ACK_ACTION_ID = 'incident_ack';

/** What the Acknowledge button carries in its `value` (as JSON). */
export interface AckButtonValue {
  incidentId: string;
  tier: ContactTier;
}

/** What makes a page's reason read "no ack within 15m" or "open longer than 4h". */
export interface PagerReasonDetails {
  /** The configured timings; without them the reasons are worded without numbers. */
  escalation?: Config['escalation'];
}

/** A Slack id as a mention: user groups (S…) as `<!subteam^S…>`, users as `<@U…>`. */
export function slackMention(id: string): string {
  return SLACK_GROUP_ID.test(id) ? `<!subteam^${id}>` : `<@${id}>`;
}

/**
 * Why a tier was paged, in words: "incident opened", "no ack within 15m", "manual: <why>" or
 * "open longer than 4h", as mrkdwn. `why`, the words given with a manual page, is escaped here.
 */
export function pagerReasonText(reason: PagerReason, details: PagerReasonDetails = {}, why?: string): string {
  const { escalation } = details;
  switch (reason) {
    case 'open':
      return 'incident opened';
    case 'timeout':
      return escalation ? `no ack within ${formatDuration(escalation.ackTimeoutMs)}` : 'no ack in time';
    case 'manual':
      return why ? `manual: ${clipText(why, 500, escapeUserText)}` : 'manual';
    case 'executive':
      return escalation
        ? `open longer than ${formatDuration(escalation.executiveAfterMs)}`
        : 'open longer than the executive threshold';
    case 'verification':
      return why ? `verification failed: ${clipText(why, 500, escapeUserText)}` : 'verification failed';
  }
}

const summary = (incident: Incident) =>
  `*${incident.severity} · ${escapeText(incident.environment)}* — ${clipText(incident.title, 500)}`;

/**
 * The DM to one person paged: what, why, who leads, a link to the channel and an Acknowledge
 * button. `channelLink` is mrkdwn inserted as is (`<#C…>`, or `<https://…|#inc-…>`).
 */
export function renderPagerDm(
  incident: Incident,
  tier: ContactTier,
  contact: { name: string; note?: string },
  channelLink: string,
  reason: PagerReason,
  details: PagerReasonDetails = {},
): ChatMessage {
  const why = pagerReasonText(reason, details);
  const value: AckButtonValue = { incidentId: incident.id, tier };
  const blocks: KnownBlock[] = [
    section(
      `:rotating_light: You are paged as *${tier}* (${escapeText(contact.name)})\n${summary(incident)}\nReason: ${why}`,
    ),
    section(
      `Commander <@${incident.commander}> · opened ${slackDate(incident.openedAt)} · join ${channelLink}`,
    ),
  ];
  if (contact.note) blocks.push(section(`*Note:* ${clipText(contact.note, 1000)}`));
  blocks.push(
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACK_ACTION_ID,
          text: { type: 'plain_text', text: 'Acknowledge' },
          style: 'primary',
          value: JSON.stringify(value),
        },
      ],
    },
    context('Acknowledging stops the escalation to the next tier.'),
  );
  return {
    text: `Paged (${tier}): ${incident.severity} incident on ${escapeText(incident.environment)} — ${clipText(incident.title, 200)} (${why}). Acknowledge in Slack.`,
    blocks,
  };
}

/** Reads the Acknowledge button's value back; `undefined` when it is not one this module wrote. */
export function parseAckValue(value: string): AckButtonValue | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { incidentId, tier } = parsed as Record<string, unknown>;
  if (typeof incidentId !== 'string' || !INCIDENT_ID.test(incidentId)) return undefined;
  if (!CONTACT_TIERS.includes(tier as ContactTier)) return undefined;
  return { incidentId, tier: tier as ContactTier };
}

/** The page DM once acknowledged: the button gives way to who acknowledged and when. */
export function renderAcknowledgedDm(
  incident: Incident,
  tier: ContactTier,
  user: string,
  at: string,
): ChatMessage {
  return {
    text: `Acknowledged by <@${user}> (${tier}): ${incident.severity} incident on ${escapeText(incident.environment)} — ${clipText(incident.title, 200)}`,
    blocks: [
      section(`Paged as *${tier}*\n${summary(incident)}\nChannel: <#${incident.channelId}>`),
      context(`:white_check_mark: Acknowledged by <@${user}> at ${slackDate(at)}`),
    ],
  };
}

/** How one contact was reached by a page: through PagerDuty, by Slack DM, or both. */
export interface ContactReach {
  /** Absent when the contact has no PagerDuty link; `sending` until PagerDuty answers. */
  pagerDuty?: { state: 'sending' | 'paged' } | { state: 'failed'; reason: string };
  /** DMs delivered to the outbox, and people who could not be sent one. */
  dms: { sent: number; failed: number };
}

/** "paged in PagerDuty, DM sent": how a contact was reached, in words (mrkdwn). */
export function reachText(reach: ContactReach): string {
  const pd = reach.pagerDuty;
  const pagerDuty =
    pd === undefined
      ? []
      : pd.state === 'failed'
        ? [`PagerDuty page failed (${clipText(pd.reason, 300)})`]
        : [pd.state === 'paged' ? 'paged in PagerDuty' : 'paging in PagerDuty…'];
  const { sent, failed } = reach.dms;
  const dms =
    sent > 0
      ? [`${sent === 1 ? 'DM' : `${sent} DMs`} sent${failed > 0 ? `, ${failed} could not be sent` : ''}`]
      : failed > 0
        ? ['DM could not be sent']
        : pd === undefined
          ? ['no DM: no Slack users found']
          : [];
  return [...pagerDuty, ...dms].join(', ');
}

/** What `renderPagerInChannel` shows beyond the mentions. */
export interface PagerInChannelDetails extends PagerReasonDetails {
  /** The contact's name in the configuration, e.g. infra-oncall. */
  contact?: string;
  /** How the contact was reached; without it the message says each person gets a DM. */
  reach?: ContactReach;
}

/**
 * The in-channel mention of a page: "Paging *primary* (infra-oncall): <@U1> <!subteam^S…> —
 * reason: …". `note` is the words of a manual page (shown as its reason) or, for other reasons,
 * the contact's note.
 */
export function renderPagerInChannel(
  incident: Incident,
  tier: ContactTier,
  users: string[],
  groups: string[],
  reason: PagerReason,
  note?: string,
  details: PagerInChannelDetails = {},
): ChatMessage {
  const mentions =
    [...users, ...groups].map(slackMention).join(' ') ||
    (details.reach?.pagerDuty ? '_in PagerDuty_' : '_nobody: no Slack users found_');
  const who = details.contact ? ` (${escapeText(details.contact)})` : '';
  const spoken = reason === 'manual' || reason === 'verification';
  const why = pagerReasonText(reason, details, spoken ? note : undefined);
  const line = `Paging *${tier}*${who}: ${mentions} — reason: ${why}`;
  const blocks: KnownBlock[] = [section(`:rotating_light: ${line}`)];
  if (note && !spoken) blocks.push(context(`Note: ${clipText(note, 1000)}`));
  const reached = details.reach ? reachText(details.reach) : 'each person gets a DM to acknowledge';
  blocks.push(context(`${incident.severity} · ${escapeText(incident.environment)} · ${reached}`));
  return { text: details.reach ? `${line} (${reached})` : line, blocks };
}

/** The channel line when someone acknowledges; `paged` false: they were not asked, so escalation goes on. */
export function renderAckInChannel(
  tier: ContactTier | undefined,
  user: string,
  timeToAckMs: number | undefined,
  paged: boolean,
): ChatMessage {
  const forTier = tier ? ` the *${tier}* page` : '';
  const after = timeToAckMs === undefined ? '' : ` after ${formatDuration(timeToAckMs)}`;
  const line = paged
    ? `<@${user}> acknowledged${forTier}${after}.`
    : `<@${user}> acknowledged${forTier}, but was not paged: this does not stop the escalation.`;
  return { text: line, blocks: [section(`:white_check_mark: ${line}`)] };
}

/** A page that could not be delivered to one person: say so, so someone reaches them another way. */
export function renderPagerFailed(tier: ContactTier, user: string, error: string): ChatMessage {
  // Only the first line: an error here is a Slack API code or message, never a stack for the channel.
  const reason = clipText(error.split('\n')[0] ?? '', 300);
  const line = `Could not page <@${user}> (${tier}): ${reason}`;
  return {
    text: line,
    blocks: [section(`:x: ${line}\nReach them another way, or page the next tier.`)],
  };
}
