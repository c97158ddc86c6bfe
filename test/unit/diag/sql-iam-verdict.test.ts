import { readSignals } from '../../../src/diag/checks/signals';
import type { CheckName, Finding } from '../../../src/diag/finding';
import { decideVerdict, VERDICT_RULES } from '../../../src/diag/verdict';
import { type FindingChange, stagingFindings } from './staging-findings';

type Change = Partial<Record<CheckName, FindingChange>>;

const BACKEND = 'backend-app@acme-staging.iam.gserviceaccount.com';
const COMPUTE = '123456789012-compute@developer.gserviceaccount.com';
const GRANT = (account: string) =>
  `\`gcloud projects add-iam-policy-binding acme-staging --member=serviceAccount:${account} --role=roles/cloudsql.client\``;

/** The rule that decides, by id: two rows share the sql-iam-denied code. */
const ruleFor = (findings: Finding[]) => VERDICT_RULES.find((rule) => rule.when(readSignals(findings)))?.id;

/** backend, on a Cloud SQL volume, is not ready: its connection is refused. */
const REFUSED: Change = {
  'cloud-run': { status: 'fail', evidence: { servicesNotReady: 1 } },
  logs: { status: 'fail', evidence: { sqlNotAuthorized: 40, errorCount: 40 } },
  health: { status: 'fail', evidence: { healthFailing: 1 } },
};
const POLICY_LACKS_BACKEND: Change = {
  iam: {
    status: 'fail',
    summary: `${BACKEND} (backend) lacks roles/cloudsql.client, needed for the Cloud SQL connection of backend`,
    evidence: { sqlIamMissing: 1, sqlIamAccounts: BACKEND, sqlIamNeeded: true },
  },
};
/** The default compute account lacks the role and no service has a Cloud SQL volume. */
const POLICY_LACKS_COMPUTE: Change = {
  iam: {
    status: 'ok',
    summary: `${COMPUTE} (backend) lacks roles/cloudsql.client, needed only for the Cloud SQL connector, Auth Proxy or connector libraries (no service of that account has a Cloud SQL volume)`,
    evidence: { sqlIamMissing: 1, sqlIamAccounts: COMPUTE, sqlIamNeeded: false },
  },
};
/** backend exits during start-up with nothing in its logs but the exit. */
const FAILS_AT_START_UP: Change = {
  'cloud-run': { status: 'fail', evidence: { servicesNotReady: 1, startupExitCode: 1 } },
  logs: { status: 'fail', evidence: { startupFailures: 6, errorCount: 0 } },
  health: { status: 'fail', evidence: { healthFailing: 1 } },
};

describe('verdict rule sql-not-authorized (sql-iam-denied)', () => {
  it('names the refusals in the logs and the grant for the account the policy lacks', () => {
    const findings = stagingFindings({ ...REFUSED, ...POLICY_LACKS_BACKEND });
    const verdict = decideVerdict(findings);
    expect(ruleFor(findings)).toBe('sql-not-authorized');
    expect(verdict.code).toBe('sql-iam-denied');
    expect(verdict.title).toBe("The services' service account may not connect to Cloud SQL staging-db");
    expect(verdict.explanation).toContain('logged 40 refusals (NOT_AUTHORIZED');
    expect(verdict.explanation).toContain(
      `The project's IAM policy grants ${BACKEND} none of roles/cloudsql.client`,
    );
    expect(verdict.nextStep).toContain(GRANT(BACKEND));
    expect(verdict.evidence).toContain(`iam: ${POLICY_LACKS_BACKEND.iam?.summary}`);
  });

  it('fires on the logs alone when the policy could not be read', () => {
    const findings = stagingFindings({ ...REFUSED, iam: { status: 'unknown', evidence: {} } });
    expect(decideVerdict(findings).code).toBe('sql-iam-denied');
    expect(ruleFor(findings)).toBe('sql-not-authorized');
  });

  it('fires on the policy alone when a service on a Cloud SQL volume needs the role', () => {
    const findings = stagingFindings({
      ...POLICY_LACKS_BACKEND,
      'cloud-run': { status: 'fail', evidence: { servicesNotReady: 1 } },
    });
    expect(ruleFor(findings)).toBe('sql-not-authorized');
    expect(decideVerdict(findings).nextStep).toContain(GRANT(BACKEND));
  });

  it('does not fire when the policy grants every account and nothing was refused', () => {
    expect(decideVerdict(stagingFindings()).code).toBe('no-fault-found');
  });
});

describe('verdict rule sql-iam-missing (sql-iam-denied)', () => {
  it('explains services failing on a clear path by the role the policy lacks', () => {
    const findings = stagingFindings({ ...FAILS_AT_START_UP, ...POLICY_LACKS_COMPUTE });
    const verdict = decideVerdict(findings);
    expect(ruleFor(findings)).toBe('sql-iam-missing');
    expect(verdict.code).toBe('sql-iam-denied');
    expect(verdict.explanation).toContain(`grants ${COMPUTE} none of`);
    expect(verdict.nextStep).toContain(GRANT(COMPUTE));
  });

  it('does not fire on a healthy environment: the missing role is only noted', () => {
    expect(decideVerdict(stagingFindings(POLICY_LACKS_COMPUTE)).code).toBe('no-fault-found');
  });

  it('does not fire while connectivity errors are present', () => {
    const findings = stagingFindings({
      ...FAILS_AT_START_UP,
      ...POLICY_LACKS_COMPUTE,
      logs: {
        status: 'fail',
        evidence: { startupFailures: 6, connectivityErrors: 90, connectivityErrorsRecent: 30 },
      },
    });
    expect(decideVerdict(findings).code).not.toBe('sql-iam-denied');
  });

  it('does not fire while the probe fails on the path', () => {
    const findings = stagingFindings({
      ...FAILS_AT_START_UP,
      ...POLICY_LACKS_COMPUTE,
      database: { status: 'fail', evidence: { dbConnected: false, dbErrorKind: 'timeout' } },
    });
    expect(decideVerdict(findings).code).not.toBe('sql-iam-denied');
  });

  it('leaves application errors to the application row', () => {
    const findings = stagingFindings({
      ...FAILS_AT_START_UP,
      ...POLICY_LACKS_COMPUTE,
      logs: { status: 'fail', evidence: { startupFailures: 6, applicationErrors: 30 } },
    });
    expect(decideVerdict(findings).code).toBe('application-error');
  });
});

describe('precedence of sql-iam-denied', () => {
  it.each<[string, Change, string]>([
    [
      'a connector down',
      { 'vpc-connector': { status: 'fail', evidence: { connectorState: 'ERROR' } } },
      'vpc-connector-down',
    ],
    [
      'a network mismatch',
      { network: { status: 'fail', evidence: { networkMismatch: true } } },
      'network-mismatch',
    ],
    [
      'Cloud SQL unavailable',
      { 'cloud-sql': { status: 'fail', evidence: { sqlState: 'SUSPENDED' } } },
      'cloud-sql-unavailable',
    ],
    [
      'a firewall block',
      { firewall: { status: 'fail', evidence: { firewallBlocked: true } } },
      'firewall-blocked',
    ],
    [
      'sql-iam-denied over exhausted connections',
      { 'cloud-sql': { status: 'fail', evidence: { sqlConnectionRatio: 0.97 } } },
      'sql-iam-denied',
    ],
  ])('prefers %s', (_title, change, code) => {
    expect(decideVerdict(stagingFindings({ ...REFUSED, ...POLICY_LACKS_BACKEND, ...change })).code).toBe(
      code,
    );
  });
});

describe('an IAM policy that could not be read', () => {
  const denied = (change: Change) =>
    stagingFindings({
      ...change,
      iam: { status: 'unknown', summary: 'could not run: permission denied', evidence: {} },
    }).map(
      (finding): Finding =>
        finding.check === 'iam'
          ? {
              ...finding,
              cannotRun: {
                reason: 'permission denied (resourcemanager.projects.getIamPolicy)',
                fix: "grant roles/iam.securityReviewer to Warroom's service account",
              },
            }
          : finding,
    );

  it('leaves a healthy staging at no-fault-found, listing the iam line and its role', () => {
    const verdict = decideVerdict(denied({}));
    expect(verdict.code).toBe('no-fault-found');
    expect(verdict.missing).toEqual([
      "iam: permission denied (resourcemanager.projects.getIamPolicy) — grant roles/iam.securityReviewer to Warroom's service account",
    ]);
  });

  it('is inconclusive when services on a Cloud SQL volume fail and nothing names the cause', () => {
    const verdict = decideVerdict(
      denied({ 'cloud-run': { status: 'fail', evidence: { servicesNotReady: 1, cloudSqlVolumes: 3 } } }),
    );
    expect(verdict.code).toBe('inconclusive');
    expect(verdict.explanation).toContain('Could not check iam');
  });
});
