import type { LogEntry } from '../../gcp/cloud-gateway';
import type { Check, CheckContext } from '../finding';
import { needs } from './cannot-run';
import { toMillis } from './google-values';
import type { Judgement } from './judgement';
import { classifyEntry, messageOf, normaliseMessage } from './log-classify';
import type { SignalEvidence } from './signals';
import { runJudged } from './with-deadline';

export const LOG_WINDOW_MS = 30 * 60_000;
/** Entries read per service at most; beyond it counts are reported as "1000+". */
export const LOG_CAP = 1000;
/** Application errors from which the check fails rather than warns. */
export const APPLICATION_ERRORS_FAIL = 10;
// A page may come back empty with a token; never follow more than this many.
const MAX_PAGES = 20;

/** The entries read for one service. */
export interface ServiceLogs {
  service: string;
  entries: LogEntry[];
  /** Paging stopped at the cap; counts are lower bounds. */
  truncated: boolean;
}

interface Tally {
  errors: number;
  connectivity: number;
  application: number;
  startup: number;
  tooManyClients: number;
  signatures: Map<string, number>;
  messages: Map<string, number>;
}

const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
const top = (map: Map<string, number>, n: number) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n);

function tally(entries: readonly LogEntry[], since: number): Tally {
  const t: Tally = {
    errors: 0,
    connectivity: 0,
    application: 0,
    startup: 0,
    tooManyClients: 0,
    signatures: new Map(),
    messages: new Map(),
  };
  for (const entry of entries) {
    const at = toMillis(entry.timestamp);
    if (at !== undefined && at < since) continue;
    const { kind, signature } = classifyEntry(entry);
    if (kind === 'ignore') continue;
    if (kind === 'startup') t.startup += 1;
    else {
      t.errors += 1;
      if (kind === 'connectivity') t.connectivity += 1;
      else t.application += 1;
    }
    if (signature) bump(t.signatures, signature);
    if (signature === 'too many clients') t.tooManyClients += 1;
    bump(t.messages, normaliseMessage(messageOf(entry)));
  }
  return t;
}

/** Judges error counts, connectivity signatures and start-up failures per service. Pure. */
export function judgeLogs(services: readonly ServiceLogs[], now: Date): Judgement {
  const since = now.getTime() - LOG_WINDOW_MS;
  const sums = { errors: 0, connectivity: 0, application: 0, startup: 0, tooManyClients: 0 };
  const details: string[] = [];
  const signatures = new Map<string, number>();
  const truncated = services.some((s) => s.truncated);
  for (const { service, entries, truncated: capped } of services) {
    const t = tally(entries, since);
    for (const key of Object.keys(sums) as (keyof typeof sums)[]) sums[key] += t[key];
    for (const [label, count] of t.signatures) signatures.set(label, (signatures.get(label) ?? 0) + count);
    const plus = capped ? '+' : '';
    details.push(
      `${service}: ${t.errors}${plus} errors (${t.connectivity} connectivity, ${t.application} application), ${t.startup} start-up failures.`,
    );
    for (const [message, count] of top(t.messages, 3)) details.push(`${service}: ${count}× ${message}`);
  }
  const plus = truncated ? '+' : '';
  const status =
    sums.connectivity > 0 || sums.startup > 0 || sums.application >= APPLICATION_ERRORS_FAIL
      ? 'fail'
      : sums.application > 0
        ? 'warn'
        : 'ok';
  const named = top(signatures, 2).map(([label, count]) => `${label} ×${count}`);
  const parts = [
    `${sums.errors}${plus} errors in 30 min`,
    sums.connectivity > 0 ? `${sums.connectivity} connectivity (${named.join(', ')})` : undefined,
    sums.errors > 0 ? `${sums.application} application` : undefined,
    sums.startup > 0 ? `${sums.startup} start-up failures` : undefined,
  ].filter(Boolean);
  const signals: SignalEvidence = {
    errorCount: sums.errors,
    connectivityErrors: sums.connectivity,
    applicationErrors: sums.application,
    startupFailures: sums.startup,
    tooManyClients: sums.tooManyClients,
    logsTruncated: truncated,
  };
  return {
    check: 'logs',
    status,
    summary:
      sums.errors === 0 && sums.startup === 0
        ? `no errors in 30 min across ${services.length} services`
        : parts.join(', '),
    details: truncated
      ? [...details, `Stopped reading at ${LOG_CAP} entries per service: counts are lower bounds.`]
      : details,
    evidence: signals,
  };
}

/** The Cloud Logging filter for one service's errors and system warnings since `since`. */
export function logFilter(project: string, service: string, since: Date): string {
  const systemLog = `projects/${project}/logs/run.googleapis.com%2Fvarlog%2Fsystem`;
  return [
    'resource.type="cloud_run_revision"',
    `resource.labels.service_name="${service}"`,
    `timestamp>="${since.toISOString()}"`,
    `(severity>=ERROR OR (logName="${systemLog}" AND severity>=WARNING))`,
  ].join(' AND ');
}

async function readService(context: CheckContext, service: string): Promise<ServiceLogs> {
  const { gateway, environment, signal } = context;
  const filter = logFilter(environment.project, service, new Date(context.now.getTime() - LOG_WINDOW_MS));
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

/** Cloud Logging for every service over the last 30 minutes. */
export const logsCheck: Check = {
  name: 'logs',
  run: (context) =>
    runJudged('logs', context, async () => {
      const services = await Promise.all(context.environment.services.map((s) => readService(context, s)));
      return judgeLogs(services, context.now);
    }),
};
