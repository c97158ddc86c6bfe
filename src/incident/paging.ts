import type { ContactTier } from '../config/schema';
import { queuePagerDutyTrigger } from '../pagerduty/pagerduty-queue';
import { SlackApiError } from '../slack/slack-api-error';
import { BOT_ACTOR, type Incident } from './incident';
import { addIncidentTimer, entryNow, type IncidentJobDeps } from './incident-deps';
import { incidentJobIds, incidentMessageKeys, type PagerJobData } from './incident-queue';
import { renderPagerDm, renderPagerInChannel } from './render-pager';

/**
 * Pages a tier: sends each person of its contacts a DM with an Acknowledge button, mentions them in
 * the incident channel saying how each contact was reached, queues a PagerDuty trigger for each
 * contact linked to PagerDuty, records the page (and any person it could not reach) on the
 * timeline, and sets the tier's ack timer. Every step is keyed by `pageId`, so a retried job
 * repeats nothing.
 */
export async function pageTier(deps: IncidentJobDeps, incident: Incident, job: PagerJobData): Promise<void> {
  const workspace = deps.workspace;
  if (!workspace) throw new Error('paging needs the Slack workspace (a worker process)');
  const contacts = deps.config.contacts.filter((c) => c.tier === job.tier);
  for (const contact of contacts) {
    const groups = contact.slack.filter((id) => id.startsWith('S'));
    const expanded = await Promise.all(
      contact.slack.map((id) => expandOrReport(deps, incident, job, contact.name, id)),
    );
    const users = unique(expanded.flat());
    const dms = { sent: 0, failed: 0 };
    for (const user of users) {
      const dm = await workspace.openDirectMessage(user);
      if (dm.ok) {
        dms.sent++;
        await deps.outbox.put(
          dm.channel,
          incidentMessageKeys.directPage(incident.id, job.pageId, user),
          renderPagerDm(incident, job.tier, contact, `<#${incident.channelId}>`, job.reason, {
            escalation: deps.config.escalation,
          }),
        );
      } else {
        dms.failed++;
        await deps.store.appendOnce(
          incident.id,
          entryNow(deps, BOT_ACTOR, 'page-failed', `Could not page <@${user}>: ${dm.error}`, {
            tier: job.tier,
            contact: contact.name,
            user,
            error: dm.error,
          }),
          `page-failed:${job.pageId}:${user}`,
        );
      }
    }
    const note = job.note ?? contact.note;
    const viaPagerDuty = contact.pagerduty !== undefined && deps.pagerDuty !== undefined;
    const sent =
      viaPagerDuty && (await deps.pagerDuty?.store.pageSent(incident.id, contact.name, job.pageId));
    await deps.outbox.put(
      incident.channelId,
      incidentMessageKeys.channelPage(incident.id, `${job.pageId}:${contact.name}`),
      renderPagerInChannel(incident, job.tier, users, groups, job.reason, note, {
        contact: contact.name,
        escalation: deps.config.escalation,
        reach: { ...(viaPagerDuty ? { pagerDuty: { state: sent ? 'paged' : 'sending' } } : {}), dms },
      }),
    );
    if (viaPagerDuty) {
      await queuePagerDutyTrigger(deps, incident.id, contact.name, {
        pageId: job.pageId,
        tier: job.tier,
        reason: job.reason,
        users,
        groups,
        ...(note ? { note } : {}),
        dms,
      });
    }
    await deps.store.appendOnce(
      incident.id,
      entryNow(deps, job.actor, 'page', pageText(job.tier, contact.name, job.reason, job.note), {
        tier: job.tier,
        contact: contact.name,
        users,
        reason: job.reason,
      }),
      `page:${job.pageId}:${contact.name}`,
    );
  }
  if (contacts.length > 0) {
    await addIncidentTimer(
      deps,
      'ack-timeout',
      { incidentId: incident.id, tier: job.tier, pageId: job.pageId },
      {
        jobId: incidentJobIds.ackTimeout(incident.id, job.pageId),
        delay: deps.config.escalation.ackTimeoutMs,
      },
    );
  }
}

/**
 * The members of a user group (or the user itself). A group Slack does not know (renamed, deleted,
 * a typo in config) is recorded as a failed page, and the rest of the tier is still paged.
 */
async function expandOrReport(
  deps: IncidentJobDeps,
  incident: Incident,
  job: PagerJobData,
  contact: string,
  id: string,
): Promise<string[]> {
  try {
    return await deps.workspace.expandUserGroup(id);
  } catch (error) {
    if (error instanceof SlackApiError && !error.permanent) throw error;
    const reason = error instanceof SlackApiError ? error.code : 'unknown error';
    await deps.store.appendOnce(
      incident.id,
      entryNow(deps, BOT_ACTOR, 'page-failed', `Could not page ${id}: ${reason}`, {
        tier: job.tier,
        contact,
        user: id,
        error: reason,
      }),
      `page-failed:${job.pageId}:${id}`,
    );
    return [];
  }
}

function pageText(tier: ContactTier, contact: string, reason: string, note?: string): string {
  return `Paged ${tier} (${contact}) — ${reason}${note ? `: ${note}` : ''}`;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
