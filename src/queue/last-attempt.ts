import { type Job, UnrecoverableError } from 'bullmq';

/** What these read of a job: how many attempts it made of how many it has. */
export type AttemptCount = Pick<Job, 'attemptsMade' | 'opts'>;

/**
 * Inside a processor: true when this attempt is the job's last, so a failure now fails it for
 * good. For the work a retryable failure must still do on its last try; a failure no retry can
 * mend throws `UnrecoverableError` instead of asking.
 */
export function isLastAttempt(job: AttemptCount): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/** Inside a processor, about the error it is about to rethrow: true when BullMQ will not run the job again. */
export function failsForGood(job: AttemptCount, error: unknown): boolean {
  return isUnrecoverable(error) || isLastAttempt(job);
}

/**
 * In a worker's `failed` listener (BullMQ has counted the attempt by then): true when BullMQ gave
 * up on the job, its attempts spent or its failure unrecoverable; a job that stalled too often
 * is failed with an `UnrecoverableError` by the worker that picks it up next.
 */
export function failedForGood(job: AttemptCount, error: Error): boolean {
  return isUnrecoverable(error) || job.attemptsMade >= (job.opts.attempts ?? 1);
}

/** BullMQ recognises the error by its name too, so one thrown from another copy of the library counts. */
function isUnrecoverable(error: unknown): boolean {
  return (
    error instanceof UnrecoverableError || (error instanceof Error && error.name === 'UnrecoverableError')
  );
}
