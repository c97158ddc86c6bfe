/** The job states counted per queue for `warroom_queue_jobs`. */
export const COUNTED_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/** The one call made on a BullMQ queue to count its jobs (a `Queue` fits). */
export interface CountableQueue {
  readonly name: string;
  getJobCounts(...states: string[]): Promise<Record<string, number>>;
}

/**
 * Counts the jobs of every queue in parallel, giving up on whatever has not answered within
 * `timeoutMs`: while Redis is away its commands wait for the reconnection, and a scrape must not.
 * Queues that did not answer are left out of the result.
 */
export async function countJobs(
  queues: readonly CountableQueue[],
  timeoutMs: number,
): Promise<Array<{ queue: string; counts: Record<string, number> }>> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  try {
    const answers = await Promise.all(
      queues.map((queue) =>
        Promise.race([
          queue.getJobCounts(...COUNTED_STATES).then(
            (counts) => ({ queue: queue.name, counts }),
            () => undefined,
          ),
          deadline,
        ]),
      ),
    );
    return answers.filter((answer) => answer !== undefined);
  } finally {
    clearTimeout(timer);
  }
}
