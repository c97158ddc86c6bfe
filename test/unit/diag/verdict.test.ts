import fc from 'fast-check';
import type { SignalEvidence } from '../../../src/diag/checks/signals';
import { CHECK_NAMES, type CheckName, type Finding, type FindingStatus } from '../../../src/diag/finding';
import { decideVerdict, VERDICT_CODES, VERDICT_RULES } from '../../../src/diag/verdict';

const finding = (
  check: CheckName,
  status: FindingStatus,
  evidence: SignalEvidence,
  summary = `${check} summary`,
): Finding => ({
  check,
  status,
  summary,
  details: [],
  evidence: evidence as Finding['evidence'],
  durationMs: 10,
});

/** Every check passing, with the signals a healthy staging produces. */
function healthy(): Record<CheckName, Finding> {
  return {
    'vpc-connector': finding('vpc-connector', 'ok', {
      project: 'acme-staging',
      region: 'us-central1',
      connectorName: 'staging-connector',
      connectorState: 'READY',
      connectorInstances: 3,
      connectorMaxInstances: 10,
      connectorAtMax: false,
      connectorCpu: 0.3,
      connectorSaturated: false,
      connectorMetrics: true,
    }),
    'cloud-sql': finding('cloud-sql', 'ok', {
      project: 'acme-staging',
      sqlInstance: 'staging-db',
      sqlState: 'RUNNABLE',
      sqlActivationPolicy: 'ALWAYS',
      sqlConnectionRatio: 0.25,
      sqlMetrics: true,
    }),
    'cloud-run': finding('cloud-run', 'ok', {
      servicesTotal: 2,
      servicesNotReady: 0,
      servicesWrongConnector: 0,
      recentRevisions: 0,
    }),
    logs: finding('logs', 'ok', {
      errorCount: 0,
      connectivityErrors: 0,
      applicationErrors: 0,
      startupFailures: 0,
      tooManyClients: 0,
    }),
    network: finding('network', 'ok', { networkMismatch: false, regionMismatch: false }),
    firewall: finding('firewall', 'ok', { firewallBlocked: false }),
    iam: finding('iam', 'ok', { sqlIamMissing: 0, sqlIamNeeded: false }),
    health: finding('health', 'ok', { healthTotal: 2, healthFailing: 0 }),
    database: finding('database', 'ok', { dbConnected: true, dbConnectMs: 850 }),
  };
}

type Change = Partial<
  Record<CheckName, { status?: FindingStatus; evidence?: SignalEvidence; cannotRun?: Finding['cannotRun'] }>
>;

/** Healthy findings with some checks changed. */
function scenario(change: Change): Finding[] {
  const all = healthy();
  for (const [check, c] of Object.entries(change) as [CheckName, NonNullable<Change[CheckName]>][]) {
    const base = all[check];
    all[check] = {
      ...base,
      status: c.status ?? base.status,
      evidence: { ...base.evidence, ...c.evidence },
      cannotRun: c.cannotRun,
    };
  }
  return Object.values(all);
}

const outageSymptoms: Change = {
  'cloud-run': { status: 'fail', evidence: { servicesNotReady: 2, startupExitCode: 3 } },
  logs: { status: 'fail', evidence: { connectivityErrors: 649, applicationErrors: 3, startupFailures: 12 } },
  health: { status: 'fail', evidence: { healthFailing: 2 } },
};

describe('verdict rules, one by one', () => {
  it('names a connector in ERROR, with the runbook command and no false hope in restarts', () => {
    const verdict = decideVerdict(
      scenario({
        ...outageSymptoms,
        'vpc-connector': { status: 'fail', evidence: { connectorState: 'ERROR' } },
      }),
    );
    expect(verdict.code).toBe('vpc-connector-down');
    expect(verdict.title).toBe('VPC connector staging-connector is ERROR');
    expect(verdict.explanation).toMatch(/2\/2 services not ready \(exit code 3\), 649 connectivity errors/);
    expect(verdict.nextStep).toContain(
      '`gcloud compute networks vpc-access connectors describe staging-connector --region=us-central1 --project=acme-staging`',
    );
    expect(verdict.nextStep).toMatch(/restart of the services is unlikely to help/);
    expect(verdict.evidence[0]).toBe('vpc-connector: vpc-connector summary');
  });

  it('names a connector that does not exist', () => {
    const verdict = decideVerdict(
      scenario({ 'vpc-connector': { status: 'fail', evidence: { connectorState: 'NOT_FOUND' } } }),
    );
    expect(verdict).toMatchObject({
      code: 'vpc-connector-down',
      title: 'VPC connector staging-connector does not exist',
    });
  });

  it.each<[string, Change]>([
    ['different networks', { network: { status: 'fail', evidence: { networkMismatch: true } } }],
    ['different regions', { network: { status: 'fail', evidence: { regionMismatch: true } } }],
    [
      'a service on another connector',
      { 'cloud-run': { status: 'fail', evidence: { servicesWrongConnector: 1 } } },
    ],
  ])('names a route mismatch: %s', (_title, change) => {
    expect(decideVerdict(scenario(change)).code).toBe('network-mismatch');
  });

  it.each<[string, SignalEvidence, RegExp]>([
    ['SUSPENDED', { sqlState: 'SUSPENDED' }, /suspended/],
    ['stopped', { sqlActivationPolicy: 'NEVER' }, /--activation-policy=ALWAYS/],
    ['in maintenance', { sqlState: 'MAINTENANCE' }, /gcloud sql operations list --instance=staging-db/],
    ['missing', { sqlState: 'NOT_FOUND' }, /gcloud sql instances list/],
  ])('names an unavailable Cloud SQL instance: %s', (_title, evidence, nextStep) => {
    const verdict = decideVerdict(scenario({ 'cloud-sql': { status: 'fail', evidence } }));
    expect(verdict.code).toBe('cloud-sql-unavailable');
    expect(verdict.nextStep).toMatch(nextStep);
  });

  it.each<[string, Change]>([
    [
      'peak ≥ 90 % of max_connections',
      { 'cloud-sql': { status: 'fail', evidence: { sqlConnectionRatio: 0.95 } } },
    ],
    [
      '"too many clients" in the logs',
      { logs: { status: 'fail', evidence: { connectivityErrors: 20, tooManyClients: 20 } } },
    ],
    [
      '"too many clients" from the probe',
      { database: { status: 'fail', evidence: { dbConnected: false, tooManyClients: 1 } } },
    ],
  ])('names exhausted connections: %s', (_title, change) => {
    const verdict = decideVerdict(scenario(change));
    expect(verdict.code).toBe('cloud-sql-connections-exhausted');
    expect(verdict.nextStep).toMatch(/pg_stat_activity/);
  });

  it('names a saturated connector from its own metrics', () => {
    const verdict = decideVerdict(
      scenario({
        'vpc-connector': {
          status: 'fail',
          evidence: { connectorAtMax: true, connectorSaturated: true, connectorCpu: 0.94 },
        },
      }),
    );
    expect(verdict.code).toBe('vpc-connector-saturated');
    expect(verdict.nextStep).toMatch(/max-instances|Direct VPC egress/);
  });

  it('names a connector at max instances when services also fail to connect', () => {
    const verdict = decideVerdict(
      scenario({
        ...outageSymptoms,
        'vpc-connector': { status: 'warn', evidence: { connectorAtMax: true } },
      }),
    );
    expect(verdict.code).toBe('vpc-connector-saturated');
  });

  it('does not blame a connector at max when nothing fails to connect', () => {
    const verdict = decideVerdict(
      scenario({ 'vpc-connector': { status: 'warn', evidence: { connectorAtMax: true } } }),
    );
    expect(verdict.code).toBe('inconclusive');
  });

  it('says application error when infrastructure passes and the logs are application errors', () => {
    const verdict = decideVerdict(
      scenario({
        'cloud-run': {
          status: 'fail',
          evidence: { servicesNotReady: 1, startupExitCode: 1, recentRevisions: 1 },
        },
        logs: { status: 'fail', evidence: { applicationErrors: 40, connectivityErrors: 2 } },
      }),
    );
    expect(verdict.code).toBe('application-error');
    expect(verdict.explanation).toMatch(/40 application errors against 2 connectivity errors/);
    expect(verdict.explanation).toMatch(/regression is likely/);
    expect(verdict.nextStep).toMatch(/update-traffic/);
  });

  it('does not call it an application error when connectivity errors dominate', () => {
    const verdict = decideVerdict(scenario(outageSymptoms));
    expect(verdict.code).not.toBe('application-error');
  });

  it('is inconclusive when a deciding check could not run, and lists what is missing', () => {
    const verdict = decideVerdict(
      scenario({
        ...outageSymptoms,
        'vpc-connector': {
          status: 'unknown',
          evidence: { connectorState: null },
          cannotRun: {
            reason: 'permission denied (vpcaccess.connectors.get)',
            fix: "grant roles/vpcaccess.viewer to Warroom's service account",
          },
        },
      }),
    );
    expect(verdict.code).toBe('inconclusive');
    expect(verdict.missing).toContain(
      "vpc-connector: permission denied (vpcaccess.connectors.get) — grant roles/vpcaccess.viewer to Warroom's service account",
    );
  });

  it('is inconclusive, naming the missing metrics, when the outage shows no infrastructure fault', () => {
    const verdict = decideVerdict(
      scenario({
        ...outageSymptoms,
        'vpc-connector': {
          evidence: { connectorMetrics: false, connectorInstances: null, connectorCpu: null },
        },
      }),
    );
    expect(verdict.code).toBe('inconclusive');
    expect(verdict.explanation).toMatch(/saturation cannot be ruled out/);
    expect(verdict.missing).toContain('vpc-connector: no Monitoring data for instances and CPU');
    expect(verdict.nextStep).toMatch(/roles\/monitoring\.viewer/);
  });

  it('suggests a support case when metrics show headroom yet services cannot connect', () => {
    const verdict = decideVerdict(scenario(outageSymptoms));
    expect(verdict.code).toBe('inconclusive');
    expect(verdict.explanation).toMatch(/regional networking/);
    expect(verdict.nextStep).toMatch(/Google Cloud support case/);
    expect(verdict.missing).toBeUndefined();
  });

  it('says to restart when the infrastructure recovered and the connectivity errors stopped, but services stay down', () => {
    const verdict = decideVerdict(
      scenario({
        ...outageSymptoms,
        'cloud-run': {
          status: 'fail',
          // Per-service readiness rides along with the signals, as the Cloud Run check reports it.
          evidence: {
            servicesNotReady: 2,
            startupExitCode: 3,
            ...({ 'ready:backend': false, 'ready:auth': false, 'ready:ai': true } as object),
          },
        },
        logs: { status: 'fail', evidence: { connectivityErrors: 649, connectivityErrorsRecent: 0 } },
      }),
    );
    expect(verdict.code).toBe('restart-needed');
    expect(verdict.explanation).toMatch(/backend, auth are not ready/);
    expect(verdict.explanation).toMatch(/none in the last 10 minutes/);
    expect(verdict.nextStep).toContain('/incident restart <env> <service>');
    // Errors still arriving: the cause is not over, a restart is not the answer.
    const ongoing = decideVerdict(
      scenario({
        ...outageSymptoms,
        logs: { status: 'fail', evidence: { connectivityErrors: 649, connectivityErrorsRecent: 40 } },
      }),
    );
    expect(ongoing.code).toBe('inconclusive');
  });

  it('is inconclusive when checks fail without pointing anywhere', () => {
    const verdict = decideVerdict(
      scenario({ 'cloud-run': { status: 'fail', evidence: { servicesNotReady: 1 } } }),
    );
    expect(verdict).toMatchObject({
      code: 'inconclusive',
      title: 'Inconclusive: checks failed, no rule names the fault',
    });
  });

  it('does not call a few background errors an application fault: nothing failed, some warned', () => {
    const verdict = decideVerdict(scenario({ logs: { status: 'warn', evidence: { applicationErrors: 2 } } }));
    expect(verdict).toMatchObject({ code: 'inconclusive', title: 'No check failed, some warned' });
    expect(verdict.explanation).toMatch(
      /^Nothing is down, but logs warned: 2 application errors in the logs\.$/,
    );
  });

  it('counts failed user requests as a visible failure for the application rule', () => {
    const verdict = decideVerdict(
      scenario({ logs: { status: 'fail', evidence: { applicationErrors: 3, failedRequests: 120 } } }),
    );
    expect(verdict.code).toBe('application-error');
  });

  it('says why connection use was not measured', () => {
    const verdict = decideVerdict(
      scenario({
        'cloud-sql': {
          evidence: { sqlConnectionRatio: null, sqlMetrics: false, sqlMetricsGap: 'permission denied' },
        },
      }),
    );
    expect(verdict.missing).toEqual(['cloud-sql: connection use not measured (permission denied)']);
  });

  it('finds no fault when every check passes', () => {
    const verdict = decideVerdict(scenario({}));
    expect(verdict.code).toBe('no-fault-found');
    expect(verdict.missing).toBeUndefined();
    expect(verdict.evidence).toHaveLength(7);
  });

  it('finds no fault with skipped checks (Direct VPC egress, no probe)', () => {
    const findings = scenario({}).map((f) =>
      f.check === 'vpc-connector' || f.check === 'database'
        ? { ...f, status: 'skipped' as const, evidence: {} }
        : f,
    );
    expect(decideVerdict(findings).code).toBe('no-fault-found');
  });

  it('does not claim no fault when a check did not report', () => {
    const verdict = decideVerdict(scenario({}).filter((f) => f.check !== 'logs'));
    expect(verdict.code).toBe('inconclusive');
    expect(verdict.missing).toEqual(['logs: did not report']);
  });

  it('is inconclusive with no findings at all', () => {
    expect(decideVerdict([]).code).toBe('inconclusive');
  });
});

describe('verdict precedence', () => {
  it.each<[string, Change, string]>([
    [
      'a down connector over an unavailable database',
      {
        'vpc-connector': { status: 'fail', evidence: { connectorState: 'ERROR' } },
        'cloud-sql': { status: 'fail', evidence: { sqlState: 'SUSPENDED' } },
      },
      'vpc-connector-down',
    ],
    [
      'a route mismatch over an unavailable database',
      {
        network: { status: 'fail', evidence: { networkMismatch: true } },
        'cloud-sql': { status: 'fail', evidence: { sqlState: 'SUSPENDED' } },
      },
      'network-mismatch',
    ],
    [
      'an unavailable database over exhausted connections',
      { 'cloud-sql': { status: 'fail', evidence: { sqlState: 'FAILED', sqlConnectionRatio: 0.99 } } },
      'cloud-sql-unavailable',
    ],
    [
      'exhausted connections over a saturated connector (the server refused in words)',
      {
        'cloud-sql': { status: 'fail', evidence: { sqlConnectionRatio: 0.95 } },
        'vpc-connector': { status: 'fail', evidence: { connectorSaturated: true } },
      },
      'cloud-sql-connections-exhausted',
    ],
    [
      'a saturated connector over application errors',
      {
        'vpc-connector': { status: 'fail', evidence: { connectorSaturated: true } },
        logs: { status: 'fail', evidence: { applicationErrors: 50 } },
      },
      'vpc-connector-saturated',
    ],
    [
      'application errors over an unknown health check (listed as missing)',
      {
        logs: { status: 'fail', evidence: { applicationErrors: 50 } },
        health: { status: 'unknown', evidence: {}, cannotRun: { reason: 'timeout' } },
      },
      'application-error',
    ],
    [
      'a down connector even when the logs could not be read',
      {
        'vpc-connector': { status: 'fail', evidence: { connectorState: 'ERROR' } },
        logs: { status: 'unknown', evidence: {}, cannotRun: { reason: 'permission denied' } },
      },
      'vpc-connector-down',
    ],
    [
      'missing infrastructure checks over an application-error guess',
      {
        logs: { status: 'fail', evidence: { applicationErrors: 50 } },
        'cloud-sql': { status: 'unknown', evidence: {}, cannotRun: { reason: 'permission denied' } },
      },
      'inconclusive',
    ],
  ])('prefers %s', (_title, change, code) => {
    const verdict = decideVerdict(scenario(change));
    expect(verdict.code).toBe(code);
    if (Object.values(change).some((c) => c?.status === 'unknown'))
      expect(verdict.missing?.length).toBeGreaterThan(0);
  });

  it('has unique rule ids and only known codes', () => {
    expect(new Set(VERDICT_RULES.map((r) => r.id)).size).toBe(VERDICT_RULES.length);
    for (const rule of VERDICT_RULES) expect(VERDICT_CODES).toContain(rule.code);
  });
});

describe('verdict properties', () => {
  const status = fc.constantFrom<FindingStatus>('ok', 'warn', 'fail', 'unknown', 'skipped');
  const value = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.double({ noNaN: true }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
  );
  const evidence = fc.dictionary(
    fc.constantFrom(
      'connectorState',
      'connectorSaturated',
      'connectorAtMax',
      'sqlState',
      'sqlActivationPolicy',
      'sqlConnectionRatio',
      'networkMismatch',
      'servicesNotReady',
      'servicesWrongConnector',
      'connectivityErrors',
      'applicationErrors',
      'tooManyClients',
      'healthFailing',
      'dbErrorKind',
    ),
    value,
  );
  const findings = fc
    .subarray([...CHECK_NAMES])
    .chain((checks) =>
      fc.tuple(...checks.map((check) => fc.tuple(status, evidence).map(([s, e]) => finding(check, s, e)))),
    );

  it('returns exactly one valid code, and never "no fault" when a check failed or could not run', () => {
    fc.assert(
      fc.property(findings, (list) => {
        const verdict = decideVerdict(list);
        expect(VERDICT_CODES).toContain(verdict.code);
        expect(verdict.title.length).toBeGreaterThan(0);
        expect(verdict.nextStep.length).toBeGreaterThan(0);
        if (list.some((f) => f.status === 'fail' || f.status === 'unknown' || f.status === 'warn')) {
          expect(verdict.code).not.toBe('no-fault-found');
        }
      }),
      { numRuns: 500 },
    );
  });
});
