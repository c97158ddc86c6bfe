import { connectorName, type RenderContext } from './cloud-run-resources';

/** A network as Cloud SQL reports it; a name with a slash is taken as a path already. */
const networkPath = (project: string, network: string): string =>
  network.includes('/') ? network : `projects/${project}/global/networks/${network}`;

/** `google.cloud.vpcaccess.v1.Connector` as `GET /v1/{name}` answers it (proto3 JSON). */
export function renderConnector(ctx: RenderContext): Record<string, unknown> | undefined {
  const c = ctx.scenario.connector;
  if (!c) return undefined;
  return {
    name: connectorName(ctx.scenario, c.name),
    // The API reports the network by its short name, as gcloud shows it.
    network: c.network,
    ipCidrRange: c.ipCidrRange,
    state: ctx.enc('connectorState', c.state),
    minThroughput: c.minInstances * 100,
    maxThroughput: c.maxInstances * 100,
    connectedProjects: [ctx.scenario.project],
    machineType: c.machineType,
    minInstances: c.minInstances,
    maxInstances: c.maxInstances,
    ...(c.subnet
      ? { subnet: { name: c.subnet.name, projectId: c.subnet.projectId ?? ctx.scenario.project } }
      : {}),
  };
}

/** `sql#instance` as Cloud SQL Admin v1 `instances.get` answers it (discovery JSON). */
export function renderSqlInstance(ctx: RenderContext): Record<string, unknown> | undefined {
  const { scenario, now } = ctx;
  const db = scenario.sql;
  if (!db) return undefined;
  const self = `https://sqladmin.googleapis.com/v1/projects/${scenario.project}/instances/${db.name}`;
  return {
    kind: 'sql#instance',
    state: db.state,
    databaseVersion: db.databaseVersion,
    settings: {
      kind: 'sql#settings',
      tier: db.tier,
      activationPolicy: db.activationPolicy,
      availabilityType: 'ZONAL',
      pricingPlan: 'PER_USE',
      dataDiskType: 'PD_SSD',
      dataDiskSizeGb: '20',
      settingsVersion: '17',
      ipConfiguration: {
        ipv4Enabled: db.ipv4Enabled,
        ...(db.privateNetwork ? { privateNetwork: networkPath(scenario.project, db.privateNetwork) } : {}),
        sslMode: 'ALLOW_UNENCRYPTED_AND_ENCRYPTED',
      },
      databaseFlags:
        db.maxConnections === undefined
          ? []
          : [{ name: 'max_connections', value: String(db.maxConnections) }],
      maintenanceWindow: { kind: 'sql#maintenanceWindow', hour: 3, day: 7 },
      backupConfiguration: { kind: 'sql#backupConfiguration', enabled: true, startTime: '02:00' },
    },
    etag: 'b7c3e1f0a9d24e6c8f1a2b3c4d5e6f70',
    ipAddresses: [
      ...(db.ipv4Enabled ? [{ type: 'PRIMARY', ipAddress: db.publicIp }] : []),
      ...(db.privateNetwork ? [{ type: 'PRIVATE', ipAddress: db.privateIp }] : []),
    ],
    instanceType: 'CLOUD_SQL_INSTANCE',
    backendType: 'SECOND_GEN',
    project: scenario.project,
    name: db.name,
    region: scenario.region,
    gceZone: `${scenario.region}-a`,
    connectionName: `${scenario.project}:${scenario.region}:${db.name}`,
    selfLink: self,
    serviceAccountEmailAddress: 'p123456789012-abcdef@gcp-sa-cloud-sql.iam.gserviceaccount.com',
    createTime: new Date(now.getTime() - 200 * 86_400_000).toISOString(),
    ...(db.scheduledMaintenanceInMinutes === undefined
      ? {}
      : {
          scheduledMaintenance: {
            startTime: new Date(now.getTime() + db.scheduledMaintenanceInMinutes * 60_000).toISOString(),
            canDefer: true,
            canReschedule: true,
          },
        }),
  };
}
