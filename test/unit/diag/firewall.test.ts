import { type FirewallEvidence, judgeFirewall } from '../../../src/diag/checks/firewall';
import type { CloudRunService, Firewall, SqlInstance, VpcConnector } from '../../../src/gcp/cloud-gateway';

const NOW = new Date('2026-01-15T10:00:00Z');
const BASE = 'projects/acme-staging/locations/us-central1';
const NET = 'https://www.googleapis.com/compute/v1/projects/acme-staging/global/networks/staging-vpc';
const HOST_NET = 'https://www.googleapis.com/compute/v1/projects/acme-net-host/global/networks/shared-vpc';

const connector = (over: VpcConnector = {}): VpcConnector => ({
  name: `${BASE}/connectors/staging-connector`,
  network: 'staging-vpc',
  state: 'READY',
  ...over,
});
const sqlInstance = (over: SqlInstance = {}): SqlInstance => ({
  name: 'staging-db',
  databaseVersion: 'POSTGRES_15',
  ipAddresses: [{ type: 'PRIVATE', ipAddress: '10.20.0.3' }],
  settings: { ipConfiguration: { privateNetwork: 'projects/acme-staging/global/networks/staging-vpc' } },
  ...over,
});
const directVpc = (name: string, tags?: string[], network = 'staging-vpc') => ({
  name,
  resource: {
    name: `${BASE}/services/${name}`,
    template: {
      vpcAccess: { networkInterfaces: [{ network, subnetwork: 'run', ...(tags ? { tags } : {}) }] },
    },
  } as CloudRunService,
});

/** An egress rule on staging-vpc; `deny` or `allow` tcp:5432 to 10.20.0.0/16 from the connector. */
const egress = (name: string, action: 'deny' | 'allow', priority: number, over: Firewall = {}): Firewall => ({
  name,
  network: NET,
  direction: 'EGRESS',
  priority,
  [action === 'deny' ? 'denied' : 'allowed']: [{ IPProtocol: 'tcp', ports: ['5432'] }],
  destinationRanges: ['10.20.0.0/16'],
  targetTags: ['vpc-connector'],
  disabled: false,
  ...over,
});
const SERVERLESS_ALLOW: Firewall = {
  name: 'serverless-to-vpc-connector',
  network: HOST_NET,
  direction: 'INGRESS',
  priority: 1000,
  allowed: [
    { IPProtocol: 'icmp' },
    { IPProtocol: 'tcp', ports: ['667'] },
    { IPProtocol: 'udp', ports: ['665-666'] },
  ],
  sourceRanges: ['35.199.224.0/19'],
  targetTags: ['vpc-connector'],
};

function evidence(rules: readonly unknown[], over: Partial<FirewallEvidence> = {}): FirewallEvidence {
  return {
    project: 'acme-staging',
    region: 'us-central1',
    connector: { name: 'staging-connector', resource: connector() },
    sql: { name: 'staging-db', resource: sqlInstance() },
    services: [],
    listings: [{ project: 'acme-staging', rules }],
    ...over,
  };
}
const sharedVpc = (rules: readonly unknown[]) =>
  evidence(rules, {
    connector: {
      name: 'staging-connector',
      resource: connector({
        network: 'shared-vpc',
        subnet: { name: 'connectors', projectId: 'acme-net-host' },
      }),
    },
    listings: [{ project: 'acme-net-host', rules }],
  });
const direct = (rules: readonly unknown[], ...services: ReturnType<typeof directVpc>[]) =>
  evidence(rules, { connector: undefined, services });

const FIX_900 =
  '`gcloud compute firewall-rules create allow-cloudsql-egress --project=acme-staging --network=staging-vpc --direction=EGRESS --action=ALLOW --rules=tcp:5432 --destination-ranges=10.20.0.3/32 --target-tags=vpc-connector --priority=899`';

describe('firewall judge', () => {
  it.each<[string, FirewallEvidence, string, RegExp, Record<string, unknown>]>([
    [
      'passes when no rule touches the path, counting the rules read',
      evidence([egress('allow-sql', 'allow', 1000), { ...SERVERLESS_ALLOW, network: NET }]),
      'ok',
      /^no rule blocks tcp:5432 to 10\.20\.0\.3 on staging-vpc \(2 rules read\)$/,
      { firewallBlocked: false, firewallRule: null },
    ],
    [
      'fails on an egress deny that no allow outranks, naming it, its priority and what it covers',
      evidence([egress('deny-sql-egress', 'deny', 900), egress('allow-sql', 'allow', 1000)]),
      'fail',
      /^deny-sql-egress \(priority 900\) denies tcp:5432 to 10\.20\.0\.3 on staging-vpc$/,
      {
        firewallBlocked: true,
        firewallRule: 'deny-sql-egress',
        firewallPriority: 900,
        firewallCovers:
          'egress tcp:5432 to 10.20.0.0/16 from instances tagged vpc-connector on staging-vpc, which includes tcp:5432 to 10.20.0.3 (Cloud SQL)',
      },
    ],
    [
      'passes when an allow at a lower number outranks the deny',
      evidence([egress('deny-sql-egress', 'deny', 900), egress('allow-sql', 'allow', 800)]),
      'ok',
      /^no rule blocks/,
      { firewallBlocked: false },
    ],
    [
      'fails at equal priority: the deny wins, as in GCP',
      evidence([egress('deny-sql-egress', 'deny', 1000), egress('allow-sql', 'allow', 1000)]),
      'fail',
      /^deny-sql-egress \(priority 1000\)/,
      { firewallBlocked: true, firewallPriority: 1000 },
    ],
    [
      'ignores a disabled deny',
      evidence([egress('deny-sql-egress', 'deny', 900, { disabled: true })]),
      'ok',
      /^no rule blocks/,
      { firewallBlocked: false },
    ],
    [
      'ignores a deny on another network',
      evidence([
        egress('deny-sql-egress', 'deny', 900, { network: 'projects/acme-staging/global/networks/legacy' }),
      ]),
      'ok',
      /^no rule blocks/,
      { firewallBlocked: false },
    ],
    [
      'reads a bare network name as belonging to the listed project',
      evidence([egress('deny-sql-egress', 'deny', 900, { network: 'staging-vpc' })]),
      'fail',
      /^deny-sql-egress/,
      { firewallBlocked: true },
    ],
    [
      'does not apply a deny that targets service accounts only',
      evidence([
        egress('deny-sa', 'deny', 900, { targetTags: undefined, targetServiceAccounts: ['batch@acme.iam'] }),
      ]),
      'ok',
      /^no rule blocks/,
      { firewallBlocked: false },
    ],
    [
      'ignores a deny whose tags are not the connector’s',
      evidence([egress('deny-web', 'deny', 900, { targetTags: ['web'] })]),
      'ok',
      /^no rule blocks/,
      { firewallBlocked: false },
    ],
    [
      'applies a deny without targets to every instance, and one without destinations to 0.0.0.0/0',
      evidence([
        egress('deny-all-egress', 'deny', 65000, { targetTags: undefined, destinationRanges: undefined }),
      ]),
      'fail',
      /^deny-all-egress \(priority 65000\)/,
      { firewallCovers: expect.stringContaining('to 0.0.0.0/0 from all instances on staging-vpc') },
    ],
    [
      'applies the per-connector tag vpc-connector-<region>-<name> too',
      evidence([
        egress('deny-this', 'deny', 900, { targetTags: ['vpc-connector-us-central1-staging-connector'] }),
      ]),
      'fail',
      /^deny-this/,
      { firewallBlocked: true },
    ],
    [
      'reads a port range that holds 5432',
      evidence([
        egress('deny-range', 'deny', 900, { denied: [{ IPProtocol: 'tcp', ports: ['5000-6000'] }] }),
      ]),
      'fail',
      /^deny-range/,
      { firewallCovers: expect.stringMatching(/^egress tcp:5000-6000 to/) },
    ],
    [
      'passes a port range that misses 5432',
      evidence([
        egress('deny-range', 'deny', 900, { denied: [{ IPProtocol: 'tcp', ports: ['22', '6000-7000'] }] }),
      ]),
      'ok',
      /^no rule blocks/,
      { firewallBlocked: false },
    ],
    [
      'reads protocol all as every port',
      evidence([egress('deny-all', 'deny', 900, { denied: [{ IPProtocol: 'all' }] })]),
      'fail',
      /^deny-all/,
      { firewallCovers: expect.stringMatching(/^egress all protocols to/) },
    ],
    [
      'reads protocol number 6 as tcp',
      evidence([egress('deny-six', 'deny', 900, { denied: [{ IPProtocol: '6' }] })]),
      'fail',
      /^deny-six/,
      { firewallBlocked: true },
    ],
    [
      'passes a udp deny',
      evidence([egress('deny-udp', 'deny', 900, { denied: [{ IPProtocol: 'udp' }] })]),
      'ok',
      /^no rule blocks/,
      { firewallBlocked: false },
    ],
    [
      'passes a deny whose range misses the private IP',
      evidence([
        egress('deny-other', 'deny', 900, { destinationRanges: ['10.30.0.0/16', '2600:1900::/28'] }),
      ]),
      'ok',
      /^no rule blocks/,
      { firewallBlocked: false },
    ],
    [
      'judges MySQL on port 3306',
      evidence([egress('deny-mysql', 'deny', 900, { denied: [{ IPProtocol: 'tcp', ports: ['3306'] }] })], {
        sql: { name: 'staging-db', resource: sqlInstance({ databaseVersion: 'MYSQL_8_0' }) },
      }),
      'fail',
      /^deny-mysql \(priority 900\) denies tcp:3306 to 10\.20\.0\.3/,
      { firewallBlocked: true },
    ],
    [
      'passes a Postgres deny against a SQL Server instance (port 1433)',
      evidence([egress('deny-pg', 'deny', 900)], {
        sql: { name: 'staging-db', resource: sqlInstance({ databaseVersion: 'SQLSERVER_2019_STANDARD' }) },
      }),
      'ok',
      /tcp:1433 to 10\.20\.0\.3/,
      { firewallBlocked: false },
    ],
    [
      'applies a deny to Direct VPC interfaces by their network tags',
      direct(
        [egress('deny-tagged', 'deny', 900, { targetTags: ['db-clients'] })],
        directVpc('backend', ['db-clients']),
      ),
      'fail',
      /^deny-tagged \(priority 900\)/,
      {
        firewallFix: expect.stringContaining(
          '--destination-ranges=10.20.0.3/32 --target-tags=db-clients --priority=899`',
        ),
      },
    ],
    [
      'omits --target-tags for Direct VPC without tags and a deny on every instance',
      direct([egress('deny-any', 'deny', 900, { targetTags: undefined })], directVpc('backend')),
      'fail',
      /^deny-any/,
      { firewallFix: expect.stringContaining('--destination-ranges=10.20.0.3/32 --priority=899`') },
    ],
    [
      'passes Direct VPC when the deny targets the connector tag',
      direct([egress('deny-sql-egress', 'deny', 900)], directVpc('backend', ['web'])),
      'ok',
      /^no rule blocks/,
      { firewallBlocked: false },
    ],
    [
      'fails a Shared VPC connector without the ingress allow from 35.199.224.0/19',
      sharedVpc([]),
      'fail',
      /^no ingress allow from 35\.199\.224\.0\/19 to connector staging-connector on shared-vpc \(project acme-net-host\) \(Shared VPC\)$/,
      {
        firewallBlocked: true,
        firewallRule: null,
        firewallPriority: null,
        firewallFix:
          'Create the ingress allow in the host project: `gcloud compute firewall-rules create serverless-to-vpc-connector --project=acme-net-host --network=shared-vpc --direction=INGRESS --action=ALLOW --source-ranges=35.199.224.0/19 --target-tags=vpc-connector --rules=icmp,tcp:667,udp:665-666`.',
      },
    ],
    [
      'passes a Shared VPC connector with the ingress allow',
      sharedVpc([SERVERLESS_ALLOW]),
      'ok',
      /on shared-vpc/,
      {},
    ],
    [
      'counts a wider source range (0.0.0.0/0) as the ingress allow',
      sharedVpc([{ ...SERVERLESS_ALLOW, sourceRanges: ['0.0.0.0/0'], targetTags: undefined }]),
      'ok',
      /^no rule blocks/,
      { firewallBlocked: false },
    ],
    [
      'does not count a disabled, narrower or egress allow as the ingress allow',
      sharedVpc([
        { ...SERVERLESS_ALLOW, name: 'off', disabled: true },
        { ...SERVERLESS_ALLOW, name: 'narrow', sourceRanges: ['35.199.224.0/20'] },
        { ...SERVERLESS_ALLOW, name: 'out', direction: 'EGRESS' },
        { ...SERVERLESS_ALLOW, name: 'accounts', targetTags: undefined, targetServiceAccounts: ['x@y.iam'] },
      ]),
      'fail',
      /^no ingress allow/,
      { firewallBlocked: true },
    ],
    [
      'does not ask for the ingress allow when the connector is in the environment’s own project',
      evidence([], {
        connector: {
          name: 'staging-connector',
          resource: connector({ subnet: { name: 's', projectId: 'acme-staging' } }),
        },
      }),
      'ok',
      /^no rule blocks .* \(0 rules read\)$/,
      { firewallBlocked: false },
    ],
    [
      'does not ask for the ingress allow on Direct VPC',
      direct([], directVpc('backend', [], HOST_NET)),
      'ok',
      /on shared-vpc \(project acme-net-host\)/,
      { firewallBlocked: false },
    ],
    [
      'skips when Cloud SQL has no private IP',
      evidence([], {
        sql: {
          name: 'staging-db',
          resource: sqlInstance({ ipAddresses: [{ type: 'PRIMARY', ipAddress: '34.1.2.3' }] }),
        },
      }),
      'skipped',
      /^Cloud SQL staging-db has no private IP/,
      { firewallBlocked: false },
    ],
    [
      'skips with no connector and no Direct VPC',
      direct([], { name: 'backend', resource: { name: `${BASE}/services/backend`, template: {} } }),
      'skipped',
      /^nothing to judge: no connector and no Direct VPC egress$/,
      {},
    ],
    [
      'leaves a missing connector to the vpc-connector check',
      evidence([], { connector: { name: 'staging-connector', resource: null } }),
      'unknown',
      /connector staging-connector not found \(see vpc-connector\)/,
      {},
    ],
    [
      'leaves a missing instance to the cloud-sql check',
      evidence([], { sql: { name: 'staging-db', resource: null } }),
      'unknown',
      /Cloud SQL instance staging-db not found \(see cloud-sql\)/,
      {},
    ],
  ])('%s', (_title, input, status, summary, signals) => {
    const finding = judgeFirewall(input, NOW);
    expect(finding.check).toBe('firewall');
    expect(finding.status).toBe(status);
    expect(finding.summary).toMatch(summary);
    expect(finding.evidence).toMatchObject(signals);
  });

  it('gives the allow one number below the deny and the command that disables it', () => {
    const finding = judgeFirewall(evidence([egress('deny-sql-egress', 'deny', 900)]), NOW);
    expect(finding.evidence.firewallFix).toBe(
      `Add an allow that outranks it: ${FIX_900}; or, if nothing needs deny-sql-egress, disable it: \`gcloud compute firewall-rules update deny-sql-egress --disabled --project=acme-staging\`.`,
    );
  });

  it('offers only disabling a deny at priority 0, which nothing outranks', () => {
    const finding = judgeFirewall(evidence([egress('deny-zero', 'deny', 0)]), NOW);
    expect(finding.evidence.firewallFix).toBe(
      'Disable the rule (nothing outranks priority 0): `gcloud compute firewall-rules update deny-zero --disabled --project=acme-staging`.',
    );
  });

  it('says why the losing allow does not help, and that a service-account deny does not apply', () => {
    const finding = judgeFirewall(
      evidence([
        egress('deny-sql-egress', 'deny', 900),
        egress('allow-sql', 'allow', 1000),
        egress('deny-sa', 'deny', 100, { targetTags: undefined, targetServiceAccounts: ['batch@acme.iam'] }),
      ]),
      NOW,
    );
    expect(finding.details).toEqual(
      expect.arrayContaining([
        'allow-sql (priority 1000) allows tcp:5432 to 10.20.0.3 too, but a higher number ranks below the deny.',
        "deny-sa (priority 100) denies tcp:5432 to 10.20.0.3 but targets service accounts only (batch@acme.iam): it does not apply to connector staging-connector's instances.",
      ]),
    );
  });

  it('names the missing ingress allow too when a deny also blocks the Shared VPC connector', () => {
    const deny = egress('deny-sql-egress', 'deny', 900, { network: HOST_NET });
    const finding = judgeFirewall(sharedVpc([deny]), NOW);
    expect(finding.evidence.firewallRule).toBe('deny-sql-egress');
    expect(finding.details[0]).toMatch(/^Also: no ingress allow from 35\.199\.224\.0\/19/);
    expect(finding.evidence.firewallFix).toContain('--network=shared-vpc --direction=EGRESS');
    expect(finding.evidence.firewallFix).toContain('serverless-to-vpc-connector');
  });

  it('asks to enable a disabled ingress allow rather than create one under its name', () => {
    const finding = judgeFirewall(sharedVpc([{ ...SERVERLESS_ALLOW, disabled: true }]), NOW);
    expect(finding.evidence).toMatchObject({
      firewallBlocked: true,
      firewallFix:
        'Enable serverless-to-vpc-connector again: `gcloud compute firewall-rules update serverless-to-vpc-connector --no-disabled --project=acme-net-host`.',
    });
    expect(finding.details).toContain(
      'serverless-to-vpc-connector (priority 1000) would admit 35.199.224.0/19 to connector staging-connector, but it is disabled.',
    );
  });

  it('says when an ingress allow admits only part of the serverless range', () => {
    const finding = judgeFirewall(
      sharedVpc([{ ...SERVERLESS_ALLOW, sourceRanges: ['35.199.224.0/20'] }]),
      NOW,
    );
    expect(finding.details).toContain(
      'serverless-to-vpc-connector (priority 1000) admits only part of 35.199.224.0/19: the connector is reached from all of it.',
    );
  });

  it('takes the network of a Direct VPC interface that names only its subnetwork from Compute', () => {
    const subnetOnly = {
      name: 'backend',
      resource: {
        name: `${BASE}/services/backend`,
        template: { vpcAccess: { networkInterfaces: [{ subnetwork: 'run-egress', tags: ['db'] }] } },
      } as CloudRunService,
    };
    const deny = egress('deny-db', 'deny', 900, { targetTags: ['db'] });
    const found = direct([deny], subnetOnly);
    expect(
      judgeFirewall({ ...found, subnetworks: { 'run-egress': { network: NET } } }, NOW).evidence,
    ).toMatchObject({
      firewallBlocked: true,
      firewallRule: 'deny-db',
    });
    expect(
      judgeFirewall({ ...found, subnetworks: { 'run-egress': { unreadable: 'permission denied' } } }, NOW),
    ).toMatchObject({ status: 'skipped', summary: 'the route reports no network (see network)' });
  });

  it('gives the rule to create a name the project does not use yet', () => {
    const taken = [
      egress('deny-sql-egress', 'deny', 900),
      egress('allow-cloudsql-egress', 'allow', 1000),
      { name: 'allow-cloudsql-egress-2', priority: 'garbled' },
    ];
    expect(judgeFirewall(evidence(taken), NOW).evidence.firewallFix).toContain(
      'firewall-rules create allow-cloudsql-egress-3 --project=acme-staging',
    );
    const narrow = { ...SERVERLESS_ALLOW, sourceRanges: ['35.199.224.0/20'] };
    expect(judgeFirewall(sharedVpc([narrow]), NOW).evidence.firewallFix).toContain(
      'firewall-rules create serverless-to-vpc-connector-2 --project=acme-net-host',
    );
  });

  it('lists the rules of each project the routes use', () => {
    const finding = judgeFirewall(
      direct([], directVpc('backend', ['db'], HOST_NET), directVpc('auth', ['db'], HOST_NET)),
      NOW,
    );
    expect(finding.summary).toBe(
      'no rule blocks tcp:5432 to 10.20.0.3 on shared-vpc (project acme-net-host) (0 rules read)',
    );
  });
});

describe('firewall judge on malformed answers', () => {
  const deny = egress('deny-sql-egress', 'deny', 900);
  it.each<[string, unknown]>([
    ['a priority out of range', { ...deny, priority: 70_000 }],
    ['a negative priority', { ...deny, priority: -1 }],
    ['a priority that is not a number', { ...deny, priority: 'high' }],
    ['a destination range that is not a string', { ...deny, destinationRanges: [42] }],
    ['a garbage CIDR', { ...deny, destinationRanges: ['10.20.0.0/33'] }],
    ['a CIDR with octets out of range', { ...deny, destinationRanges: ['10.300.0.0/16'] }],
    ['ranges that are not a list', { ...deny, destinationRanges: '10.20.0.0/16' }],
    ['a port that is not a port', { ...deny, denied: [{ IPProtocol: 'tcp', ports: ['54x'] }] }],
    ['a port range backwards', { ...deny, denied: [{ IPProtocol: 'tcp', ports: ['6000-5000'] }] }],
    ['denied entries that are not objects', { ...deny, denied: ['tcp'] }],
    ['no protocol', { ...deny, denied: [{ ports: ['5432'] }] }],
    ['both allowed and denied', { ...deny, allowed: [{ IPProtocol: 'tcp' }] }],
    ['an unknown direction', { ...deny, direction: 'SIDEWAYS' }],
    ['a name that is not a name', { ...deny, name: 'x; rm -rf /' }],
    ['no network', { ...deny, network: undefined }],
    ['tags that are not strings', { ...deny, targetTags: [{}] }],
    ['a rule that is not an object', 'deny everything'],
    ['null', null],
  ])('never throws nor reads a block from %s', (_title, rule) => {
    const finding = judgeFirewall(evidence([rule]), NOW);
    expect(finding.evidence.firewallBlocked).toBe(false);
    expect(finding.status).toBe('ok');
  });

  it('says which rule it could not read and why', () => {
    const finding = judgeFirewall(evidence([{ ...deny, priority: 70_000 }]), NOW);
    expect(finding.details).toContain(
      'Rule deny-sql-egress could not be read (priority is not an integer from 0 to 65535): it decides nothing.',
    );
  });

  it('lists at most five unreadable rules, however many Google sends', () => {
    const garbled = Array.from({ length: 40 }, (_, i) => ({ ...deny, name: `bad-${i}`, priority: -1 }));
    const finding = judgeFirewall(evidence(garbled), NOW);
    expect(finding.details).toHaveLength(6);
    expect(finding.details.at(-1)).toBe('… and 35 more');
    expect(finding.evidence).toMatchObject({ rulesRead: 40, rulesUnreadable: 40, firewallBlocked: false });
  });

  it('will not call a block when an unreadable rule could be the allow that opens it', () => {
    const finding = judgeFirewall(
      evidence([deny, egress('allow-sql', 'allow', 100, { priority: 'first' as unknown as number })]),
      NOW,
    );
    expect(finding.status).toBe('warn');
    expect(finding.evidence.firewallBlocked).toBe(false);
    expect(finding.summary).toMatch(
      /^cannot rule out a block: deny-sql-egress \(priority 900\) .*, but 1 rule that could allow it could not be read$/,
    );
  });

  it('still blocks when the unreadable rule is a deny or on another network', () => {
    const finding = judgeFirewall(
      evidence([
        deny,
        { ...deny, name: 'bad-deny', priority: 'x' },
        egress('bad-allow', 'allow', 1, { network: 'legacy', destinationRanges: ['nope'] }),
      ]),
      NOW,
    );
    expect(finding.evidence.firewallBlocked).toBe(true);
  });

  it('survives a listing that is not a list and a Cloud SQL answer with garbage addresses', () => {
    const garbled = evidence([], {
      listings: [{ project: 'acme-staging', rules: 'nope' as unknown as unknown[] }],
      sql: {
        name: 'staging-db',
        resource: sqlInstance({ ipAddresses: [{ type: 'PRIVATE', ipAddress: '10.20.0.999' }] }),
      },
    });
    expect(judgeFirewall(garbled, NOW)).toMatchObject({
      status: 'skipped',
      evidence: { firewallBlocked: false },
    });
    const notListed = evidence([], {
      listings: [{ project: 'acme-staging', rules: 'nope' as unknown as unknown[] }],
    });
    expect(judgeFirewall(notListed, NOW)).toMatchObject({
      status: 'ok',
      evidence: { firewallBlocked: false },
    });
  });
});
