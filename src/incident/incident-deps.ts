import type { Queue } from 'bullmq';
import type { RedisOutbox } from '../chat/redis-outbox';
import type { Config } from '../config/schema';
import type { Logger } from '../log/logger';
import type { SlackWorkspace } from '../slack/slack-workspace';
import type { Clock } from './clock';
import type { Incident, NewTimelineEntry, TimelineKind } from './incident';
import type { IncidentJobName, IncidentJobs, IncidentTimerName } from './incident-queue';
import { incidentMessageKeys } from './incident-queue';
import { type IncidentState, phaseSpentMs } from './incident-state';
import type { RedisIncidentStore } from './redis-incident-store';
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
  links?: { incident(incidentId: string): Promise<string> };
}

/** Adds a job of the incident queue, typed by name. Timers go through `addIncidentTimer`. */
export function addIncidentJob<N extends IncidentJobName>(
  deps: Pick<IncidentDeps, 'queue'>,
  name: N,
  data: IncidentJobs[N],
  options: { jobId?: string; delay?: number; attempts?: number } = {},
) {
  return deps.queue.add(name, data, options);
}

/**
 * Sets a timer of the incident: a delayed job with a deterministic id, recorded first with the
 * incident so that closing it removes its own timers by id (a crash in between leaves an id with
 * no job, which removing ignores).
 */
export async function addIncidentTimer<N extends IncidentTimerName>(
  deps: Pick<IncidentDeps, 'queue' | 'store'>,
  name: N,
  data: IncidentJobs[N],
  options: { jobId: string; delay: number },
) {
  await deps.store.trackTimer(data.incidentId, options.jobId);
  return deps.queue.add(name, data, { ...options, delay: Math.max(0, options.delay) });
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

/**
 * Re-renders the pinned header from the record and the incident's state (the latest status update,
 * the time spent in the phase): bounded reads, whatever the timeline's length. Pass `state` when
 * it was just read.
 */
export async function refreshHeader(
  deps: IncidentDeps,
  incident: Incident,
  state?: IncidentState,
): Promise<void> {
  if (!incident.channelId) return;
  const known = state ?? (await deps.store.state(incident.id));
  const now = deps.clock.now();
  const message = renderHeader(
    incident,
    deps.config,
    now,
    known.latestStatus,
    phaseSpentMs(known, incident.phase, now),
    await deps.links?.incident(incident.id),
  );
  await deps.outbox.put(incident.channelId, incidentMessageKeys.header(incident.id), message);
}
