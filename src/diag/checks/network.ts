import type { Check, FindingStatus } from '../finding';
import { cloudSqlInstancesOf } from './cloud-run-service';
import { locationOf } from './google-values';
import type { Judgement } from './judgement';
import { collectRouteEvidence, type NetworkEvidence } from './route-evidence';
import type { SignalEvidence } from './signals';

export type { NetworkEvidence };

import { runJudged } from './with-deadline';

/** A VPC network identified by project and name, however Google spelled it. */
export interface NetworkId {
  project: string;
  name: string;
}

/**
 * Normalises `default`, `projects/p/global/networks/default` and full compute URLs to one form.
 * A bare name belongs to `defaultProject` (the connector's or the instance's own project).
 */
export function parseNetwork(
  value: string | null | undefined,
  defaultProject: string,
): NetworkId | undefined {
  if (!value) return undefined;
  const path = value.replace(/^https?:\/\/[^/]+\/compute\/(?:v1|beta|alpha)\//, '');
  const full = /(?:^|\/)projects\/([^/]+)\/global\/networks\/([^/]+)$/.exec(path);
  if (full?.[1] && full[2]) return { project: full[1], name: full[2] };
  const name = path.split('/').filter(Boolean).pop();
  return name ? { project: defaultProject, name } : undefined;
}

const show = (n: NetworkId, project: string) => (n.project === project ? n.name : `${n.project}/${n.name}`);

/** Compares the route's network with Cloud SQL's private network, and the regions. Pure. */
export function judgeNetwork(evidence: NetworkEvidence, _now: Date): Judgement {
  const { project, region, connector, sql } = evidence;
  const unknown = (reason: string): Judgement => ({
    check: 'network',
    status: 'unknown',
    summary: `cannot compare: ${reason}`,
    details: [],
    evidence: {},
    cannotRun: { reason },
  });
  if (connector && connector.resource === null)
    return unknown(`connector ${connector.name} not found (see vpc-connector)`);
  if (sql.resource === null) return unknown(`Cloud SQL instance ${sql.name} not found (see cloud-sql)`);

  // The route: the connector's network, else the networks of services on Direct VPC egress.
  const routes: { via: string; network: NetworkId | undefined }[] = [];
  const unread: string[] = [];
  if (connector?.resource) {
    const owner = connector.resource.subnet?.projectId || project;
    routes.push({
      via: `connector ${connector.name}`,
      network: parseNetwork(connector.resource.network, owner),
    });
  } else {
    for (const { name, resource } of evidence.services) {
      for (const nic of resource?.template?.vpcAccess?.networkInterfaces ?? []) {
        const via = `${name} (Direct VPC)`;
        const fromSubnet = nic.network ? undefined : evidence.subnetworks?.[nic.subnetwork ?? ''];
        if (fromSubnet && 'unreadable' in fromSubnet)
          unread.push(
            `${via}: the network of subnetwork ${nic.subnetwork} could not be read: ${fromSubnet.unreadable}.`,
          );
        const network =
          nic.network || (fromSubnet && 'network' in fromSubnet ? fromSubnet.network : undefined);
        routes.push({ via, network: parseNetwork(network, project) });
      }
    }
  }
  const stranded = strandedOnPrivateIp(evidence);
  if (stranded.length > 0) {
    const who = stranded.join(', ');
    return {
      check: 'network',
      status: 'fail',
      summary: `no route to Cloud SQL: ${who} connect${stranded.length === 1 ? 's' : ''} through a Cloud SQL connection with no VPC access, and ${sql.name} has only a private IP`,
      details: stranded.map(
        (name) =>
          `${name}: mounts a Cloud SQL connection to ${sql.name} but has neither a connector nor Direct VPC egress; the instance has no public IP (ipv4Enabled false), so the connection cannot reach it.`,
      ),
      evidence: { networkMismatch: false, regionMismatch: false, privateOnlyNoRoute: stranded.length },
    };
  }
  if (routes.length === 0) {
    const summary = 'nothing to compare: no connector and no Direct VPC egress';
    return { check: 'network', status: 'skipped', summary, details: [], evidence: {} };
  }
  const sqlNetwork = parseNetwork(sql.resource.settings?.ipConfiguration?.privateNetwork, project);
  const details: string[] = [...unread];
  let networkMismatch = false;
  for (const route of routes) {
    if (!route.network) {
      if (!unread.some((line) => line.startsWith(route.via)))
        details.push(`${route.via}: network not reported.`);
    } else if (!sqlNetwork) {
      networkMismatch = true;
      details.push(`${route.via} is on ${show(route.network, project)}, but Cloud SQL has no private IP.`);
    } else if (route.network.project !== sqlNetwork.project || route.network.name !== sqlNetwork.name) {
      networkMismatch = true;
      details.push(
        `${route.via} is on ${show(route.network, project)}, Cloud SQL on ${show(sqlNetwork, project)}.`,
      );
    }
  }

  const connectorRegion = locationOf(connector?.resource?.name) ?? (connector ? region : undefined);
  const regionProblems = evidence.services.flatMap(({ name, resource }) => {
    const serviceRegion = locationOf(resource?.name) ?? region;
    const target = locationOf(resource?.template?.vpcAccess?.connector) ?? connectorRegion;
    return target && target !== serviceRegion
      ? [`${name} runs in ${serviceRegion}, its connector is in ${target}.`]
      : [];
  });
  details.push(...regionProblems);

  const routeNetwork = routes.find((r) => r.network)?.network;
  const statuses: FindingStatus[] = [networkMismatch || regionProblems.length > 0 ? 'fail' : 'ok'];
  if (routes.some((r) => !r.network)) statuses.push('warn');
  const summary = networkMismatch
    ? `network mismatch: ${details[0]?.replace(/\.$/, '')}`
    : regionProblems.length > 0
      ? `region mismatch: ${regionProblems[0]?.replace(/\.$/, '')}`
      : `route and Cloud SQL on ${routeNetwork ? show(routeNetwork, project) : '?'}, region ${connectorRegion ?? region}`;
  const signals: SignalEvidence = { networkMismatch, regionMismatch: regionProblems.length > 0 };
  return {
    check: 'network',
    status: statuses.includes('fail') ? 'fail' : statuses.includes('warn') ? 'warn' : 'ok',
    summary,
    details,
    evidence: {
      ...signals,
      routeNetwork: routeNetwork ? `${routeNetwork.project}/${routeNetwork.name}` : null,
      sqlNetwork: sqlNetwork ? `${sqlNetwork.project}/${sqlNetwork.name}` : null,
    },
  };
}

/**
 * Services whose Cloud SQL connection (the Auth Proxy Cloud Run runs for a `cloudSqlInstance`
 * volume) must reach a private-IP-only instance without any VPC route: a network problem that
 * looks like an authentication or driver error from inside the container.
 */
function strandedOnPrivateIp(evidence: NetworkEvidence): string[] {
  const ip = evidence.sql.resource?.settings?.ipConfiguration;
  if (ip?.ipv4Enabled !== false) return [];
  return evidence.services
    .filter(({ resource }) => {
      if (!resource || cloudSqlInstancesOf(resource).length === 0) return false;
      const access = resource.template?.vpcAccess;
      return !access?.connector && (access?.networkInterfaces ?? []).length === 0;
    })
    .map(({ name }) => name);
}

/** Cloud Run → connector (or Direct VPC) → Cloud SQL: same network, same region. */
export const networkCheck: Check = {
  name: 'network',
  run: (context) =>
    runJudged('network', context, async (ctx) => judgeNetwork(await collectRouteEvidence(ctx), ctx.now)),
};
