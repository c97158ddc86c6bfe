import { type CountableQueue, countJobs } from '../../../src/metrics/queue-counts';

const answering = (name: string, waiting: number): CountableQueue => ({
  name,
  getJobCounts: async (...states) =>
    Object.fromEntries(states.map((s) => [s, s === 'waiting' ? waiting : 0])),
});

describe('countJobs', () => {
  it('counts every state of every queue', async () => {
    const counts = await countJobs([answering('diag', 2), answering('verify', 0)], 1000);
    expect(counts).toEqual([
      { queue: 'diag', counts: { waiting: 2, active: 0, delayed: 0, failed: 0, completed: 0 } },
      { queue: 'verify', counts: { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 } },
    ]);
  });

  it('leaves out a queue that does not answer in time, and does not wait for it', async () => {
    const hanging: CountableQueue = { name: 'incident', getJobCounts: () => new Promise(() => {}) };
    const started = Date.now();
    const counts = await countJobs([answering('diag', 1), hanging], 50);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(counts.map((c) => c.queue)).toEqual(['diag']);
  });

  it('leaves out a queue whose count fails', async () => {
    const failing: CountableQueue = {
      name: 'incident',
      getJobCounts: () => Promise.reject(new Error('Connection is closed.')),
    };
    expect(await countJobs([failing], 1000)).toEqual([]);
  });
});
