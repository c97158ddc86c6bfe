import type { ContactTier } from '../config/schema';
import type { VerdictCode } from '../diag/verdict';

export type Severity = 'P0' | 'P1' | 'P2' | 'P3';
export const SEVERITIES: readonly Severity[] = ['P0', 'P1', 'P2', 'P3'];

/** One incident as stored in Redis. Times are ISO-8601 UTC. */
export interface Incident {
  id: string;
  title: string;
  severity: Severity;
  environment: string;
  channelId: string;
  channelName: string;
  status: 'open' | 'closed';
  /** Slack user id of the incident commander (the opener until changed). */
  commander: string;
  openedBy: string;
  openedAt: string;
  closedAt?: string;
  resolution?: string;
  /** Name of the current phase (from config `phases`). */
  phase: string;
  /** ts of the pinned header message in the incident channel. */
  headerTs?: string;
}

/** What happened, as recorded on an incident's timeline. */
export type TimelineKind =
  | 'opened'
  | 'command'
  | 'diag-started'
  | 'diag-finished'
  | 'finding'
  | 'remediation-requested'
  | 'remediation-approved'
  | 'remediation-denied'
  | 'remediation-done'
  | 'remediation-refused'
  | 'remediation-expired'
  | 'verification'
  | 'watch-started'
  | 'watch-finished'
  | 'page'
  | 'page-failed'
  | 'reminder'
  | 'ack'
  | 'escalation'
  | 'phase'
  | 'phase-overrun'
  | 'status'
  | 'note'
  | 'pin'
  | 'commander'
  | 'pagerduty'
  | 'closed'
  | 'follow-up'
  | 'follow-up-done'
  | 'postmortem';

/** The bot's own actor id on the timeline. */
export const BOT_ACTOR = 'warroom';

/** One append-only timeline entry. `id` is the Redis Stream id; `at` the UTC time it happened. */
export interface TimelineEntry {
  id: string;
  at: string;
  /** A Slack user id, or BOT_ACTOR. */
  actor: string;
  kind: TimelineKind;
  text: string;
  data: Record<string, unknown>;
}

/** A timeline entry before it is stored (the store assigns the id). */
export type NewTimelineEntry = Omit<TimelineEntry, 'id'>;

/** Data carried by `page`, `ack` and `escalation` entries, which the recap and `contacts` read. */
export interface PageData {
  tier: ContactTier;
  contact: string;
  /** Slack user ids paged (user groups expanded). */
  users: string[];
}

/**
 * Why a tier was paged: at open, after an unacknowledged page, by hand, because the incident ran
 * long, or because a verification watch saw a failure.
 */
export type PagerReason = 'open' | 'timeout' | 'manual' | 'executive' | 'verification';

/**
 * The `data` each timeline kind carries. The lifecycle code writes exactly these shapes and
 * `phases.ts`, `escalation.ts` and `recap.ts` read them, so the two never drift apart.
 * Kinds not listed carry `{}`; `status` (the update itself), `note` and `pin` keep their words in `text`.
 * Times are the entry's `at` (UTC), never repeated in `data`.
 */
export interface TimelineData {
  /** A phase change. `from` is optional: the first change after opening may not know it. */
  phase: { from?: string; to: string };
  /** The one reminder per phase visit that the phase outran its budget. */
  'phase-overrun': { phase: string; budgetMs: number; spentMs: number };
  page: PageData & { reason: PagerReason };
  /** One entry per user whose page could not be delivered. */
  'page-failed': { tier: ContactTier; contact: string; user: string; error: string };
  /**
   * `user` acknowledged; `paged` is false when they were not among the users paged (the ack is
   * recorded as theirs, but it does not stop the tier's escalation). `tier` is the tier whose
   * page they answered, when known.
   */
  ack: { tier?: ContactTier; user: string; paged: boolean };
  escalation: { from?: ContactTier; to: ContactTier; reason: PagerReason };
  /** `explanation` and `evidence` (the verdict's "check: summary" lines) prefill the recap's five whys. */
  'diag-finished': {
    runId: string;
    environment: string;
    verdict: VerdictCode;
    title: string;
    explanation?: string;
    evidence?: string[];
  };
  /** One check's result in a diagnosis run, as it came in. */
  finding: { runId: string; check: string; status: string; summary: string };
  'remediation-requested': RemediationData;
  'remediation-approved': RemediationData;
  'remediation-denied': RemediationData;
  /** `outcome` in words, e.g. "succeeded" or "failed: permission denied". */
  'remediation-done': RemediationData;
  /** Someone not allowed asked or approved; `outcome` says why it was refused. */
  'remediation-refused': RemediationData;
  'remediation-expired': RemediationData;
  /** One `/incident verify` (or a watch's first failure): pass/fail per success criterion. */
  verification: { environment: string; passed: boolean; failing: string[]; watchId?: string };
  'watch-started': { watchId: string; environment: string; durationMs: number; everyMs: number };
  /** `outcome` in words: "30m without errors" or the failures with their times. */
  'watch-finished': { watchId: string; environment: string; passed: boolean; outcome: string };
  closed: { resolution: string };
  /**
   * What happened to a contact's page in PagerDuty: Warroom's trigger was accepted, or refused
   * (`reason`); the PagerDuty incident was resolved there (`by`, the name PagerDuty gives).
   */
  pagerduty: {
    event: 'triggered' | 'failed' | 'resolved';
    contact: string;
    tier: ContactTier;
    dedupKey: string;
    reason?: string;
    by?: string;
  };
  /** An action item recorded (`number` as `/incident followups` lists it), and one marked done. */
  'follow-up': { number: number; text: string; owner?: string; dueAt?: string };
  'follow-up-done': { number: number };
  /** The postmortem document was created or regenerated. */
  postmortem: { fileId: string; link: string; regenerated: boolean };
}

/** Data of every `remediation-*` entry; `requestId` ties a request to its approval and result. */
export interface RemediationData {
  requestId: string;
  action: string;
  service: string;
  environment: string;
  outcome?: string;
}
