import type { SignalEvidence } from '../../../src/diag/checks/signals';
import type { CheckName, Finding, FindingStatus } from '../../../src/diag/finding';

/** What a test changes of one check's finding: its status, its summary and evidence on top of the healthy one. */
export interface FindingChange {
  status?: FindingStatus;
  summary?: string;
  evidence?: Finding['evidence'];
}

/** A healthy staging path: connector READY, Cloud SQL RUNNABLE, route consistent, probe connected. */
const HEALTHY: Record<CheckName, SignalEvidence> = {
  'vpc-connector': {
    project: 'acme-staging',
    region: 'us-central1',
    connectorName: 'staging-connector',
    connectorState: 'READY',
    connectorMetrics: true,
  },
  'cloud-sql': {
    sqlInstance: 'staging-db',
    sqlState: 'RUNNABLE',
    sqlActivationPolicy: 'ALWAYS',
    sqlConnectionRatio: 0.2,
  },
  'cloud-run': { servicesTotal: 3, servicesNotReady: 0, servicesWrongConnector: 0, recentRevisions: 0 },
  logs: { connectivityErrors: 0, applicationErrors: 0, connectivityErrorsRecent: 0 },
  network: { networkMismatch: false, regionMismatch: false },
  firewall: { firewallBlocked: false },
  iam: { sqlIamMissing: 0, sqlIamNeeded: false },
  health: { healthTotal: 3, healthFailing: 0 },
  database: { dbConnected: true },
};

/** Every check of a healthy staging, with `change` applied per check. */
export function stagingFindings(change: Partial<Record<CheckName, FindingChange>> = {}): Finding[] {
  return (Object.keys(HEALTHY) as CheckName[]).map((check) => ({
    check,
    status: change[check]?.status ?? 'ok',
    summary: change[check]?.summary ?? `${check} summary`,
    details: [],
    evidence: { ...HEALTHY[check], ...change[check]?.evidence } as Finding['evidence'],
    durationMs: 5,
  }));
}
