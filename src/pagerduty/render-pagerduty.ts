import { escapeText, section } from '../chat/blocks';
import type { ChatMessage } from '../chat/message';
import { formatDuration } from '../config/duration';
import type { ContactTier } from '../config/schema';
import { clipText } from '../incident/render-status';

/**
 * Said once per contact when PagerDuty refuses or never takes a page: what PagerDuty answered (no
 * key), where to fix it, and that the Slack DMs went out anyway.
 */
export function renderPagerDutyFailed(
  contact: string,
  tier: ContactTier,
  reason: string,
  routingKeyEnv: string,
): ChatMessage {
  const line = `Could not page ${escapeText(contact)} (${tier}) in PagerDuty: ${clipText(reason, 300)}`;
  return {
    text: line,
    blocks: [
      section(
        `:x: ${line}\nThe Slack DMs went out. Check the integration key in \`${routingKeyEnv}\` and the service's Events API v2 integration, or reach them another way.`,
      ),
    ],
  };
}

/** The channel line when someone acknowledges in PagerDuty: who (as PagerDuty names them), which page, how fast. */
export function renderPagerDutyAck(
  name: string,
  contact: string,
  tier: ContactTier,
  timeToAckMs: number | undefined,
): ChatMessage {
  const after = timeToAckMs === undefined ? '' : ` after ${formatDuration(timeToAckMs)}`;
  const line = `${clipText(name, 100)} acknowledged the *${tier}* page (${escapeText(contact)}) in PagerDuty${after}.`;
  return { text: line, blocks: [section(`:white_check_mark: ${line}`)] };
}

/** The channel line when the PagerDuty incident of a contact is resolved there: noted, the incident stays open. */
export function renderPagerDutyResolved(name: string, contact: string): ChatMessage {
  const line = `${clipText(name, 100)} resolved ${escapeText(contact)}'s incident in PagerDuty. The Warroom incident stays open: close it with \`/incident close\`.`;
  return { text: line, blocks: [section(`:telephone_receiver: ${line}`)] };
}
