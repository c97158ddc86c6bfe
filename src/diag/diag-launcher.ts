import type { Queue } from 'bullmq';
import type { EnvironmentConfig } from '../config/schema';
import { whileQueueAvailable } from '../queue/queue-unavailable';
import type { RedisClient } from '../queue/redis-client';
import { shortDigest } from '../short-digest';
import { CHECKS } from './checks';
import { type DiagStartJobData, diagJobIds } from './diag-queue';
import type { DiagRunMeta } from './diag-run';
import type { RedisDiagRunStore } from './redis-diag-run-store';

export interface DiagRequest {
  environment: EnvironmentConfig;
  channelId: string;
  requestedBy: string;
  /** The invocation's id: a redelivered command maps to the same run. */
  invocationId: string;
  incidentId?: string;
}

export interface LaunchedDiag {
  runId: string;
  /** True when a run of this environment was already going in this channel and we joined it. */
  joined: boolean;
}

/** What commands need of diagnostics: start (or join) a run. */
export interface DiagStarter {
  launch(request: DiagRequest): Promise<LaunchedDiag>;
}

/**
 * Starts a diag run from the Slack handler: claims "the running diag" of the channel and
 * environment and queues one small start job, two Redis calls in all, so the ack stays fast under
 * load. A worker then records the run, posts its message and fans the checks out (diag-jobs.ts).
 */
export class DiagLauncher implements DiagStarter {
  constructor(
    private readonly deps: {
      redis: RedisClient;
      store: RedisDiagRunStore;
      startQueue: Queue<DiagStartJobData>;
      /** How long a run may hold "the running diag" of its channel and environment. */
      activeTtlMs: number;
    },
  ) {}

  /** Throws QueueUnavailableError, having started nothing, when Redis does not answer. */
  launch(request: DiagRequest): Promise<LaunchedDiag> {
    return whileQueueAvailable(this.deps.redis, () => this.start(request));
  }

  private async start(request: DiagRequest): Promise<LaunchedDiag> {
    const { store, startQueue } = this.deps;
    const env = request.environment;
    const runId = `d${shortDigest(request.invocationId, 12)}`;
    const holder = await store.claimActive(request.channelId, env.name, runId, this.deps.activeTtlMs);
    if (holder !== runId) return { runId: holder, joined: true };
    const meta: DiagRunMeta = {
      id: runId,
      environment: env.name,
      channelId: request.channelId,
      requestedBy: request.requestedBy,
      startedAt: new Date().toISOString(),
      checks: CHECKS.map((c) => c.name),
      ...(request.incidentId ? { incidentId: request.incidentId } : {}),
    };
    try {
      await startQueue.add('start', { meta }, { jobId: diagJobIds.start(runId) });
    } catch (error) {
      await store.releaseActive(request.channelId, env.name, runId).catch(() => {});
      throw error;
    }
    return { runId, joined: false };
  }
}
