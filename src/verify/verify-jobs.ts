import type { Queue } from 'bullmq';
import type { RedisOutbox } from '../chat/redis-outbox';
import type { Config, EnvironmentConfig } from '../config/schema';
import type { CloudGateway } from '../gcp/cloud-gateway';
import type { Clock } from '../incident/clock';
import { BOT_ACTOR } from '../incident/incident';
import { addIncidentJob } from '../incident/incident-deps';
import { incidentJobIds } from '../incident/incident-queue';
import type { RedisIncidentStore } from '../incident/redis-incident-store';
import type { Logger } from '../log/logger';
import { routeJobs } from '../queue/job-routes';
import { describeCoverage } from './describe-coverage';
import type { RedisWatchStore, WatchTick } from './redis-watch-store';
import { renderVerifyResult } from './render-verify';
import { renderWatch, watchVerdict } from './render-watch';
import { runVerification } from './verify';
import { endWatch, stopWatch } from './verify-launcher';
import {
  VERIFY_QUEUE,
  type VerifyJobData,
  type VerifyJobs,
  verifyMessageKey,
  watchMessageKey,
  watchSchedulerId,
} from './verify-queue';
import type { VerifyResult } from './verify-result';

export interface VerifyJobDeps {
  queue: Queue;
  /** The incident queue: a watch's first failure pages the primary tier through it. */
  incidentQueue: Queue;
  watches: RedisWatchStore;
  incidents: RedisIncidentStore;
  outbox: RedisOutbox;
  gateway: CloudGateway;
  config: Config;
  clock: Clock;
  log: Logger;
  /** The variables Warroom was started with (`${env:…}` of steps, the DSN variable). */
  env: Readonly<Record<string, string | undefined>>;
  /** Tests shorten the 10 s health threshold. */
  healthThresholdMs?: number;
}

function verifyEnvironment(deps: VerifyJobDeps, environment: EnvironmentConfig): Promise<VerifyResult> {
  return runVerification({
    environment,
    gateway: deps.gateway,
    env: deps.env,
    now: deps.clock.now(),
    ...(deps.healthThresholdMs ? { healthThresholdMs: deps.healthThresholdMs } : {}),
  });
}

/** "health: 1/3 endpoints failing: …" for each failing criterion. */
const failingLines = (result: VerifyResult) =>
  result.criteria.filter((c) => c.status === 'fail').map((c) => `${c.criterion}: ${c.summary}`);

async function verifyOnce(deps: VerifyJobDeps, data: VerifyJobData): Promise<string> {
  const environment = deps.config.environments[data.environment];
  if (!environment) {
    await deps.outbox.put(data.channelId, verifyMessageKey(data.runId), {
      text: `:x: ${data.environment} is no longer configured; nothing was verified.`,
    });
    return 'unknown environment';
  }
  const result = await verifyEnvironment(deps, environment);
  await deps.outbox.put(
    data.channelId,
    verifyMessageKey(data.runId),
    renderVerifyResult(result, { requestedBy: data.requestedBy }),
  );
  if (data.incidentId) {
    const failing = failingLines(result);
    await deps.incidents.appendOnce(
      data.incidentId,
      {
        at: result.at,
        actor: data.requestedBy,
        kind: 'verification',
        text: result.passed
          ? `${data.environment} meets every success criterion checked`
          : `${data.environment} fails: ${failing.join('; ')}`,
        data: { environment: data.environment, passed: result.passed, failing },
      },
      `verification:${data.runId}`,
    );
  }
  return result.passed ? 'passed' : 'failed';
}

/**
 * One verification of a watch. A tick records its result once (keyed by the scheduler's job id),
 * pages the primary tier on the watch's first failure, keeps the watch's message current and,
 * on the last tick, ends the watch with its verdict.
 */
async function watchTick(deps: VerifyJobDeps, watchId: string, tickKey: string): Promise<string> {
  const watch = await deps.watches.get(watchId);
  if (watch?.state !== 'watching') {
    await deps.queue.removeJobScheduler(watchSchedulerId(watchId));
    return 'ended';
  }
  const incident = watch.incidentId ? await deps.incidents.get(watch.incidentId) : undefined;
  if (incident?.status === 'closed') {
    await stopWatch(deps, watchId, 'the incident closed');
    return 'stopped';
  }
  const environment = deps.config.environments[watch.environment];
  if (!environment) {
    await stopWatch(deps, watchId, `${watch.environment} is no longer configured`);
    return 'stopped';
  }
  if (!(await deps.watches.seen(watchId, tickKey))) {
    const result = await verifyEnvironment(deps, environment);
    const tick: WatchTick = { at: result.at, passed: result.passed, failing: failingLines(result) };
    await deps.watches.addTick(watchId, tickKey, tick);
    if (!tick.passed && incident && (await deps.watches.markPaged(watchId, result.at))) {
      const why = `${watch.environment} at ${result.at.slice(11, 19)} UTC: ${tick.failing.join('; ')}`.slice(
        0,
        480,
      );
      await deps.incidents.appendOnce(
        incident.id,
        {
          at: result.at,
          actor: BOT_ACTOR,
          kind: 'verification',
          text: `Watch ${watchId}: first failure — ${tick.failing.join('; ')}`,
          data: { environment: watch.environment, passed: false, failing: tick.failing, watchId },
        },
        `verification:watch:${watchId}`,
      );
      await addIncidentJob(
        { queue: deps.incidentQueue },
        'page',
        {
          incidentId: incident.id,
          tier: 'primary',
          reason: 'verification',
          pageId: `watch.${watchId}`,
          actor: BOT_ACTOR,
          note: why,
        },
        { jobId: incidentJobIds.watchPage(incident.id, watchId), attempts: 5 },
      );
    }
  }
  const ticks = await deps.watches.ticks(watchId);
  const current = (await deps.watches.get(watchId)) ?? watch;
  const coverage = describeCoverage(
    { environment: watch.environment, at: '', passed: true, criteria: [] },
    environment,
  );
  const last = ticks.length >= watch.totalTicks || deps.clock.now().getTime() >= Date.parse(watch.endsAt);
  if (!last) {
    await deps.outbox.put(watch.channelId, watchMessageKey(watchId), renderWatch(current, ticks, coverage));
    return `tick ${ticks.length}/${watch.totalTicks}`;
  }
  const verdict = watchVerdict(watch, ticks);
  await endWatch(
    deps,
    watchId,
    verdict.passed ? 'passed' : 'failed',
    verdict.outcome,
    () => ({ text: `Watch of ${watch.environment}: ${verdict.outcome}`, passed: verdict.passed }),
    coverage,
  );
  deps.log.info({ watchId, environment: watch.environment, passed: verdict.passed }, 'watch finished');
  return verdict.passed ? 'passed' : 'failed';
}

/** The processor of the verify queue. */
export function verifyProcessor(deps: VerifyJobDeps) {
  return routeJobs<VerifyJobs>(VERIFY_QUEUE, {
    verify: (data) => verifyOnce(deps, data),
    // A tick records its result under the id the scheduler gave its job.
    'watch-tick': (data, job) => watchTick(deps, data.watchId, job.id ?? String(job.timestamp)),
  });
}
