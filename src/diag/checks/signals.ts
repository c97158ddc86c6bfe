import { CHECK_NAMES, type CheckName, type Finding, type FindingStatus } from '../finding';

/**
 * The evidence keys the verdict reads, and what each holds. Checks write them into
 * `Finding.evidence` next to their other raw fields; `decideVerdict` reads only these, so a check
 * can change its wording without changing the verdict. A key that is absent means "not measured".
 */
export const SIGNALS = {
  project: 'Google Cloud project id (vpc-connector, cloud-sql), for the commands in next steps',
  region: 'region of the environment (vpc-connector, else cloud-run), for the commands in next steps',
  connectorName: 'vpc-connector: the configured connector name',
  connectorState: 'vpc-connector: state name (READY, CREATING, ERROR …, NOT_FOUND when it does not exist)',
  connectorInstances: 'vpc-connector: most recent instance count from Monitoring, null without metrics',
  connectorMaxInstances: 'vpc-connector: maxInstances of the connector',
  connectorAtMax: 'vpc-connector: true when the instance count reached maxInstances in the window',
  connectorCpu: 'vpc-connector: highest CPU utilisation (0–1) in the window, null without metrics',
  connectorSaturated: 'vpc-connector: at max with CPU ≥ 0.7, or CPU ≥ 0.9',
  connectorMetrics: 'vpc-connector: whether Monitoring data could be read',
  connectorMetricsGap: 'vpc-connector: why Monitoring data is missing, null when it is not',
  sqlInstance: 'cloud-sql: the instance name',
  sqlState: 'cloud-sql: state name (RUNNABLE, MAINTENANCE, SUSPENDED …, NOT_FOUND)',
  sqlActivationPolicy: 'cloud-sql: ALWAYS or NEVER',
  sqlMaintenance: 'cloud-sql: maintenance in progress or scheduled within ±1 h of now',
  sqlMaxConnections: 'cloud-sql: max_connections (flag, else the default for the tier)',
  sqlConnectionRatio: 'cloud-sql: peak backends / max_connections in the window, null without metrics',
  sqlMetrics: 'cloud-sql: whether Monitoring data could be read',
  sqlMetricsGap: 'cloud-sql: why connection use is not measured, null when it is',
  networkMismatch: 'network: the connector (or Direct VPC) network differs from Cloud SQL private network',
  regionMismatch: 'network: a service and its connector are in different regions',
  privateOnlyNoRoute:
    'network: services that reach a private-IP-only instance (ipv4Enabled false) with no VPC route (no connector, no Direct VPC)',
  firewallBlocked:
    'firewall: a rule stops the path (an enabled EGRESS deny that wins over every allow, or the Shared VPC ingress allow from 35.199.224.0/19 missing)',
  firewallRule: 'firewall: the name of the rule at fault, null when the fault is a missing allow',
  firewallPriority: "firewall: that rule's priority, null when the fault is a missing allow",
  firewallCovers: 'firewall: what the rule (or the missing allow) covers, in words',
  firewallFix: 'firewall: the gcloud command that clears the path',
  sqlIamMissing:
    'iam: runtime service accounts granted none of roles/cloudsql.client, cloudsql.admin, cloudsql.editor, editor, owner in the project policy',
  sqlIamAccounts: 'iam: those accounts, comma-separated, null when none',
  sqlIamNeeded:
    'iam: whether a service whose account lacks the role mounts a Cloud SQL volume (the Auth Proxy path, where the role is required)',
  servicesTotal: 'cloud-run: configured services',
  servicesNotReady: 'cloud-run: services whose Ready condition is not satisfied (including missing ones)',
  servicesMissing: 'cloud-run: configured services that do not exist',
  servicesWrongConnector: 'cloud-run: services not routed through the configured connector',
  startupExitCode: 'cloud-run: an exit code reported by a failed revision, null when none',
  recentRevisions: 'cloud-run: services whose newest revision was created in the last hour',
  cloudSqlVolumes: 'cloud-run: services with a Cloud SQL connection (`template.volumes[].cloudSqlInstance`)',
  runtimeAccounts:
    "cloud-run: the services' runtime service accounts, comma-separated (template.serviceAccount, else the default compute account)",
  errorCount: 'logs: entries at ERROR or above in the window (capped, see logsTruncated)',
  connectivityErrors: 'logs: entries matching a connectivity signature (timeouts, refused, socket …)',
  connectivityErrorsRecent: 'logs: connectivity errors in the last 10 minutes (0: the cause may be over)',
  applicationErrors: 'logs: errors that are not connectivity (tracebacks, exceptions …)',
  failedRequests: 'logs: 5xx entries in Cloud Run request logs (what users saw)',
  rejectedRequests:
    'logs: request-log entries (429 or 500) rejected with "no available instance"; per service in `rejected:<service>`',
  servicesAtMaxInstances:
    'logs: services whose instance_count reached template.scaling.maxInstanceCount in the window; figures in `peakInstances:<service>` and `maxInstances:<service>`',
  startupFailures: 'logs: start-up probe failures and exit() calls in the system log',
  sqlNotAuthorized:
    'logs: Cloud SQL connector or Auth Proxy entries saying NOT_AUTHORIZED or "missing permission cloudsql.instances.connect/get"',
  tooManyClients: 'logs or database: "too many clients" seen (PostgreSQL refused for lack of slots)',
  logsTruncated: 'logs: true when paging stopped at the cap, so counts are lower bounds',
  healthTotal: 'health: endpoints probed',
  healthFailing: 'health: endpoints that did not answer 2xx within the threshold',
  dbConnected: 'database: whether the probe connected and ran SELECT 1',
  dbReachable: 'database: whether the server answered at all (true on an authentication error)',
  dbConnectMs: 'database: time to connect, null when it did not connect',
  dbErrorKind: 'database: timeout, refused, unreachable, auth, too-many-clients, starting-up, other',
} as const;

export type SignalKey = keyof typeof SIGNALS;
export type SignalValue = string | number | boolean | null;
/** Evidence written with the agreed keys; checks spread it into `Finding.evidence`. */
export type SignalEvidence = Partial<Record<SignalKey, SignalValue>>;

/** Reads one signal from a finding, typed; undefined when absent or of another type. */
export function signalNumber(finding: Finding | undefined, key: SignalKey): number | undefined {
  const value = finding?.evidence[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function signalString(finding: Finding | undefined, key: SignalKey): string | undefined {
  const value = finding?.evidence[key];
  return typeof value === 'string' ? value : undefined;
}

export function signalFlag(finding: Finding | undefined, key: SignalKey): boolean {
  return finding?.evidence[key] === true;
}

/** Database errors that say the path to the server is broken (not the probe's own settings). */
const PATH_ERRORS = new Set(['timeout', 'refused', 'unreachable']);

/** The findings read into the facts the verdict rules test. Plain data. */
export interface Signals {
  byCheck: Partial<Record<CheckName, Finding>>;
  /** Status per check; `absent` when the check did not report. */
  status: Record<CheckName, FindingStatus | 'absent'>;
  unknown: CheckName[];
  absent: CheckName[];
  project?: string;
  region?: string;
  connectorName?: string;
  connectorState?: string;
  connectorAtMax: boolean;
  connectorSaturated: boolean;
  connectorMetrics?: boolean;
  connectorMetricsGap?: string;
  sqlInstance?: string;
  sqlState?: string;
  sqlActivationPolicy?: string;
  sqlConnectionRatio?: number;
  sqlMetrics?: boolean;
  sqlMetricsGap?: string;
  networkMismatch: boolean;
  regionMismatch: boolean;
  privateOnlyNoRoute: number;
  firewallBlocked: boolean;
  sqlIamMissing: number;
  sqlIamNeeded: boolean;
  sqlNotAuthorized: number;
  cloudSqlVolumes: number;
  servicesTotal: number;
  servicesNotReady: number;
  servicesWrongConnector: number;
  startupExitCode?: number;
  recentRevisions: number;
  connectivityErrors: number;
  /** Undefined when the logs check did not say (then nothing may be concluded from it). */
  connectivityErrorsRecent?: number;
  applicationErrors: number;
  failedRequests: number;
  /** Requests Cloud Run turned away with "no available instance". */
  rejectedRequests: number;
  servicesAtMaxInstances: number;
  startupFailures: number;
  tooManyClients: number;
  healthFailing: number;
  /** The connect probe failed on the path (timeout, refused, unreachable). */
  dbPathFailed: boolean;
  /** Services, endpoints or user requests are visibly failing. */
  servicesFailing: boolean;
  /** Something failed to reach something: connectivity errors in logs or a broken probe path. */
  connectivitySymptom: boolean;
}

/** Reads the agreed evidence keys (SIGNALS) out of the findings. Later findings of a check win. */
export function readSignals(findings: readonly Finding[]): Signals {
  const byCheck: Partial<Record<CheckName, Finding>> = {};
  for (const finding of findings) byCheck[finding.check] = finding;
  const status = Object.fromEntries(
    CHECK_NAMES.map((name) => [name, byCheck[name]?.status ?? 'absent']),
  ) as Signals['status'];
  const f = byCheck;
  const count = (check: CheckName, key: SignalKey) => signalNumber(f[check], key) ?? 0;
  const database = f.database;
  const dbPathFailed =
    database?.status === 'fail' && PATH_ERRORS.has(signalString(database, 'dbErrorKind') ?? '');
  const connectivityErrors = count('logs', 'connectivityErrors');
  const servicesNotReady = count('cloud-run', 'servicesNotReady');
  const healthFailing = count('health', 'healthFailing');
  const failedRequests = count('logs', 'failedRequests');
  const rejectedRequests = count('logs', 'rejectedRequests');
  return {
    byCheck,
    status,
    unknown: CHECK_NAMES.filter((name) => status[name] === 'unknown'),
    absent: CHECK_NAMES.filter((name) => status[name] === 'absent'),
    project: signalString(f['vpc-connector'], 'project') ?? signalString(f['cloud-sql'], 'project'),
    region: signalString(f['vpc-connector'], 'region') ?? signalString(f['cloud-run'], 'region'),
    connectorName: signalString(f['vpc-connector'], 'connectorName'),
    connectorState: signalString(f['vpc-connector'], 'connectorState'),
    connectorAtMax: signalFlag(f['vpc-connector'], 'connectorAtMax'),
    connectorSaturated: signalFlag(f['vpc-connector'], 'connectorSaturated'),
    connectorMetrics: flagOrUndefined(f['vpc-connector'], 'connectorMetrics'),
    connectorMetricsGap: signalString(f['vpc-connector'], 'connectorMetricsGap'),
    sqlInstance: signalString(f['cloud-sql'], 'sqlInstance'),
    sqlState: signalString(f['cloud-sql'], 'sqlState'),
    sqlActivationPolicy: signalString(f['cloud-sql'], 'sqlActivationPolicy'),
    sqlConnectionRatio: signalNumber(f['cloud-sql'], 'sqlConnectionRatio'),
    sqlMetrics: flagOrUndefined(f['cloud-sql'], 'sqlMetrics'),
    sqlMetricsGap: signalString(f['cloud-sql'], 'sqlMetricsGap'),
    networkMismatch: signalFlag(f.network, 'networkMismatch'),
    regionMismatch: signalFlag(f.network, 'regionMismatch'),
    privateOnlyNoRoute: count('network', 'privateOnlyNoRoute'),
    firewallBlocked: signalFlag(f.firewall, 'firewallBlocked'),
    sqlIamMissing: count('iam', 'sqlIamMissing'),
    // Without an IAM finding, any Cloud SQL volume means the policy could have decided.
    sqlIamNeeded:
      f.iam && f.iam.status !== 'unknown'
        ? signalFlag(f.iam, 'sqlIamNeeded')
        : count('cloud-run', 'cloudSqlVolumes') > 0,
    sqlNotAuthorized: count('logs', 'sqlNotAuthorized'),
    cloudSqlVolumes: count('cloud-run', 'cloudSqlVolumes'),
    servicesTotal: count('cloud-run', 'servicesTotal'),
    servicesNotReady,
    servicesWrongConnector: count('cloud-run', 'servicesWrongConnector'),
    startupExitCode: signalNumber(f['cloud-run'], 'startupExitCode'),
    recentRevisions: count('cloud-run', 'recentRevisions'),
    connectivityErrors,
    connectivityErrorsRecent: signalNumber(f.logs, 'connectivityErrorsRecent'),
    applicationErrors: count('logs', 'applicationErrors'),
    failedRequests,
    rejectedRequests,
    servicesAtMaxInstances: count('logs', 'servicesAtMaxInstances'),
    startupFailures: count('logs', 'startupFailures'),
    tooManyClients: count('logs', 'tooManyClients') + count('database', 'tooManyClients'),
    healthFailing,
    dbPathFailed,
    servicesFailing:
      servicesNotReady > 0 ||
      healthFailing > 0 ||
      failedRequests > 0 ||
      rejectedRequests > 0 ||
      count('logs', 'startupFailures') > 0,
    connectivitySymptom: connectivityErrors > 0 || dbPathFailed,
  };
}

function flagOrUndefined(finding: Finding | undefined, key: SignalKey): boolean | undefined {
  const value = finding?.evidence[key];
  return typeof value === 'boolean' ? value : undefined;
}
