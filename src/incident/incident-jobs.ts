import { formatDuration } from '../config/duration';
import { runPagerDutyJob } from '../pagerduty/pagerduty-jobs';
import { queuePagerDutyFollowUps } from '../pagerduty/pagerduty-queue';
import {
  type PostmortemJobDeps,
  postmortemAtClose,
  regeneratePostmortem,
} from '../postmortem/postmortem-jobs';
import { type JobRoutes, type QueueJob, routeJobs } from '../queue/job-routes';
import { failsForGood } from '../queue/last-attempt';
import { decideExecutive, decideOnAckTimeout, escalationState } from './escalation';
import { BOT_ACTOR, type Incident } from './incident';
import {
  addIncidentJob,
  addIncidentTimer,
  entryNow,
  type IncidentJobDeps,
  refreshHeader,
} from './incident-deps';
import {
  INCIDENT_QUEUE,
  INCIDENT_TIMERS,
  type IncidentJobs,
  type IncidentTimerName,
  incidentJobIds,
  incidentMessageKeys,
} from './incident-queue';
import { openIncident } from './open-incident';
import { pageTier } from './paging';
import { currentPhase, phaseOverrun } from './phases';
import { postRecap } from './post-recap';
import { renderPhaseOverrun } from './render-status';

/** Thrown to have BullMQ try again later: Slack has not delivered what the step depends on yet. */
class NotYet extends Error {}

/** One handler per job of the incident queue. */
const incidentRoutes = (deps: PostmortemJobDeps): JobRoutes<IncidentJobs> => ({
  open: (data) => openIncident(deps, data),
  page: (data) => withOpenIncident(deps, data.incidentId, (incident) => pageTier(deps, incident, data)),
  'ack-timeout': (data) =>
    withOpenIncident(deps, data.incidentId, async (incident) => {
      const now = deps.clock.now();
      const state = escalationState(await deps.store.timelineByTime(incident.id));
      const decision = decideOnAckTimeout(state, data.tier, now, deps.config);
      if (decision.action === 'none') {
        if (decision.reason === 'not-due') {
          const dueAt = Date.parse(decision.dueAt);
          await addIncidentTimer(deps, 'ack-timeout', data, {
            jobId: incidentJobIds.ackTimeout(incident.id, data.pageId, dueAt),
            delay: dueAt - now.getTime(),
          });
        }
        return decision.reason;
      }
      const pageId = `timeout.${data.pageId}`;
      const timeout = formatDuration(deps.config.escalation.ackTimeoutMs);
      await deps.store.appendOnce(
        incident.id,
        entryNow(
          deps,
          BOT_ACTOR,
          'escalation',
          `No acknowledgement from ${data.tier} within ${timeout}: escalating to ${decision.to}`,
          {
            from: data.tier,
            to: decision.to,
            reason: 'timeout',
          },
        ),
        `escalation:${pageId}`,
      );
      await pageTier(deps, incident, {
        incidentId: incident.id,
        tier: decision.to,
        reason: 'timeout',
        pageId,
        actor: BOT_ACTOR,
      });
      return `escalated to ${decision.to}`;
    }),
  executive: (data) =>
    withOpenIncident(deps, data.incidentId, async (incident) => {
      const now = deps.clock.now();
      const state = escalationState(await deps.store.timelineByTime(incident.id));
      const decision = decideExecutive(incident, state, deps.config, now);
      if (decision.action === 'page') {
        await pageTier(deps, incident, {
          incidentId: incident.id,
          tier: 'executive',
          reason: 'executive',
          pageId: 'executive',
          actor: BOT_ACTOR,
        });
      } else if (decision.reason === 'not-due') {
        const dueAt = Date.parse(decision.dueAt);
        await addIncidentTimer(deps, 'executive', data, {
          jobId: incidentJobIds.executive(incident.id, dueAt),
          delay: dueAt - now.getTime(),
        });
      }
      return decision.action;
    }),
  'phase-check': (data) =>
    withOpenIncident(deps, data.incidentId, async (incident) => {
      const now = deps.clock.now();
      const timeline = await deps.store.timelineByTime(incident.id);
      const check = phaseOverrun(incident, timeline, deps.config, now);
      if (check.remind) {
        const visit = currentPhase(incident, timeline, deps.config, now);
        const eventKey = `overrun:${check.phase}:${visit?.startedAt ?? ''}`;
        const text = `The ${check.phase} phase has run past its budget`;
        await deps.store.appendOnce(
          incident.id,
          entryNow(deps, BOT_ACTOR, 'phase-overrun', text, {
            phase: check.phase,
            budgetMs: check.budgetMs,
            spentMs: check.spentMs,
          }),
          eventKey,
        );
        await deps.outbox.put(
          incident.channelId,
          incidentMessageKeys.event(incident.id, eventKey),
          renderPhaseOverrun(check.phase, check.budgetMs, check.spentMs),
        );
      } else if (check.reason === 'within-budget') {
        const dueAt = Date.parse(check.dueAt);
        await addIncidentTimer(deps, 'phase-check', data, {
          jobId: incidentJobIds.phaseCheck(incident.id, dueAt),
          delay: dueAt - now.getTime(),
        });
      }
      return check.remind ? 'reminded' : check.reason;
    }),
  'pin-header': async (data) => {
    const incident = await deps.store.get(data.incidentId);
    if (!incident || incident.headerTs) return 'done';
    const ts = await deliveredWithin(deps, incidentMessageKeys.header(incident.id), 5000);
    if (!ts) throw new NotYet('the header is not posted yet');
    await deps.workspace.pin(incident.channelId, ts);
    await deps.store.update(incident.id, { headerTs: ts });
    return 'pinned';
  },
  close: async (data) => {
    const incident = await deps.store.get(data.incidentId);
    if (!incident) return 'unknown';
    await postRecap(deps, incident, await postmortemAtClose(deps, incident));
    await refreshHeader(deps, incident);
    await queuePagerDutyFollowUps(deps, incident.id, 'resolve');
    if (deps.config.incidents.archiveOnClose) {
      await addIncidentJob(
        deps,
        'archive',
        { incidentId: incident.id },
        { jobId: incidentJobIds.archive(incident.id), attempts: 10 },
      );
    }
    return 'closed';
  },
  postmortem: (data) => regeneratePostmortem(deps, data),
  archive: async (data) => {
    const incident = await deps.store.get(data.incidentId);
    if (!incident) return 'unknown';
    // Archive only once the recap is in the channel: an archived channel takes no more posts.
    if (!(await deps.outbox.deliveredTs(incidentMessageKeys.recap(incident.id))))
      throw new NotYet('the recap is not posted yet');
    await deps.workspace.archive(incident.channelId);
    return 'archived';
  },
  'pin-message': async (data) => {
    const incident = await deps.store.get(data.incidentId);
    const message = await deps.workspace.message(data.channel, data.ts);
    if (!incident || !message) return 'nothing to add';
    const at = new Date(Number(data.ts) * 1000).toISOString();
    await deps.store.appendOnce(
      incident.id,
      {
        at,
        actor: message.user ?? data.user,
        kind: 'pin',
        text: message.text,
        data: { ts: data.ts, pinnedBy: data.user },
      },
      `pin:${data.ts}`,
    );
    return 'added';
  },
  pagerduty: (data, job) => runPagerDutyJob(deps, data, job),
});

/** The ts of a message once the outbox has delivered it, waiting a little: it is usually a moment away. */
async function deliveredWithin(
  deps: IncidentJobDeps,
  key: string,
  waitMs: number,
): Promise<string | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const ts = await deps.outbox.deliveredTs(key);
    if (ts || Date.now() > deadline) return ts;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function withOpenIncident(
  deps: IncidentJobDeps,
  id: string,
  work: (incident: Incident) => Promise<unknown>,
): Promise<unknown> {
  const incident = await deps.store.get(id);
  if (!incident || incident.status === 'closed') return 'closed';
  return work(incident);
}

/**
 * The processor of the incident queue. A timer is forgotten by its incident once it has run (or
 * failed for good), so closing removes only pending ones.
 */
export function incidentProcessor(deps: PostmortemJobDeps) {
  const route = routeJobs(INCIDENT_QUEUE, incidentRoutes(deps));
  return async (job: QueueJob<IncidentJobs>) => {
    if (!INCIDENT_TIMERS.includes(job.name as IncidentTimerName)) return route(job);
    // Bookkeeping only: an id left behind is removed at close, which finds the job gone or done.
    const forget = () => deps.store.forgetTimer(job.data.incidentId, String(job.id)).catch(() => undefined);
    try {
      const result = await route(job);
      await forget();
      return result;
    } catch (error) {
      if (failsForGood(job, error)) await forget();
      throw error;
    }
  };
}
