import { type Ipv4Range, isRangeText, parseIpv4Range, rangeCovers, rangeHolds } from './cidr';
import { toNumber } from './google-values';
import { type NetworkId, parseNetwork } from './network';

/**
 * VPC firewall rules as `firewalls.list` answers them, read as untrusted data: a rule with any field
 * we cannot read is kept apart as unreadable, never taken as a block, and may not be ignored when it
 * could be the allow that opens the path.
 */

/** One `allowed[]` or `denied[]` entry: a protocol and, when given, port ranges. */
interface Traffic {
  protocol: string;
  /** Inclusive [from, to]; empty means every port. */
  ports: [number, number][];
}

/** A rule whose fields all read as Google documents them. */
export interface FirewallRule {
  name: string;
  network: NetworkId;
  priority: number;
  direction: 'INGRESS' | 'EGRESS';
  action: 'allow' | 'deny';
  traffic: Traffic[];
  /** IPv4 ranges only: an IPv6 range is read and dropped, since it never holds the private IP. */
  sourceRanges: Ipv4Range[];
  destinationRanges: Ipv4Range[];
  targetTags: string[];
  targetServiceAccounts: string[];
  /** Ignored by GCP, but worth naming: enabling it may be the whole fix. */
  disabled: boolean;
}

/** A rule with a field we could not read, and which: it never decides a block on its own. */
export interface UnreadableRule {
  /** Absent when the name itself is not one Google could have given. */
  name?: string;
  problem: string;
  /** The network when it could be read: a rule on another network cannot matter. */
  network?: NetworkId;
  /** Whether it could be an allow (it has `allowed`, or neither list). */
  mayAllow: boolean;
  direction?: string;
}

/** A disabled rule we cannot read is only a name: GCP ignores it, and so do we. */
export type ReadRule = { rule: FirewallRule } | { unreadable: UnreadableRule } | { disabled: string };

/** Google's own pattern for resource names; a name outside it never reaches a gcloud line. */
export const RESOURCE_NAME = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

const absent = (value: unknown) => value === undefined || value === null;

class Unreadable extends Error {}

function strings(value: unknown, field: string): string[] {
  if (absent(value)) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
    throw new Unreadable(`${field} is not a list of strings`);
  return value;
}

function ranges(value: unknown, field: string): Ipv4Range[] {
  const texts = strings(value, field);
  const bad = texts.find((text) => !isRangeText(text));
  if (bad !== undefined) throw new Unreadable(`${field} holds "${bad.slice(0, 40)}", not an IP range`);
  return texts.flatMap((text) => parseIpv4Range(text) ?? []);
}

const PORT = /^(\d{1,5})(?:-(\d{1,5}))?$/;

function traffic(value: unknown, field: string): Traffic[] {
  if (!Array.isArray(value)) throw new Unreadable(`${field} is not a list`);
  return value.map((item) => {
    const entry = record(item);
    const protocol = entry?.IPProtocol;
    if (typeof protocol !== 'string' && typeof protocol !== 'number')
      throw new Unreadable(`${field} has an entry without IPProtocol`);
    const ports = strings(entry?.ports, `${field}.ports`).map((text): [number, number] => {
      const m = PORT.exec(text);
      const from = Number(m?.[1]);
      const to = m?.[2] === undefined ? from : Number(m[2]);
      if (!m || from > to || to > 65535) throw new Unreadable(`${field}.ports holds "${text.slice(0, 20)}"`);
      return [from, to];
    });
    return { protocol: String(protocol).toLowerCase(), ports };
  });
}

/** Reads one listed rule; `project` owns the listing (a bare network name belongs to it). */
export function readRule(raw: unknown, project: string): ReadRule {
  const r = record(raw) ?? {};
  const name = typeof r.name === 'string' && RESOURCE_NAME.test(r.name) ? r.name : undefined;
  const network = typeof r.network === 'string' ? parseNetwork(r.network, project) : undefined;
  const mayAllow = !absent(r.allowed) || absent(r.denied);
  const direction = r.direction ?? 'INGRESS';
  const unreadable = (problem: string): ReadRule => ({
    unreadable: {
      ...(name ? { name } : {}),
      problem,
      ...(network ? { network } : {}),
      mayAllow,
      ...(typeof direction === 'string' ? { direction } : {}),
    },
  });
  try {
    if (!name) throw new Unreadable('no valid name');
    if (!network) throw new Unreadable('no network');
    if (!absent(r.disabled) && typeof r.disabled !== 'boolean')
      throw new Unreadable('disabled is not a boolean');
    if (direction !== 'INGRESS' && direction !== 'EGRESS')
      throw new Unreadable('direction is not INGRESS or EGRESS');
    const priority = absent(r.priority) ? 1000 : toNumber(r.priority);
    if (priority === undefined || !Number.isInteger(priority) || priority < 0 || priority > 65535)
      throw new Unreadable('priority is not an integer from 0 to 65535');
    if (absent(r.allowed) === absent(r.denied))
      throw new Unreadable('needs exactly one of allowed and denied');
    const action = absent(r.allowed) ? 'deny' : 'allow';
    return {
      rule: {
        name,
        network,
        priority,
        direction,
        action,
        traffic: traffic(
          action === 'allow' ? r.allowed : r.denied,
          action === 'allow' ? 'allowed' : 'denied',
        ),
        sourceRanges: ranges(r.sourceRanges, 'sourceRanges'),
        // An egress rule without destinations covers every destination.
        destinationRanges:
          direction === 'EGRESS' && strings(r.destinationRanges, 'destinationRanges').length === 0
            ? [{ base: 0, prefix: 0 }]
            : ranges(r.destinationRanges, 'destinationRanges'),
        targetTags: strings(r.targetTags, 'targetTags'),
        targetServiceAccounts: strings(r.targetServiceAccounts, 'targetServiceAccounts'),
        disabled: r.disabled === true,
      },
    };
  } catch (error) {
    if (error instanceof Unreadable)
      return r.disabled === true
        ? { disabled: name ?? 'a rule without a valid name' }
        : unreadable(error.message);
    throw error;
  }
}

/** Whether the rule applies to instances with `tags`: `service-accounts` when it targets accounts only. */
export function appliesTo(rule: FirewallRule, tags: readonly string[]): 'yes' | 'no' | 'service-accounts' {
  if (rule.targetTags.length === 0 && rule.targetServiceAccounts.length === 0) return 'yes';
  if (rule.targetTags.some((tag) => tags.includes(tag))) return 'yes';
  return rule.targetTags.length === 0 ? 'service-accounts' : 'no';
}

const TCP = new Set(['all', 'tcp', '6']);

/** Whether the rule's traffic includes TCP to `port`. */
export const coversTcpPort = (rule: FirewallRule, port: number): boolean =>
  rule.traffic.some(
    (t) =>
      TCP.has(t.protocol) &&
      (t.protocol === 'all' ||
        t.ports.length === 0 ||
        t.ports.some(([from, to]) => from <= port && port <= to)),
  );

/** Whether one of the rule's destination ranges holds `ip`. */
export const reachesIp = (rule: FirewallRule, ip: number): boolean =>
  rule.destinationRanges.some((range) => rangeHolds(range, ip));

/** Whether one of the rule's source ranges includes all of `range`. */
export const admitsFrom = (rule: FirewallRule, range: Ipv4Range): boolean =>
  rule.sourceRanges.some((source) => rangeCovers(source, range));

export const sameNetwork = (a: NetworkId, b: NetworkId): boolean =>
  a.project === b.project && a.name === b.name;

/** "tcp:5432", "all", "tcp:5000-6000,udp" — a rule's traffic as gcloud writes it. */
export const trafficText = (rule: FirewallRule): string =>
  rule.traffic
    .map((t) =>
      t.ports.length === 0
        ? t.protocol
        : `${t.protocol}:${t.ports.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',')}`,
    )
    .join(',');
