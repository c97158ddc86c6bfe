import { type Job, UnrecoverableError } from 'bullmq';

/** The handler of one job name: given that name's data, and the job for its id and attempts. */
export type JobRoute<Data, Name extends string = string> = (
  data: Data,
  job: Job<Data, unknown, Name>,
) => Promise<unknown>;

/** One handler per job name of a queue whose jobs are `Jobs` (name → data). */
export type JobRoutes<Jobs> = { [N in keyof Jobs & string]: JobRoute<Jobs[N], N> };

/** Any job of a queue whose jobs are `Jobs`. */
export type QueueJob<Jobs> = Job<Jobs[keyof Jobs]>;

/**
 * The BullMQ processor of a queue: runs the handler of the job's name with its data. A name with
 * no handler fails the job at once: no retry would find one.
 */
export function routeJobs<Jobs>(
  queue: string,
  routes: JobRoutes<Jobs>,
): (job: QueueJob<Jobs>) => Promise<unknown> {
  return async (job) => {
    if (!Object.hasOwn(routes, job.name)) throw new UnrecoverableError(`unknown ${queue} job ${job.name}`);
    // The name was just checked against the routes, so the data is that route's.
    const route = routes[job.name as keyof Jobs & string] as JobRoute<unknown>;
    return route(job.data, job);
  };
}
