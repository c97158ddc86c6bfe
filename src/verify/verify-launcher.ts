import type { Queue } from 'bullmq';
import type { RedisOutbox } from '../chat/redis-outbox';
import type { EnvironmentConfig } from '../config/schema';
import type { Clock } from '../incident/clock';
import { BOT_ACTOR, type Incident } from '../incident/incident';
import type { RedisIncidentStore } from '../incident/redis-incident-store';
import type { Invocation } from '../invocation';
import { whileQueueAvailable } from '../queue/queue-unavailable';
import type { RedisClient } from '../queue/redis-client';
import { shortDigest } from '../short-digest';
import { describeCoverage } from './describe-coverage';
import type { RedisWatchStore, Watch, WatchTick } from './redis-watch-store';
import { renderWatch, watchVerdict } from './render-watch';
import {
  type VerifyJobData,
  verifyJobIds,
  verifyMessageKey,
  watchMessageKey,
  watchSchedulerId,
} from './verify-queue';

export interface VerifyStarter {
  /** Queues one verification; a redelivered command maps to the same run. */
  verify(request: {
    environment: EnvironmentConfig;
    invocation: Invocation;
    incident?: Incident;
  }): Promise<{ runId: string }>;
  /** Starts a watch (or joins the one running for the environment in this channel). */
  watch(request: {
    environment: EnvironmentConfig;
    durationMs: number;
    invocation: Invocation;
    incident: Incident;
  }): Promise<WatchStart>;
  /** Stops an incident's watches (it closed); the number stopped. */
  stopWatches(incidentId: string, why: string): Promise<number>;
}

/** A watch started, joined (one already runs here), or refused for covering fewer than two verifications. */
export type WatchStart =
  | { kind: 'started' | 'joined'; watch: Watch; coverage: string }
  | { kind: 'too-short'; minMs: number };

export interface VerifyLauncherDeps {
  redis: RedisClient;
  queue: Queue;
  watches: RedisWatchStore;
  incidents: RedisIncidentStore;
  outbox: RedisOutbox;
  clock: Clock;
  /** Between two verifications of a watch (default 1 min). */
  watchEveryMs: number;
}

const digest = (text: string) => shortDigest(text, 10);

/**
 * `/incident verify` on Slack's ack path: Redis only. A verification is a job; a watch is a
 * BullMQ job scheduler (kept in Redis, so it survives a restart of every process) that adds one
 * verification job per interval until it has made them all.
 */
export class VerifyLauncher implements VerifyStarter {
  constructor(private readonly deps: VerifyLauncherDeps) {}

  verify(request: { environment: EnvironmentConfig; invocation: Invocation; incident?: Incident }) {
    return whileQueueAvailable(this.deps.redis, async () => {
      const runId = `v${digest(request.invocation.id)}`;
      const data: VerifyJobData = {
        runId,
        environment: request.environment.name,
        channelId: request.invocation.channelId,
        requestedBy: request.invocation.userId,
        requestedAt: this.deps.clock.now().toISOString(),
        ...(request.incident ? { incidentId: request.incident.id } : {}),
      };
      await this.deps.outbox.put(data.channelId, verifyMessageKey(runId), {
        text: `:stethoscope: Verifying ${request.environment.name} against the success criteria…`,
      });
      await this.deps.queue.add('verify', data, { jobId: verifyJobIds.verify(runId), attempts: 2 });
      return { runId };
    });
  }

  watch(request: {
    environment: EnvironmentConfig;
    durationMs: number;
    invocation: Invocation;
    incident: Incident;
  }) {
    return whileQueueAvailable(this.deps.redis, async (): Promise<WatchStart> => {
      const { clock, watchEveryMs } = this.deps;
      if (request.durationMs < 2 * watchEveryMs) return { kind: 'too-short', minMs: 2 * watchEveryMs };
      const coverage = describeCoverage(
        { environment: request.environment.name, at: '', passed: false, criteria: [] },
        request.environment,
      );
      const now = clock.now();
      const candidate: Watch = {
        id: `w${digest(request.invocation.id)}`,
        environment: request.environment.name,
        channelId: request.invocation.channelId,
        incidentId: request.incident.id,
        requestedBy: request.invocation.userId,
        startedAt: now.toISOString(),
        endsAt: new Date(now.getTime() + request.durationMs).toISOString(),
        durationMs: request.durationMs,
        everyMs: watchEveryMs,
        totalTicks: Math.floor(request.durationMs / watchEveryMs) + 1,
        state: 'watching',
      };
      const watch = await this.deps.watches.claim(candidate);
      if (watch.id !== candidate.id) return { kind: 'joined', watch, coverage };
      await this.deps.incidents.appendOnce(
        request.incident.id,
        {
          at: watch.startedAt,
          actor: watch.requestedBy,
          kind: 'watch-started',
          text: `Watching ${watch.environment} for ${Math.round(watch.durationMs / 60_000)} min`,
          data: {
            watchId: watch.id,
            environment: watch.environment,
            durationMs: watch.durationMs,
            everyMs: watch.everyMs,
          },
        },
        `watch-started:${watch.id}`,
      );
      await this.deps.outbox.put(
        watch.channelId,
        watchMessageKey(watch.id),
        renderWatch(watch, [], coverage),
      );
      await this.deps.queue.upsertJobScheduler(
        watchSchedulerId(watch.id),
        { every: watch.everyMs, limit: watch.totalTicks },
        {
          name: 'watch-tick',
          data: { watchId: watch.id },
          opts: { attempts: 2, backoff: { type: 'fixed', delay: 1000 } },
        },
      );
      return { kind: 'started', watch, coverage };
    });
  }

  async stopWatches(incidentId: string, why: string): Promise<number> {
    let stopped = 0;
    for (const id of await this.deps.watches.forIncident(incidentId)) {
      const watch = await stopWatch(this.deps, id, why);
      if (watch) stopped++;
    }
    return stopped;
  }
}

/** Ends a watch early (its incident closed): the scheduler goes, the message says why. */
export function stopWatch(deps: WatchEndDeps, watchId: string, why: string): Promise<Watch | undefined> {
  return endWatch(deps, watchId, 'stopped', `stopped: ${why}`, (watch, ticks) => ({
    text: `Watch of ${watch.environment} stopped (${why}) after ${ticks.length} verification(s)`,
    passed: watchVerdict(watch, ticks).passed && ticks.length > 0,
  }));
}

export type WatchEndDeps = Pick<VerifyLauncherDeps, 'queue' | 'watches' | 'incidents' | 'outbox' | 'clock'>;

/**
 * Ends a watch once, whoever gets here first (the last tick, or its incident closing): removes its
 * scheduler, records the end on the incident's timeline and renders the final message. Undefined
 * when it had already ended.
 */
export async function endWatch(
  deps: WatchEndDeps,
  watchId: string,
  state: Exclude<Watch['state'], 'watching'>,
  outcome: string,
  describe: (watch: Watch, ticks: readonly WatchTick[]) => { text: string; passed: boolean },
  coverage?: string,
): Promise<Watch | undefined> {
  await deps.queue.removeJobScheduler(watchSchedulerId(watchId));
  const finished = await deps.watches.finish(watchId, state, deps.clock.now().toISOString(), outcome);
  if (!finished) return undefined;
  const ticks = await deps.watches.ticks(watchId);
  if (finished.incidentId) {
    const { text, passed } = describe(finished, ticks);
    await deps.incidents.appendOnce(
      finished.incidentId,
      {
        at: finished.finishedAt ?? deps.clock.now().toISOString(),
        actor: BOT_ACTOR,
        kind: 'watch-finished',
        text,
        data: { watchId, environment: finished.environment, passed, outcome },
      },
      `watch-finished:${watchId}`,
    );
  }
  // Read back: the record with the time the primary tier was paged, if it was.
  const watch = (await deps.watches.get(watchId)) ?? finished;
  await deps.outbox.put(watch.channelId, watchMessageKey(watchId), renderWatch(watch, ticks, coverage));
  return watch;
}
