import { SERVERLESS_RANGE } from '../path-wording';
import { parseIpv4Range, rangeCovers } from './cidr';
import { denyCovers, denyFix, enableFix, ingressCovers, ingressFix, networkText } from './firewall-fix';
import type { Destination, Route } from './firewall-path';
import {
  admitsFrom,
  appliesTo,
  coversTcpPort,
  type FirewallRule,
  reachesIp,
  sameNetwork,
  type UnreadableRule,
} from './firewall-rules';

/** How the rules read treat one route: an egress deny that wins, a missing Shared VPC ingress allow. */

/** What stops one route, when something does. */
export interface Block {
  rule: FirewallRule | null;
  summary: string;
  covers: string;
  fix: string;
}

/** A block when there is one, and what else a reader should know about the rules read. */
interface Outcome {
  block?: Block;
  notes: string[];
}

export interface RouteFinding {
  blocks: Block[];
  details: string[];
  /** Unreadable rules that could be the allow that opens this route. */
  doubt: UnreadableRule[];
}

const SERVERLESS = parseIpv4Range(SERVERLESS_RANGE) ?? { base: 0, prefix: 32 };
const byRank = (a: FirewallRule, b: FirewallRule) => a.priority - b.priority || a.name.localeCompare(b.name);
const ranked = (rule: FirewallRule) => `${rule.name} (priority ${rule.priority})`;
const mayOpen = (unreadable: readonly UnreadableRule[], route: Route, direction: string) =>
  unreadable.filter(
    (u) => u.mayAllow && u.direction === direction && (!u.network || sameNetwork(u.network, route.network)),
  );

/** An enabled egress deny on the route that no allow outranks (at equal priority the deny wins). */
function egressBlock(
  rules: FirewallRule[],
  route: Route,
  to: Destination,
  project: string,
  taken: ReadonlySet<string>,
): Outcome {
  const onPath = rules.filter(
    (r) =>
      !r.disabled &&
      r.direction === 'EGRESS' &&
      sameNetwork(r.network, route.network) &&
      reachesIp(r, to.ip) &&
      coversTcpPort(r, to.port),
  );
  const notes = onPath
    .filter((r) => r.action === 'deny' && appliesTo(r, route.tags) === 'service-accounts')
    .map(
      (r) =>
        `${ranked(r)} denies ${to.text} but targets service accounts only (${r.targetServiceAccounts.join(', ')}): it does not apply to ${route.via}'s instances.`,
    );
  const applying = onPath.filter((r) => appliesTo(r, route.tags) === 'yes').sort(byRank);
  const deny = applying.find((r) => r.action === 'deny');
  if (!deny) return { notes };
  const allows = applying.filter((r) => r.action === 'allow');
  const first = allows.find((a) => a.priority < deny.priority);
  if (first)
    return { notes: [...notes, `${ranked(deny)} denies ${to.text}, but ${ranked(first)} allows it first.`] };
  const losing = allows.map(
    (a) =>
      `${ranked(a)} allows ${to.text} too, but ${a.priority === deny.priority ? 'at equal priority the deny wins' : 'a higher number ranks below the deny'}.`,
  );
  const block: Block = {
    rule: deny,
    summary: `${ranked(deny)} denies ${to.text} on ${networkText(route, project)}`,
    covers: denyCovers(deny, route, to, project),
    fix: denyFix(deny, route, to, taken),
  };
  return { block, notes: [...notes, ...losing] };
}

/** A connector in a Shared VPC needs an enabled ingress allow from the serverless range. */
function ingressBlock(
  rules: FirewallRule[],
  route: Route,
  project: string,
  taken: ReadonlySet<string>,
): Outcome {
  if (!route.sharedVpc) return { notes: [] };
  const admitting = rules.filter(
    (r) =>
      r.direction === 'INGRESS' &&
      r.action === 'allow' &&
      sameNetwork(r.network, route.network) &&
      admitsFrom(r, SERVERLESS) &&
      appliesTo(r, route.tags) === 'yes',
  );
  const allow = admitting.find((r) => !r.disabled);
  const partial = rules
    .filter(
      (r) =>
        !r.disabled &&
        r.direction === 'INGRESS' &&
        r.action === 'allow' &&
        sameNetwork(r.network, route.network) &&
        !admitsFrom(r, SERVERLESS) &&
        r.sourceRanges.some((source) => rangeCovers(SERVERLESS, source)),
    )
    .map(
      (r) => `${ranked(r)} admits only part of ${SERVERLESS_RANGE}: the connector is reached from all of it.`,
    );
  if (allow)
    return {
      notes: [`${ranked(allow)} admits ${SERVERLESS_RANGE} to ${route.via} (needed in a Shared VPC).`],
    };
  // A disabled allow is the one to turn back on: creating another under its name would fail.
  const off = admitting.find((r) => r.disabled);
  const block: Block = {
    rule: null,
    summary: `no ingress allow from ${SERVERLESS_RANGE} to ${route.via} on ${networkText(route, project)} (Shared VPC)`,
    covers: ingressCovers(route, project),
    fix: off ? enableFix(off, route) : ingressFix(route, taken),
  };
  return {
    block,
    notes: [
      ...partial,
      ...(off ? [`${ranked(off)} would admit ${SERVERLESS_RANGE} to ${route.via}, but it is disabled.`] : []),
    ],
  };
}

/** Everything `firewalls.list` answered, read. */
export interface RulesRead {
  rules: FirewallRule[];
  unreadable: UnreadableRule[];
  /** Every name in use, readable or not: a rule to create needs another. */
  taken: ReadonlySet<string>;
}

/** The blocks on one route, what else the rules say about it, and the unreadable rules that could open it. */
export function judgeRoute(read: RulesRead, route: Route, to: Destination, project: string): RouteFinding {
  const { rules, unreadable, taken } = read;
  const found: RouteFinding = { blocks: [], details: [], doubt: [] };
  const egress = egressBlock(rules, route, to, project, taken);
  const ingress = ingressBlock(rules, route, project, taken);
  for (const [{ block, notes }, direction] of [
    [egress, 'EGRESS'],
    [ingress, 'INGRESS'],
  ] as const) {
    found.details.push(...notes);
    if (block) {
      found.blocks.push(block);
      found.doubt.push(...mayOpen(unreadable, route, direction));
    }
  }
  return found;
}
