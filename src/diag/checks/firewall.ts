import type { Check, CheckContext } from '../finding';
import { plural } from '../verdict-wording';
import { needs } from './cannot-run';
import { networkText } from './firewall-fix';
import { planPath, projectsOf } from './firewall-path';
import { judgeRoute } from './firewall-route';
import { readRule } from './firewall-rules';
import type { Judgement } from './judgement';
import type { NetworkEvidence } from './route-evidence';
import { collectRouteEvidence } from './route-evidence';
import type { SignalEvidence } from './signals';
import { runJudged } from './with-deadline';

/** The route, Cloud SQL and what `firewalls.list` answered in each project that owns a route's network. */
export interface FirewallEvidence extends NetworkEvidence {
  listings: { project: string; rules: readonly unknown[] }[];
}

/** The first `max` items, and how many more there are: a project may list thousands of rules. */
const upTo = (items: readonly string[], max: number): string[] =>
  items.length <= max ? [...items] : [...items.slice(0, max), `… and ${items.length - max} more`];

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
  const disabled = [
    ...rules.filter((r) => r.disabled).map((r) => r.name),
    ...listed.flatMap((r) => ('disabled' in r ? [r.disabled] : [])),
  ];

  const details = [...plan.notes];
  const taken = new Set([
    ...rules.map((r) => r.name),
    ...unreadable.flatMap((u) => u.name ?? []),
    ...disabled,
  ]);
  const perRoute = routes.map((route) =>
    judgeRoute({ rules, unreadable, taken }, route, to, evidence.project),
  );
  for (const found of perRoute) details.push(...found.details);
  if (disabled.length > 0) details.push(`Disabled, so ignored: ${upTo(disabled, 10).join(', ')}.`);
  details.push(
    ...upTo(
      unreadable.map(
        (u) =>
          `${u.name ? `Rule ${u.name}` : 'A rule without a valid name'} could not be read (${u.problem}): it decides nothing.`,
      ),
      5,
    ),
  );

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
    const summary = `cannot rule out a block: ${block.summary}, but ${plural(hit.doubt.length, 'rule')} that could allow it could not be read`;
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

async function collect(context: CheckContext): Promise<FirewallEvidence> {
  const path = await collectRouteEvidence(context);
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
