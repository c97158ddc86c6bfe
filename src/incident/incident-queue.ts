import type { ContactTier } from '../config/schema';
import type { PagerReason, Severity } from './incident';

export const INCIDENT_QUEUE = 'incident';

export interface OpenJobData {
  incidentId: string;
  title: string;
  severity: Severity;
  environment: string;
  openedBy: string;
  originChannel: string;
  openedAt: string;
}

/** One page of a tier; `pageId` makes its messages, timeline entry and timer idempotent. */
export interface PagerJobData {
  incidentId: string;
  tier: ContactTier;
  reason: PagerReason;
  pageId: string;
  actor: string;
  /** For a manual escalation: why. */
  note?: string;
}

/**
 * One Events API v2 event for one contact of an incident. A trigger carries its page and what the
 * page's channel message shows, so the message can say how PagerDuty answered.
 */
export interface PagerDutyJobData {
  incidentId: string;
  contact: string;
  action: 'trigger' | 'acknowledge' | 'resolve';
  page?: {
    pageId: string;
    tier: ContactTier;
    reason: PagerReason;
    users: string[];
    groups: string[];
    note?: string;
    dms: { sent: number; failed: number };
  };
}

/** Every job of the incident queue, by name. */
export interface IncidentJobs {
  open: OpenJobData;
  page: PagerJobData;
  /** Fires `ackTimeout` after a page; the processor re-reads the timeline before it escalates. */
  'ack-timeout': { incidentId: string; tier: ContactTier; pageId: string };
  executive: { incidentId: string };
  'phase-check': { incidentId: string };
  'pin-header': { incidentId: string };
  close: { incidentId: string };
  /** `/incident postmortem`: `requestKey` (a digest of the invocation) keys its answer in the channel. */
  postmortem: { incidentId: string; requestKey: string };
  archive: { incidentId: string };
  'pin-message': { incidentId: string; channel: string; ts: string; user: string };
  pagerduty: PagerDutyJobData;
}
export type IncidentJobName = keyof IncidentJobs;

/** The jobs that are timers: delayed, tracked per incident and removed when it closes. */
export const INCIDENT_TIMERS = [
  'ack-timeout',
  'executive',
  'phase-check',
] as const satisfies readonly IncidentJobName[];
export type IncidentTimerName = (typeof INCIDENT_TIMERS)[number];

/**
 * Deterministic ids: a retried or duplicated request maps to the job already there. A timer that
 * sets itself again for a later time passes `dueAtMs`: the job that is running still holds the
 * plain id, and BullMQ would take the new one for it.
 */
export const incidentJobIds = {
  /** `requestKey` identifies the request (a digest of the invocation), so a redelivery opens once. */
  open: (requestKey: string) => `open.${requestKey}`,
  /** `pageKey` identifies what asked for the page: a digest of the invocation, or a watch. */
  page: (incidentId: string, pageKey: string) => `${incidentId}.page.${pageKey}`,
  watchPage: (incidentId: string, watchId: string) => incidentJobIds.page(incidentId, `watch-${watchId}`),
  ackTimeout: (incidentId: string, pageId: string, dueAtMs?: number) =>
    setAgain(`${incidentId}.ack.${pageId}`, dueAtMs),
  executive: (incidentId: string, dueAtMs?: number) => setAgain(`${incidentId}.executive`, dueAtMs),
  phaseCheck: (incidentId: string, dueAtMs: number) => `${incidentId}.phase.${dueAtMs}`,
  pinHeader: (incidentId: string) => `${incidentId}.pin-header`,
  /** `ts` is the Slack ts of the pinned message. */
  pinMessage: (incidentId: string, ts: string) => `${incidentId}.pin.${ts.replace('.', '-')}`,
  close: (incidentId: string) => `${incidentId}.close`,
  archive: (incidentId: string) => `${incidentId}.archive`,
  /**
   * One per page and contact for a trigger, one per contact for an acknowledge or a resolve.
   * `contactKey` stands for the contact's name (a digest: names may hold any character).
   */
  pagerDuty: (incidentId: string, action: PagerDutyJobData['action'], contactKey: string, pageId?: string) =>
    `${incidentId}.pd.${action}.${contactKey}${pageId === undefined ? '' : `.${pageId}`}`,
  postmortem: (incidentId: string, requestKey: string) => `${incidentId}.postmortem.${requestKey}`,
};

function setAgain(id: string, dueAtMs: number | undefined): string {
  return dueAtMs === undefined ? id : `${id}.${dueAtMs}`;
}

/** Outbox keys of an incident's messages. */
export const incidentMessageKeys = {
  header: (id: string) => `incident:${id}:header`,
  opened: (id: string) => `incident:${id}:opened`,
  recap: (id: string) => `incident:${id}:recap`,
  channelPage: (id: string, pageId: string) => `incident:${id}:page:${pageId}`,
  directPage: (id: string, pageId: string, user: string) => `incident:${id}:page:${pageId}:dm:${user}`,
  event: (id: string, eventKey: string) => `incident:${id}:event:${eventKey}`,
};
