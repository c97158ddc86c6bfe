import type { LogEntry } from '../../gcp/cloud-gateway';
import type { Check, CheckContext } from '../finding';
import { needs } from './cannot-run';
import { toMillis } from './google-values';
import type { Judgement } from './judgement';
import {
  classifyEntry,
  messageOf,
  normaliseMessage,
  REJECTED_STATUSES,
  refusalExcerpt,
} from './log-classify';
import {
  type CapacityEvidence,
  collectCapacity,
  judgeCapacity,
  type ServiceCapacity,
} from './service-capacity';
import type { SignalEvidence } from './signals';
import { runJudged } from './with-deadline';

export const LOG_WINDOW_MS = 30 * 60_000;
/** Entries read per service at most; beyond it counts are reported as "1000+". */
export const LOG_CAP = 1000;
/**
 * Application errors (in 30 min, all services) from which the check warns, and fails. Below the
 * first, a few sporadic errors are background noise in any live service, not a sign of a fault;
 * they still show in the summary.
 */
export const APPLICATION_ERRORS = { warn: 5, fail: 10 } as const;
// A page may come back empty with a token; never follow more than this many.
const MAX_PAGES = 20;

/** The entries read for one service. */
export interface ServiceLogs {
  service: string;
  entries: LogEntry[];
  /** Paging stopped at the cap; counts are lower bounds. */
  truncated: boolean;
  /** Its max instances and instance count, when read. */
  capacity?: CapacityEvidence;
}

type Counts = Record<
  | 'errors'
  | 'connectivity'
  | 'recentConnectivity'
  | 'application'
  | 'requests'
  | 'rejected'
  | 'startup'
  | 'tooManyClients'
  | 'notAuthorized',
  number
>;
const zero = (): Counts => ({
  errors: 0,
  connectivity: 0,
  recentConnectivity: 0,
  application: 0,
  requests: 0,
  rejected: 0,
  startup: 0,
  tooManyClients: 0,
  notAuthorized: 0,
});

interface Tally extends Counts {
  signatures: Map<string, number>;
  messages: Map<string, number>;
  /** The Cloud SQL refusals' messages apart, so the top one is named even among many other errors. */
  refusals: Map<string, number>;
}

const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
const top = (map: Map<string, number>, n: number) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n);

/** Connectivity errors this recent mean the cause is still there; older ones may be over. */
export const RECENT_CONNECTIVITY_MS = 10 * 60_000;

function tally(entries: readonly LogEntry[], since: number, recentSince: number): Tally {
  const t: Tally = { ...zero(), signatures: new Map(), messages: new Map(), refusals: new Map() };
  for (const entry of entries) {
    const at = toMillis(entry.timestamp);
    if (at !== undefined && at < since) continue;
    const { kind, signature } = classifyEntry(entry);
    if (kind === 'ignore') continue;
    if (kind === 'startup') t.startup += 1;
    else if (kind === 'rejected') t.rejected += 1;
    else {
      t.errors += 1;
      if (kind === 'connectivity') {
        t.connectivity += 1;
        // An entry without a readable time counts as recent: that is the cautious reading.
        if (at === undefined || at >= recentSince) t.recentConnectivity += 1;
      } else if (kind === 'sql-not-authorized') {
        t.notAuthorized += 1;
      } else if (kind === 'request') t.requests += 1;
      else t.application += 1;
    }
    if (signature) bump(t.signatures, signature);
    if (signature === 'too many clients') t.tooManyClients += 1;
    if (kind === 'sql-not-authorized') bump(t.refusals, refusalExcerpt(messageOf(entry)));
    else bump(t.messages, normaliseMessage(messageOf(entry)));
  }
  return t;
}

/** The summary line: every figure the verdict uses, named. */
function summarise(
  sums: Counts,
  signatures: Map<string, number>,
  plus: string,
  capacity: readonly ServiceCapacity[],
): string {
  const atMax = capacity.filter((c) => c.atMax).map((c) => `${c.service} at max ${c.maxInstances} instances`);
  if (sums.errors === 0 && sums.startup === 0 && sums.rejected === 0)
    return [`no errors in 30 min across ${capacity.length} services`, ...atMax].join(', ');
  const named = top(signatures, 2).map(([label, count]) => `${label} ×${count}`);
  return [
    `${sums.errors}${plus} errors in 30 min`,
    sums.connectivity > 0 ? `${sums.connectivity} connectivity (${named.join(', ')})` : undefined,
    sums.notAuthorized > 0 ? `${sums.notAuthorized} Cloud SQL not authorized (NOT_AUTHORIZED)` : undefined,
    sums.errors > 0 ? `${sums.application} application` : undefined,
    sums.requests > 0 ? `${sums.requests} failed requests` : undefined,
    sums.rejected > 0 ? `${sums.rejected} requests rejected (no available instance)` : undefined,
    sums.startup > 0 ? `${sums.startup} start-up failures` : undefined,
    ...atMax,
  ]
    .filter(Boolean)
    .join(', ');
}

/**
 * Judges error counts, connectivity signatures, failed requests and start-up failures per
 * service. Failed requests (Cloud Run's request log) are symptoms, counted apart from the
 * application's own errors. Pure.
 */
export function judgeLogs(services: readonly ServiceLogs[], now: Date): Judgement {
  const since = now.getTime() - LOG_WINDOW_MS;
  const sums = zero();
  const details: string[] = [];
  const signatures = new Map<string, number>();
  const truncated = services.some((s) => s.truncated);
  const capacity: ServiceCapacity[] = [];
  const perService: Record<string, number | null> = {};
  for (const { service, entries, truncated: capped, capacity: read } of services) {
    const t = tally(entries, since, now.getTime() - RECENT_CONNECTIVITY_MS);
    const judged = read ? judgeCapacity(read, since) : { service, atMax: false };
    capacity.push(judged);
    for (const key of Object.keys(sums) as (keyof Counts)[]) sums[key] += t[key];
    for (const [label, count] of t.signatures) signatures.set(label, (signatures.get(label) ?? 0) + count);
    const refused = t.notAuthorized > 0 ? `, ${t.notAuthorized} Cloud SQL not authorized` : '';
    details.push(
      `${service}: ${t.errors}${capped ? '+' : ''} errors (${t.connectivity} connectivity, ${t.application} application, ${t.requests} failed requests${refused}), ${t.startup} start-up failures.`,
    );
    const [refusal] = top(t.refusals, 1);
    if (refusal)
      details.push(
        `${service}: ${t.notAuthorized} Cloud SQL connections not authorized (IAM: the runtime service account may not connect), most often ${refusal[1]}× ${refusal[0]}`,
      );
    if (t.rejected > 0 || judged.atMax) details.push(capacityLine(judged, t.rejected));
    for (const [message, count] of top(t.messages, 3)) details.push(`${service}: ${count}× ${message}`);
    perService[`rejected:${service}`] = t.rejected;
    perService[`peakInstances:${service}`] = judged.peakInstances ?? null;
    perService[`maxInstances:${service}`] = judged.maxInstances ?? null;
  }
  const failing =
    sums.connectivity > 0 ||
    sums.notAuthorized > 0 ||
    sums.startup > 0 ||
    sums.requests > 0 ||
    sums.rejected > 0 ||
    sums.application >= APPLICATION_ERRORS.fail;
  const atMax = capacity.filter((c) => c.atMax).length;
  const signals: SignalEvidence = {
    errorCount: sums.errors,
    connectivityErrors: sums.connectivity,
    connectivityErrorsRecent: sums.recentConnectivity,
    applicationErrors: sums.application,
    failedRequests: sums.requests,
    rejectedRequests: sums.rejected,
    servicesAtMaxInstances: atMax,
    startupFailures: sums.startup,
    tooManyClients: sums.tooManyClients,
    sqlNotAuthorized: sums.notAuthorized,
    logsTruncated: truncated,
  };
  if (truncated) details.push(`Stopped reading at ${LOG_CAP} entries per service: counts are lower bounds.`);
  return {
    check: 'logs',
    status: failing ? 'fail' : sums.application >= APPLICATION_ERRORS.warn || atMax > 0 ? 'warn' : 'ok',
    summary: summarise(sums, signatures, truncated ? '+' : '', capacity),
    details,
    evidence: { ...signals, ...perService },
  };
}

/** "backend: ran 20 of max 20 instances; 134 requests rejected with "no available instance"." */
function capacityLine(c: ServiceCapacity, rejected: number): string {
  const ran =
    c.peakInstances !== undefined
      ? `ran ${c.peakInstances} of max ${c.maxInstances ?? '?'} instances`
      : `instances not measured (${c.gap ?? 'not read'})`;
  return `${c.service}: ${ran}; ${rejected} requests rejected with "no available instance" in 30 min.`;
}

/**
 * The Cloud Logging filter for one service since `since`: its errors, system warnings and the
 * request log's 429s and 500s (Cloud Run logs a rejection for lack of an instance at WARNING).
 */
export function logFilter(project: string, service: string, since: Date): string {
  const systemLog = `projects/${project}/logs/run.googleapis.com%2Fvarlog%2Fsystem`;
  const requestLog = `projects/${project}/logs/run.googleapis.com%2Frequests`;
  const rejected = REJECTED_STATUSES.map((status) => `httpRequest.status=${status}`).join(' OR ');
  return [
    'resource.type="cloud_run_revision"',
    `resource.labels.service_name="${service}"`,
    `timestamp>="${since.toISOString()}"`,
    `(severity>=ERROR OR (logName="${systemLog}" AND severity>=WARNING) OR (logName="${requestLog}" AND (${rejected})))`,
  ].join(' AND ');
}

async function readService(context: CheckContext, service: string): Promise<ServiceLogs> {
  const since = new Date(context.now.getTime() - LOG_WINDOW_MS);
  const [logs, capacity] = await Promise.all([
    readEntries(context, service, since),
    collectCapacity(context, service, since),
  ]);
  return { ...logs, capacity };
}

async function readEntries(context: CheckContext, service: string, since: Date): Promise<ServiceLogs> {
  const { gateway, environment, signal } = context;
  const filter = logFilter(environment.project, service, since);
  const entries: LogEntry[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const pageSize = Math.min(LOG_CAP - entries.length, 1000);
    const result = await needs(
      'logging.logEntries.list',
      gateway.listLogEntries({ projectId: environment.project, filter, pageSize, pageToken }, { signal }),
    );
    entries.push(...result.entries);
    pageToken = result.nextPageToken || undefined;
    if (!pageToken || entries.length >= LOG_CAP) break;
  }
  const truncated = entries.length > LOG_CAP || (entries.length === LOG_CAP && pageToken !== undefined);
  return { service, entries: entries.slice(0, LOG_CAP), truncated };
}

/** Cloud Logging for every service over the last 30 minutes, with how close each came to its max instances. */
export const logsCheck: Check = {
  name: 'logs',
  run: (context) =>
    runJudged('logs', context, async (ctx) => {
      const services = await Promise.all(ctx.environment.services.map((s) => readService(ctx, s)));
      return judgeLogs(services, ctx.now);
    }),
};
