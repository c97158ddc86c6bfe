import { ackerName, pagerDutyAcker } from '../incident/acker';
import type { IncidentCore } from '../incident/incident-deps';
import { entryNow } from '../incident/incident-deps';
import { incidentMessageKeys } from '../incident/incident-queue';
import type { PagerDutyLink } from './pagerduty-link';
import { queuePagerDutyFollowUps } from './pagerduty-queue';
import type { PagerDutyTarget } from './redis-pagerduty-store';
import { renderPagerDutyAck, renderPagerDutyResolved } from './render-pagerduty';
import type { WebhookEvent } from './webhook-event';

/** The timeline's actor of what PagerDuty reports. */
export const PAGERDUTY_ACTOR = 'PagerDuty';

type Deps = Pick<IncidentCore, 'store' | 'outbox' | 'queue' | 'clock' | 'log'> & { pagerDuty: PagerDutyLink };

/**
 * Acts on a verified webhook: an acknowledgement of a page Warroom triggered is recorded exactly
 * as a Slack ack by someone paged (so the tier's escalation stops) and acknowledges the tier's
 * other PagerDuty incidents; a resolution is put on the timeline and closes nothing. Events of
 * other types, keys Warroom did not send, and Warroom's own acknowledge and resolve coming back do
 * nothing. Every write is keyed by the event or the key, so a redelivery records nothing twice.
 * Redis only. Returns what it did, for the log.
 */
export async function recordWebhookEvent(deps: Deps, event: WebhookEvent): Promise<string> {
  if (event.kind === 'other') return `ignored ${event.eventType}`;
  if (!event.incidentKey) return 'no incident key';
  const target = await deps.pagerDuty.store.byDedupKey(event.incidentKey);
  if (!target) return 'not a key Warroom sent';
  const incident = await deps.store.get(target.incidentId);
  if (!incident) return 'unknown incident';
  const name = event.agentName ?? 'someone';
  return event.kind === 'acknowledged'
    ? acknowledged(deps, incident, target, name)
    : resolved(deps, incident, target, name, event.eventId);
}

async function acknowledged(
  deps: Deps,
  incident: NonNullable<Awaited<ReturnType<Deps['store']['get']>>>,
  target: PagerDutyTarget,
  name: string,
): Promise<string> {
  if (incident.status === 'closed') return 'the incident is closed';
  // Warroom's own acknowledge (after a Slack ack) comes back as a webhook too.
  if (target.state === 'acknowledged' || target.state === 'resolved') return `already ${target.state}`;
  const user = pagerDutyAcker(name);
  const eventKey = `pagerduty-ack:${target.dedupKey}`;
  const entry = entryNow(
    deps,
    PAGERDUTY_ACTOR,
    'ack',
    `${ackerName(user)} acknowledged in PagerDuty (${target.tier}, ${target.contact})`,
    { tier: target.tier, user, paged: true, contact: target.contact, dedupKey: target.dedupKey },
  );
  const state = await deps.store.state(incident.id);
  const { appended } = await deps.store.appendOnce(incident.id, entry, eventKey);
  await deps.pagerDuty.store.setState(incident.id, target.contact, 'acknowledged');
  if (!appended) return 'already recorded';
  const firstPaged = state.tiers[target.tier]?.firstPagedAt;
  const timeToAck = firstPaged ? Math.max(0, Date.parse(entry.at) - Date.parse(firstPaged)) : undefined;
  await deps.outbox.put(
    incident.channelId,
    incidentMessageKeys.event(incident.id, eventKey),
    renderPagerDutyAck(name, target.contact, target.tier, timeToAck),
  );
  await queuePagerDutyFollowUps(
    deps,
    incident.id,
    'acknowledge',
    (t) => t.tier === target.tier && t.contact !== target.contact,
  );
  return 'acknowledged';
}

async function resolved(
  deps: Deps,
  incident: NonNullable<Awaited<ReturnType<Deps['store']['get']>>>,
  target: PagerDutyTarget,
  name: string,
  eventId: string,
): Promise<string> {
  // Warroom's own resolve, at close, comes back as a webhook too.
  if (target.state === 'resolved') return 'already resolved';
  const eventKey = `pagerduty-resolved:${eventId}`;
  const { appended } = await deps.store.appendOnce(
    incident.id,
    entryNow(
      deps,
      PAGERDUTY_ACTOR,
      'pagerduty',
      `${name} resolved ${target.contact}'s incident in PagerDuty`,
      {
        event: 'resolved',
        contact: target.contact,
        tier: target.tier,
        dedupKey: target.dedupKey,
        by: name,
      },
    ),
    eventKey,
  );
  await deps.pagerDuty.store.setState(incident.id, target.contact, 'resolved');
  if (appended && incident.status === 'open') {
    await deps.outbox.put(
      incident.channelId,
      incidentMessageKeys.event(incident.id, eventKey),
      renderPagerDutyResolved(name, target.contact),
    );
  }
  return appended ? 'resolved' : 'already recorded';
}
