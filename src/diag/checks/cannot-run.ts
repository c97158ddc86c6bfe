import { GcpError } from '../../gcp/cloud-gateway';
import { requiredRoleFor } from '../../gcp/required-role';
import { scrubCredentials } from '../../log/scrub-credentials';
import type { CheckName } from '../finding';
import type { Judgement } from './judgement';

/** Why a check could not run and what the operator should change. */
export interface CannotRun {
  reason: string;
  fix?: string;
}

// What src/gcp's requiredRoleFor does not cover: private logs need their own role, and any other
// permission falls back to the viewer role of the service it belongs to.
const ROLE_FOR_PERMISSION: Readonly<Record<string, string>> = {
  'logging.privateLogEntries.list': 'roles/logging.privateLogViewer',
};
const ROLE_FOR_SERVICE: Readonly<Record<string, string>> = {
  vpcaccess: 'roles/vpcaccess.viewer',
  cloudsql: 'roles/cloudsql.viewer',
  run: 'roles/run.viewer',
  logging: 'roles/logging.viewer',
  monitoring: 'roles/monitoring.viewer',
  compute: 'roles/compute.networkViewer',
};

/** The predefined role that grants `permission`, when we know one. */
export function roleFor(permission: string | undefined): string | undefined {
  if (!permission) return undefined;
  return (
    requiredRoleFor(permission) ??
    ROLE_FOR_PERMISSION[permission] ??
    ROLE_FOR_SERVICE[permission.split('.')[0] ?? '']
  );
}

/** Never let a credential reach a message: a URL's user-info part (a DSN's user and password) and every credential shape. */
export const redactUrls = (text: string): string =>
  scrubCredentials(text).replace(/\/\/[^/@\s]*@/g, '//***@');

/** Scrubbed before it is cut, so a cut cannot leave half a credential its shape no longer finds. */
const short = (message: string): string => redactUrls(message).slice(0, 200);

/** Turns any error into a reason and a fix worded for the operator, with no credential it quoted. */
export function describeFailure(error: unknown): CannotRun {
  const { reason, fix } = describeError(error);
  return fix ? { reason: redactUrls(reason), fix } : { reason: redactUrls(reason) };
}

function describeError(error: unknown): CannotRun {
  if (error instanceof GcpError) return describeGcpError(error);
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
    return { reason: "no answer within the check's deadline", fix: 'run the diagnosis again' };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { reason: `unexpected error: ${short(message)}` };
}

function describeGcpError(error: GcpError): CannotRun {
  const status = error.status ? ` (HTTP ${error.status})` : '';
  switch (error.kind) {
    case 'permission-denied': {
      const role = roleFor(error.permission);
      const needed = error.permission ? ` (${error.permission})` : '';
      const fix = role
        ? `grant ${role} to Warroom's service account`
        : "grant Warroom's service account the viewer role for this API";
      return { reason: `permission denied${needed}`, fix };
    }
    case 'unauthenticated':
      return {
        reason: 'not authenticated to Google Cloud',
        fix: 'check Application Default Credentials (the attached service account or GOOGLE_APPLICATION_CREDENTIALS)',
      };
    case 'timeout':
      return { reason: "no answer within the check's deadline", fix: 'run the diagnosis again' };
    case 'rate-limited':
      return { reason: `rate-limited by Google Cloud${status}`, fix: 'run the diagnosis again in a minute' };
    case 'unavailable':
      return {
        reason: `Google Cloud API unavailable${status}`,
        fix: 'retry; if it persists, check status.cloud.google.com',
      };
    case 'not-found':
      return { reason: `not found${status}: ${error.message}`, fix: 'check the names in the configuration' };
    case 'malformed':
      return {
        reason: `malformed answer from Google Cloud${status}: not the JSON the API defines`,
        fix: 'run the diagnosis again; if it persists, something between Warroom and Google (a proxy) is cutting answers short',
      };
    default:
      return { reason: `${error.kind}${status}: ${short(error.message)}` };
  }
}

/** Optional data (metrics) that could not be read, and what would fix it. */
export interface Unavailable {
  unavailable: string;
  fix?: string;
}

/** Why optional data could not be read: the reason for the summary, the fix for details. */
export function unavailableBecause(error: unknown): Unavailable {
  const { reason, fix } = describeFailure(error);
  return fix ? { unavailable: reason, fix } : { unavailable: reason };
}

/** "reason — fix", for evidence and the verdict's missing list. */
export const gapText = (gap: Unavailable): string =>
  gap.fix ? `${gap.unavailable} — ${gap.fix}` : gap.unavailable;

/** The `unknown` judgement for a check that could not run. */
export function cannotRunJudgement(check: CheckName, error: unknown): Judgement {
  const cannotRun = describeFailure(error);
  return {
    check,
    status: 'unknown',
    summary: `could not run: ${cannotRun.reason}`,
    details: cannotRun.fix ? [`To resolve, ${cannotRun.fix}.`] : [],
    evidence: {},
    cannotRun,
  };
}

/**
 * Awaits a gateway call and, when Google refused without naming the permission, names the one this
 * call needs, so the fix can still name a role.
 */
export async function needs<T>(permission: string, call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof GcpError && error.kind === 'permission-denied' && !error.permission) {
      throw new GcpError(error.message, error.kind, error.status, permission);
    }
    throw error;
  }
}

/** True for a GcpError that says the resource does not exist. */
export const isNotFound = (error: unknown): boolean =>
  error instanceof GcpError && error.kind === 'not-found';
