import { formatDuration } from '../config/duration';
import type { Config } from '../config/schema';
import type { VerdictCode } from '../diag/verdict';
import type { RecapFacts } from './recap-facts';

// What people wanted after the staging outage (OUTAGE.md), keyed by what the diagnosis found.
const VERDICT_FOLLOW_UPS: Partial<Record<VerdictCode, string[]>> = {
  'vpc-connector-down': [
    'Alert on VPC connector state and capacity',
    'Automated connector health checks',
    'Redundant connectivity path to Cloud SQL (e.g. Direct VPC egress)',
  ],
  'vpc-connector-saturated': [
    'Alert on connector instances at max (and on connector CPU)',
    'Connector scaling thresholds (max instances, machine type)',
  ],
  'network-mismatch': [
    'Regression tests for infrastructure health (Cloud Run → connector → Cloud SQL route)',
  ],
  'firewall-blocked': [
    'Review VPC firewall changes on the Cloud SQL path before they apply (egress denies, the Shared VPC ingress from 35.199.224.0/19)',
    "Alert on firewall rule changes in the network's project (Cloud Audit Logs for compute.firewalls)",
  ],
  'sql-iam-denied': [
    "Grant the runtime service accounts' Cloud SQL roles in the deploy pipeline, and check them before a deploy",
  ],
  'cloud-run-capacity': [
    'Alert on Cloud Run instance count near max instances, and on requests rejected with "no available instance"',
    "Size max instances and concurrency for peak load, within Cloud SQL's max_connections",
  ],
  'cloud-sql-unavailable': ['Alert on Cloud SQL connectivity and instance state'],
  'cloud-sql-connections-exhausted': [
    'Alert on Cloud SQL connection use; keep pool size × instances below max_connections',
  ],
  'application-error': ['Regression test for the failure that took the services down'],
  'restart-needed': ['Let services retry their database connection at start-up instead of exiting'],
  inconclusive: ['Give the diagnosis the access it lacked, so the next verdict is conclusive'],
};

/** Follow-up items derived from what happened; people add the rest. */
export function recapFollowUps(
  facts: Omit<RecapFacts, 'fiveWhys' | 'followUps' | 'suggestedFollowUps'>,
  config: Pick<Config, 'escalation'>,
): string[] {
  const items = facts.diagRuns.flatMap((run) => VERDICT_FOLLOW_UPS[run.verdict] ?? []);
  for (const phase of facts.phases) {
    if (phase.budgetMs !== undefined && (phase.deltaMs ?? 0) > 0) {
      items.push(
        `Write a runbook for ${phase.name} (took ${formatDuration(phase.actualMs)}, expected ${formatDuration(phase.budgetMs)})`,
      );
    }
  }
  const timeout = formatDuration(config.escalation.ackTimeoutMs);
  for (const tier of facts.paging) {
    if (tier.slow) {
      const waited =
        tier.timeToAckMs === undefined
          ? 'never acknowledged'
          : `acknowledged after ${formatDuration(tier.timeToAckMs)}`;
      items.push(`Review paging for ${tier.tier} (${waited}; timeout ${timeout})`);
    }
    for (const contact of new Set(tier.failures.map((f) => f.contact))) {
      items.push(`Fix paging for ${tier.tier}: ${contact} could not be paged`);
    }
  }
  for (const fix of facts.remediations.filter(
    (r) => r.state === 'done' && r.outcome?.startsWith('succeeded'),
  )) {
    items.push(`Consider automated recovery: ${fix.action} of ${fix.service} (${fix.environment})`);
  }
  return [...new Set(items)];
}
