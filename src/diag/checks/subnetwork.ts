import type { CloudGateway, CloudRunService } from '../../gcp/cloud-gateway';
import { gapText, needs, unavailableBecause } from './cannot-run';

/** A subnetwork by project, region and name, however Google spelled it. */
export interface SubnetworkId {
  project: string;
  region: string;
  name: string;
}

/**
 * Reads `run-egress`, `projects/p/regions/r/subnetworks/run-egress` and full compute URLs; a bare
 * name lives in the service's own project and region.
 */
export function parseSubnetwork(
  value: string | null | undefined,
  defaults: { project: string; region: string },
): SubnetworkId | undefined {
  if (!value) return undefined;
  const full = /(?:^|\/)projects\/([^/]+)\/regions\/([^/]+)\/subnetworks\/([^/]+)$/.exec(value);
  if (full?.[1] && full[2] && full[3]) return { project: full[1], region: full[2], name: full[3] };
  if (value.includes('/')) return undefined;
  return { ...defaults, name: value };
}

/** For each subnetwork value: the network it belongs to, or why that could not be read. */
export type SubnetworkNetworks = Record<string, { network: string } | { unreadable: string }>;

/**
 * The networks of the subnetworks Direct VPC interfaces name without a network: Cloud Run takes the
 * network from the subnetwork then, so the route's network is only known by asking Compute.
 */
export async function networksOfSubnetworks(
  gateway: CloudGateway,
  services: readonly { resource: CloudRunService | null }[],
  defaults: { project: string; region: string },
  signal: AbortSignal,
): Promise<SubnetworkNetworks> {
  const wanted = new Set(
    services.flatMap(({ resource }) =>
      (resource?.template?.vpcAccess?.networkInterfaces ?? []).flatMap((nic) =>
        !nic.network && typeof nic.subnetwork === 'string' && nic.subnetwork ? [nic.subnetwork] : [],
      ),
    ),
  );
  const entries = await Promise.all(
    [...wanted].map(async (value): Promise<[string, SubnetworkNetworks[string]]> => {
      const id = parseSubnetwork(value, defaults);
      if (!id) return [value, { unreadable: 'not a subnetwork name Warroom can read' }];
      try {
        const found = await needs(
          'compute.subnetworks.get',
          gateway.getSubnetwork(id.project, id.region, id.name, { signal }),
        );
        return typeof found.network === 'string' && found.network
          ? [value, { network: found.network }]
          : [value, { unreadable: 'Compute reported no network for it' }];
      } catch (error) {
        return [value, { unreadable: gapText(unavailableBecause(error)) }];
      }
    }),
  );
  return Object.fromEntries(entries);
}
