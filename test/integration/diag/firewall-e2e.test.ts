import { diagnosisBed } from './diagnose-staging';

const ALLOW_LINE =
  '`gcloud compute firewall-rules create allow-cloudsql-egress --project=acme-staging --network=staging-vpc --direction=EGRESS --action=ALLOW --rules=tcp:5432 --destination-ranges=10.20.0.3/32 --target-tags=vpc-connector --priority=899`';
const INGRESS_LINE =
  '`gcloud compute firewall-rules create serverless-to-vpc-connector --project=acme-net-host --network=shared-vpc --direction=INGRESS --action=ALLOW --source-ranges=35.199.224.0/19 --target-tags=vpc-connector --rules=icmp,tcp:667,udp:665-666`';

describe('/incident diag staging when a VPC firewall rule stops the path to Cloud SQL', () => {
  const { diagnose } = diagnosisBed();

  it('names the egress deny, its priority and what it covers, with the allow that outranks it', async () => {
    const { text, blocks, thread } = await diagnose('firewall-blocked', 'firewall-1');
    expect(text).toContain('verdict: firewall-blocked ');
    expect(blocks).toContain('Firewall rule deny-sql-egress (priority 900) blocks the path to Cloud SQL');
    expect(blocks).toContain(
      'deny-sql-egress denies egress tcp:5432 to 10.20.0.0/16 from instances tagged vpc-connector on staging-vpc, which includes tcp:5432 to 10.20.0.3 (Cloud SQL)',
    );
    expect(blocks).toContain(`*Next step:* Add an allow that outranks it: ${ALLOW_LINE}`);
    expect(blocks).toContain(
      '`gcloud compute firewall-rules update deny-sql-egress --disabled --project=acme-staging`',
    );
    expect(blocks).toContain(
      '*firewall* — deny-sql-egress (priority 900) denies tcp:5432 to 10.20.0.3 on staging-vpc',
    );
    const firewall = thread.find((reply) => reply.includes('*firewall*'));
    expect(firewall).toContain(
      'allow-sql-egress (priority 1000) allows tcp:5432 to 10.20.0.3 too, but a higher number ranks below the deny.',
    );
  });

  it('names the missing Shared VPC ingress allow from 35.199.224.0/19 and the rule to create', async () => {
    const { text, blocks, thread } = await diagnose('shared-vpc-ingress-missing', 'firewall-2');
    expect(text).toContain('verdict: firewall-blocked ');
    expect(blocks).toContain(
      'The firewall lacks the ingress allow from 35.199.224.0/19 that the connector needs',
    );
    expect(blocks).toContain('on shared-vpc (project acme-net-host)');
    expect(blocks).toContain(`*Next step:* Create the ingress allow in the host project: ${INGRESS_LINE}`);
    const firewall = thread.find((reply) => reply.includes('*firewall*'));
    expect(firewall).toContain('serverless-ingress (priority 1000) admits only part of 35.199.224.0/19');
  });

  it('ends inconclusive, naming the firewall and roles/compute.networkViewer, when firewalls.list is denied', async () => {
    const { text, blocks } = await diagnose('firewall-denied', 'firewall-3');
    expect(text).toContain('verdict: inconclusive ');
    expect(blocks).toContain('Could not check firewall');
    expect(blocks).toContain(
      "firewall: permission denied (compute.firewalls.list) — grant roles/compute.networkViewer to Warroom's service account",
    );
  });

  it('still finds no fault on a healthy staging, reading its firewall rules', async () => {
    const { text, blocks } = await diagnose('healthy', 'firewall-4');
    expect(text).toContain('verdict: no-fault-found ');
    expect(blocks).toContain(
      '*firewall* — no rule blocks tcp:5432 to 10.20.0.3 on staging-vpc (0 rules read)',
    );
  });
});
