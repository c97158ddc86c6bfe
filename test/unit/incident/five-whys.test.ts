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
