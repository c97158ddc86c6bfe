import { fiveWhys } from '../../../src/incident/five-whys';
import { entry, incidentFixture } from './fixtures';

describe('five whys of a runtime account that may not connect to Cloud SQL', () => {
  it('quotes the iam finding among the three whys, ahead of Cloud SQL', () => {
    const finished = entry('diag-finished', '2026-03-31T22:10:00.000Z', {
      verdict: 'sql-iam-denied',
      title: "The services' service account may not connect to Cloud SQL staging-db",
      explanation: 'The Cloud SQL connector or Auth Proxy logged 48 refusals.',
      evidence: [
        'iam: backend-app@acme-staging.iam.gserviceaccount.com (backend) lacks roles/cloudsql.client',
        'logs: 96 errors in 30 min, 48 Cloud SQL not authorized (NOT_AUTHORIZED)',
        'cloud-run: 1/3 services not ready: backend exited during start-up (exit code 1)',
        'cloud-sql: RUNNABLE, 26/200 connections (13 %)',
      ],
    });
    expect(fiveWhys(incidentFixture(), [finished]).map((why) => why.answer.split(':')[0])).toEqual([
      'cloud-run',
      'logs',
      'iam',
      'The Cloud SQL connector or Auth Proxy logged 48 refusals.',
      '_to complete_',
    ]);
  });
});

describe('five whys of a firewall rule that blocks the path to Cloud SQL', () => {
  it('quotes the firewall finding among the three whys, ahead of the network and the connector', () => {
    const finished = entry('diag-finished', '2026-03-31T22:10:00.000Z', {
      verdict: 'firewall-blocked',
      title: 'Firewall rule deny-sql-egress (priority 900) blocks the path to Cloud SQL',
      explanation: 'deny-sql-egress denies egress tcp:5432 to 10.20.0.0/16.',
      evidence: [
        'firewall: deny-sql-egress (priority 900) denies tcp:5432 to 10.20.0.3 on staging-vpc',
        'network: route and Cloud SQL on staging-vpc, region us-central1',
        'vpc-connector: READY, 2/10 instances, CPU 0.05',
        'logs: 1107 errors in 30 min, 649 connectivity (Socket connection failed ×649)',
      ],
    });
    expect(fiveWhys(incidentFixture(), [finished]).map((why) => why.answer.split(':')[0])).toEqual([
      'logs',
      'firewall',
      'network',
      'deny-sql-egress denies egress tcp',
      '_to complete_',
    ]);
  });
});
