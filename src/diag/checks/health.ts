import type { Check } from '../finding';
import { redact } from './dsn';
import { formatMs, type Judgement } from './judgement';
import type { SignalEvidence } from './signals';
import { runJudged } from './with-deadline';

/** OUTAGE.md success criterion: every health endpoint answers 200 within 10 s. */
export const HEALTH_THRESHOLD_MS = 10_000;

/** What one GET returned. */
export interface EndpointResult {
  name: string;
  /** Origin and path only: a query string may hold a token. */
  url: string;
  status?: number;
  ms: number;
  /** Why there was no response: `timeout` (threshold passed), `deadline`, or a network error code. */
  error?: string;
}

export interface HealthEvidence {
  thresholdMs: number;
  endpoints: EndpointResult[];
}

const passed = (r: EndpointResult, thresholdMs: number) =>
  r.status !== undefined && r.status >= 200 && r.status < 300 && r.ms <= thresholdMs;

function describe(r: EndpointResult, thresholdMs: number): string {
  if (r.status !== undefined) return `${r.name} ${r.status} in ${formatMs(r.ms)}`;
  if (r.error === 'timeout') return `${r.name} no answer within ${formatMs(thresholdMs)}`;
  if (r.error === 'deadline') return `${r.name} no answer before the check's deadline`;
  return `${r.name} ${r.error ?? 'failed'} after ${formatMs(r.ms)}`;
}

/** Judges every endpoint: 2xx within the threshold passes, anything else fails. Pure. */
export function judgeHealth(evidence: HealthEvidence, _now: Date): Judgement {
  const { thresholdMs, endpoints } = evidence;
  const failing = endpoints.filter((r) => !passed(r, thresholdMs));
  const signals: SignalEvidence = { healthTotal: endpoints.length, healthFailing: failing.length };
  const perEndpoint = Object.fromEntries(
    endpoints.flatMap((r) => [
      [`ms:${r.name}`, Math.round(r.ms)],
      [`status:${r.name}`, r.status ?? r.error ?? null],
    ]),
  );
  const slowest = [...endpoints].sort((a, b) => b.ms - a.ms)[0];
  const summary =
    failing.length > 0
      ? `${failing.length}/${endpoints.length} endpoints failing: ${failing.map((r) => describe(r, thresholdMs)).join(', ')}`
      : `${endpoints.length}/${endpoints.length} endpoints OK${slowest ? `, slowest ${describe(slowest, thresholdMs)}` : ''}`;
  return {
    check: 'health',
    status: failing.length > 0 ? 'fail' : 'ok',
    summary,
    details: endpoints.map((r) => `${describe(r, thresholdMs)} (${r.url})`),
    evidence: { ...signals, ...perEndpoint },
  };
}

/** The URL without credentials or query, for messages. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** GETs one endpoint and times it; never rejects. */
export async function probe(
  name: string,
  url: string,
  thresholdMs: number,
  deadline: AbortSignal,
): Promise<EndpointResult> {
  const started = performance.now();
  const slow = AbortSignal.timeout(thresholdMs);
  const base = { name, url: displayUrl(url) };
  try {
    const response = await fetch(url, {
      signal: AbortSignal.any([deadline, slow]),
      headers: { 'user-agent': 'warroom-diag' },
    });
    const ms = performance.now() - started;
    await response.body?.cancel().catch(() => undefined); // the status is the answer; free the socket
    return { ...base, status: response.status, ms };
  } catch (error) {
    const ms = performance.now() - started;
    if (slow.aborted) return { ...base, ms, error: 'timeout' };
    if (deadline.aborted) return { ...base, ms, error: 'deadline' };
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    const reason =
      typeof cause?.code === 'string' ? cause.code : error instanceof Error ? error.message : String(error);
    // A network error may quote the URL, whose query can carry a key.
    return { ...base, ms, error: redact(reason, [url]) };
  }
}

/** Options for the health check; tests shorten the threshold. */
export interface HealthCheckOptions {
  thresholdMs?: number;
}

/** GETs every configured health endpoint in parallel and times it. */
export function createHealthCheck(options: HealthCheckOptions = {}): Check {
  const thresholdMs = options.thresholdMs ?? HEALTH_THRESHOLD_MS;
  return {
    name: 'health',
    run: (outer) =>
      runJudged('health', outer, async (context) => {
        const checks = context.environment.healthChecks;
        if (checks.length === 0) {
          return {
            check: 'health',
            status: 'skipped',
            summary: 'no health checks configured',
            details: [],
            evidence: {},
          };
        }
        const endpoints = await Promise.all(
          checks.map((c) => probe(c.name, c.url, thresholdMs, context.signal)),
        );
        return judgeHealth({ thresholdMs, endpoints }, context.now);
      }),
  };
}

export const healthCheck: Check = createHealthCheck();
