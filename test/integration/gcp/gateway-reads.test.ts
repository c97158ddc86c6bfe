import { loadScenario } from '../../../src/simulator/load-scenario';
import { PROJECT, REGION, type SimulatedCloud, startSimulatedCloud } from './simulated-cloud';

describe('GoogleCloudGateway against the simulator (healthy staging)', () => {
  let cloud: SimulatedCloud;
  beforeAll(async () => {
    cloud = await startSimulatedCloud('healthy');
  });
  afterAll(() => cloud.stop());

  it('reads the connector with its state decoded to the enum name', async () => {
    const connector = await cloud.gateway.getConnector(PROJECT, REGION, 'staging-connector');
    expect(connector).toMatchObject({
      name: 'projects/acme-staging/locations/us-central1/connectors/staging-connector',
      state: 'READY',
      network: 'staging-vpc',
      machineType: 'e2-micro',
      minInstances: 2,
      maxInstances: 10,
    });
  });

  it('reads a Cloud Run service with its Ready condition, traffic and VPC access', async () => {
    const service = await cloud.gateway.getService(PROJECT, REGION, 'backend');
    expect(service.terminalCondition).toMatchObject({ type: 'Ready', state: 'CONDITION_SUCCEEDED' });
    expect(service.conditions?.map((c) => c.type)).toEqual(['ConfigurationsReady', 'RoutesReady']);
    expect(service.latestReadyRevision).toBe(
      'projects/acme-staging/locations/us-central1/services/backend/revisions/backend-00042-kav',
    );
    expect(service.traffic?.[0]).toMatchObject({
      type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST',
      percent: 100,
    });
    expect(service.template?.vpcAccess).toMatchObject({
      connector: 'projects/acme-staging/locations/us-central1/connectors/staging-connector',
      egress: 'PRIVATE_RANGES_ONLY',
    });
    expect(service.template?.containers?.[0]?.startupProbe?.tcpSocket?.port).toBe(8080);
  });

  it('lists revisions newest first with their conditions', async () => {
    const revisions = await cloud.gateway.listRevisions(PROJECT, REGION, 'backend');
    expect(revisions.map((r) => r.name?.split('/').pop())).toEqual([
      'backend-00042-kav',
      'backend-00041-wuz',
    ]);
    expect(revisions[1]?.conditions?.[0]).toMatchObject({
      state: 'CONDITION_SUCCEEDED',
      revisionReason: 'RETIRED',
    });
  });

  it('reads the Cloud SQL instance: RUNNABLE, private network and max_connections', async () => {
    const instance = await cloud.gateway.getSqlInstance(PROJECT, 'staging-db');
    expect(instance.state).toBe('RUNNABLE');
    expect(instance.settings?.activationPolicy).toBe('ALWAYS');
    expect(instance.settings?.ipConfiguration?.privateNetwork).toBe(
      'projects/acme-staging/global/networks/staging-vpc',
    );
    expect(instance.settings?.databaseFlags).toEqual([{ name: 'max_connections', value: '200' }]);
    expect(instance.ipAddresses).toEqual([{ type: 'PRIVATE', ipAddress: '10.20.0.3' }]);
  });

  it('pages through log entries newest first', async () => {
    const filter = 'resource.labels.service_name="backend" AND severity>=INFO';
    const first = await cloud.gateway.listLogEntries({ projectId: PROJECT, filter, pageSize: 30 });
    expect(first.entries).toHaveLength(30);
    expect(first.nextPageToken).toBeDefined();
    const second = await cloud.gateway.listLogEntries({
      projectId: PROJECT,
      filter,
      pageSize: 30,
      pageToken: first.nextPageToken,
    });
    expect(second.entries).toHaveLength(13); // 40 INFO + 3 WARNING for backend
    expect(second.nextPageToken).toBeUndefined();
    const stamps = [...first.entries, ...second.entries].map((e) => e.timestamp ?? '');
    expect(stamps).toEqual([...stamps].sort().reverse());
    expect(first.entries[0]?.resource?.labels?.service_name).toBe('backend');
  });

  it('lists time series points for the connector CPU, newest first', async () => {
    const series = await cloud.gateway.listTimeSeries({
      projectId: PROJECT,
      filter:
        'metric.type="vpcaccess.googleapis.com/connector/cpu/utilizations" AND resource.labels.connector_name="staging-connector"',
      startTime: new Date(Date.now() - 10 * 60_000),
      endTime: new Date(Date.now() + 1000),
    });
    expect(series).toHaveLength(1);
    expect(series[0]?.resource?.type).toBe('vpc_access_connector');
    const points = series[0]?.points ?? [];
    expect(points.length).toBeGreaterThanOrEqual(10);
    expect(points[0]?.value?.distributionValue?.mean).toBe(0.2);
    const ends = points.map((p) => p.interval?.endTime ?? '');
    expect(ends).toEqual([...ends].sort().reverse());
  });

  it('reads Cloud SQL backends as an INT64 series', async () => {
    const [series] = await cloud.gateway.listTimeSeries({
      projectId: PROJECT,
      filter: 'metric.type="cloudsql.googleapis.com/database/postgresql/num_backends"',
      startTime: new Date(Date.now() - 5 * 60_000),
      endTime: new Date(Date.now() + 1000),
    });
    expect(series?.resource?.labels?.database_id).toBe('acme-staging:staging-db');
    expect(series?.points?.[0]?.value?.int64Value).toBe('24');
  });
});

describe('GoogleCloudGateway against the simulator (staging outage)', () => {
  let cloud: SimulatedCloud;
  beforeAll(async () => {
    cloud = await startSimulatedCloud('staging-outage');
  });
  afterAll(() => cloud.stop());

  it('shows the connector in ERROR and the services not ready with exit code 3', async () => {
    expect((await cloud.gateway.getConnector(PROJECT, REGION, 'staging-connector')).state).toBe('ERROR');
    const service = await cloud.gateway.getService(PROJECT, REGION, 'auth');
    expect(service.terminalCondition).toMatchObject({
      state: 'CONDITION_FAILED',
      severity: 'ERROR',
      reason: 'REVISION_FAILED',
    });
    expect(service.terminalCondition?.message).toContain('exit(3)');
  });

  it('finds all 649 socket failures of the last 30 minutes across text and JSON payloads', async () => {
    const since = new Date(Date.now() - 30 * 60_000).toISOString();
    const filter = `timestamp>="${since}" AND severity>=ERROR AND (textPayload:"Socket connection failed" OR jsonPayload.message:"Socket connection failed")`;
    let pageToken: string | undefined;
    let total = 0;
    do {
      const page = await cloud.gateway.listLogEntries({
        projectId: PROJECT,
        filter,
        pageSize: 200,
        pageToken,
      });
      total += page.entries.length;
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(total).toBe(649);
  });
});

describe('GoogleCloudGateway: IAM policy, project and firewall rules', () => {
  const base = loadScenario('healthy');
  const rules = Array.from({ length: 501 }, (_, i) => ({
    name: `rule-${String(i).padStart(3, '0')}`,
    network: 'staging-vpc',
    direction: 'EGRESS' as const,
    priority: 1000 + i,
    denied: [{ IPProtocol: 'tcp', ports: ['5432'] }],
    destinationRanges: ['10.20.0.0/24'],
    targetTags: ['vpc-connector'],
  }));
  let cloud: SimulatedCloud;
  beforeAll(async () => {
    cloud = await startSimulatedCloud({ ...base, firewalls: rules });
  });
  afterAll(() => cloud.stop());

  it('reads the project IAM policy with requestedPolicyVersion 3 in the body', async () => {
    const policy = await cloud.gateway.getProjectIamPolicy(PROJECT);
    expect(policy.bindings).toContainEqual({
      role: 'roles/cloudsql.client',
      members: expect.arrayContaining(['serviceAccount:backend-run@acme-staging.iam.gserviceaccount.com']),
    });
    const request = cloud.simulator.requests.find((r) => r.path.endsWith(':getIamPolicy'));
    expect(request).toMatchObject({
      method: 'POST',
      path: '/v3/projects/acme-staging:getIamPolicy',
      body: { options: { requestedPolicyVersion: 3 } },
    });
  });

  it('reads the project number from projects.get', async () => {
    expect((await cloud.gateway.getProject(PROJECT)).name).toBe('projects/123456789012');
  });

  it('follows firewall pages until the last (501 rules in two pages of 500)', async () => {
    const found = await cloud.gateway.listFirewalls(PROJECT);
    expect(found).toHaveLength(501);
    expect(found[500]).toMatchObject({
      name: 'rule-500',
      direction: 'EGRESS',
      priority: 1500,
      network: 'https://www.googleapis.com/compute/v1/projects/acme-staging/global/networks/staging-vpc',
      denied: [{ IPProtocol: 'tcp', ports: ['5432'] }],
    });
    const pages = cloud.simulator.requests.filter((r) => r.path.endsWith('/global/firewalls'));
    expect(pages.map((r) => new URLSearchParams(r.query).has('pageToken'))).toEqual([false, true]);
  });
});
