import type { ContactTier } from '../config/schema';
import { queuePagerDutyFollowUps } from '../pagerduty/pagerduty-queue';
import type { Incident } from './incident';
import { type DeskDeps, entryNow } from './incident-deps';
import { incidentMessageKeys } from './incident-queue';
import { tiersPagingUser } from './incident-state';
import { renderAckInChannel } from './render-pager';

/**
 * Records `user`'s acknowledgement once per user and tier, and says it in the channel with the time
 * to ack. It stops escalation only for a tier that paged `user` (and acknowledges that tier's
 * pages in PagerDuty): anyone else's ack is recorded as theirs and changes nothing else.
 */
export async function recordAck(
  deps: Pick<DeskDeps, 'store' | 'outbox' | 'clock' | 'queue' | 'pagerDuty'>,
  incident: Incident,
  user: string,
  tier?: ContactTier,
): Promise<{ recorded: boolean; paged: boolean }> {
  const state = await deps.store.state(incident.id, user);
  const pagedTiers = tiersPagingUser(state);
  const ackTier = tier ?? pagedTiers[0];
  const paged = ackTier !== undefined && pagedTiers.includes(ackTier);
  const eventKey = `ack:${user}:${ackTier ?? 'any'}`;
  const entry = entryNow(deps, user, 'ack', `<@${user}> acknowledged${ackTier ? ` (${ackTier})` : ''}`, {
    ...(ackTier ? { tier: ackTier } : {}),
    user,
    paged,
  });
  const { appended } = await deps.store.appendOnce(incident.id, entry, eventKey);
  if (appended) {
    const firstPaged = ackTier ? state.tiers[ackTier]?.firstPagedAt : undefined;
    const timeToAck = firstPaged ? Date.parse(entry.at) - Date.parse(firstPaged) : undefined;
    await deps.outbox.put(
      incident.channelId,
      incidentMessageKeys.event(incident.id, eventKey),
      renderAckInChannel(ackTier, user, timeToAck, paged),
    );
    // Someone who was asked is on it: the tier's pages in PagerDuty stop too.
    if (paged && ackTier)
      await queuePagerDutyFollowUps(deps, incident.id, 'acknowledge', (t) => t.tier === ackTier);
  }
  return { recorded: appended, paged };
}
