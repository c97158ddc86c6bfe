import { createHash } from 'node:crypto';
import { FlowProducer } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RedisOutbox } from '../chat/outbox';
import type { EnvironmentConfig } from '../config/schema';
import { whileQueueAvailable } from '../queue/queue-unavailable';
import { DEFAULT_JOB_OPTIONS } from '../queue/queues';
import { checksFor } from './checks';
import { DIAG_CHECK_QUEUE, DIAG_QUEUE, type DiagCheckJobData, type DiagRunJobData } from './diag-jobs';
import { type DiagRunMeta, diagMessageKeys } from './diag-run';
import type { RedisDiagRunStore } from './diag-run-store';
import { renderDiagStatus } from './render-diag';

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
 * Starts a diag run as one BullMQ flow: a child job per check (they run in parallel, on any
 * worker) under a parent job that decides the verdict once all have reported. Only Redis is
 * touched here, so it is safe on Slack's ack path.
 */
export class DiagLauncher implements DiagStarter {
  private readonly flows: FlowProducer;

  constructor(
    private readonly deps: {
      redis: Redis;
      /** Already wrapped in a hash tag. */
      prefix: string;
      store: RedisDiagRunStore;
      outbox: RedisOutbox;
      /** How long a run may hold "the running diag" of its channel and environment. */
      activeTtlMs: number;
    },
  ) {
    this.flows = new FlowProducer({ connection: deps.redis, prefix: deps.prefix });
    // Connection trouble is reported by the connection, and each launch says it failed.
    this.flows.on('error', () => {});
  }

  /** Throws QueueUnavailableError, having started nothing, when Redis does not answer. */
  launch(request: DiagRequest): Promise<LaunchedDiag> {
    return whileQueueAvailable(this.deps.redis, () => this.start(request));
  }

  private async start(request: DiagRequest): Promise<LaunchedDiag> {
    const { store, outbox } = this.deps;
    const env = request.environment;
    const runId = `d${createHash('sha256').update(request.invocationId).digest('hex').slice(0, 12)}`;
    const holder = await store.claimActive(request.channelId, env.name, runId, this.deps.activeTtlMs);
    if (holder !== runId) return { runId: holder, joined: true };
    const meta: DiagRunMeta = {
      id: runId,
      environment: env.name,
      channelId: request.channelId,
      requestedBy: request.requestedBy,
      startedAt: new Date().toISOString(),
      checks: checksFor(env).map((c) => c.name),
      ...(request.incidentId ? { incidentId: request.incidentId } : {}),
    };
    const statusKey = diagMessageKeys.status(runId);
    try {
      await store.create(meta);
      // Shown before any check can run, so no newer state can be overwritten by this first render.
      await outbox.put(request.channelId, statusKey, renderDiagStatus({ ...meta, states: {}, findings: {} }));
      await this.flows.add({
        name: 'diag-run',
        queueName: DIAG_QUEUE,
        data: { runId } satisfies DiagRunJobData,
        opts: { ...DEFAULT_JOB_OPTIONS, jobId: runId },
        children: meta.checks.map((check) => ({
          name: check,
          queueName: DIAG_CHECK_QUEUE,
          data: { runId, check } satisfies DiagCheckJobData,
          // A check that fails for good must not hold up the verdict: the parent marks it "did not report".
          opts: {
            ...DEFAULT_JOB_OPTIONS,
            attempts: 2,
            jobId: `${runId}-${check}`,
            ignoreDependencyOnFailure: true,
          },
        })),
      });
    } catch (error) {
      await store.releaseActive(request.channelId, env.name, runId).catch(() => {});
      await outbox
        .put(request.channelId, statusKey, {
          text: `:x: The diagnosis of ${env.name} could not be queued; run it again.`,
        })
        .catch(() => {});
      throw error;
    }
    return { runId, joined: false };
  }

  async close(): Promise<void> {
    await this.flows.close();
  }
}
