import type { Check, CheckContext } from '../finding';
import { dsnParts, redact } from './dsn';
import { formatMs, type Judgement } from './judgement';
import type { SignalEvidence } from './signals';
import { DEFAULT_CHECK_DEADLINE_MS, runJudged } from './with-deadline';

/** OUTAGE.md success criterion: database connections established in under 35 s. */
export const DB_CONNECT_TARGET_MS = 35_000;
// Below the check's deadline, so pg's own timeout answers first and we can say "no connection in N s".
const DEFAULT_CONNECT_TIMEOUT_MS = DEFAULT_CHECK_DEADLINE_MS - 2_000;
const QUERY_TIMEOUT_MS = 5_000;

export type DbErrorKind =
  | 'timeout'
  | 'refused'
  | 'unreachable'
  | 'auth'
  | 'no-database'
  | 'too-many-clients'
  | 'starting-up'
  | 'query'
  | 'other';

/** What the connect probe observed. Never holds the DSN or a credential. */
export interface DatabaseProbe {
  /** host:port */
  target: string;
  /** The variable the DSN came from, for fixes. */
  urlEnv: string;
  connected: boolean;
  connectMs?: number;
  /** How long the failed attempt took. */
  elapsedMs?: number;
  errorKind?: DbErrorKind;
  /** The driver's message with credentials removed. */
  message?: string;
  connectTimeoutMs: number;
}

/** Sorts a pg / Node error by what it says about the path to the database. */
export function classifyDbError(error: unknown): DbErrorKind {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case '28P01':
    case '28000':
      return 'auth';
    case '3D000':
      return 'no-database';
    case '53300':
      return 'too-many-clients';
    case '57P03':
      return 'starting-up';
    case 'ECONNREFUSED':
      return 'refused';
    case 'ETIMEDOUT':
      return 'timeout';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'unreachable';
  }
  if (/timeout|terminated/i.test(message)) return 'timeout';
  if (/too many clients/i.test(message)) return 'too-many-clients';
  return 'other';
}

/** Judges the probe against the 35 s target; half of it warns. Pure. */
export function judgeDatabase(probe: DatabaseProbe, _now: Date, targetMs = DB_CONNECT_TARGET_MS): Judgement {
  const base = { check: 'database' as const, details: [] as string[] };
  const target = `target < ${formatMs(targetMs)}`;
  if (probe.connected && probe.connectMs !== undefined) {
    const ms = probe.connectMs;
    const status = ms > targetMs ? 'fail' : ms > targetMs / 2 ? 'warn' : 'ok';
    const signals: SignalEvidence = {
      dbConnected: true,
      dbReachable: true,
      dbConnectMs: Math.round(ms),
      dbErrorKind: null,
    };
    return {
      ...base,
      status,
      summary: `connected to ${probe.target} in ${formatMs(ms)} (${target}), SELECT 1 ok`,
      evidence: { ...signals, target: probe.target },
    };
  }
  const kind = probe.errorKind ?? 'other';
  const reachable =
    kind === 'auth' ||
    kind === 'no-database' ||
    kind === 'too-many-clients' ||
    kind === 'starting-up' ||
    kind === 'query';
  const evidence = {
    dbConnected: false,
    dbReachable: reachable,
    dbConnectMs: null,
    dbErrorKind: kind,
    tooManyClients: kind === 'too-many-clients' ? 1 : 0,
    target: probe.target,
  } satisfies SignalEvidence & Record<string, unknown>;
  const detail = probe.message ? [`Driver said: ${probe.message}`] : [];
  const answeredIn = probe.elapsedMs === undefined ? '' : ` in ${formatMs(probe.elapsedMs)}`;
  if (kind === 'auth' || kind === 'no-database') {
    // The server answered, so the path works; only the probe's own settings are wrong.
    const reason = `${probe.target} answered${answeredIn} but rejected the probe (${kind === 'auth' ? 'authentication failed' : 'database does not exist'})`;
    const fix = `update the DSN in ${probe.urlEnv}`;
    return {
      ...base,
      status: 'unknown',
      summary: `could not run: ${reason}`,
      details: detail,
      evidence,
      cannotRun: { reason, fix },
    };
  }
  const what: Record<DbErrorKind, string> = {
    timeout: `no connection to ${probe.target} within ${formatMs(probe.connectTimeoutMs)} (${target})`,
    refused: `connection refused by ${probe.target}`,
    unreachable: `${probe.target} unreachable`,
    'too-many-clients': `${probe.target} refused: too many clients`,
    'starting-up': `${probe.target} is starting up`,
    query: `connected to ${probe.target} but SELECT 1 failed`,
    other: `cannot connect to ${probe.target}`,
    auth: '',
    'no-database': '',
  };
  return { ...base, status: 'fail', summary: what[kind], details: detail, evidence };
}

/** Connects with pg, runs SELECT 1, and always closes; never throws. */
export async function probeDatabase(
  dsn: string,
  urlEnv: string,
  connectTimeoutMs: number,
  signal: AbortSignal,
): Promise<DatabaseProbe> {
  const { target, secrets } = dsnParts(dsn);
  const base = { target, urlEnv, connectTimeoutMs };
  // Loaded on first use: the Slack app imports this module for its constants and never connects.
  const { Client } = await import('pg');
  const client = new Client({
    connectionString: dsn,
    connectionTimeoutMillis: connectTimeoutMs,
    query_timeout: QUERY_TIMEOUT_MS,
  });
  client.on('error', () => undefined); // a late socket error after end() must not crash the process
  const onAbort = () => void client.end().catch(() => undefined);
  signal.addEventListener('abort', onAbort, { once: true });
  const started = performance.now();
  let connectMs: number | undefined;
  try {
    await client.connect();
    connectMs = performance.now() - started;
    await client.query('SELECT 1');
    return { ...base, connected: true, connectMs };
  } catch (error) {
    const kind = connectMs === undefined ? classifyDbError(error) : 'query';
    const message = redact(error instanceof Error ? error.message : String(error), secrets).slice(0, 300);
    return {
      ...base,
      connected: false,
      errorKind: kind,
      message,
      elapsedMs: connectMs ?? performance.now() - started,
    };
  } finally {
    signal.removeEventListener('abort', onAbort);
    await client.end().catch(() => undefined);
  }
}

export interface DatabaseCheckOptions {
  /** pg's connectionTimeoutMillis; kept below the check's deadline. */
  connectTimeoutMs?: number;
  targetMs?: number;
}

/** Connects to the environment's database with the DSN named in config. */
export function createDatabaseCheck(options: DatabaseCheckOptions = {}): Check {
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  return {
    name: 'database',
    run: (outer: CheckContext) =>
      runJudged('database', outer, async (context) => {
        const urlEnv = context.environment.database?.urlEnv;
        if (!urlEnv) {
          return {
            check: 'database',
            status: 'skipped',
            summary: 'no connect probe configured',
            details: [],
            evidence: {},
          };
        }
        const dsn = context.env[urlEnv];
        if (!dsn) {
          const reason = `environment variable ${urlEnv} is not set`;
          const fix = `set ${urlEnv} to a postgres:// DSN for a read-only user in Warroom's environment`;
          return {
            check: 'database',
            status: 'unknown',
            summary: `could not run: ${reason}`,
            details: [],
            evidence: {},
            cannotRun: { reason, fix },
          };
        }
        return judgeDatabase(
          await probeDatabase(dsn, urlEnv, connectTimeoutMs, context.signal),
          context.now,
          options.targetMs,
        );
      }),
  };
}

export const databaseCheck: Check = createDatabaseCheck();
