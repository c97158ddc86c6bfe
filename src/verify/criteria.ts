/** The four success criteria of OUTAGE.md, each judged from what diagnostics already collects. */
import { setMaxListeners } from 'node:events';
import type { EnvironmentConfig } from '../config/schema';
import { describeFailure } from '../diag/checks/cannot-run';
import { collectService, judgeCloudRun } from '../diag/checks/cloud-run';
import { judgeService, type ServiceEvidence } from '../diag/checks/cloud-run-service';
import { judgeDatabase, probeDatabase } from '../diag/checks/database';
import { judgeHealth, probe } from '../diag/checks/health';
import { formatMs } from '../diag/checks/judgement';
import { DEFAULT_CHECK_DEADLINE_MS, untilAborted } from '../diag/checks/with-deadline';
import type { CloudGateway } from '../gcp/cloud-gateway';
import { runSteps, type StepResult } from './steps';
import type { CriterionResult } from './verify-result';
import { describeArrivals } from './websocket-step';

/** What a criterion concludes; the runner adds its name and timing. */
export type Criterion = Omit<CriterionResult, 'criterion' | 'durationMs'>;

export interface CriterionContext {
  environment: EnvironmentConfig;
  gateway: CloudGateway;
  env: NodeJS.ProcessEnv;
  now: Date;
  signal: AbortSignal;
  healthThresholdMs: number;
  databaseTargetMs: number;
}

const notChecked = (summary: string): Criterion => ({ status: 'not-checked', summary, details: [] });

/** Every health URL answers 2xx within the threshold. */
export async function checkHealth(c: CriterionContext): Promise<Criterion> {
  const { environment, healthThresholdMs: thresholdMs } = c;
  if (environment.healthChecks.length === 0) {
    return notChecked(`no health URLs configured: add healthChecks to environments.${environment.name}`);
  }
  const endpoints = await Promise.all(
    environment.healthChecks.map((check) => probe(check.name, check.url, thresholdMs, c.signal)),
  );
  const judgement = judgeHealth({ thresholdMs, endpoints }, c.now);
  const target = `(target: 200 within ${formatMs(thresholdMs)})`;
  if (judgement.status !== 'ok') {
    return { status: 'fail', summary: `${judgement.summary} ${target}`, details: judgement.details };
  }
  const statuses = new Set(endpoints.map((e) => e.status));
  const answered = statuses.size === 1 ? String([...statuses][0]) : '2xx';
  const slowest = endpoints.reduce((a, b) => (b.ms > a.ms ? b : a));
  const n = endpoints.length;
  return {
    status: 'pass',
    summary: `${n}/${n} endpoints ${answered}, slowest ${slowest.name} ${formatMs(slowest.ms)} ${target}`,
    details: judgement.details,
  };
}

/** A real connection to the database, made in under the target. Never shows the DSN. */
export async function checkDatabase(c: CriterionContext): Promise<Criterion> {
  const { environment, databaseTargetMs: targetMs } = c;
  const urlEnv = environment.database?.urlEnv;
  if (!urlEnv) {
    return notChecked(
      `no database probe configured: add database: { urlEnv: <VARIABLE> } to environments.${environment.name}`,
    );
  }
  const target = `(target: connected in under ${formatMs(targetMs)})`;
  const dsn = c.env[urlEnv];
  if (!dsn) {
    return {
      status: 'fail',
      summary: `cannot connect: environment variable ${urlEnv} is not set ${target}`,
      details: [
        `To resolve, set ${urlEnv} in Warroom's environment to a postgres:// DSN for a read-only user.`,
      ],
    };
  }
  const found = await probeDatabase(dsn, urlEnv, targetMs, c.signal);
  if (found.connected && found.connectMs !== undefined) {
    const fast = found.connectMs < targetMs;
    const took = `${found.target} in ${formatMs(found.connectMs)}`;
    return {
      status: fast ? 'pass' : 'fail',
      summary: `connected to ${took}${fast ? '' : ', slower than the target'} ${target}`,
      details: [`connected to ${took}, SELECT 1 ok`],
    };
  }
  const judgement = judgeDatabase(found, c.now, targetMs);
  // The judgement states the diagnostic target itself; ours follows in the same words everywhere.
  const what = (judgement.cannotRun?.reason ?? judgement.summary).replace(/ \(target < [^)]*\)/, '');
  const fix = judgement.cannotRun?.fix ? [`To resolve, ${judgement.cannotRun.fix}.`] : [];
  return { status: 'fail', summary: `${what} ${target}`, details: [...judgement.details, ...fix] };
}

/** Every configured Cloud Run service reports ready. */
export async function checkCloudRun(c: CriterionContext): Promise<Criterion> {
  const { environment } = c;
  const target = '(target: every service ready)';
  const signal = AbortSignal.any([c.signal, AbortSignal.timeout(DEFAULT_CHECK_DEADLINE_MS)]);
  setMaxListeners(200, signal); // every gateway call listens on it: two per service
  const context = {
    environmentName: environment.name,
    environment,
    gateway: c.gateway,
    signal,
    now: c.now,
    env: c.env,
  };
  let services: ServiceEvidence[];
  try {
    const reads = Promise.all(environment.services.map((name) => collectService(context, name)));
    services = await untilAborted(reads, signal);
  } catch (error) {
    const { reason, fix } = describeFailure(error);
    // describeFailure speaks for diagnostics; here the thing to run again is the verification.
    const how = fix ? `; to fix, ${fix.replace('the diagnosis', 'the verification')}` : '';
    return {
      status: 'fail',
      summary: `could not read Cloud Run: ${reason}${how} ${target}`,
      details: environment.services.map((name) => `${name}: not checked`),
    };
  }
  const expected = { region: environment.region, connector: environment.connector };
  const judgement = judgeCloudRun(services, expected, c.now);
  const details = services.map((service) => {
    const judged = judgeService(service, expected, c.now);
    if (judged.ready) return `${judged.name}: ready`;
    return `${judged.name}: not ready — ${(judged.problem ?? 'no readiness reported').replace(/^:\s*/, '')}`;
  });
  const n = services.length;
  return judgement.evidence.servicesNotReady === 0
    ? { status: 'pass', summary: `${n}/${n} services ready ${target}`, details }
    : { status: 'fail', summary: `${judgement.summary} ${target}`, details };
}

/** The configured steps (log in, ask for an AI response, watch its events) all answer as expected. */
export async function checkSteps(c: CriterionContext): Promise<Criterion> {
  const { steps } = c.environment.verify;
  if (steps.length === 0) {
    return notChecked(
      `no steps configured: add verify.steps to environments.${c.environment.name} (e.g. log in, then ask for an AI response)`,
    );
  }
  const results = await runSteps(steps, { env: c.env, signal: c.signal });
  const target = '(target: every step answers its expected status)';
  const details = results.map(stepLine);
  const passed = results.filter((r) => r.outcome === 'pass').length;
  const failed = results.find((r) => r.outcome === 'fail');
  if (!failed) {
    const slowest = results.reduce((a, b) => (b.ms > a.ms ? b : a));
    return {
      status: 'pass',
      summary: `${passed}/${results.length} steps passed, slowest ${slowest.name} ${formatMs(slowest.ms)} ${target}`,
      details,
    };
  }
  const skipped = results.filter((r) => r.outcome === 'skipped').length;
  const after = skipped > 0 ? `; ${skipped} later ${skipped === 1 ? 'step' : 'steps'} skipped` : '';
  return {
    status: 'fail',
    summary: `${passed}/${results.length} steps passed; ${failed.name} failed: ${failed.reason}${after} ${target}`,
    details,
  };
}

function stepLine(r: StepResult): string {
  const request = `${r.method} ${r.url}`;
  if (r.outcome === 'pass') {
    // On the same line: coverage counts one detail line per step.
    const events = r.events ? `; ${describeArrivals(r.events)}` : '';
    return `${r.name}: ${request} → ${r.status} in ${formatMs(r.ms)}${events}`;
  }
  if (r.outcome === 'fail') return `${r.name}: ${request} failed after ${formatMs(r.ms)}: ${r.reason}`;
  return `${r.name}: ${r.reason}`;
}
