import type { CheckName } from '../../../src/diag/finding';
import { decideVerdict, VERDICT_RULES } from '../../../src/diag/verdict';
import { type FindingChange, stagingFindings } from './staging-findings';

type Change = Partial<Record<CheckName, FindingChange>>;

const DENY_FIX =
  'Add an allow that outranks it: `gcloud compute firewall-rules create allow-cloudsql-egress --project=acme-staging --network=staging-vpc --direction=EGRESS --action=ALLOW --rules=tcp:5432 --destination-ranges=10.20.0.3/32 --target-tags=vpc-connector --priority=899`; or, if nothing needs deny-sql-egress, disable it: `gcloud compute firewall-rules update deny-sql-egress --disabled --project=acme-staging`.';
const INGRESS_FIX =
  'Create the ingress allow in the host project: `gcloud compute firewall-rules create serverless-to-vpc-connector --project=acme-net-host --network=shared-vpc --direction=INGRESS --action=ALLOW --source-ranges=35.199.224.0/19 --target-tags=vpc-connector --rules=icmp,tcp:667,udp:665-666`.';

/** Services failing to connect to the private IP: what a block looks like from the outside. */
const SYMPTOMS: Change = {
  logs: { status: 'fail', evidence: { connectivityErrors: 412, connectivityErrorsRecent: 120 } },
  health: { status: 'fail', evidence: { healthFailing: 3 } },
};
const DENIED: Change = {
  ...SYMPTOMS,
  firewall: {
    status: 'fail',
    summary: 'deny-sql-egress (priority 900) denies tcp:5432 to 10.20.0.3 on staging-vpc',
    evidence: {
      firewallBlocked: true,
      firewallRule: 'deny-sql-egress',
      firewallPriority: 900,
      firewallCovers:
        'egress tcp:5432 to 10.20.0.0/16 from instances tagged vpc-connector on staging-vpc, which includes tcp:5432 to 10.20.0.3 (Cloud SQL)',
      firewallFix: DENY_FIX,
    },
  },
};
const INGRESS_MISSING: Change = {
  ...SYMPTOMS,
  firewall: {
    status: 'fail',
    evidence: {
      firewallBlocked: true,
      firewallRule: null,
      firewallPriority: null,
      firewallCovers:
        "ingress from 35.199.224.0/19 (Serverless VPC Access) to the connector's instances (tag vpc-connector) on shared-vpc (project acme-net-host)",
      firewallFix: INGRESS_FIX,
    },
  },
};

describe('verdict rule firewall-rule (firewall-blocked)', () => {
  it('names the deny, its priority, what it covers and the command that clears the path', () => {
    const verdict = decideVerdict(stagingFindings(DENIED));
    expect(verdict.code).toBe('firewall-blocked');
    expect(verdict.title).toBe('Firewall rule deny-sql-egress (priority 900) blocks the path to Cloud SQL');
    expect(verdict.explanation).toContain(
      'deny-sql-egress denies egress tcp:5432 to 10.20.0.0/16 from instances tagged vpc-connector on staging-vpc, which includes tcp:5432 to 10.20.0.3 (Cloud SQL)',
    );
    expect(verdict.nextStep).toContain(DENY_FIX);
    expect(verdict.evidence).toContain(
      'firewall: deny-sql-egress (priority 900) denies tcp:5432 to 10.20.0.3 on staging-vpc',
    );
  });

  it('names the missing Shared VPC ingress allow and the rule to create', () => {
    const verdict = decideVerdict(stagingFindings(INGRESS_MISSING));
    expect(verdict.code).toBe('firewall-blocked');
    expect(verdict.title).toContain('ingress allow from 35.199.224.0/19');
    expect(verdict.explanation).toContain('shared-vpc (project acme-net-host)');
    expect(verdict.nextStep).toContain(INGRESS_FIX);
  });

  it('does not fire when the firewall check found nothing', () => {
    expect(decideVerdict(stagingFindings(SYMPTOMS)).code).not.toBe('firewall-blocked');
    expect(decideVerdict(stagingFindings()).code).toBe('no-fault-found');
  });

  it('is inconclusive, naming firewall and its role, when firewalls.list was denied while connections fail', () => {
    const verdict = decideVerdict(
      stagingFindings({
        ...SYMPTOMS,
        firewall: {
          status: 'unknown',
          summary: 'could not run: permission denied (compute.firewalls.list)',
          evidence: {},
        },
      }),
    );
    expect(verdict.code).toBe('inconclusive');
    expect(verdict.explanation).toContain('Could not check firewall');
  });
});

describe('precedence of firewall-blocked', () => {
  const ruleIds = VERDICT_RULES.map((rule) => rule.id);

  it('sits after the connector, the route and the instance, before connections and saturation', () => {
    const at = ruleIds.indexOf('firewall-rule');
    for (const before of ['connector-down', 'route-mismatch', 'sql-unavailable'])
      expect(ruleIds.indexOf(before)).toBeLessThan(at);
    for (const after of ['sql-exhausted', 'connector-saturated'])
      expect(ruleIds.indexOf(after)).toBeGreaterThan(at);
  });

  it.each<[string, Change, string]>([
    [
      'a connector down over a firewall block',
      { 'vpc-connector': { status: 'fail', evidence: { connectorState: 'ERROR' } } },
      'vpc-connector-down',
    ],
    [
      'a network mismatch over a firewall block',
      { network: { status: 'fail', evidence: { networkMismatch: true } } },
      'network-mismatch',
    ],
    [
      'a firewall block over exhausted Cloud SQL connections',
      { 'cloud-sql': { status: 'fail', evidence: { sqlConnectionRatio: 0.97 } } },
      'firewall-blocked',
    ],
    [
      'a firewall block over a saturated connector',
      { 'vpc-connector': { status: 'fail', evidence: { connectorSaturated: true, connectorAtMax: true } } },
      'firewall-blocked',
    ],
  ])('prefers %s', (_title, change, code) => {
    expect(decideVerdict(stagingFindings({ ...DENIED, ...change })).code).toBe(code);
  });
});
