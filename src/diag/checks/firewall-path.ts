import { formatIpv4, parseIpv4 } from './cidr';
import { RESOURCE_NAME } from './firewall-rules';
import { locationOf } from './google-values';
import type { Judgement } from './judgement';
import { type NetworkId, parseNetwork } from './network';
import type { NetworkEvidence } from './route-evidence';

/** Where traffic to Cloud SQL leaves from: the connector's instances or a service's Direct VPC interface. */
export interface Route {
  via: string;
  network: NetworkId;
  /** Network tags of the instances the traffic leaves from. */
  tags: string[];
  /** A connector whose subnet is in another project (a Shared VPC host) needs the ingress allow. */
  sharedVpc: boolean;
  connector: boolean;
}

/** The Cloud SQL end of the path. */
export interface Destination {
  ip: number;
  port: number;
  /** "tcp:5432 to 10.20.0.3", for summaries. */
  text: string;
}

export type PathPlan =
  | { routes: Route[]; destination: Destination; notes: string[] }
  | { judgement: Judgement };

const PORTS: readonly [engine: string, port: number][] = [
  ['POSTGRES', 5432],
  ['MYSQL', 3306],
  ['SQLSERVER', 1433],
];

/** The tag every connector instance carries; the second tag names the connector itself. */
export const CONNECTOR_TAG = 'vpc-connector';

const skipped = (summary: string): PathPlan => ({
  judgement: { check: 'firewall', status: 'skipped', summary, details: [], evidence: {} },
});
// Consistent with the network check: what another check reports is not judged again here.
const unknown = (reason: string): PathPlan => ({
  judgement: {
    check: 'firewall',
    status: 'unknown',
    summary: `cannot judge: ${reason}`,
    details: [],
    evidence: {},
    cannotRun: { reason },
  },
});

/** The routes to Cloud SQL's private IP and its port, or why there is nothing to judge. Pure. */
export function planPath(evidence: NetworkEvidence): PathPlan {
  const { project, connector, sql } = evidence;
  if (connector && connector.resource === null)
    return unknown(`connector ${connector.name} not found (see vpc-connector)`);
  if (sql.resource === null) return unknown(`Cloud SQL instance ${sql.name} not found (see cloud-sql)`);
  const addresses = Array.isArray(sql.resource.ipAddresses) ? sql.resource.ipAddresses : [];
  const ip = parseIpv4(addresses.find((a) => a?.type === 'PRIVATE')?.ipAddress);
  if (ip === undefined) return skipped(`Cloud SQL ${sql.name} has no private IP: no VPC path to judge`);

  const notes: string[] = [];
  const version = typeof sql.resource.databaseVersion === 'string' ? sql.resource.databaseVersion : '';
  const known = PORTS.find(([engine]) => version.startsWith(engine));
  if (!known)
    notes.push(
      `Database version ${version ? `"${version.slice(0, 30)}" not known` : 'not reported'}: judged on port 5432.`,
    );
  const port = known?.[1] ?? 5432;

  const routes: Route[] = [];
  if (connector?.resource) {
    const c = connector.resource;
    const subnetProject = typeof c.subnet?.projectId === 'string' ? c.subnet.projectId : '';
    const network = parseNetwork(
      typeof c.network === 'string' ? c.network : undefined,
      subnetProject || project,
    );
    const region = locationOf(c.name) ?? evidence.region;
    if (network)
      routes.push({
        via: `connector ${connector.name}`,
        network,
        tags: [CONNECTOR_TAG, `${CONNECTOR_TAG}-${region}-${connector.name}`],
        sharedVpc: subnetProject !== '' && subnetProject !== project,
        connector: true,
      });
    else notes.push(`Connector ${connector.name}: network not reported (see network).`);
  } else {
    for (const { name, resource } of evidence.services) {
      const nics = resource?.template?.vpcAccess?.networkInterfaces;
      for (const nic of Array.isArray(nics) ? nics : []) {
        const network = parseNetwork(nicNetwork(evidence, nic), project);
        const tags = Array.isArray(nic?.tags)
          ? nic.tags.filter((t) => typeof t === 'string' && RESOURCE_NAME.test(t))
          : [];
        if (network)
          routes.push({ via: `${name} (Direct VPC)`, network, tags, sharedVpc: false, connector: false });
        else notes.push(`${name} (Direct VPC): network not reported (see network).`);
      }
    }
  }
  if (routes.length === 0)
    return skipped(
      notes.length > 0
        ? 'the route reports no network (see network)'
        : 'nothing to judge: no connector and no Direct VPC egress',
    );
  return {
    routes: mergeRoutes(routes),
    destination: { ip, port, text: `tcp:${port} to ${formatIpv4(ip)}` },
    notes,
  };
}

/** An interface's network, or that of the subnetwork it names alone (Cloud Run takes it from there). */
function nicNetwork(
  evidence: NetworkEvidence,
  nic: { network?: string | null; subnetwork?: string | null } | null | undefined,
): string | undefined {
  if (typeof nic?.network === 'string' && nic.network) return nic.network;
  const subnetworks = evidence.subnetworks ?? {};
  const subnet = typeof nic?.subnetwork === 'string' ? nic.subnetwork : '';
  const found = Object.hasOwn(subnetworks, subnet) ? subnetworks[subnet] : undefined;
  return found && 'network' in found ? found.network : undefined;
}

/** Services on the same network with the same tags are one route, judged once. */
function mergeRoutes(routes: Route[]): Route[] {
  const byKey = new Map<string, Route>();
  for (const route of routes) {
    const key = `${route.network.project}/${route.network.name}|${[...route.tags].sort().join(',')}`;
    const seen = byKey.get(key);
    if (seen) seen.via = `${seen.via.replace(/ \(Direct VPC\)$/, '')}, ${route.via}`;
    else byKey.set(key, { ...route });
  }
  return [...byKey.values()];
}

/** The projects whose firewall rules decide: those that own the routes' networks. */
export const projectsOf = (routes: readonly Route[]): string[] => [
  ...new Set(routes.map((r) => r.network.project)),
];
