import type { EnvironmentConfig } from '../../../src/config/schema';
import { describeCoverage } from '../../../src/verify/describe-coverage';
import type { CriterionName, CriterionResult, VerifyResult } from '../../../src/verify/verify-result';

/** A result whose criteria cover `counts` items each; a missing name is not checked. */
function resultCovering(counts: Partial<Record<CriterionName, number>>): VerifyResult {
  const names: CriterionName[] = ['health', 'database', 'cloud-run', 'steps'];
  const criteria = names.map(
    (criterion): CriterionResult => ({
      criterion,
      status: counts[criterion] === undefined ? 'not-checked' : 'fail',
      summary: '',
      details: Array.from({ length: counts[criterion] ?? 0 }, (_, i) => `item ${i}`),
      durationMs: 1,
    }),
  );
  return { environment: 'staging', at: '2025-03-14T09:00:00.000Z', passed: false, criteria };
}

describe('describeCoverage', () => {
  it.each<[Partial<Record<CriterionName, number>>, string]>([
    [
      { health: 3, 'cloud-run': 3 },
      'Checks health (3 URLs) and Cloud Run (3 services); no database probe or steps configured, so connect time and the login path are not verified.',
    ],
    [
      { health: 3, database: 1, 'cloud-run': 3, steps: 2 },
      'Checks health (3 URLs), database connect time, Cloud Run (3 services) and 2 verify steps.',
    ],
    [
      { database: 1, 'cloud-run': 1, steps: 1 },
      'Checks database connect time, Cloud Run (1 service) and 1 verify step; no health URLs configured, so endpoint health is not verified.',
    ],
    [
      {},
      'Checks nothing; no health URLs, database probe, Cloud Run services or steps configured, so endpoint health, connect time, service readiness and the login path are not verified.',
    ],
  ])('describes %j', (counts, sentence) => {
    expect(describeCoverage(resultCovering(counts))).toBe(sentence);
  });

  it('reads the configuration instead when given one, before any verification ran', () => {
    const environment: EnvironmentConfig = {
      name: 'staging',
      project: 'acme-staging',
      region: 'us-central1',
      sqlInstance: 'staging-db',
      services: ['backend', 'auth', 'ai'],
      healthChecks: [{ name: 'backend', url: 'https://backend.staging.example.com/health' }],
      database: { urlEnv: 'STAGING_DATABASE_URL' },
      remediation: { approval: 'required' },
      verify: { steps: [] },
    };
    expect(describeCoverage(resultCovering({}), environment)).toBe(
      'Checks health (1 URL), database connect time and Cloud Run (3 services); no steps configured, so the login path is not verified.',
    );
  });
});
