import { addIncidentJob, type IncidentCore } from '../incident/incident-deps';
import { incidentJobIds, type PagerDutyJobData } from '../incident/incident-queue';
import { shortDigest } from '../short-digest';
import type { PagerDutyTarget } from './redis-pagerduty-store';

/**
 * Tries per event: with the queue's exponential backoff from 1 s, PagerDuty gets about a minute
 * (1 + 2 + 4 + 8 + 16 + 32 s) to stop answering 429 or 5xx before the page is said to have failed.
 */
export const PAGERDUTY_ATTEMPTS = 7;

const contactKey = (contact: string) => shortDigest(contact, 12);

/** Queues the trigger of `page` for `contact`: one job per page and contact, so a retried page sends once. */
export async function queuePagerDutyTrigger(
  deps: Pick<IncidentCore, 'queue'>,
  incidentId: string,
  contact: string,
  page: NonNullable<PagerDutyJobData['page']>,
): Promise<void> {
  await addIncidentJob(
    deps,
    'pagerduty',
    { incidentId, contact, action: 'trigger', page },
    {
      jobId: incidentJobIds.pagerDuty(incidentId, 'trigger', contactKey(contact), page.pageId),
      attempts: PAGERDUTY_ATTEMPTS,
    },
  );
}

/**
 * Queues an `acknowledge` or a `resolve` for each contact of the incident paged in PagerDuty that
 * `which` selects: one job per contact and action, so a second ack or close sends nothing more.
 * Redis only: it runs on the ack path.
 */
export async function queuePagerDutyFollowUps(
  deps: Pick<IncidentCore, 'queue' | 'pagerDuty'>,
  incidentId: string,
  action: 'acknowledge' | 'resolve',
  which: (target: PagerDutyTarget) => boolean = () => true,
): Promise<number> {
  if (!deps.pagerDuty) return 0;
  const targets = (await deps.pagerDuty.store.targets(incidentId)).filter(which);
  for (const target of targets) {
    await addIncidentJob(
      deps,
      'pagerduty',
      { incidentId, contact: target.contact, action },
      {
        jobId: incidentJobIds.pagerDuty(incidentId, action, contactKey(target.contact)),
        attempts: PAGERDUTY_ATTEMPTS,
      },
    );
  }
  return targets.length;
}
