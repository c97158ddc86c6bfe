import { Job, UnrecoverableError } from 'bullmq';
import { routeJobs } from '../../../src/queue/job-routes';

interface ExampleJobs {
  greet: { who: string };
  count: { n: number };
}

/** A job as a processor reads it (name, data, id), without the queue a stored job belongs to. */
function job(name: string, data: unknown): Job {
  const bare: Job = Object.create(Job.prototype);
  return Object.assign(bare, { name, data, id: `${name}-1` });
}

describe('a queue whose jobs are routed by name', () => {
  const seen: string[] = [];
  const processor = routeJobs<ExampleJobs>('example', {
    greet: async (data, job) => {
      seen.push(`${job.id}: hello ${data.who}`);
      return 'greeted';
    },
    count: async (data) => data.n + 1,
  });

  it('runs the handler of the job name with the job data and the job', async () => {
    await expect(processor(job('greet', { who: 'ops' }))).resolves.toBe('greeted');
    await expect(processor(job('count', { n: 41 }))).resolves.toBe(42);
    expect(seen).toEqual(['greet-1: hello ops']);
  });

  it.each(['wave', 'toString', '__proto__'])(
    'fails a %s job with an UnrecoverableError naming the queue, so BullMQ does not retry it',
    async (name) => {
      const failure = processor(job(name, {}));
      await expect(failure).rejects.toBeInstanceOf(UnrecoverableError);
      await expect(failure).rejects.toThrow(`unknown example job ${name}`);
    },
  );

  it('passes on what a handler throws, for BullMQ to retry', async () => {
    const failing = routeJobs<ExampleJobs>('example', {
      greet: async () => {
        throw new Error('Slack did not answer');
      },
      count: async () => 0,
    });
    const failure = failing(job('greet', { who: 'ops' }));
    await expect(failure).rejects.toThrow('Slack did not answer');
    await expect(failure).rejects.not.toBeInstanceOf(UnrecoverableError);
  });
});
