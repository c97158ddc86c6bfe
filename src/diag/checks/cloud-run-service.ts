import type { CloudRunRevision, CloudRunService } from '../../gcp/cloud-gateway';
import { scrubCredentials } from '../../log/scrub-credentials';
import type { FindingStatus } from '../finding';
import {
  CONDITION_STATES,
  enumName,
  lastSegment,
  locationOf,
  toMillis,
  toNumber,
  VPC_EGRESS,
} from './google-values';
import { worst } from './judgement';
import { type RevisionReasonName, reasonLine, reasonsOf } from './revision-reasons';

/** A newest revision created this recently counts as a recent deployment (regression candidate). */
export const RECENT_REVISION_MS = 60 * 60_000;

/** What was read about one configured service. */
export interface ServiceEvidence {
  name: string;
  /** null when the service does not exist. */
  service: CloudRunService | null;
  revisions: CloudRunRevision[];
  /** Why the revisions could not be listed, when they could not. */
  revisionsUnavailable?: string;
}

/** What the environment expects of every service. */
export interface ServiceExpectation {
  region: string;
  /** The configured connector; undefined for Direct VPC egress or none. */
  connector?: string;
}

/** One service's judgement, before it is folded into the check's Finding. */
export interface ServiceJudgement {
  name: string;
  status: FindingStatus;
  ready: boolean;
  missing: boolean;
  wrongConnector: boolean;
  exitCode?: number;
  recentRevision: boolean;
  /** The condition reasons Warroom explains, of the service and its newest revision. */
  reasons: RevisionReasonName[];
  /** The template mounts a Cloud SQL connection (`volumes[].cloudSqlInstance`): the Auth Proxy path. */
  cloudSqlVolume: boolean;
  /** For Direct VPC egress: its interfaces and egress setting ("subnetwork run-egress, egress PRIVATE_RANGES_ONLY"). */
  directVpc?: string;
  /** `template.serviceAccount`; undefined when none is set (the default compute account). */
  account?: string;
  /**
   * What is wrong, as a phrase that follows the service name ("exited during start-up (exit code 3)",
   * or ": <message>"), so services with the same problem share one phrase in the summary.
   */
  problem?: string;
  details: string[];
}

const EXIT_CODE = /exit\((\d+)\)|exit(?:ed)?\s+(?:with\s+)?(?:code|status)\s+(\d+)/i;

/** The exit code a condition message reports, if any. */
export function exitCodeIn(message: string | null | undefined): number | undefined {
  const match = message ? EXIT_CODE.exec(message) : null;
  return match ? Number(match[1] ?? match[2]) : undefined;
}

const short = (text: string, max = 90): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Judges one service against the environment's expectations. Pure. */
export function judgeService(
  evidence: ServiceEvidence,
  expected: ServiceExpectation,
  now: Date,
): ServiceJudgement {
  const { name, service } = evidence;
  if (service === null) {
    return {
      name,
      status: 'fail',
      ready: false,
      missing: true,
      wrongConnector: false,
      recentRevision: false,
      reasons: [],
      cloudSqlVolume: false,
      problem: 'does not exist',
      details: [`${name}: no such Cloud Run service in ${expected.region}.`],
    };
  }
  const statuses: FindingStatus[] = [];
  const details: string[] = [];
  const terminal = enumName(service.terminalCondition?.state, CONDITION_STATES);
  const ready = terminal === 'CONDITION_SUCCEEDED';
  const latestCreated = lastSegment(service.latestCreatedRevision);
  const latestReady = lastSegment(service.latestReadyRevision);
  const newest = evidence.revisions.find((r) => lastSegment(r.name) === latestCreated);
  const revisionMessages = (newest?.conditions ?? [])
    .filter((c) => enumName(c.state, CONDITION_STATES) === 'CONDITION_FAILED' && c.message)
    .map((c) => c.message as string);
  // Cloud Run quotes the container's output in these, which may carry a credential.
  const messages = [service.terminalCondition?.message, ...revisionMessages]
    .filter((m): m is string => Boolean(m))
    .map(scrubCredentials);
  const exitCode = messages.map(exitCodeIn).find((code) => code !== undefined);
  const reasons = reasonsOf(service, newest);
  const because = reasons.length > 0 ? ` (${reasons.join(', ')})` : '';
  let problem: string | undefined;

  if (terminal === 'CONDITION_FAILED') {
    statuses.push('fail');
    problem =
      exitCode !== undefined
        ? `exited during start-up (exit code ${exitCode})`
        : reasons.length > 0
          ? `not ready${because}`
          : `: ${short(messages[0] ?? 'not ready, no message')}`;
  } else if (!ready) {
    statuses.push('warn');
    problem = service.reconciling || terminal ? 'still deploying' : 'reports no readiness';
  }
  details.push(
    `${name}: ${ready ? 'ready' : (terminal ?? 'readiness not reported')}${service.reconciling ? ', reconciling' : ''}.`,
  );
  for (const message of new Set(messages)) details.push(`${name}: ${short(message, 300)}`);
  for (const reason of reasons) details.push(`${name}: ${reasonLine(reason)}`);
  if (latestCreated && latestCreated !== latestReady) {
    statuses.push(ready ? 'warn' : 'fail');
    details.push(
      `${name}: newest revision ${latestCreated} is not ready; last ready is ${latestReady ?? 'none'}.`,
    );
    problem ??= `: newest revision ${latestCreated} not ready${because}`;
  }
  const traffic = (service.trafficStatuses ?? [])
    .filter((t) => (toNumber(t.percent) ?? 0) > 0)
    .map((t) => `${toNumber(t.percent)} % → ${t.revision || 'latest'}`);
  if (traffic.length > 0) details.push(`${name}: traffic ${traffic.join(', ')}.`);

  const route = judgeRoute(service, expected);
  if (route.problem) {
    statuses.push(route.status);
    problem ??= route.problem;
  }
  details.push(`${name}: ${route.line}`, `${name}: ${startupProbeLine(service)}`);
  const sqlInstances = cloudSqlInstancesOf(service);
  if (sqlInstances.length > 0)
    details.push(`${name}: Cloud SQL connection (Auth Proxy) to ${sqlInstances.join(', ')}.`);
  const account = typeof service.template?.serviceAccount === 'string' ? service.template.serviceAccount : '';

  const created = evidence.revisions
    .map((r) => toMillis(r.createTime))
    .filter((t): t is number => t !== undefined);
  const newestAt = created.length > 0 ? Math.max(...created) : undefined;
  const recentRevision = newestAt !== undefined && now.getTime() - newestAt <= RECENT_REVISION_MS;
  if (recentRevision && newestAt !== undefined) {
    details.push(
      `${name}: a revision was created ${Math.round((now.getTime() - newestAt) / 60_000)} min ago.`,
    );
  }
  if (evidence.revisionsUnavailable)
    details.push(`${name}: revisions not read: ${evidence.revisionsUnavailable}.`);
  return {
    name,
    status: worst(statuses),
    ready,
    missing: false,
    wrongConnector: route.status === 'fail',
    exitCode,
    recentRevision,
    reasons,
    cloudSqlVolume: sqlInstances.length > 0,
    ...(account ? { account } : {}),
    ...(route.directVpc ? { directVpc: route.directVpc } : {}),
    problem,
    details,
  };
}

/** The instance connection names a template's Cloud SQL volumes mount (`project:region:instance`). */
export function cloudSqlInstancesOf(service: CloudRunService): string[] {
  const volumes = Array.isArray(service.template?.volumes) ? service.template.volumes : [];
  return volumes.flatMap((volume) => {
    const instances = volume?.cloudSqlInstance?.instances;
    return Array.isArray(instances) ? instances.filter((i): i is string => typeof i === 'string') : [];
  });
}

/** "network staging-vpc, subnetwork run-egress, tags run" for each Direct VPC interface. */
function interfacesText(service: CloudRunService): string {
  const nics = Array.isArray(service.template?.vpcAccess?.networkInterfaces)
    ? service.template.vpcAccess.networkInterfaces
    : [];
  return nics
    .map((nic) => {
      const parts = [
        nic?.network ? `network ${lastSegment(nic.network)}` : undefined,
        nic?.subnetwork ? `subnetwork ${lastSegment(nic.subnetwork)}` : undefined,
        Array.isArray(nic?.tags) && nic.tags.length > 0 ? `tags ${nic.tags.join(', ')}` : undefined,
      ].filter(Boolean);
      return parts.length > 0 ? parts.join(', ') : 'an interface with no network named';
    })
    .join('; ');
}

function judgeRoute(
  service: CloudRunService,
  expected: ServiceExpectation,
): { status: FindingStatus; line: string; problem?: string; directVpc?: string } {
  const access = service.template?.vpcAccess;
  const connector = access?.connector || undefined;
  const egress = enumName(access?.egress, VPC_EGRESS);
  const direct = (access?.networkInterfaces ?? []).length > 0;
  const directVpc =
    direct && !connector ? `${interfacesText(service)}, egress ${egress ?? 'default'}` : undefined;
  const line = connector
    ? `VPC connector ${connector}, egress ${egress ?? 'default'}.`
    : directVpc
      ? `Direct VPC egress (${directVpc}).`
      : 'no VPC access.';
  if (!expected.connector) {
    return connector
      ? { status: 'warn', line, problem: `uses connector ${lastSegment(connector)}; none is configured` }
      : { status: 'ok', line, ...(directVpc ? { directVpc } : {}) };
  }
  if (!connector) {
    const how = direct ? 'uses Direct VPC egress' : 'has no VPC access';
    return { status: 'fail', line, problem: `${how}, not connector ${expected.connector}` };
  }
  const location = locationOf(connector);
  if (lastSegment(connector) !== expected.connector || (location && location !== expected.region)) {
    return { status: 'fail', line, problem: `routes through ${connector}, not ${expected.connector}` };
  }
  return { status: 'ok', line };
}

function startupProbeLine(service: CloudRunService): string {
  const probe = service.template?.containers?.[0]?.startupProbe;
  if (!probe) return 'start-up probe: Cloud Run default (TCP on the container port).';
  const kind = probe.httpGet ? `HTTP ${probe.httpGet.path || '/'}` : probe.grpc ? 'gRPC' : 'TCP';
  const delay = toNumber(probe.initialDelaySeconds) ?? 0;
  const period = toNumber(probe.periodSeconds) ?? 10;
  const failures = toNumber(probe.failureThreshold) ?? 3;
  return `start-up probe: ${kind}, ${delay} s delay + ${failures} × ${period} s (up to ${delay + failures * period} s).`;
}
