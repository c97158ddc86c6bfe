import type { Check } from '../finding';
import { runJudged } from './with-deadline';

/** VPC firewall rules on the path from the connector (or Direct VPC) to the Cloud SQL private IP. */
export const firewallCheck: Check = {
  name: 'firewall',
  run: (context) =>
    runJudged('firewall', context, async () => ({
      check: 'firewall',
      status: 'skipped',
      summary: 'not checked yet',
      details: [],
      evidence: {},
    })),
};
