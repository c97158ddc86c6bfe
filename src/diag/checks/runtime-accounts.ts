import type { CloudRunService } from '../../gcp/cloud-gateway';
import { SQL_CONNECT_ROLES } from '../path-wording';
import { type Grant, grantOf, type PolicyBinding } from './iam-policy';

/** One runtime service account, the services that run as it, and what the policy grants it. */
export interface RuntimeAccount {
  email: string;
  services: string[];
  /** Some of those services have a Cloud SQL volume. */
  cloudSql: boolean;
  grant: Grant;
}

/** The service's own account, else (none set) Cloud Run's default: the default compute account. */
function accountOf(service: CloudRunService, defaultAccount: string): string {
  const own = service.template?.serviceAccount;
  return typeof own === 'string' && own.trim() !== '' ? own.trim() : defaultAccount;
}

/** Whether the service connects through a Cloud SQL volume (the Auth Proxy Cloud Run runs for it). */
function hasCloudSqlVolume(service: CloudRunService): boolean {
  const volumes = service.template?.volumes;
  return (
    Array.isArray(volumes) &&
    volumes.some((v) => {
      const instances = v?.cloudSqlInstance?.instances;
      return Array.isArray(instances) && instances.length > 0;
    })
  );
}

/**
 * The runtime accounts of the services that exist, one per account (emails compared
 * case-insensitively), each with its grant of a role that may connect to Cloud SQL.
 */
export function runtimeAccounts(
  services: readonly { name: string; resource: CloudRunService | null }[],
  defaultAccount: string,
  bindings: readonly PolicyBinding[],
): RuntimeAccount[] {
  const byEmail = new Map<string, RuntimeAccount>();
  for (const { name, resource } of services) {
    if (!resource) continue;
    const email = accountOf(resource, defaultAccount);
    const account = byEmail.get(email.toLowerCase()) ?? {
      email,
      services: [],
      cloudSql: false,
      grant: grantOf(email, bindings, SQL_CONNECT_ROLES),
    };
    account.services.push(name);
    account.cloudSql ||= hasCloudSqlVolume(resource);
    byEmail.set(email.toLowerCase(), account);
  }
  return [...byEmail.values()];
}

export const verb = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** "a@x, b@x" in full, or shortened to the part before the domain for a summary line. */
export const listOf = (accounts: readonly RuntimeAccount[], short = false) =>
  accounts.map((a) => (short ? a.email.replace(/@.*/, '@…') : a.email)).join(', ');

/** "backend-run@…, auth-run@… hold roles/cloudsql.client; 1234-compute@… holds roles/editor". */
export function heldSummary(accounts: readonly RuntimeAccount[]): string {
  const byRole = new Map<string, RuntimeAccount[]>();
  for (const a of accounts) {
    const role = 'role' in a.grant ? a.grant.role : '';
    byRole.set(role, [...(byRole.get(role) ?? []), a]);
  }
  return [...byRole]
    .map(([role, holders]) => `${listOf(holders, true)} ${verb(holders.length, 'holds', 'hold')} ${role}`)
    .join('; ');
}

/** The details line for one account: who runs as it, and what the policy grants it. */
export function grantLine(account: RuntimeAccount): string {
  const who = `${account.services.join(', ')} ${verb(account.services.length, 'runs', 'run')} as ${account.email}`;
  const sql = account.cloudSql ? ' and connects through a Cloud SQL volume' : '';
  const { grant } = account;
  switch (grant.kind) {
    case 'direct':
      return `${who}${sql}; it holds ${grant.role}.`;
    case 'conditional':
      return `${who}${sql}; it holds ${grant.role} only under the condition "${grant.condition}": counted as granted, but the connection fails whenever the condition does not hold.`;
    case 'through-group':
      return `${who}${sql}; it has no direct grant, but ${grant.member} holds ${grant.role}: the grant may come through that group (its members are not in the policy).`;
    case 'none':
      return `${who}${sql}; the project's policy grants it none of ${SQL_CONNECT_ROLES.join(', ')}.`;
  }
}
