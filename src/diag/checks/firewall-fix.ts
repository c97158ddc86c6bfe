import { SERVERLESS_RANGE } from '../path-wording';
import { formatIpv4 } from './cidr';
import type { Destination, Route } from './firewall-path';
import { CONNECTOR_TAG } from './firewall-path';
import { type FirewallRule, RESOURCE_NAME, trafficText } from './firewall-rules';

/** The Google names quoted in a command: only names Google could have given, else a placeholder. */
const PROJECT_ID = /^(?:[a-z][-a-z0-9.]{0,62}:)?[a-z][-a-z0-9]{4,28}[a-z0-9]$/;
const projectArg = (project: string) => (PROJECT_ID.test(project) ? project : 'HOST_PROJECT');
const networkArg = (route: Route) =>
  RESOURCE_NAME.test(route.network.name) ? route.network.name : 'NETWORK';

/** A network as people name it: its name, with the project when it is not the environment's. */
export const networkText = (route: Route, project: string): string =>
  route.network.project === project
    ? route.network.name
    : `${route.network.name} (project ${route.network.project})`;

/** The instances a rule targets, in words. */
export function targetText(rule: FirewallRule, route: Route): string {
  if (rule.targetTags.length === 0) return 'all instances';
  const tags = rule.targetTags.filter((tag) => route.tags.includes(tag));
  return `instances tagged ${tags.join(', ')}`;
}

/** What a deny covers: "egress tcp:5432 to 10.20.0.0/16 from instances tagged vpc-connector on staging-vpc, which includes …". */
export function denyCovers(rule: FirewallRule, route: Route, to: Destination, project: string): string {
  const ranges = rule.destinationRanges.map((r) => `${formatIpv4(r.base)}/${r.prefix}`).join(', ');
  const traffic = trafficText(rule).replace(/^all$/, 'all protocols');
  return `egress ${traffic} to ${ranges} from ${targetText(rule, route)} on ${networkText(route, project)}, which includes ${to.text} (Cloud SQL)`;
}

/** What the missing Shared VPC allow would cover. */
export const ingressCovers = (route: Route, project: string): string =>
  `ingress from ${SERVERLESS_RANGE} (Serverless VPC Access) to the connector's instances (tag ${CONNECTOR_TAG}) on ${networkText(route, project)}`;

/** `base`, or `base-2`, `base-3` … when the project already has a rule of that name (create would fail). */
export function freeName(base: string, taken: ReadonlySet<string>): string {
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  return name;
}

/**
 * The allow that outranks `deny` (one lower number), and disabling the deny. At priority 0 nothing
 * outranks it, so only disabling is offered.
 */
export function denyFix(
  deny: FirewallRule,
  route: Route,
  to: Destination,
  taken: ReadonlySet<string>,
): string {
  const project = projectArg(route.network.project);
  const disable = `\`gcloud compute firewall-rules update ${deny.name} --disabled --project=${project}\``;
  if (deny.priority === 0) return `Disable the rule (nothing outranks priority 0): ${disable}.`;
  const tags = route.connector
    ? [CONNECTOR_TAG]
    : deny.targetTags.length > 0
      ? deny.targetTags.filter((tag) => route.tags.includes(tag))
      : route.tags;
  const allow = [
    `gcloud compute firewall-rules create ${freeName('allow-cloudsql-egress', taken)} --project=${project} --network=${networkArg(route)}`,
    `--direction=EGRESS --action=ALLOW --rules=tcp:${to.port} --destination-ranges=${formatIpv4(to.ip)}/32`,
    ...(tags.length > 0 ? [`--target-tags=${tags.join(',')}`] : []),
    `--priority=${deny.priority - 1}`,
  ].join(' ');
  return `Add an allow that outranks it: \`${allow}\`; or, if nothing needs ${deny.name}, disable it: ${disable}.`;
}

/** The ingress allow Serverless VPC Access needs in a Shared VPC host project. */
export const ingressFix = (route: Route, taken: ReadonlySet<string>): string =>
  `Create the ingress allow in the host project: \`gcloud compute firewall-rules create ${freeName('serverless-to-vpc-connector', taken)} --project=${projectArg(route.network.project)} --network=${networkArg(route)} --direction=INGRESS --action=ALLOW --source-ranges=${SERVERLESS_RANGE} --target-tags=${CONNECTOR_TAG} --rules=icmp,tcp:667,udp:665-666\`.`;

/** Turning a disabled allow back on. */
export const enableFix = (rule: FirewallRule, route: Route): string =>
  `Enable ${rule.name} again: \`gcloud compute firewall-rules update ${rule.name} --no-disabled --project=${projectArg(route.network.project)}\`.`;
