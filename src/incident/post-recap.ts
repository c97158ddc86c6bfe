import type { Incident } from './incident';
import type { IncidentCore } from './incident-deps';
import { incidentMessageKeys } from './incident-queue';
import { renderRecap } from './render-recap';

/**
 * Puts the recap in the incident's channel from the whole timeline, under its one outbox key: a
 * second put (a retried close, the postmortem link known later) edits the message in place.
 */
export async function postRecap(
  deps: Pick<IncidentCore, 'store' | 'outbox' | 'config' | 'clock' | 'links'>,
  incident: Incident,
  postmortemUrl?: string,
): Promise<void> {
  const timeline = await deps.store.timelineByTime(incident.id);
  const pageUrl = await deps.links?.incident(incident.id);
  await deps.outbox.put(
    incident.channelId,
    incidentMessageKeys.recap(incident.id),
    renderRecap(incident, timeline, deps.config, deps.clock.now(), pageUrl, postmortemUrl),
  );
}
