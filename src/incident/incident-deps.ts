import type { Queue } from 'bullmq';
import type { RedisOutbox } from '../chat/outbox';
import type { Config } from '../config/schema';
import type { Logger } from '../log/logger';
import type { SlackWorkspace } from '../slack/slack-workspace';
import type { Clock } from './clock';
import type { Incident, NewTimelineEntry, TimelineKind } from './incident';
import type { IncidentJobName, IncidentJobs } from './incident-queue';
import { incidentMessageKeys } from './incident-queue';
import type { RedisIncidentStore } from './incident-store';
import { renderHeader } from './render-header';

/** What the lifecycle code works with; built once per process. */
export interface IncidentDeps {
  store: RedisIncidentStore;
  outbox: RedisOutbox;
  /** Channel, invite, topic, pin and DM operations; absent in a process that only takes commands. */
  workspace?: SlackWorkspace;
  queue: Queue;
  config: Config;
  clock: Clock;
  log: Logger;
  /** Signed links to the incident pages; absent when the pages are off. */
  links?: { incident(incidentId: string): string };
}

/** Adds a job of the incident queue, typed by name. */
export function addIncidentJob<N extends IncidentJobName>(
  deps: Pick<IncidentDeps, 'queue'>,
  name: N,
  data: IncidentJobs[N],
  options: { jobId?: string; delay?: number; attempts?: number } = {},
) {
  return deps.queue.add(name, data, options);
}

/** A timeline entry written now by `actor`. */
export function entryNow(
  deps: Pick<IncidentDeps, 'clock'>,
  actor: string,
  kind: TimelineKind,
  text: string,
  data: Record<string, unknown> = {},
): NewTimelineEntry {
  return { at: deps.clock.now().toISOString(), actor, kind, text, data };
}

/** Re-renders the pinned header from the record and the latest status update. */
export async function refreshHeader(deps: IncidentDeps, incident: Incident): Promise<void> {
  if (!incident.channelId) return;
  const timeline = await deps.store.timelineByTime(incident.id);
  const latest = [...timeline].reverse().find((e) => e.kind === 'status');
  const message = renderHeader(
    incident,
    deps.config,
    deps.clock.now(),
    latest ? { text: latest.text, at: latest.at, actor: latest.actor } : undefined,
    timeline,
    deps.links?.incident(incident.id),
  );
  await deps.outbox.put(incident.channelId, incidentMessageKeys.header(incident.id), message);
}
