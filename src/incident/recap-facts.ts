import type { ContactTier } from '../config/schema';
import type { VerdictCode } from '../diag/verdict';
import type { AckRecord, PagerFailure } from './escalation';
import type { FollowUp } from './follow-up';
import type { Incident, PagerReason, RemediationData } from './incident';
import type { PhaseTotal } from './phases';

/** Who was paged at one tier and how it went. */
export interface TierRecap {
  tier: ContactTier;
  firstPagedAt: string;
  reasons: PagerReason[];
  /** Every user paged at the tier, once each, in order. */
  users: string[];
  ackedAt?: string;
  ackedBy?: string;
  timeToAckMs?: number;
  /** Acknowledged later than `escalation.ackTimeout`, or not at all once it had passed. */
  slow: boolean;
  unpagedAcks: AckRecord[];
  failures: PagerFailure[];
}

export interface DiagRunFact {
  at: string;
  runId: string;
  environment: string;
  verdict: VerdictCode;
  title: string;
}

export interface RemediationFact extends RemediationData {
  requestedAt?: string;
  requestedBy?: string;
  /** The latest thing that happened to the request. */
  state: 'requested' | 'approved' | 'denied' | 'expired' | 'done';
  at: string;
}

/** The numbers and lists the recap renders, so tests can check them without parsing text. */
export interface RecapFacts {
  incident: Incident;
  open: boolean;
  endedAt: string;
  totalMs: number;
  /** The sum of the configured phase budgets. */
  expectedMs: number;
  phases: PhaseTotal[];
  keyMoments: { at: string; what: string }[];
  paging: TierRecap[];
  /** Acknowledgements naming no tier by people who were not paged. */
  otherAcks: AckRecord[];
  diagRuns: DiagRunFact[];
  remediations: RemediationFact[];
  statusUpdates: { at: string; by: string; text: string }[];
  /** Five questions; answers not derived from the diagnosis read `TO_COMPLETE`. */
  fiveWhys: { question: string; answer: string }[];
  /** The follow-ups people recorded (`/incident followup`, or a suggestion's Add button). */
  followUps: FollowUp[];
  /** Follow-ups derived from what happened that nobody has recorded yet: each gets an Add button. */
  suggestedFollowUps: string[];
}
