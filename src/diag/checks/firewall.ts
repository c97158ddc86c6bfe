import type { Check, CheckContext } from '../finding';
import { SERVERLESS_RANGE } from '../path-wording';
import { needs } from './cannot-run';
import { parseIpv4Range } from './cidr';
import { denyCovers, denyFix, ingressCovers, ingressFix, networkText } from './firewall-fix';
import { type Destination, planPath, projectsOf, type Route } from './firewall-path';
import {
  admitsFrom,
  appliesTo,
  coversTcpPort,
  type FirewallRule,
  reachesIp,
  readRule,
  sameNetwork,
  type UnreadableRule,
} from './firewall-rules';
import type { Judgement } from './judgement';
import type { NetworkEvidence } from './network';
import { orNull } from './or-null';
import type { SignalEvidence } from './signals';
import { runJudged } from './with-deadline';

/** The route, Cloud SQL and what `firewalls.list` answered in each project that owns a route's network. */
export interface FirewallEvidence extends NetworkEvidence {
  listings: { project: string; rules: readonly unknown[] }[];
}

/** What stops one route, when something does. */
interface Block {
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

interface RouteFinding {
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
function egressBlock(rules: FirewallRule[], route: Route, to: Destination, project: string): Outcome {
  const onPath = rules.filter(
    (r) =>
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
    fix: denyFix(deny, route, to),
  };
  return { block, notes: [...notes, ...losing] };
}

/** A connector in a Shared VPC needs an enabled ingress allow from the serverless range. */
function ingressBlock(rules: FirewallRule[], route: Route, project: string): Outcome {
  if (!route.sharedVpc) return { notes: [] };
  const allow = rules.find(
    (r) =>
      r.direction === 'INGRESS' &&
      r.action === 'allow' &&
      sameNetwork(r.network, route.network) &&
      admitsFrom(r, SERVERLESS) &&
      appliesTo(r, route.tags) === 'yes',
  );
  if (allow)
    return {
      notes: [`${ranked(allow)} admits ${SERVERLESS_RANGE} to ${route.via} (needed in a Shared VPC).`],
    };
  const block: Block = {
    rule: null,
    summary: `no ingress allow from ${SERVERLESS_RANGE} to ${route.via} on ${networkText(route, project)} (Shared VPC)`,
    covers: ingressCovers(route, project),
    fix: ingressFix(route),
  };
  return { block, notes: [] };
}

function judgeRoute(
  rules: FirewallRule[],
  unreadable: UnreadableRule[],
  route: Route,
  to: Destination,
  project: string,
): RouteFinding {
  const found: RouteFinding = { blocks: [], details: [], doubt: [] };
  const egress = egressBlock(rules, route, to, project);
  const ingress = ingressBlock(rules, route, project);
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

/** Judges the VPC firewall rules on every route from Cloud Run to the Cloud SQL private IP. Pure. */
export function judgeFirewall(evidence: FirewallEvidence, _now: Date): Judgement {
  const plan = planPath(evidence);
  if ('judgement' in plan)
    return { ...plan.judgement, evidence: { ...plan.judgement.evidence, firewallBlocked: false } };
  const { routes, destination: to } = plan;
  const listed = evidence.listings.flatMap(({ project, rules }) =>
    (Array.isArray(rules) ? rules : []).map((raw) => readRule(raw, project)),
  );
  const rules = listed.flatMap((r) => ('rule' in r ? [r.rule] : []));
  const unreadable = listed.flatMap((r) => ('unreadable' in r ? [r.unreadable] : []));
  const disabled = listed.flatMap((r) => ('disabled' in r ? [r.disabled] : []));

  const details = [...plan.notes];
  const perRoute = routes.map((route) => judgeRoute(rules, unreadable, route, to, evidence.project));
  for (const found of perRoute) details.push(...found.details);
  if (disabled.length > 0) details.push(`Disabled, so ignored: ${disabled.join(', ')}.`);
  for (const u of unreadable)
    details.push(`Rule ${u.name} could not be read (${u.problem}): it decides nothing.`);

  const hit = perRoute.find((found) => found.blocks.length > 0);
  const [block] = hit?.blocks ?? [];
  const counts = { rulesRead: listed.length, rulesUnreadable: unreadable.length };
  const nets = [...new Set(routes.map((r) => networkText(r, evidence.project)))].join(', ');
  if (!hit || !block) {
    const signals: SignalEvidence = { firewallBlocked: false, firewallRule: null, firewallPriority: null };
    const summary = `no rule blocks ${to.text} on ${nets} (${listed.length} rules read)`;
    return { check: 'firewall', status: 'ok', summary, details, evidence: { ...signals, ...counts } };
  }
  const others = hit.blocks.slice(1).map((b) => `Also: ${b.summary}.`);
  if (hit.doubt.length > 0) {
    const summary = `cannot rule out a block: ${block.summary}, but ${hit.doubt.length} rule(s) that could allow it could not be read`;
    const signals: SignalEvidence = { firewallBlocked: false, firewallRule: null, firewallPriority: null };
    return {
      check: 'firewall',
      status: 'warn',
      summary,
      details: [...others, ...details],
      evidence: { ...signals, ...counts },
    };
  }
  const signals: SignalEvidence = {
    firewallBlocked: true,
    firewallRule: block.rule?.name ?? null,
    firewallPriority: block.rule?.priority ?? null,
    firewallCovers: block.covers,
    firewallFix: hit.blocks.map((b) => b.fix).join(' '),
  };
  return {
    check: 'firewall',
    status: 'fail',
    summary: block.summary,
    details: [...others, ...details],
    evidence: { ...signals, ...counts },
  };
}

/** Only what the route needs: the connector when one is configured, else the services' Direct VPC interfaces. */
async function collectPath(context: CheckContext): Promise<NetworkEvidence> {
  const { gateway, environment: env, signal } = context;
  const options = { signal };
  const name = env.connector;
  const [connector, sql, services] = await Promise.all([
    name
      ? orNull(
          needs('vpcaccess.connectors.get', gateway.getConnector(env.project, env.region, name, options)),
        )
      : undefined,
    orNull(needs('cloudsql.instances.get', gateway.getSqlInstance(env.project, env.sqlInstance, options))),
    name
      ? []
      : Promise.all(
          env.services.map(async (service) => ({
            name: service,
            resource: await orNull(
              needs('run.services.get', gateway.getService(env.project, env.region, service, options)),
            ),
          })),
        ),
  ]);
  return {
    project: env.project,
    region: env.region,
    ...(name && connector !== undefined ? { connector: { name, resource: connector } } : {}),
    sql: { name: env.sqlInstance, resource: sql },
    services,
  };
}

async function collect(context: CheckContext): Promise<FirewallEvidence> {
  const path = await collectPath(context);
  const plan = planPath(path);
  if ('judgement' in plan) return { ...path, listings: [] };
  const listings = await Promise.all(
    projectsOf(plan.routes).map(async (project) => ({
      project,
      rules: await needs(
        'compute.firewalls.list',
        context.gateway.listFirewalls(project, { signal: context.signal }),
      ),
    })),
  );
  return { ...path, listings };
}

/** VPC firewall rules on the path from the connector (or Direct VPC) to the Cloud SQL private IP. */
export const firewallCheck: Check = {
  name: 'firewall',
  run: (context) => runJudged('firewall', context, async (ctx) => judgeFirewall(await collect(ctx), ctx.now)),
};
