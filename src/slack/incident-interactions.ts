import type { App } from '@slack/bolt';
import { escapeText } from '../chat/blocks';
import { readButtonClick } from '../http/slack-payloads';
import { FOLLOW_UP_TEXT_MAX } from '../incident/follow-up';
import { ACK_ACTION_ID, parseAckValue, renderAcknowledgedDm } from '../incident/render-pager';
import { ADD_FOLLOW_UP_ACTION } from '../incident/render-recap';
import type { Logger } from '../log/logger';
import type { CommandBase } from '../router/subcommand';
import { shortDigest } from '../short-digest';
import { refuseClick } from './click-context';

/**
 * Clicks and events of incidents: the Acknowledge button of a page, and a 📌 reaction on a message
 * in an incident channel. Both are acknowledged to Slack first; the work is Redis only (the ack is
 * recorded at once, the pinned message is read by a job).
 */
export function registerIncidentInteractions(app: App, base: CommandBase, log: Logger): void {
  const desk = base.services.incidents;
  app.action(ACK_ACTION_ID, async ({ ack, body, action, respond }) => {
    await ack();
    const click = readButtonClick(body, action);
    if (!click.ok) {
      log.warn({ action: ACK_ACTION_ID, problem: click.problem }, 'ignored a click of the wrong shape');
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
    // The button is `/incident ack` for this incident: closed means closed, and only those paged,
    // responders and the commander may acknowledge.
    const refusal = await refuseClick(base, click.value, 'ack', incident);
    if (refusal) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: refusal });
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

  // A suggestion's Add button in the recap is `/incident followup <its text>` in the incident's channel.
  app.action(new RegExp(`^${ADD_FOLLOW_UP_ACTION}\\.\\d+$`), async ({ ack, body, action, respond }) => {
    await ack();
    const click = readButtonClick(body, action);
    const text = click.ok ? click.value.value.trim().slice(0, FOLLOW_UP_TEXT_MAX) : '';
    if (!click.ok || !text || !click.value.channelId) {
      log.warn({ action: ADD_FOLLOW_UP_ACTION }, 'ignored a click of the wrong shape');
      return;
    }
    const incident = await desk.forChannel(click.value.channelId);
    const answer = (message: string) =>
      respond({ response_type: 'ephemeral', replace_original: false, text: message });
    if (!incident) return void (await answer('This recap’s incident is no longer known to Warroom.'));
    const refusal = await refuseClick(base, click.value, 'followup suggestion', incident);
    if (refusal) return void (await answer(refusal));
    // Keyed by the suggestion, so double clicks (by anyone) record it once.
    const added = await desk.addFollowUp(incident, {
      text,
      user: click.value.userId,
      idempotencyKey: `suggestion:${shortDigest(text, 24)}`,
    });
    await answer(
      'followUp' in added
        ? `:dart: Follow-up #${added.followUp.number}${added.kind === 'exists' ? ' (already added)' : ''}: ${escapeText(added.followUp.text)}`
        : 'This incident has as many follow-ups as it can keep; nothing was added.',
    );
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
