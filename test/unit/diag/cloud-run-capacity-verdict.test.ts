import type { CheckName } from '../../../src/diag/finding';
import { decideVerdict, VERDICT_RULES } from '../../../src/diag/verdict';
import { type FindingChange, stagingFindings } from './staging-findings';

type Change = Partial<Record<CheckName, FindingChange>>;
const findings = stagingFindings;

/** The logs check's finding for backend at 20 of max 20 instances with 134 rejections. */
const BACKEND_FULL: Change = {
  logs: {
    status: 'fail',
    evidence: {
      rejectedRequests: 134,
      servicesAtMaxInstances: 1,
      'rejected:backend': 134,
      'peakInstances:backend': 20,
      'maxInstances:backend': 20,
      'rejected:auth': 0,
      'peakInstances:auth': 2,
      'maxInstances:auth': 10,
    },
  },
};

describe('verdict rule instance-limit (cloud-run-capacity)', () => {
  it('names the service, its figures and the command that raises its max', () => {
    const verdict = decideVerdict(findings(BACKEND_FULL));
    expect(verdict.code).toBe('cloud-run-capacity');
    expect(verdict.title).toBe('backend hit its Cloud Run instance limit');
    expect(verdict.nextStep).toBe(
      "backend ran 20 of max 20 instances; 134 requests rejected with 'no available instance' in 30 min: raise `--max-instances` (`gcloud run services update backend --max-instances=40 --region=us-central1`) or concurrency (`--concurrency`), keeping pool size × max instances under Cloud SQL's max_connections.",
    );
    expect(verdict.evidence).toContain('logs: logs summary');
  });

  it('decides on rejections alone, without instance figures', () => {
    const verdict = decideVerdict(
      findings({ logs: { status: 'fail', evidence: { rejectedRequests: 7, 'rejected:ai': 7 } } }),
    );
    expect(verdict.code).toBe('cloud-run-capacity');
    expect(verdict.nextStep).toContain("ai; 7 requests rejected with 'no available instance'");
    expect(verdict.nextStep).toContain('gcloud run services update ai --max-instances=N');
  });

  it('decides on the instance count at max alone, without rejections', () => {
    const verdict = decideVerdict(
      findings({
        logs: {
          status: 'warn',
          evidence: {
            servicesAtMaxInstances: 1,
            'rejected:auth': 0,
            'peakInstances:auth': 5,
            'maxInstances:auth': 5,
          },
        },
      }),
    );
    expect(verdict.code).toBe('cloud-run-capacity');
    expect(verdict.nextStep).toMatch(/^auth ran 5 of max 5 instances: raise/);
  });

  it('does not fire on services below their max and without rejections', () => {
    const verdict = decideVerdict(
      findings({
        logs: { evidence: { 'rejected:auth': 0, 'peakInstances:auth': 4, 'maxInstances:auth': 5 } },
      }),
    );
    expect(verdict.code).toBe('no-fault-found');
  });
});

describe('precedence of cloud-run-capacity', () => {
  const ruleIds = VERDICT_RULES.map((rule) => rule.id);

  it('sits after every infrastructure row and before the application row', () => {
    const at = ruleIds.indexOf('instance-limit');
    for (const infra of [
      'connector-down',
      'route-mismatch',
      'sql-unavailable',
      'sql-exhausted',
      'connector-saturated',
    ])
      expect(ruleIds.indexOf(infra)).toBeLessThan(at);
    expect(at).toBeLessThan(ruleIds.indexOf('application'));
  });

  it.each<[string, Change, string]>([
    ['capacity exhaustion on a healthy path', {}, 'cloud-run-capacity'],
    [
      'a connector down over capacity exhaustion',
      { 'vpc-connector': { status: 'fail', evidence: { connectorState: 'ERROR' } } },
      'vpc-connector-down',
    ],
    [
      'Cloud SQL down over capacity exhaustion',
      { 'cloud-sql': { status: 'fail', evidence: { sqlState: 'SUSPENDED' } } },
      'cloud-sql-unavailable',
    ],
    [
      'exhausted Cloud SQL connections over capacity exhaustion (slow queries hold instances)',
      { 'cloud-sql': { status: 'fail', evidence: { sqlConnectionRatio: 0.97 } } },
      'cloud-sql-connections-exhausted',
    ],
    [
      'a saturated connector over capacity exhaustion',
      { 'vpc-connector': { status: 'fail', evidence: { connectorSaturated: true } } },
      'vpc-connector-saturated',
    ],
    [
      'a route mismatch over capacity exhaustion',
      { network: { status: 'fail', evidence: { networkMismatch: true } } },
      'network-mismatch',
    ],
    [
      'capacity exhaustion over application errors',
      { logs: { status: 'fail', evidence: { ...BACKEND_FULL.logs?.evidence, applicationErrors: 40 } } },
      'cloud-run-capacity',
    ],
    [
      'capacity exhaustion over a health check that could not run (listed as missing)',
      { health: { status: 'unknown', evidence: {} } },
      'cloud-run-capacity',
    ],
    [
      'honesty over capacity when the connector could not be checked',
      { 'vpc-connector': { status: 'unknown', evidence: {} } },
      'inconclusive',
    ],
    [
      'honesty over capacity when the database probe cannot reach the server',
      { database: { status: 'fail', evidence: { dbConnected: false, dbErrorKind: 'timeout' } } },
      'inconclusive',
    ],
  ])('prefers %s', (_title, change, code) => {
    expect(decideVerdict(findings({ ...BACKEND_FULL, ...change })).code).toBe(code);
  });
});
