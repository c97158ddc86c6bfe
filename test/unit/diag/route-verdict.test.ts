import { decideVerdict } from '../../../src/diag/verdict';
import { stagingFindings } from './staging-findings';

/** Connectivity errors happening now, as the staging outage showed them. */
const connectingFails = {
  logs: { status: 'fail' as const, evidence: { connectivityErrors: 120, connectivityErrorsRecent: 40 } },
};

describe('network-mismatch wording per route', () => {
  it('gives the Direct VPC command, not a connector one, when the environment has no connector', () => {
    const verdict = decideVerdict(
      stagingFindings({
        'vpc-connector': { status: 'skipped', evidence: { connectorName: null, connectorState: null } },
        'cloud-run': { status: 'fail', evidence: { region: 'us-central1', servicesNotReady: 3 } },
        network: {
          status: 'fail',
          evidence: {
            networkMismatch: true,
            routeNetwork: 'acme-staging/legacy-vpc',
            sqlNetwork: 'acme-staging/staging-vpc',
          },
        },
        ...connectingFails,
      }),
    );
    expect(verdict.code).toBe('network-mismatch');
    expect(verdict.explanation).toMatch(
      /^Direct VPC egress is on legacy-vpc, while Cloud SQL's private IP is on staging-vpc\./,
    );
    expect(verdict.nextStep).toContain(
      '`gcloud run services update SERVICE --network=staging-vpc --subnet=SUBNET --vpc-egress=private-ranges-only --region=us-central1`',
    );
    expect(verdict.nextStep).not.toContain('--vpc-connector');
  });

  it('keeps the connector command when a connector is configured', () => {
    const verdict = decideVerdict(
      stagingFindings({
        network: {
          status: 'fail',
          evidence: {
            networkMismatch: true,
            routeNetwork: 'acme-staging/default',
            sqlNetwork: 'acme-staging/staging-vpc',
          },
        },
      }),
    );
    expect(verdict.explanation).toMatch(
      /^Connector staging-connector is on default, while Cloud SQL's private IP is on staging-vpc\./,
    );
    expect(verdict.nextStep).toContain('--vpc-connector=staging-connector --region=us-central1');
  });

  it('words a private-IP-only instance without a VPC route as a network problem with three ways out', () => {
    const verdict = decideVerdict(
      stagingFindings({
        network: {
          status: 'fail',
          evidence: { privateOnlyNoRoute: 2, sqlNetwork: 'acme-staging/staging-vpc' },
        },
        'cloud-run': { status: 'fail', evidence: { servicesNotReady: 2, cloudSqlVolumes: 2 } },
      }),
    );
    expect(verdict.code).toBe('network-mismatch');
    expect(verdict.title).toBe(
      'Cloud SQL staging-db has only a private IP, and 2 services have no VPC route to it',
    );
    expect(verdict.explanation).toContain('This is a network problem, not a credential one.');
    expect(verdict.nextStep).toContain('--network=staging-vpc');
    expect(verdict.nextStep).toContain('--vpc-connector=CONNECTOR');
    expect(verdict.nextStep).toContain(
      'gcloud sql instances patch staging-db --assign-ip --project=acme-staging',
    );
  });
});

describe('checks that could not run, and whether they could have decided', () => {
  const firewallDenied = {
    firewall: {
      status: 'unknown' as const,
      evidence: {},
    },
  };

  it('keeps a healthy staging at no-fault-found when only the firewall and IAM checks could not run', () => {
    const verdict = decideVerdict(
      stagingFindings({ ...firewallDenied, iam: { status: 'unknown', evidence: {} } }),
    );
    expect(verdict.code).toBe('no-fault-found');
    expect(verdict.missing).toEqual(['firewall: could not run', 'iam: could not run']);
  });

  it('is inconclusive when the firewall could not be read while connections fail now', () => {
    const verdict = decideVerdict(stagingFindings({ ...firewallDenied, ...connectingFails }));
    expect(verdict.code).toBe('inconclusive');
    expect(verdict.explanation).toMatch(/^Could not check firewall,/);
  });

  it('still says restart-needed when the firewall could not be read but connectivity errors stopped', () => {
    const verdict = decideVerdict(
      stagingFindings({
        ...firewallDenied,
        'cloud-run': {
          status: 'fail',
          evidence: { servicesNotReady: 2, startupExitCode: 3, 'ready:backend': false },
        },
        logs: { status: 'warn', evidence: { connectivityErrors: 300, connectivityErrorsRecent: 0 } },
      }),
    );
    expect(verdict.code).toBe('restart-needed');
  });

  it('is inconclusive when the IAM policy could not be read and services on a Cloud SQL connection fail', () => {
    const verdict = decideVerdict(
      stagingFindings({
        iam: { status: 'unknown', evidence: {} },
        'cloud-run': { status: 'fail', evidence: { servicesNotReady: 2, cloudSqlVolumes: 2 } },
      }),
    );
    expect(verdict.code).toBe('inconclusive');
    expect(verdict.explanation).toMatch(/^Could not check iam,/);
  });

  it('does not let an unreadable IAM policy hide a failing core check', () => {
    const verdict = decideVerdict(
      stagingFindings({
        iam: { status: 'unknown', evidence: {} },
        'cloud-sql': { status: 'unknown', evidence: { sqlState: null } },
      }),
    );
    expect(verdict.code).toBe('inconclusive');
    // The policy decides nothing while no service fails: it is listed, not blamed.
    expect(verdict.explanation).toMatch(/^Could not check cloud-sql, and/);
    expect(verdict.missing).toEqual(['cloud-sql: could not run', 'iam: could not run']);
  });
});
