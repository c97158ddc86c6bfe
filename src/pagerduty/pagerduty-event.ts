import type { Incident, Severity } from '../incident/incident';
import { shortDigest } from '../short-digest';

/** PagerDuty's severities, as the Events API v2 spells them. */
export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';

/** What PagerDuty allows in `payload.summary`. */
export const SUMMARY_MAX = 1024;
/** What PagerDuty allows in `dedup_key`. */
const DEDUP_KEY_MAX = 255;

/** An Events API v2 `trigger` (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/). */
export interface TriggerEvent {
  routing_key: string;
  event_action: 'trigger';
  dedup_key: string;
  client: string;
  client_url?: string;
  links: { href: string; text: string }[];
  payload: {
    summary: string;
    source: string;
    severity: PagerDutySeverity;
    timestamp: string;
    component: string;
    custom_details: {
      incident: string;
      title: string;
      phase: string;
      latest_verdict: string;
      commander: string;
    };
  };
}

/** An `acknowledge` or `resolve` of what an earlier trigger with `dedup_key` opened. */
export interface FollowUpEvent {
  routing_key: string;
  event_action: 'acknowledge' | 'resolve';
  dedup_key: string;
}

export type PagerDutyEvent = TriggerEvent | FollowUpEvent;
export type EventAction = PagerDutyEvent['event_action'];

/** P0 and P1 wake people (critical), P2 is an error, P3 a warning. */
export function pagerDutySeverity(severity: Severity): PagerDutySeverity {
  switch (severity) {
    case 'P0':
    case 'P1':
      return 'critical';
    case 'P2':
      return 'error';
    case 'P3':
      return 'warning';
  }
}

/**
 * The `dedup_key` of the page of `contact` in incident `incidentId`: stable, so a retried job and a
 * second page of the same tier reach the PagerDuty incident already open, and readable in
 * PagerDuty. A contact name that would make it longer than PagerDuty takes is replaced by a digest.
 */
export function dedupKeyFor(incidentId: string, contact: string): string {
  const key = `warroom-${incidentId}-${contact}`;
  return key.length <= DEDUP_KEY_MAX ? key : `warroom-${incidentId}-${shortDigest(contact, 32)}`;
}

/** "[P1 · staging] title", cut to what PagerDuty takes (on a character boundary). */
export function pagerDutySummary(incident: Pick<Incident, 'severity' | 'environment' | 'title'>): string {
  const summary = `[${incident.severity} · ${incident.environment}] ${incident.title}`;
  if (summary.length <= SUMMARY_MAX) return summary;
  let kept = '';
  for (const point of summary) {
    if (kept.length + point.length > SUMMARY_MAX - 1) break;
    kept += point;
  }
  return `${kept}…`;
}

/** What a trigger says beyond the incident's record. */
export interface TriggerContext {
  routingKey: string;
  contact: string;
  /** The latest diagnosis verdict, e.g. "connector-down — the VPC connector is down"; none yet otherwise. */
  latestVerdict?: string;
  /** The incident channel in Slack (a link that opens it). */
  channelUrl: string;
  /** The incident page, when the pages are on. */
  pageUrl?: string;
}

/** The `trigger` that pages `context.contact` for `incident`. */
export function triggerEvent(incident: Incident, context: TriggerContext): TriggerEvent {
  const links = [
    { href: context.channelUrl, text: `Slack channel #${incident.channelName}` },
    ...(context.pageUrl ? [{ href: context.pageUrl, text: 'Incident page (timeline, diagnoses)' }] : []),
  ];
  return {
    routing_key: context.routingKey,
    event_action: 'trigger',
    dedup_key: dedupKeyFor(incident.id, context.contact),
    client: 'Warroom',
    ...(context.pageUrl ? { client_url: context.pageUrl } : {}),
    links,
    payload: {
      summary: pagerDutySummary(incident),
      source: `warroom/${incident.environment}`,
      severity: pagerDutySeverity(incident.severity),
      timestamp: incident.openedAt,
      component: incident.environment,
      custom_details: {
        incident: incident.id,
        title: incident.title,
        phase: incident.phase,
        latest_verdict: context.latestVerdict ?? 'none yet',
        commander: incident.commander,
      },
    },
  };
}

/** The `acknowledge` or `resolve` of what `dedupKey` triggered. */
export function followUpEvent(
  action: FollowUpEvent['event_action'],
  routingKey: string,
  dedupKey: string,
): FollowUpEvent {
  return { routing_key: routingKey, event_action: action, dedup_key: dedupKey };
}

/** A link that opens the channel in Slack, from a browser or a phone. */
export function slackChannelUrl(channelId: string): string {
  return `https://slack.com/app_redirect?channel=${encodeURIComponent(channelId)}`;
}
