import type { App } from '@slack/bolt';
import { readButtonClick } from '../http/slack-payloads';
import type { IncidentDesk } from '../incident/incident-desk';
import { parseAckValue, renderAcknowledgedDm } from '../incident/render-page';
import type { Logger } from '../log/logger';

/**
 * Clicks and events of incidents: the Acknowledge button of a page, and a 📌 reaction on a message
 * in an incident channel. Both are acknowledged to Slack first; the work is Redis only (the ack is
 * recorded at once, the pinned message is read by a job).
 */
export function registerIncidentInteractions(app: App, desk: IncidentDesk, log: Logger): void {
  app.action('incident_ack', async ({ ack, body, action, respond }) => {
    await ack();
    const click = readButtonClick(body, action);
    if (!click.ok) {
      log.warn({ action: 'incident_ack', problem: click.problem }, 'ignored a click of the wrong shape');
      return;
    }
    const value = parseAckValue(click.value.value);
    const incident = value ? await desk.get(value.incidentId) : undefined;
    if (!value || !incident) {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'This page is no longer known to Warroom.',
      });
      return;
    }
    if (incident.status === 'closed') {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'This incident is already closed; nothing to acknowledge.',
      });
      return;
    }
    const user = click.value.userId;
    // A double click records one ack: the desk keys it by user and tier.
    await desk.ack(incident, user, value.tier);
    const message = renderAcknowledgedDm(incident, value.tier, user, desk.now().toISOString());
    await respond({
      replace_original: true,
      text: message.text,
      ...(message.blocks ? { blocks: message.blocks } : {}),
    });
  });

  app.event('reaction_added', async ({ event }) => {
    if (event.reaction !== 'pushpin' || event.item?.type !== 'message') return;
    const { channel, ts } = event.item as { channel: unknown; ts: unknown };
    if (typeof channel !== 'string' || typeof ts !== 'string' || typeof event.user !== 'string') {
      log.warn(
        { event: 'reaction_added', problem: 'item or user is not text' },
        'ignored an event of the wrong shape',
      );
      return;
    }
    const incident = await desk.forChannel(channel);
    if (!incident) return;
    await desk.pinMessage(incident, channel, ts, event.user);
    log.debug({ incident: incident.id }, 'pinned message queued for the timeline');
  });
}
