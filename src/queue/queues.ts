import { type DefaultJobOptions, type Job, Queue, Worker } from 'bullmq';
import type { Logger } from '../log/logger';
import type { KeyPrefix } from './key-prefix';
import type { RedisClient } from './redis-client';

/** Finished jobs are kept long enough to inspect after an incident, and no longer. */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
};

export function createQueue<Data>(name: string, connection: RedisClient, prefix: KeyPrefix): Queue<Data> {
  const queue = new Queue<Data>(name, {
    connection,
    prefix: prefix.tag,
    defaultJobOptions: DEFAULT_JOB_OPTIONS,
  });
  // Connection trouble is reported once by the connection itself; without a listener it would crash.
  queue.on('error', () => {});
  return queue;
}

/**
 * Logs an error when it differs from the last one or a minute has passed: during a Redis outage
 * every worker reports the same failure on every retry.
 */
export function onceInAWhile(log: (reason: string) => void, intervalMs = 60_000): (reason: string) => void {
  let last = '';
  let at = 0;
  return (reason) => {
    const now = Date.now();
    if (reason === last && now - at < intervalMs) return;
    last = reason;
    at = now;
    log(reason);
  };
}

export type JobProcessor<Data> = (job: Job<Data>) => Promise<unknown>;

/** One attempt of a job that ended; `seconds` is how long the worker spent on it, when known. */
export interface JobFinished {
  queue: string;
  name: string;
  outcome: 'completed' | 'failed';
  seconds?: number;
}

/** Told about every attempt a worker finishes (metrics); optional. */
export interface JobObserver {
  jobFinished(job: JobFinished): void;
}

export interface WorkerOptions {
  connection: RedisClient;
  prefix: KeyPrefix;
  concurrency: number;
  log: Logger;
  observer?: JobObserver;
}

export function createWorker<Data>(
  name: string,
  processor: JobProcessor<Data>,
  options: WorkerOptions,
): Worker<Data> {
  const worker = new Worker<Data>(name, processor, {
    connection: options.connection,
    prefix: options.prefix.tag,
    concurrency: options.concurrency,
    // A job whose worker died (its lock not renewed) is handed to another within ~15 s.
    lockDuration: 10_000,
    stalledInterval: 5_000,
    maxStalledCount: 2,
  });
  const { observer } = options;
  worker.on('failed', (job, error) => {
    options.log.warn(
      { queue: name, jobId: job?.id, attempt: job?.attemptsMade, reason: error.message },
      'job failed',
    );
    if (job) observer?.jobFinished({ queue: name, name: job.name, outcome: 'failed', ...took(job) });
  });
  if (observer) {
    worker.on('completed', (job) =>
      observer.jobFinished({ queue: name, name: job.name, outcome: 'completed', ...took(job) }),
    );
  }
  const report = onceInAWhile((reason) => options.log.error({ queue: name, reason }, 'worker error'));
  worker.on('error', (error) => report(error.message));
  return worker;
}

/** How long the attempt ran: an attempt that will be retried has no finishedOn yet. */
function took(job: Job): { seconds?: number } {
  if (!job.processedOn) return {};
  return { seconds: Math.max(0, (job.finishedOn ?? Date.now()) - job.processedOn) / 1000 };
}

/**
 * Stops taking jobs and waits for the running ones; past the deadline they are handed back
 * (force-closed, so another worker picks them up once they are seen as stalled).
 */
export async function closeWorkers(
  workers: readonly Worker[],
  deadlineMs: number,
): Promise<'drained' | 'handed-back'> {
  let timer: NodeJS.Timeout | undefined;
  // allSettled: a worker whose connection Redis already closed has nothing left to hand back.
  const graceful = Promise.allSettled(workers.map((w) => w.close())).then(() => 'drained' as const);
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), deadlineMs);
  });
  const result = await Promise.race([graceful, deadline]);
  clearTimeout(timer);
  if (result === 'drained') return result;
  await Promise.allSettled(workers.map((w) => w.close(true)));
  return 'handed-back';
}
