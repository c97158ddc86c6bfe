import { loadScenario } from '../../../src/simulator/load-scenario';
import type { Scenario } from '../../../src/simulator/scenario';
import { diagnosisBed } from './diagnose-staging';

/** An environment with no connector in its configuration: Direct VPC egress, or a Cloud SQL connection. */
describe('/incident diag staging without a connector', () => {
  const bed = diagnosisBed({ connector: null });
  const { diagnose } = bed;

  it('finds no fault on a healthy Direct VPC egress, showing the subnetwork and egress, and no connector problem', async () => {
    const { text, blocks } = await diagnose('direct-vpc', 'direct-1');
    expect(text).toContain('verdict: no-fault-found ');
    expect(blocks).toContain('*vpc-connector* — not configured');
    expect(blocks).toContain(
      '*cloud-run* — 3/3 services ready; Direct VPC egress: network staging-vpc, subnetwork run-egress, tags run-egress, egress PRIVATE_RANGES_ONLY',
    );
    expect(blocks).toContain('*network* — route and Cloud SQL on staging-vpc');
    expect(blocks).not.toMatch(/connector (is|does)/);
    // No request for a connector or its metrics: the environment has none.
    expect(bed.simulator().requests.some((r) => r.path.includes('/connectors/'))).toBe(false);
  });

  it('calls interfaces on another network than the private IP a network mismatch, with the Direct VPC command', async () => {
    const { text, blocks } = await diagnose('direct-vpc-mismatch', 'direct-2');
    expect(text).toContain('verdict: network-mismatch ');
    expect(blocks).toContain(
      '*network* — network mismatch: backend (Direct VPC) is on legacy-vpc, Cloud SQL on staging-vpc',
    );
    expect(blocks).toContain(
      "Direct VPC egress is on legacy-vpc, while Cloud SQL's private IP is on staging-vpc.",
    );
    expect(blocks).toContain(
      '`gcloud run services update SERVICE --network=staging-vpc --subnet=SUBNET --vpc-egress=private-ranges-only --region=us-central1`',
    );
    expect(blocks).not.toContain('--vpc-connector=');
  });

  it('finds the network of an interface that names only its subnetwork through Compute subnetworks.get', async () => {
    const moved = loadScenario('direct-vpc-mismatch');
    const subnetOnly: Scenario = {
      ...moved,
      subnetworks: [{ name: 'legacy-run', network: 'legacy-vpc', ipCidrRange: '10.40.0.0/26' }],
      services: Object.fromEntries(
        Object.entries(moved.services).map(([name, svc]) => [
          name,
          {
            ...svc,
            vpcAccess: { egress: 'PRIVATE_RANGES_ONLY', networkInterfaces: [{ subnetwork: 'legacy-run' }] },
          },
        ]),
      ),
    };
    const { text, blocks } = await diagnose(subnetOnly, 'direct-3');
    expect(text).toContain('verdict: network-mismatch ');
    expect(blocks).toContain(
      '*network* — network mismatch: backend (Direct VPC) is on legacy-vpc, Cloud SQL on staging-vpc',
    );
    expect(
      bed
        .simulator()
        .requests.some(
          (r) => r.path === '/compute/v1/projects/acme-staging/regions/us-central1/subnetworks/legacy-run',
        ),
    ).toBe(true);
  });

  it('calls a Cloud SQL connection to a private-IP-only instance without a VPC route a network problem', async () => {
    const { text, blocks, thread } = await diagnose('auth-proxy-private-ip', 'proxy-1');
    expect(text).toContain(
      'verdict: network-mismatch — Cloud SQL staging-db has only a private IP, and 3 services have no VPC route to it',
    );
    expect(blocks).toContain('This is a network problem, not a credential one.');
    expect(blocks).toContain('--assign-ip');
    const cloudRun = thread.find((reply) => reply.includes('*cloud-run*'));
    expect(cloudRun).toContain(
      'backend: Cloud SQL connection (Auth Proxy) to acme-staging:us-central1:staging-db.',
    );
  });
});
