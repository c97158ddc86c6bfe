import type { CloudRunService } from '../../gcp/cloud-gateway';
import type { Check, CheckContext, FindingStatus } from '../finding';
import { needs } from './cannot-run';
import { projectNumberInPolicy, projectNumberOf, readPolicy } from './iam-policy';
import type { Judgement } from './judgement';
import { orNull } from './or-null';
import {
  grantLine,
  heldSummary,
  listOf,
  type RuntimeAccount,
  runtimeAccounts,
  verb,
} from './runtime-accounts';
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
 * Missing and needed (a service has a Cloud SQL volume) fails; missing but not needed only says so,
 * since the role then matters only to a connector library inside the application; a grant that
 * may come through a group warns.
 */
function conclude(accounts: readonly RuntimeAccount[]): { status: FindingStatus; summary: string } {
  const missing = accounts.filter((a) => a.grant.kind === 'none');
  const lack = `${missing.map((a) => `${a.email} (${a.services.join(', ')})`).join(', ')} ${verb(missing.length, 'lacks', 'lack')} roles/cloudsql.client`;
  // Only a service that mounts a Cloud SQL volume under an account without the role is refused for sure.
  const lacking = missing.filter((a) => a.cloudSql).flatMap((a) => a.services);
  if (lacking.length > 0) {
    return {
      status: 'fail',
      summary: `${lack}, needed for the Cloud SQL connection of ${lacking.join(', ')}`,
    };
  }
  if (missing.length > 0) {
    const summary = `${lack}, needed only for the Cloud SQL connector, Auth Proxy or connector libraries (no service of ${verb(missing.length, 'that account', 'those accounts')} has a Cloud SQL volume)`;
    return { status: 'ok', summary };
  }
  const viaGroup = accounts.filter((a) => a.grant.kind === 'through-group');
  if (viaGroup.length > 0) {
    const groups = new Set(viaGroup.map((a) => (a.grant.kind === 'through-group' ? a.grant.member : '')));
    const summary = `${listOf(viaGroup)} ${verb(viaGroup.length, 'has', 'have')} no direct grant; the role may come through ${[...groups].join(', ')}`;
    return { status: 'warn', summary };
  }
  return { status: 'ok', summary: heldSummary(accounts) };
}

/**
 * Which runtime accounts the project's IAM policy grants none of the roles that allow connecting to
 * Cloud SQL, and whether that matters (a Cloud SQL volume needs it). Pure.
 */
export function judgeSqlIam(evidence: SqlIamEvidence): Judgement {
  const policy = readPolicy(evidence.policy);
  if (!policy) return unknownPolicy();
  const known = evidence.projectNumber ?? projectNumberInPolicy(policy.bindings);
  const defaultAccount = computeAccount(known ?? UNKNOWN_PROJECT_NUMBER);
  const accounts = runtimeAccounts(evidence.services, defaultAccount, policy.bindings);
  const details = evidence.services
    .filter((s) => s.resource === null)
    .map((s) => `${s.name} not found: skipped (see cloud-run).`);
  if (accounts.length === 0) {
    const summary = 'no service to check: none of the configured services exists (see cloud-run)';
    return { check: 'iam', status: 'skipped', summary, details, evidence: {} };
  }
  if (!known && accounts.some((a) => a.email === defaultAccount)) {
    details.push(
      `The project number could not be read (projects.get failed and the policy names no default compute account), so the default compute account is written ${defaultAccount}: replace ${UNKNOWN_PROJECT_NUMBER} with the project's number (\`gcloud projects describe ${evidence.project} --format='value(projectNumber)'\`).`,
    );
  }
  if (policy.skipped > 0)
    details.push(
      `${policy.skipped} malformed bindings of the policy were skipped (no role or no member list).`,
    );
  details.push(...accounts.map(grantLine));
  const missing = accounts.filter((a) => a.grant.kind === 'none');
  if (missing.length > 0) {
    details.push(
      `Grants inherited from a folder or the organisation are not in the project's policy and were not read: if one grants the role there, the account may connect (\`gcloud projects get-ancestors-iam-policy ${evidence.project}\` lists them).`,
    );
  }
  const signals: SignalEvidence = {
    sqlIamMissing: missing.length,
    sqlIamAccounts: missing.length > 0 ? missing.map((a) => a.email).join(',') : null,
    sqlIamNeeded: missing.some((a) => a.cloudSql),
  };
  // Which account each service runs as, for the evidence line; the verdict reads only the signals.
  const runsAs = Object.fromEntries(
    accounts.flatMap((a) => a.services.map((s) => [`account:${s}`, a.email])),
  );
  return {
    check: 'iam',
    ...conclude(accounts),
    details,
    evidence: { ...signals, ...runsAs, projectNumber: known ?? null },
  };
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
