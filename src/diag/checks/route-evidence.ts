import type { CheckContext } from '../finding';
import { needs } from './cannot-run';
import type { NetworkEvidence } from './network';
import { orNull } from './or-null';
import { networksOfSubnetworks } from './subnetwork';

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
