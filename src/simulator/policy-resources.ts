import type { RenderContext } from './cloud-run-resources';
import type { ScenarioFirewall } from './scenario';

/** The runtime account a scenario's service runs as; the default compute account when none is set. */
export function runtimeAccount(ctx: RenderContext, service: string): string {
  const { scenario } = ctx;
  const account = scenario.services[service]?.serviceAccount;
  if (account === null) return `${scenario.projectNumber}-compute@developer.gserviceaccount.com`;
  return account ?? `${service}-run@${scenario.project}.iam.gserviceaccount.com`;
}

/** `google.iam.v1.Policy` as Resource Manager v3 `projects.getIamPolicy` answers it. */
export function renderIamPolicy(ctx: RenderContext): Record<string, unknown> {
  const { scenario } = ctx;
  const bindings = scenario.iamPolicy ?? [
    {
      role: 'roles/cloudsql.client',
      members: Object.keys(scenario.services).map((name) => `serviceAccount:${runtimeAccount(ctx, name)}`),
    },
    {
      role: 'roles/editor',
      members: [`serviceAccount:${scenario.projectNumber}-compute@developer.gserviceaccount.com`],
    },
    { role: 'roles/owner', members: [`user:platform-lead@${scenario.project}.example`] },
  ];
  const conditional = bindings.some((b) => 'condition' in b && b.condition);
  return {
    version: conditional ? 3 : 1,
    etag: 'BwYh3Zc1k9A=',
    bindings: bindings.filter((b) => b.members.length > 0),
  };
}

/** `google.cloud.resourcemanager.v3.Project` as `projects.get` answers it. */
export function renderProject(ctx: RenderContext): Record<string, unknown> {
  const { scenario, now } = ctx;
  return {
    name: `projects/${scenario.projectNumber}`,
    parent: 'folders/508832516121',
    projectId: scenario.project,
    state: 'ACTIVE',
    displayName: scenario.project,
    createTime: new Date(now.getTime() - 400 * 86_400_000).toISOString(),
    etag: 'W/"6f3f1e9b2c1d4a57"',
  };
}

/** The project a scenario's VPC lives in: the connector subnet's (Shared VPC host) or the scenario's. */
export const networkProject = (ctx: RenderContext): string =>
  ctx.scenario.connector?.subnet?.projectId ?? ctx.scenario.project;

/** The firewall rules a project owns, as `compute#firewall` resources. */
export function renderFirewalls(ctx: RenderContext, project: string): Record<string, unknown>[] {
  const { scenario, now } = ctx;
  const owner = (rule: ScenarioFirewall) => rule.project ?? networkProject(ctx);
  const base = `https://www.googleapis.com/compute/v1/projects/${project}`;
  return scenario.firewalls
    .filter((rule) => owner(rule) === project)
    .map((rule, index) => {
      const network = rule.network ?? scenario.sql?.privateNetwork ?? 'default';
      return {
        kind: 'compute#firewall',
        id: String(7_104_332_000_000_000_000n + BigInt(index)),
        creationTimestamp: new Date(now.getTime() - (30 - index) * 86_400_000).toISOString(),
        name: rule.name,
        ...(rule.description ? { description: rule.description } : {}),
        network: network.startsWith('https://') ? network : `${base}/global/networks/${network}`,
        priority: rule.priority,
        direction: rule.direction,
        ...(rule.allowed ? { allowed: rule.allowed } : {}),
        ...(rule.denied ? { denied: rule.denied } : {}),
        ...(rule.sourceRanges ? { sourceRanges: rule.sourceRanges } : {}),
        ...(rule.destinationRanges ? { destinationRanges: rule.destinationRanges } : {}),
        ...(rule.sourceTags ? { sourceTags: rule.sourceTags } : {}),
        ...(rule.targetTags ? { targetTags: rule.targetTags } : {}),
        ...(rule.targetServiceAccounts ? { targetServiceAccounts: rule.targetServiceAccounts } : {}),
        logConfig: { enable: false },
        disabled: rule.disabled,
        selfLink: `${base}/global/firewalls/${rule.name}`,
      };
    });
}

/** `compute#subnetwork` for `projects/{project}/regions/{region}/subnetworks/{name}`, if the scenario has it. */
export function renderSubnetwork(
  ctx: RenderContext,
  where: { project: string; region: string; name: string },
): Record<string, unknown> | undefined {
  const { scenario } = ctx;
  const declared = scenario.subnetworks.map((s) => ({
    name: s.name,
    network: s.network,
    project: s.project ?? scenario.project,
    region: s.region ?? scenario.region,
    ipCidrRange: s.ipCidrRange,
  }));
  // A Direct VPC interface that names both says which network its subnetwork belongs to.
  const named = Object.values(scenario.services).flatMap((svc) =>
    (svc.vpcAccess?.networkInterfaces ?? []).flatMap((nic) =>
      nic.network && nic.subnetwork
        ? [
            {
              name: nic.subnetwork,
              network: nic.network,
              project: scenario.project,
              region: scenario.region,
              ipCidrRange: '10.30.0.0/26',
            },
          ]
        : [],
    ),
  );
  const found = [...declared, ...named].find(
    (s) => s.name === where.name && s.project === where.project && s.region === where.region,
  );
  if (!found) return undefined;
  const base = `https://www.googleapis.com/compute/v1/projects/${found.project}`;
  return {
    kind: 'compute#subnetwork',
    id: '4127755312034406511',
    creationTimestamp: new Date(ctx.now.getTime() - 90 * 86_400_000).toISOString(),
    name: found.name,
    network: found.network.startsWith('https://')
      ? found.network
      : `${base}/global/networks/${found.network}`,
    ipCidrRange: found.ipCidrRange,
    gatewayAddress: found.ipCidrRange.replace(/\.\d+\/\d+$/, '.1'),
    region: `${base}/regions/${found.region}`,
    privateIpGoogleAccess: true,
    stackType: 'IPV4_ONLY',
    purpose: 'PRIVATE',
    selfLink: `${base}/regions/${found.region}/subnetworks/${found.name}`,
  };
}
