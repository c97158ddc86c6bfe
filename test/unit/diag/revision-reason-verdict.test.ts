import { REVISION_REASONS, type RevisionReasonName } from '../../../src/diag/checks/revision-reasons';
import type { CheckName, Finding } from '../../../src/diag/finding';
import { decideVerdict } from '../../../src/diag/verdict';
import { type FindingChange, stagingFindings } from './staging-findings';

type Part = FindingChange;

/** Every check of a healthy staging with `change` applied; a changed cloud-run check names its reasons. */
function findings(change: Partial<Record<CheckName, Part>>): Finding[] {
  const cloudRun = change['cloud-run'];
  return stagingFindings(
    cloudRun ? { ...change, 'cloud-run': { summary: 'cloud-run reason summary', ...cloudRun } } : change,
  );
}

/** The cloud-run check's finding for services whose newest revision reports `reasons`. */
const reported = (reasons: Record<string, string>, extra: Record<string, number> = {}): Part => ({
  status: 'fail',
  evidence: {
    servicesNotReady: Object.keys(reasons).length,
    ...extra,
    ...Object.fromEntries(Object.entries(reasons).map(([service, reason]) => [`reasons:${service}`, reason])),
  },
});

const DEPLOY: RevisionReasonName[] = [
  'CONTAINER_MISSING',
  'CONTAINER_PERMISSION_DENIED',
  'CONTAINER_IMAGE_UNAUTHORIZED',
  'SECRETS_ACCESS_CHECK_FAILED',
];

describe('verdict rule revision-refused', () => {
  it.each(DEPLOY)('calls %s an application error, naming the reason, the service and its fix', (reason) => {
    const verdict = decideVerdict(findings({ 'cloud-run': reported({ backend: reason }) }));
    expect(verdict.code).toBe('application-error');
    expect(verdict.title).toBe(`Application error: Cloud Run refused the new revision (${reason})`);
    expect(verdict.explanation).toContain(`backend: ${reason} (${REVISION_REASONS[reason].meaning})`);
    expect(verdict.nextStep).toContain(REVISION_REASONS[reason].fix);
    expect(verdict.evidence).toContain('cloud-run: cloud-run reason summary');
  });

  it('groups the services that report the same reason', () => {
    const verdict = decideVerdict(
      findings({
        'cloud-run': reported({
          backend: 'CONTAINER_MISSING',
          ai: 'CONTAINER_MISSING,SECRETS_ACCESS_CHECK_FAILED',
        }),
      }),
    );
    expect(verdict.explanation).toContain('backend, ai: CONTAINER_MISSING');
    expect(verdict.explanation).toContain('ai: SECRETS_ACCESS_CHECK_FAILED');
  });

  it('does not decide when no service reports a deploy reason', () => {
    const verdict = decideVerdict(
      findings({ 'cloud-run': reported({ backend: 'MIN_INSTANCES_NOT_PROVISIONED' }) }),
    );
    expect(verdict.code).toBe('inconclusive');
    expect(verdict.title).toBe('Inconclusive: checks failed, no rule names the fault');
  });
});

describe('verdict rule revision-unhealthy', () => {
  const unhealthy = (extra: Record<string, number> = { recentRevisions: 1 }) =>
    reported({ backend: 'HEALTH_CHECK_CONTAINER_ERROR' }, extra);

  it('calls a failed health check of a new revision an application error when the path is clear', () => {
    const verdict = decideVerdict(findings({ 'cloud-run': unhealthy() }));
    expect(verdict.code).toBe('application-error');
    expect(verdict.title).toContain('HEALTH_CHECK_CONTAINER_ERROR');
    expect(verdict.explanation).toContain('1 service got a new revision in the last hour');
    expect(verdict.nextStep).toContain(REVISION_REASONS.HEALTH_CHECK_CONTAINER_ERROR.fix);
  });

  it('does not blame the application when services also fail to connect (the staging outage)', () => {
    const verdict = decideVerdict(
      findings({
        'cloud-run': unhealthy({ recentRevisions: 1, startupExitCode: 3 }),
        logs: { status: 'fail', evidence: { connectivityErrors: 649, connectivityErrorsRecent: 120 } },
      }),
    );
    expect(verdict.code).toBe('inconclusive');
    expect(verdict.title).toContain('connectivity errors');
  });

  it('does not blame the application when the database probe cannot reach the server', () => {
    const verdict = decideVerdict(
      findings({
        'cloud-run': unhealthy(),
        database: { status: 'fail', evidence: { dbConnected: false, dbErrorKind: 'timeout' } },
      }),
    );
    expect(verdict.code).not.toBe('application-error');
  });
});

describe('VPC_NETWORK_NOT_FOUND', () => {
  it('is a route mismatch when the network check finds the route off Cloud SQL network', () => {
    const verdict = decideVerdict(
      findings({
        'cloud-run': reported({ backend: 'VPC_NETWORK_NOT_FOUND' }),
        network: { status: 'fail', evidence: { networkMismatch: true } },
      }),
    );
    expect(verdict.code).toBe('network-mismatch');
    expect(verdict.evidence).toContain('cloud-run: cloud-run reason summary');
  });

  it('is never an application error; without other evidence the failing check names it', () => {
    const verdict = decideVerdict(findings({ 'cloud-run': reported({ backend: 'VPC_NETWORK_NOT_FOUND' }) }));
    expect(verdict.code).toBe('inconclusive');
    expect(verdict.evidence).toContain('cloud-run: cloud-run reason summary');
  });
});

describe('precedence of the revision reason rows', () => {
  it.each<[string, Partial<Record<CheckName, Part>>, string, RegExp]>([
    [
      'a down connector over a missing image',
      {
        'vpc-connector': { status: 'fail', evidence: { connectorState: 'ERROR' } },
        'cloud-run': reported({ backend: 'CONTAINER_MISSING' }),
      },
      'vpc-connector-down',
      /ERROR/,
    ],
    [
      'an unavailable database over a refused revision',
      {
        'cloud-sql': { status: 'fail', evidence: { sqlState: 'SUSPENDED' } },
        'cloud-run': reported({ backend: 'SECRETS_ACCESS_CHECK_FAILED' }),
      },
      'cloud-sql-unavailable',
      /not available/,
    ],
    [
      'a refused revision over application errors in the logs',
      {
        'cloud-run': reported({ backend: 'CONTAINER_MISSING' }),
        logs: { status: 'fail', evidence: { applicationErrors: 80 } },
      },
      'application-error',
      /refused the new revision \(CONTAINER_MISSING\)/,
    ],
    [
      'a refused revision over a check that could not run',
      {
        'cloud-run': reported({ backend: 'CONTAINER_PERMISSION_DENIED' }),
        network: { status: 'unknown', evidence: {} },
      },
      'application-error',
      /CONTAINER_PERMISSION_DENIED/,
    ],
    [
      'missing infrastructure checks over a failed health check',
      {
        'cloud-run': reported({ backend: 'HEALTH_CHECK_CONTAINER_ERROR' }, { recentRevisions: 1 }),
        'cloud-sql': { status: 'unknown', evidence: {} },
      },
      'inconclusive',
      /could not run/,
    ],
    [
      'a restart over a failed health check when no revision is new (crashed during an outage)',
      {
        'cloud-run': reported({ backend: 'HEALTH_CHECK_CONTAINER_ERROR' }, { startupExitCode: 3 }),
      },
      'restart-needed',
      /restart them/,
    ],
  ])('prefers %s', (_title, change, code, title) => {
    const verdict = decideVerdict(findings(change));
    expect(verdict.code).toBe(code);
    expect(verdict.title).toMatch(title);
  });
});
