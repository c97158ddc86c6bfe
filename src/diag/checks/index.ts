import type { Check } from '../finding';
import { cloudRunCheck } from './cloud-run';
import { cloudSqlCheck } from './cloud-sql';
import { databaseCheck } from './database';
import { firewallCheck } from './firewall';
import { healthCheck } from './health';
import { logsCheck } from './logs';
import { networkCheck } from './network';
import { sqlIamCheck } from './sql-iam';
import { vpcConnectorCheck } from './vpc-connector';

/**
 * Every diagnostic check, in the order the status message shows them (that of CHECK_NAMES). Every run runs all of
 * them: a check that does not apply (no connector, no health URLs, no DSN variable) answers `skipped` with the
 * reason, so the message says why instead of leaving a line out.
 */
export const CHECKS: readonly Check[] = [
  vpcConnectorCheck,
  cloudSqlCheck,
  cloudRunCheck,
  logsCheck,
  networkCheck,
  firewallCheck,
  sqlIamCheck,
  healthCheck,
  databaseCheck,
];
