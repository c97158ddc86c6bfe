import type { RecapFacts } from '../../../src/incident/recap-facts';
import { recapFollowUps } from '../../../src/incident/recap-follow-ups';
import { incidentFixture } from './fixtures';

type Facts = Parameters<typeof recapFollowUps>[0];

/** An incident whose only diagnosis ended on `verdict`; nothing slow, nothing remediated. */
const factsOf = (verdict: RecapFacts['diagRuns'][number]['verdict']): Facts => ({
  incident: incidentFixture(),
  open: false,
  endedAt: '2026-03-31T23:00:00.000Z',
  totalMs: 0,
  expectedMs: 0,
  phases: [],
  keyMoments: [],
  paging: [],
  otherAcks: [],
  diagRuns: [{ at: '2026-03-31T22:10:00.000Z', runId: 'r1', environment: 'staging', verdict, title: 't' }],
  remediations: [],
  statusUpdates: [],
});

describe('recap follow-ups of a firewall block', () => {
  it('suggests reviewing firewall changes on the Cloud SQL path and alerting on them', () => {
    expect(
      recapFollowUps(factsOf('firewall-blocked'), {
        escalation: { ackTimeoutMs: 180_000, executiveAfterMs: 0 },
      }),
    ).toEqual([
      'Review VPC firewall changes on the Cloud SQL path before they apply (egress denies, the Shared VPC ingress from 35.199.224.0/19)',
      "Alert on firewall rule changes in the network's project (Cloud Audit Logs for compute.firewalls)",
    ]);
  });
});
