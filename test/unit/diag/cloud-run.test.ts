import { judgeCloudRun } from '../../../src/diag/checks/cloud-run';
import { exitCodeIn, type ServiceEvidence } from '../../../src/diag/checks/cloud-run-service';
import type { CloudRunRevision, CloudRunService } from '../../../src/gcp/cloud-gateway';

const NOW = new Date('2026-01-15T10:00:00Z');
const BASE = 'projects/acme-staging/locations/us-central1';
const CONNECTOR = `${BASE}/connectors/staging-connector`;
const expected = { region: 'us-central1', connector: 'staging-connector' };

function service(name: string, over: CloudRunService = {}): CloudRunService {
  return {
    name: `${BASE}/services/${name}`,
    terminalCondition: { type: 'Ready', state: 'CONDITION_SUCCEEDED' },
    latestCreatedRevision: `${BASE}/services/${name}/revisions/${name}-00042-abc`,
    latestReadyRevision: `${BASE}/services/${name}/revisions/${name}-00042-abc`,
    trafficStatuses: [
      { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100, revision: `${name}-00042-abc` },
    ],
    template: {
      vpcAccess: { connector: CONNECTOR, egress: 'PRIVATE_RANGES_ONLY' },
      containers: [{ startupProbe: { tcpSocket: { port: 8080 }, periodSeconds: 10, failureThreshold: 3 } }],
    },
    ...over,
  };
}

const revision = (name: string, over: CloudRunRevision = {}): CloudRunRevision => ({
  name: `${BASE}/services/${name}/revisions/${name}-00042-abc`,
  createTime: { seconds: String(NOW.getTime() / 1000 - 86_400), nanos: 0 },
  ...over,
});

const ok = (name: string): ServiceEvidence => ({ name, service: service(name), revisions: [revision(name)] });

/** The staging outage: the container exits with code 3 during database initialisation. */
const exited = (name: string): ServiceEvidence => ({
  name,
  service: service(name, {
    terminalCondition: {
      type: 'Ready',
      state: 'CONDITION_FAILED',
      message: `Revision '${name}-00042-abc' is not ready and cannot serve traffic.`,
    },
    latestReadyRevision: `${BASE}/services/${name}/revisions/${name}-00041-xyz`,
  }),
  revisions: [
    revision(name, {
      conditions: [
        { type: 'ContainerHealthy', state: 'CONDITION_FAILED', message: 'Container called exit(3).' },
      ],
    }),
  ],
});

describe('cloud-run judge', () => {
  it.each<[string, ServiceEvidence[], string, RegExp, Record<string, unknown>]>([
    [
      'passes ready services on the configured connector',
      [ok('backend'), ok('auth')],
      'ok',
      /^2\/2 services ready$/,
      { servicesNotReady: 0 },
    ],
    [
      'names the exit code of services that exited during start-up',
      [exited('backend'), exited('auth')],
      'fail',
      /^2\/2 services not ready: backend, auth exited during start-up \(exit code 3\)$/,
      { servicesNotReady: 2, startupExitCode: 3 },
    ],
    [
      'fails a configured service that does not exist, for that service only',
      [ok('backend'), { name: 'auth', service: null, revisions: [] }],
      'fail',
      /^1\/2 services not ready: auth does not exist$/,
      { servicesMissing: 1, servicesNotReady: 1 },
    ],
    [
      'fails a service routed through another connector',
      [
        {
          ...ok('backend'),
          service: service('backend', {
            template: { vpcAccess: { connector: `${BASE}/connectors/old-connector` } },
          }),
        },
      ],
      'fail',
      /backend routes through .*old-connector, not staging-connector/,
      { servicesWrongConnector: 1, servicesNotReady: 0 },
    ],
    [
      'fails a service with no VPC access while a connector is configured',
      [{ ...ok('backend'), service: service('backend', { template: {} }) }],
      'fail',
      /backend has no VPC access, not connector staging-connector/,
      { servicesWrongConnector: 1 },
    ],
    [
      'fails a connector of the same name in another region',
      [
        {
          ...ok('backend'),
          service: service('backend', {
            template: {
              vpcAccess: {
                connector: 'projects/acme-staging/locations/us-east1/connectors/staging-connector',
              },
            },
          }),
        },
      ],
      'fail',
      /routes through/,
      { servicesWrongConnector: 1 },
    ],
    [
      'reads numeric enums from the GAPIC client (4 = CONDITION_SUCCEEDED)',
      [{ ...ok('backend'), service: service('backend', { terminalCondition: { type: 'Ready', state: 4 } }) }],
      'ok',
      /^1\/1 services ready$/,
      { 'ready:backend': true },
    ],
    [
      'warns while a service is still reconciling',
      [
        {
          ...ok('backend'),
          service: service('backend', {
            reconciling: true,
            terminalCondition: { type: 'Ready', state: 'CONDITION_RECONCILING' },
          }),
        },
      ],
      'warn',
      /backend still deploying/,
      { servicesNotReady: 1 },
    ],
    [
      'warns when the newest revision failed but an older one still serves',
      [
        {
          ...ok('backend'),
          service: service('backend', {
            latestReadyRevision: `${BASE}/services/backend/revisions/backend-00041-xyz`,
          }),
        },
      ],
      'warn',
      /newest revision backend-00042-abc not ready/,
      { servicesNotReady: 0 },
    ],
    [
      'warns when readiness is not reported at all',
      [{ ...ok('backend'), service: service('backend', { terminalCondition: null }) }],
      'warn',
      /backend reports no readiness/,
      { servicesNotReady: 1 },
    ],
    [
      'counts a revision created in the last hour (timestamp as { seconds } string)',
      [
        {
          ...ok('backend'),
          revisions: [revision('backend', { createTime: { seconds: String(NOW.getTime() / 1000 - 600) } })],
        },
      ],
      'ok',
      /ready/,
      { recentRevisions: 1 },
    ],
  ])('%s', (_title, services, status, summary, signals) => {
    const finding = judgeCloudRun(services, expected, NOW);
    expect(finding.status).toBe(status);
    expect(finding.summary).toMatch(summary);
    expect(finding.evidence).toMatchObject(signals);
  });

  it('passes Direct VPC egress when no connector is configured', () => {
    const direct = service('backend', {
      template: { vpcAccess: { networkInterfaces: [{ network: 'default' }] } },
    });
    const finding = judgeCloudRun(
      [{ name: 'backend', service: direct, revisions: [] }],
      { region: 'us-central1' },
      NOW,
    );
    expect(finding.status).toBe('ok');
    expect(finding.details).toContain('backend: Direct VPC egress (network default, egress default).');
  });

  it('shows the Direct VPC subnetwork, tags and egress in the summary, once for services that share them', () => {
    const nic = {
      network: 'projects/acme-host/global/networks/shared-vpc',
      subnetwork: 'projects/acme-host/regions/us-central1/subnetworks/run-egress',
      tags: ['run-egress'],
    };
    const direct = (name: string) =>
      service(name, { template: { vpcAccess: { networkInterfaces: [nic], egress: 'ALL_TRAFFIC' } } });
    const finding = judgeCloudRun(
      ['backend', 'auth'].map((name) => ({ name, service: direct(name), revisions: [] })),
      { region: 'us-central1' },
      NOW,
    );
    expect(finding.summary).toBe(
      '2/2 services ready; Direct VPC egress: network shared-vpc, subnetwork run-egress, tags run-egress, egress ALL_TRAFFIC',
    );
  });

  it('reports Cloud SQL connections and the runtime accounts (the default compute account when none is set)', () => {
    const withVolume = service('backend', {
      template: {
        serviceAccount: 'backend-run@acme-staging.iam.gserviceaccount.com',
        volumes: [
          { name: 'cloudsql', cloudSqlInstance: { instances: ['acme-staging:us-central1:staging-db'] } },
        ],
      },
    });
    const finding = judgeCloudRun(
      [
        { name: 'backend', service: withVolume, revisions: [] },
        { name: 'auth', service: service('auth', { template: {} }), revisions: [] },
      ],
      { region: 'us-central1' },
      NOW,
    );
    expect(finding.evidence).toMatchObject({
      cloudSqlVolumes: 1,
      runtimeAccounts:
        'backend-run@acme-staging.iam.gserviceaccount.com,PROJECT_NUMBER-compute@developer.gserviceaccount.com',
      region: 'us-central1',
    });
    expect(finding.details).toContain(
      'backend: Cloud SQL connection (Auth Proxy) to acme-staging:us-central1:staging-db.',
    );
  });

  it('reads no Cloud SQL connection out of malformed volumes', () => {
    const odd = service('backend', {
      template: {
        volumes: [{ name: 'x', cloudSqlInstance: { instances: 'not-a-list' as unknown as string[] } }],
      },
    });
    const finding = judgeCloudRun(
      [{ name: 'backend', service: odd, revisions: [] }],
      { region: 'us-central1' },
      NOW,
    );
    expect(finding.evidence.cloudSqlVolumes).toBe(0);
  });

  it('describes the start-up probe, traffic and revision message in the details', () => {
    const details = judgeCloudRun([exited('backend')], expected, NOW).details.join('\n');
    expect(details).toMatch(/start-up probe: TCP, 0 s delay \+ 3 × 10 s \(up to 30 s\)/);
    expect(details).toMatch(/traffic 100 % → backend-00042-abc/);
    expect(details).toMatch(/Container called exit\(3\)\./);
    expect(details).toMatch(/last ready is backend-00041-xyz/);
  });

  it('keeps the service readable when revisions could not be listed', () => {
    const finding = judgeCloudRun(
      [{ ...ok('backend'), revisions: [], revisionsUnavailable: 'permission denied' }],
      expected,
      NOW,
    );
    expect(finding.status).toBe('ok');
    expect(finding.details.join('\n')).toMatch(/revisions not read: permission denied/);
  });
});

describe('exit codes in Cloud Run messages', () => {
  it.each<[string, number | undefined]>([
    ['Container called exit(3).', 3],
    ['The container exited with code 137', 137],
    ['Application exited with status 1', 1],
    ['The user-provided container failed to start and listen on the port', undefined],
    ['', undefined],
  ])('%j → %s', (message, code) => {
    expect(exitCodeIn(message)).toBe(code);
  });
});
