import type { CloudRunService, SqlInstance, VpcConnector } from '../../gcp/cloud-gateway';
import type { CheckContext } from '../finding';
import { needs } from './cannot-run';
import { orNull } from './or-null';
import { networksOfSubnetworks, type SubnetworkNetworks } from './subnetwork';

/** Everything the network judge compares; each part null when it does not exist. */
export interface NetworkEvidence {
  project: string;
  region: string;
  /** Undefined when no connector is configured. */
  connector?: { name: string; resource: VpcConnector | null };
  sql: { name: string; resource: SqlInstance | null };
  services: { name: string; resource: CloudRunService | null }[];
  /** The networks of subnetworks that Direct VPC interfaces name alone; absent: none such. */
  subnetworks?: SubnetworkNetworks;
}

/**
 * The route from Cloud Run to Cloud SQL as Google reports it: the connector (when configured), the
 * instance, the services and the networks of subnetworks their Direct VPC interfaces name alone.
 * A resource that does not exist is null, so judges can say which check reports it.
 */
export async function collectRouteEvidence(context: CheckContext): Promise<NetworkEvidence> {
  const { gateway, environment: env, signal } = context;
  const options = { signal };
  const [connector, sql, services] = await Promise.all([
    env.connector
      ? orNull(
          needs(
            'vpcaccess.connectors.get',
            gateway.getConnector(env.project, env.region, env.connector, options),
          ),
        )
      : undefined,
    orNull(needs('cloudsql.instances.get', gateway.getSqlInstance(env.project, env.sqlInstance, options))),
    Promise.all(
      env.services.map(async (name) => ({
        name,
        resource: await orNull(
          needs('run.services.get', gateway.getService(env.project, env.region, name, options)),
        ),
      })),
    ),
  ]);
  const subnetworks = await networksOfSubnetworks(
    gateway,
    services,
    { project: env.project, region: env.region },
    signal,
  );
  return {
    project: env.project,
    region: env.region,
    ...(Object.keys(subnetworks).length > 0 ? { subnetworks } : {}),
    connector:
      env.connector && connector !== undefined ? { name: env.connector, resource: connector } : undefined,
    sql: { name: env.sqlInstance, resource: sql },
    services,
  };
}
