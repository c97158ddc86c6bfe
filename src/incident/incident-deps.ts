import type { Queue } from 'bullmq';
import type { RedisOutbox } from '../chat/redis-outbox';
import type { Config } from '../config/schema';
import type { Logger } from '../log/logger';
import type { PagerDutyLink } from '../pagerduty/pagerduty-link';
import type { whileQueueAvailable } from '../queue/queue-unavailable';
import type { SlackWorkspace } from '../slack/slack-workspace';
import type { Clock } from './clock';
import type { Incident, NewTimelineEntry, TimelineKind } from './incident';
import type { IncidentJobName, IncidentJobs, IncidentTimerName } from './incident-queue';
import { incidentMessageKeys } from './incident-queue';
import { type IncidentState, phaseSpentMs } from './incident-state';
import type { RedisIncidentStore } from './redis-incident-store';
import { renderHeader } from './render-header';

/** What the incident desk (commands, on the ack path) and the incident jobs both use. */
export interface IncidentCore {
  store: RedisIncidentStore;
  outbox: RedisOutbox;
  queue: Queue;
  config: Config;
  clock: Clock;
  log: Logger;
  /** Signed links to the incident pages; absent when the pages are off. */
  links?: { incident(incidentId: string): Promise<string> };
  /** Paging through PagerDuty, for contacts that have a `pagerduty` link. */
  pagerDuty?: PagerDutyLink;
}

/** What the incident jobs use: the core, and Slack beyond posting (channels, invites, topics, pins, DMs). */
export interface IncidentJobDeps extends IncidentCore {
  workspace: SlackWorkspace;
}

/** What the incident desk uses: the core, and the connection it checks before each command. */
export interface DeskDeps extends IncidentCore {
  /** The connection the store uses: while it is down, commands are told nothing was done. */
  redis: Parameters<typeof whileQueueAvailable>[0];
  /** Runs after an incident closes (its verification watches stop). */
  onClose?: (incidentId: string) => Promise<unknown>;
}

/** Adds a job of the incident queue, typed by name. Timers go through `addIncidentTimer`. */
export function addIncidentJob<N extends IncidentJobName>(
  deps: Pick<IncidentCore, 'queue'>,
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
  deps: Pick<IncidentCore, 'queue' | 'store'>,
  name: N,
  data: IncidentJobs[N],
  options: { jobId: string; delay: number },
) {
  await deps.store.trackTimer(data.incidentId, options.jobId);
  return deps.queue.add(name, data, { ...options, delay: Math.max(0, options.delay) });
}

/** A timeline entry written now by `actor`. */
export function entryNow(
  deps: Pick<IncidentCore, 'clock'>,
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
  deps: Pick<IncidentCore, 'store' | 'clock' | 'config' | 'outbox' | 'links'>,
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
