import { type Job, UnrecoverableError } from 'bullmq';
import type { Contact } from '../config/schema';
import { BOT_ACTOR, type Incident } from '../incident/incident';
import { entryNow, type IncidentCore } from '../incident/incident-deps';
import { incidentMessageKeys, type PagerDutyJobData } from '../incident/incident-queue';
import { type ContactReach, renderPagerInChannel } from '../incident/render-pager';
import { isLastAttempt } from '../queue/last-attempt';
import { dedupKeyFor, followUpEvent, slackChannelUrl, triggerEvent } from './pagerduty-event';
import type { EventAnswer } from './pagerduty-events';
import type { PagerDutyLink } from './pagerduty-link';
import { renderPagerDutyFailed } from './render-pagerduty';

type Deps = IncidentCore & { pagerDuty: PagerDutyLink };
type Attempt = Pick<Job, 'attemptsMade' | 'opts'>;

/**
 * The `pagerduty` job: one Events API v2 event for one contact. PagerDuty's 429 and 5xx throw, so
 * BullMQ tries again with backoff (never on Slack's ack path); on the last try, and on a 400, the
 * failure is said in the channel once per contact. A trigger records its target before sending (a
 * webhook can then find it) and what PagerDuty accepted after: a crash in between sends again under
 * the same `dedup_key`, which PagerDuty folds into the incident already open.
 */
export async function runPagerDutyJob(
  deps: IncidentCore,
  data: PagerDutyJobData,
  job: Attempt,
): Promise<string> {
  const { pagerDuty } = deps;
  if (!pagerDuty) throw new UnrecoverableError('PagerDuty is not set up in this process');
  const withLink = { ...deps, pagerDuty };
  const incident = await deps.store.get(data.incidentId);
  if (!incident) return 'unknown incident';
  const contact = deps.config.contacts.find((c) => c.name === data.contact);
  if (!contact?.pagerduty) return 'the contact has no PagerDuty link';
  if (data.action === 'trigger') return trigger(withLink, incident, contact, data, job);
  return followUp(withLink, incident, contact, data.action, job);
}

async function trigger(
  deps: Deps,
  incident: Incident,
  contact: Contact,
  data: PagerDutyJobData,
  job: Attempt,
): Promise<string> {
  const { page } = data;
  if (!page) throw new UnrecoverableError('a PagerDuty trigger job carries its page');
  if (incident.status === 'closed') return 'closed';
  const { store } = deps.pagerDuty;
  const target = { incidentId: incident.id, contact: contact.name, tier: page.tier };
  const dedupKey = dedupKeyFor(incident.id, contact.name);
  await store.addTarget({ ...target, dedupKey });
  const showReach = (pagerDuty: NonNullable<ContactReach['pagerDuty']>) =>
    deps.outbox.put(
      incident.channelId,
      incidentMessageKeys.channelPage(incident.id, `${page.pageId}:${contact.name}`),
      renderPagerInChannel(incident, page.tier, page.users, page.groups, page.reason, page.note, {
        contact: contact.name,
        escalation: deps.config.escalation,
        reach: { pagerDuty, dms: page.dms },
      }),
    );
  if (await store.pageSent(incident.id, contact.name, page.pageId)) {
    await showReach({ state: 'paged' });
    return 'already triggered';
  }
  const routingKey = routingKeyOf(deps, contact);
  const answer: EventAnswer = routingKey
    ? await deps.pagerDuty.events.send(
        triggerEvent(incident, {
          routingKey,
          contact: contact.name,
          ...(await latestVerdict(deps, incident)),
          channelUrl: slackChannelUrl(incident.channelId),
          ...(deps.links ? { pageUrl: await deps.links.incident(incident.id) } : {}),
        }),
      )
    : { outcome: 'rejected', reason: `${envName(contact)} is not set` };
  if (answer.outcome === 'accepted') {
    await store.recordSent(incident.id, contact.name, page.pageId, deps.clock.now());
    await deps.store.appendOnce(
      incident.id,
      entryNow(
        deps,
        BOT_ACTOR,
        'pagerduty',
        `Paged ${contact.name} (${page.tier}) in PagerDuty as ${dedupKey}`,
        { event: 'triggered', contact: contact.name, tier: page.tier, dedupKey },
      ),
      `pagerduty-trigger:${page.pageId}:${contact.name}`,
    );
    await showReach({ state: 'paged' });
    return 'triggered';
  }
  if (answer.outcome === 'retry' && !isLastAttempt(job)) throw new Error(answer.reason);
  const reason =
    answer.outcome === 'retry' ? `${answer.reason}, after ${job.attemptsMade + 1} tries` : answer.reason;
  await reportFailure(deps, incident, contact, dedupKey, reason);
  const known = await store.byDedupKey(dedupKey);
  if (known?.state === undefined) await store.setState(incident.id, contact.name, 'failed');
  await showReach({ state: 'failed', reason });
  return 'failed';
}

async function followUp(
  deps: Deps,
  incident: Incident,
  contact: Contact,
  action: 'acknowledge' | 'resolve',
  job: Attempt,
): Promise<string> {
  const { store, events } = deps.pagerDuty;
  const target = (await store.targets(incident.id)).find((t) => t.contact === contact.name);
  if (!target || target.state === 'failed') return 'nothing was triggered';
  // The trigger is still being tried: an acknowledge or resolve now would reach no incident.
  if (target.state === undefined) throw new Error('the trigger has not been accepted yet');
  if (target.state === 'resolved') return 'already resolved';
  if (action === 'acknowledge' && target.state === 'acknowledged') return 'already acknowledged';
  const routingKey = routingKeyOf(deps, contact);
  if (!routingKey) return `${envName(contact)} is not set`;
  const answer = await events.send(followUpEvent(action, routingKey, target.dedupKey));
  if (answer.outcome === 'accepted') {
    await store.setState(incident.id, contact.name, action === 'resolve' ? 'resolved' : 'acknowledged');
    return action === 'resolve' ? 'resolved' : 'acknowledged';
  }
  if (answer.outcome === 'retry' && !isLastAttempt(job)) throw new Error(answer.reason);
  deps.log.warn(
    { incidentId: incident.id, contact: contact.name, action, reason: answer.reason },
    'PagerDuty did not take an event',
  );
  if (action === 'acknowledge') await reportFailure(deps, incident, contact, target.dedupKey, answer.reason);
  return 'failed';
}

/** Logs the reason (never the key) and says it in the channel, once per contact of the incident. */
async function reportFailure(
  deps: Deps,
  incident: Incident,
  contact: Contact,
  dedupKey: string,
  reason: string,
): Promise<void> {
  deps.log.warn(
    { incidentId: incident.id, contact: contact.name, reason },
    'PagerDuty did not take a page; the Slack DMs went out',
  );
  const eventKey = `pagerduty-failed:${contact.name}`;
  const { appended } = await deps.store.appendOnce(
    incident.id,
    entryNow(deps, BOT_ACTOR, 'pagerduty', `Could not page ${contact.name} in PagerDuty: ${reason}`, {
      event: 'failed',
      contact: contact.name,
      tier: contact.tier,
      dedupKey,
      reason,
    }),
    eventKey,
  );
  if (appended) {
    await deps.outbox.put(
      incident.channelId,
      incidentMessageKeys.event(incident.id, eventKey),
      renderPagerDutyFailed(contact.name, contact.tier, reason, envName(contact)),
    );
  }
}

function envName(contact: Contact): string {
  return contact.pagerduty?.routingKeyEnv ?? '';
}

function routingKeyOf(deps: Deps, contact: Contact): string | undefined {
  return deps.pagerDuty.variables[envName(contact)]?.trim() || undefined;
}

/** "connector-down — …" of the latest diagnosis, if there was one. */
async function latestVerdict(deps: Deps, incident: Incident): Promise<{ latestVerdict?: string }> {
  const timeline = await deps.store.timelineByTime(incident.id);
  const last = timeline.filter((e) => e.kind === 'diag-finished').at(-1);
  if (!last) return {};
  return { latestVerdict: `${String(last.data.verdict)} — ${String(last.data.title ?? '')}` };
}
