import { judgeNetwork, parseNetwork } from '../../../src/diag/checks/network';
import type { NetworkEvidence } from '../../../src/diag/checks/route-evidence';
import { parseSubnetwork } from '../../../src/diag/checks/subnetwork';
import type { CloudRunService, VpcConnector } from '../../../src/gcp/cloud-gateway';

const NOW = new Date('2026-01-15T10:00:00Z');
const BASE = 'projects/acme-staging/locations/us-central1';

const connector = (network: string, over: VpcConnector = {}): VpcConnector => ({
  name: `${BASE}/connectors/staging-connector`,
  network,
  state: 'READY',
  ...over,
});
const sql = (privateNetwork?: string) => ({
  name: 'staging-db',
  resource: { name: 'staging-db', settings: { ipConfiguration: privateNetwork ? { privateNetwork } : {} } },
});
const service = (name: string, vpcAccess: NonNullable<CloudRunService['template']>['vpcAccess'] = {}) => ({
  name,
  resource: { name: `${BASE}/services/${name}`, template: { vpcAccess } } as CloudRunService,
});

/** An instance with no public IP, its private IP on `default`. */
const privateOnly = () => ({
  name: 'staging-db',
  resource: {
    settings: {
      ipConfiguration: {
        ipv4Enabled: false,
        privateNetwork: 'projects/acme-staging/global/networks/default',
      },
    },
  },
});
/** A service that mounts a Cloud SQL connection (the Auth Proxy path). */
const proxied = (name: string, vpcAccess: NonNullable<CloudRunService['template']>['vpcAccess']) => {
  const base = service(name, vpcAccess);
  const instances = ['acme-staging:us-central1:staging-db'];
  return {
    ...base,
    resource: {
      ...base.resource,
      template: { vpcAccess, volumes: [{ name: 'cloudsql', cloudSqlInstance: { instances } }] },
    },
  };
};

function evidence(over: Partial<NetworkEvidence>): NetworkEvidence {
  return {
    project: 'acme-staging',
    region: 'us-central1',
    connector: { name: 'staging-connector', resource: connector('default') },
    sql: sql('projects/acme-staging/global/networks/default'),
    services: [service('backend', { connector: 'staging-connector' })],
    ...over,
  };
}

describe('network judge', () => {
  it.each<[string, NetworkEvidence, string, RegExp, Record<string, unknown>]>([
    [
      'matches a bare network name with a project path',
      evidence({}),
      'ok',
      /^route and Cloud SQL on default, region us-central1$/,
      { networkMismatch: false, regionMismatch: false },
    ],
    [
      'matches a full compute URL',
      evidence({
        sql: sql('https://www.googleapis.com/compute/v1/projects/acme-staging/global/networks/default'),
      }),
      'ok',
      /on default/,
      { networkMismatch: false },
    ],
    [
      'fails when the connector and Cloud SQL are on different networks',
      evidence({ connector: { name: 'staging-connector', resource: connector('legacy-vpc') } }),
      'fail',
      /^network mismatch: connector staging-connector is on legacy-vpc, Cloud SQL on default$/,
      { networkMismatch: true },
    ],
    [
      'matches a Shared VPC network in the host project',
      evidence({
        connector: {
          name: 'staging-connector',
          resource: connector('shared', { subnet: { name: 's', projectId: 'acme-host' } }),
        },
        sql: sql('projects/acme-host/global/networks/shared'),
      }),
      'ok',
      /acme-host\/shared/,
      { networkMismatch: false },
    ],
    [
      'fails the same network name in another project',
      evidence({ sql: sql('projects/other-project/global/networks/default') }),
      'fail',
      /Cloud SQL on other-project\/default/,
      { networkMismatch: true },
    ],
    [
      'fails when Cloud SQL has no private IP',
      evidence({ sql: sql(undefined) }),
      'fail',
      /Cloud SQL has no private IP/,
      { networkMismatch: true },
    ],
    [
      'fails a service whose connector is in another region',
      evidence({
        services: [
          service('backend', {
            connector: 'projects/acme-staging/locations/us-east1/connectors/staging-connector',
          }),
        ],
      }),
      'fail',
      /^region mismatch: backend runs in us-central1, its connector is in us-east1$/,
      { regionMismatch: true, networkMismatch: false },
    ],
    [
      'compares Direct VPC egress networks when no connector is configured',
      evidence({
        connector: undefined,
        services: [service('backend', { networkInterfaces: [{ network: 'default' }] })],
      }),
      'ok',
      /on default/,
      { networkMismatch: false },
    ],
    [
      'skips when there is no route to compare',
      evidence({ connector: undefined, services: [service('backend')] }),
      'skipped',
      /nothing to compare/,
      {},
    ],
    [
      'fails a Cloud SQL connection to a private-IP-only instance from a service with no VPC route',
      evidence({
        connector: undefined,
        sql: privateOnly(),
        services: [proxied('backend', {}), proxied('auth', { networkInterfaces: [{ network: 'default' }] })],
      }),
      'fail',
      /^no route to Cloud SQL: backend connects through a Cloud SQL connection with no VPC access, and staging-db has only a private IP$/,
      { privateOnlyNoRoute: 1 },
    ],
    [
      'lets a Cloud SQL connection reach an instance that has a public IP without a VPC route',
      evidence({
        connector: undefined,
        sql: { ...privateOnly(), resource: { settings: { ipConfiguration: { ipv4Enabled: true } } } },
        services: [proxied('backend', {})],
      }),
      'skipped',
      /nothing to compare/,
      {},
    ],
    [
      'takes the network of a subnetwork that a Direct VPC interface names alone',
      evidence({
        connector: undefined,
        services: [service('backend', { networkInterfaces: [{ subnetwork: 'run-egress' }] })],
        subnetworks: {
          'run-egress': {
            network: 'https://www.googleapis.com/compute/v1/projects/acme-staging/global/networks/legacy-vpc',
          },
        },
      }),
      'fail',
      /^network mismatch: backend \(Direct VPC\) is on legacy-vpc, Cloud SQL on default$/,
      { networkMismatch: true },
    ],
    [
      "warns, saying why, when the subnetwork's network could not be read",
      evidence({
        connector: undefined,
        services: [service('backend', { networkInterfaces: [{ subnetwork: 'run-egress' }] })],
        subnetworks: { 'run-egress': { unreadable: 'permission denied (compute.subnetworks.get)' } },
      }),
      'warn',
      /route and Cloud SQL on \?/,
      { networkMismatch: false },
    ],
    [
      'cannot compare when the connector does not exist',
      evidence({ connector: { name: 'staging-connector', resource: null } }),
      'unknown',
      /connector staging-connector not found/,
      {},
    ],
    [
      'warns when the connector reports no network',
      evidence({ connector: { name: 'staging-connector', resource: connector('') } }),
      'warn',
      /route and Cloud SQL on \?/,
      { networkMismatch: false },
    ],
  ])('%s', (_title, input, status, summary, signals) => {
    const finding = judgeNetwork(input, NOW);
    expect(finding.status).toBe(status);
    expect(finding.summary).toMatch(summary);
    expect(finding.evidence).toMatchObject(signals);
  });
});

describe('subnetwork names', () => {
  const here = { project: 'acme-staging', region: 'us-central1' };
  it.each([
    ['run-egress', { ...here, name: 'run-egress' }],
    [
      'projects/acme-host/regions/europe-west1/subnetworks/run',
      { project: 'acme-host', region: 'europe-west1', name: 'run' },
    ],
    [
      'https://www.googleapis.com/compute/v1/projects/acme-host/regions/us-central1/subnetworks/run',
      { project: 'acme-host', region: 'us-central1', name: 'run' },
    ],
  ])('reads %s', (value, id) => {
    expect(parseSubnetwork(value, here)).toEqual(id);
  });

  it.each(['', 'regions/x/subnetworks', 'a/b/c'])('reads nothing out of %p', (value) => {
    expect(parseSubnetwork(value, here)).toBeUndefined();
  });
});

describe('network names', () => {
  it.each<[string, string | undefined]>([
    ['default', 'p/default'],
    ['projects/acme/global/networks/vpc', 'acme/vpc'],
    ['https://www.googleapis.com/compute/v1/projects/acme/global/networks/vpc', 'acme/vpc'],
    ['https://compute.googleapis.com/compute/v1/projects/acme/global/networks/vpc', 'acme/vpc'],
    ['', undefined],
  ])('%j → %s', (value, expected) => {
    const parsed = parseNetwork(value, 'p');
    expect(parsed ? `${parsed.project}/${parsed.name}` : undefined).toBe(expected);
  });
});
