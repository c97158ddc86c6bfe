import type { CloudRunService } from '../../gcp/cloud-gateway';
import type { Check, CheckContext } from '../finding';
import { SQL_CONNECT_ROLES } from '../path-wording';
import { needs } from './cannot-run';
import { type Grant, grantOf, projectNumberInPolicy, projectNumberOf, readPolicy } from './iam-policy';
import type { Judgement } from './judgement';
import { orNull } from './or-null';
import type { SignalEvidence } from './signals';
import { runJudged } from './with-deadline';

/** What the IAM judge reads. */
export interface SqlIamEvidence {
  project: string;
  /** From `projects.get`; undefined when that call failed (it is not needed to judge). */
  projectNumber?: string;
  /** The configured services; null when one does not exist (it is skipped). */
  services: { name: string; resource: CloudRunService | null }[];
  /** The project's IAM policy as Google answered it: untrusted. */
  policy: unknown;
}

/** Written where the project number is unknown, so the command shown says what to fill in. */
export const UNKNOWN_PROJECT_NUMBER = 'PROJECT_NUMBER';
const computeAccount = (number: string) => `${number}-compute@developer.gserviceaccount.com`;

/** One runtime account and the services that run as it. */
interface Account {
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

/** Whether the service connects through a Cloud SQL volume (the built-in Auth Proxy). */
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

/** "a@x, b@x" in full, or shortened to the part before the domain for a summary. */
const listOf = (accounts: readonly Account[], short = false) =>
  accounts.map((a) => (short ? a.email.replace(/@.*/, '@…') : a.email)).join(', ');
const withServices = (a: Account) => `${a.email} (${a.services.join(', ')})`;
const verb = (n: number, one: string, many: string) => (n === 1 ? one : many);

function unknownPolicy(): Judgement {
  const reason = 'malformed answer from Google Cloud: the IAM policy has no list of bindings';
  return {
    check: 'iam',
    status: 'unknown',
    summary: `could not judge: ${reason}`,
    details: ['To resolve, run the diagnosis again.'],
    evidence: {},
    cannotRun: { reason, fix: 'run the diagnosis again' },
  };
}

/**
 * Which runtime accounts the project's IAM policy grants none of the roles that allow connecting to
 * Cloud SQL, and whether that matters (a Cloud SQL volume needs it). Pure.
 */
export function judgeSqlIam(evidence: SqlIamEvidence): Judgement {
  const policy = readPolicy(evidence.policy);
  if (!policy) return unknownPolicy();
  const details: string[] = [];
  const known = evidence.projectNumber ?? projectNumberInPolicy(policy.bindings);
  const defaultAccount = computeAccount(known ?? UNKNOWN_PROJECT_NUMBER);
  const byEmail = new Map<string, Account>();
  const runsAs: Record<string, string> = {};
  for (const { name, resource } of evidence.services) {
    if (!resource) {
      details.push(`${name} not found: skipped (see cloud-run).`);
      continue;
    }
    const email = accountOf(resource, defaultAccount);
    const key = email.toLowerCase();
    const account = byEmail.get(key) ?? { email, services: [], cloudSql: false, grant: { kind: 'none' } };
    account.services.push(name);
    account.cloudSql ||= hasCloudSqlVolume(resource);
    byEmail.set(key, account);
    runsAs[`account:${name}`] = email;
  }
  const accounts = [...byEmail.values()];
  if (accounts.length === 0) {
    const summary = 'no service to check: none of the configured services exists (see cloud-run)';
    return { check: 'iam', status: 'skipped', summary, details, evidence: {} };
  }
  for (const account of accounts) account.grant = grantOf(account.email, policy.bindings, SQL_CONNECT_ROLES);

  if (!known && accounts.some((a) => a.email === defaultAccount)) {
    details.push(
      `The project number could not be read (projects.get failed and the policy names no default compute account), so the default compute account is written ${defaultAccount}: replace ${UNKNOWN_PROJECT_NUMBER} with the project's number (\`gcloud projects describe ${evidence.project} --format='value(projectNumber)'\`).`,
    );
  }
  if (policy.skipped > 0)
    details.push(
      `${policy.skipped} malformed bindings of the policy were skipped (no role or no member list).`,
    );
  const missing = accounts.filter((a) => a.grant.kind === 'none');
  const viaGroup = accounts.filter((a) => a.grant.kind === 'through-group');
  const needed = accounts.some((a) => a.cloudSql);
  details.push(...accounts.flatMap(grantLine));
  if (missing.length > 0) {
    details.push(
      `Grants inherited from a folder or the organisation are not in the project's policy and were not read: if one grants the role there, the account may connect (\`gcloud projects get-ancestors-iam-policy ${evidence.project}\` lists them).`,
    );
  }

  const signals: SignalEvidence = {
    sqlIamMissing: missing.length,
    sqlIamAccounts: missing.length > 0 ? missing.map((a) => a.email).join(',') : null,
    sqlIamNeeded: needed,
  };
  const judged = {
    check: 'iam' as const,
    details,
    evidence: { ...signals, ...runsAs, projectNumber: known ?? null },
  };
  const lack = `${missing.map(withServices).join(', ')} ${verb(missing.length, 'lacks', 'lack')} roles/cloudsql.client`;
  if (missing.length > 0 && needed) {
    // Name the volumes that need the missing grant; failing that, those that make it needed at all.
    const lacking = missing.filter((a) => a.cloudSql).flatMap((a) => a.services);
    const connecting = accounts.filter((a) => a.cloudSql).flatMap((a) => a.services);
    return {
      ...judged,
      status: 'fail',
      summary:
        lacking.length > 0
          ? `${lack}, needed for the Cloud SQL connection of ${lacking.join(', ')}`
          : `${lack}; ${connecting.join(', ')} ${verb(connecting.length, 'connects', 'connect')} through a Cloud SQL volume, which needs it`,
    };
  }
  if (missing.length > 0) {
    return {
      ...judged,
      status: 'ok',
      summary: `${lack}, needed only for the Cloud SQL connector, Auth Proxy or connector libraries (no service has a Cloud SQL volume)`,
    };
  }
  if (viaGroup.length > 0) {
    const groups = [
      ...new Set(viaGroup.map((a) => (a.grant.kind === 'through-group' ? a.grant.member : ''))),
    ];
    return {
      ...judged,
      status: 'warn',
      summary: `${listOf(viaGroup)} ${verb(viaGroup.length, 'has', 'have')} no direct grant; the role may come through ${groups.join(', ')}`,
    };
  }
  return { ...judged, status: 'ok', summary: heldSummary(accounts) };
}

/** "backend-run@…, auth-run@… hold roles/cloudsql.client; 1234-compute@… holds roles/editor". */
function heldSummary(accounts: readonly Account[]): string {
  const byRole = new Map<string, Account[]>();
  for (const a of accounts) {
    const role = 'role' in a.grant ? a.grant.role : '';
    byRole.set(role, [...(byRole.get(role) ?? []), a]);
  }
  return [...byRole]
    .map(([role, holders]) => `${listOf(holders, true)} ${verb(holders.length, 'holds', 'hold')} ${role}`)
    .join('; ');
}

function grantLine(account: Account): string[] {
  const who = `${account.services.join(', ')} ${verb(account.services.length, 'runs', 'run')} as ${account.email}`;
  const sql = account.cloudSql ? ' and connects through a Cloud SQL volume' : '';
  const { grant } = account;
  switch (grant.kind) {
    case 'direct':
      return [`${who}${sql}; it holds ${grant.role}.`];
    case 'conditional':
      return [
        `${who}${sql}; it holds ${grant.role} only under the condition "${grant.condition}": counted as granted, but the connection fails whenever the condition does not hold.`,
      ];
    case 'through-group':
      return [
        `${who}${sql}; it has no direct grant, but ${grant.member} holds ${grant.role}: the grant may come through that group (its members are not in the policy).`,
      ];
    case 'none':
      return [`${who}${sql}; the project's policy grants it none of ${SQL_CONNECT_ROLES.join(', ')}.`];
  }
}

async function collect(context: CheckContext): Promise<SqlIamEvidence> {
  const { gateway, environment: env, signal } = context;
  const options = { signal };
  const [policy, projectNumber, services] = await Promise.all([
    needs('resourcemanager.projects.getIamPolicy', gateway.getProjectIamPolicy(env.project, options)),
    // Only the default compute account's name needs the number, and the policy may reveal it too.
    gateway.getProject(env.project, options).then(
      (project) => projectNumberOf(project.name),
      () => undefined,
    ),
    Promise.all(
      env.services.map(async (name) => ({
        name,
        resource: await orNull(
          needs('run.services.get', gateway.getService(env.project, env.region, name, options)),
        ),
      })),
    ),
  ]);
  return { project: env.project, projectNumber, services, policy };
}

/** Whether the services' runtime service accounts may connect to Cloud SQL (project IAM policy). */
export const sqlIamCheck: Check = {
  name: 'iam',
  run: (context) => runJudged('iam', context, async (ctx) => judgeSqlIam(await collect(ctx))),
};
