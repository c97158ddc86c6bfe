import { shortDigest } from '../short-digest';

/** What a remediation does to a Cloud Run service. */
export type RemediationAction = 'restart' | 'rollback';

/**
 * Where a request is. `awaiting-approval` → `approved` | `denied` | `expired`; `approved` →
 * `running` → `succeeded` | `failed`. A dry run goes `approved` → `running` → `previewed`.
 */
export type RemediationState =
  | 'awaiting-approval'
  | 'approved'
  | 'denied'
  | 'expired'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'previewed';

export const FINAL_STATES: readonly RemediationState[] = [
  'denied',
  'expired',
  'succeeded',
  'failed',
  'previewed',
];

/** One line of a request's progress, shown in its message. */
export interface ProgressLine {
  at: string;
  text: string;
}

/** One remediation request as stored in Redis. Times are ISO-8601 UTC. */
export interface RemediationRequest {
  id: string;
  action: RemediationAction;
  environment: string;
  service: string;
  /** For a rollback: the revision named by the requester (absent: the last ready one before the current). */
  revision?: string;
  reason?: string;
  dryRun: boolean;
  requestedBy: string;
  channelId: string;
  incidentId?: string;
  requestedAt: string;
  /** Approval: `required` requests wait for a second person until `expiresAt`. */
  approval: 'required' | 'none';
  expiresAt?: string;
  state: RemediationState;
  approvedBy?: string;
  deniedBy?: string;
  decidedAt?: string;
  startedAt?: string;
  finishedAt?: string;
  /** The update's long-running operation, once Google accepted it: its presence means "never send again". */
  operation?: string;
  /** The revision serving before, the one created (restart) or targeted (rollback). */
  previousRevision?: string;
  targetRevision?: string;
  /** The request body sent (or, for a dry run, that would be sent), as JSON. */
  body?: string;
  /** What the update changes, one line per field. */
  changes?: string[];
  /** In words: "succeeded", "failed: …". */
  outcome?: string;
  progress: ProgressLine[];
}

/** How long a request waits for approval (issue: 15 minutes). */
export const APPROVAL_TTL_MS = 15 * 60_000;

/** The template / service annotation carrying the request id: how a retry sees it already acted. */
export const REQUEST_ANNOTATION = 'warroom.dev/request';

/** A request id from the invocation's id: a redelivered command maps to the same request. */
export function remediationId(invocationId: string): string {
  return `r${shortDigest(invocationId, 10)}`;
}

export const REMEDIATION_ID = /^r[0-9a-f]{10}$/;

/** "restart of backend (staging)". */
export function describeRequest(
  request: Pick<RemediationRequest, 'action' | 'service' | 'environment'>,
): string {
  return `${request.action} of ${request.service} (${request.environment})`;
}
