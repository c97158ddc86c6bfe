import type { CheckName, CheckState, Finding } from './finding';
import type { Verdict } from './verdict';

/** One `/incident diag <env>` run as stored in Redis: what the live message is rendered from. */
export interface DiagRun {
  id: string;
  environment: string;
  channelId: string;
  requestedBy: string;
  /** ISO-8601 UTC. */
  startedAt: string;
  finishedAt?: string;
  checks: CheckName[];
  states: Partial<Record<CheckName, CheckState>>;
  findings: Partial<Record<CheckName, Finding>>;
  verdict?: Verdict;
  /** Set when the run was started inside an incident channel. */
  incidentId?: string;
}

export type DiagRunMeta = Pick<
  DiagRun,
  'id' | 'environment' | 'channelId' | 'requestedBy' | 'startedAt' | 'checks' | 'incidentId'
>;

/** The state a check is in: its finding's status once it has one. */
export function checkState(run: DiagRun, check: CheckName): CheckState {
  return run.findings[check]?.status ?? run.states[check] ?? 'queued';
}

/** Outbox keys: one status message per run, one thread reply per check that needs attention. */
export const diagMessageKeys = {
  status: (runId: string) => `diag:${runId}:status`,
  detail: (runId: string, check: CheckName) => `diag:${runId}:detail:${check}`,
};
