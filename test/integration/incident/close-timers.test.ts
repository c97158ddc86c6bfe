import type { Job } from 'bullmq';
import { incidentProcessor } from '../../../src/incident/incident-jobs';
import { openIncident } from '../../../src/incident/open-incident';
import { DeskHarness } from './desk-harness';

const OTHER_TIMERS = 3000;

let harness: DeskHarness;
beforeEach(() => {
  harness = new DeskHarness();
});
afterEach(() => harness.close());

/** An incident opened by the open job: it pages the primary tier and sets its timers. */
async function openedIncident(title: string) {
  const incidentId = `inc-${title.replace(/\W/g, '').toLowerCase()}${Date.now().toString(36)}`;
  return openIncident(harness.deps, {
    incidentId,
    title,
    severity: 'P1',
    environment: 'staging',
    openedBy: 'U0CMDR',
    originChannel: 'C0OPS',
    openedAt: new Date().toISOString(),
  });
}

const timerIdsOf = async (incidentId: string) =>
  (await harness.queue.getDelayed(0, -1))
    .filter((job) => job.data?.incidentId === incidentId)
    .map((job) => `${job.name} ${job.id}`)
    .sort();

describe('closing an incident', () => {
  it('removes its own timers by id and looks at no other incident’s jobs', async () => {
    const incident = await openedIncident('Staging answers 503');
    await harness.desk.phase(incident, 'U0CMDR', 'restoration', 'phase-1');
    const mine = await timerIdsOf(incident.id);
    expect(mine.map((timer) => timer.split(' ')[0])).toEqual([
      'ack-timeout',
      'executive',
      'phase-check',
      'phase-check',
    ]);
    // Many other incidents with timers of their own.
    await harness.queue.addBulk(
      Array.from({ length: OTHER_TIMERS }, (_, i) => ({
        name: 'ack-timeout',
        data: { incidentId: `inc-other${i}`, tier: 'primary', pageId: 'open' },
        opts: { jobId: `inc-other${i}.ack.open`, delay: 3_600_000 },
      })),
    );
    const getDelayed = jest.spyOn(harness.queue, 'getDelayed');

    const sent = await harness.commandsOf(() =>
      harness.desk.close(incident, 'U0CMDR', 'Connector recreated'),
    );

    expect(getDelayed).not.toHaveBeenCalled();
    getDelayed.mockRestore();
    // The close itself, the timer ids, one removal per timer, the close job: not one per job
    // queued, and replies that do not grow with the other incidents' jobs.
    expect(sent.length).toBeLessThanOrEqual(mine.length + 6);
    expect(sent.reduce((bytes, command) => bytes + command.replyBytes, 0)).toBeLessThan(4096);
    expect(await timerIdsOf(incident.id)).toEqual([]);
    expect(await harness.queue.getDelayedCount()).toBe(OTHER_TIMERS);
  }, 60_000);

  it('forgets a timer once it has run, and tracks the one it sets in its place', async () => {
    const incident = await openedIncident('Logins fail');
    const executive = await harness.queue.getJob(`${incident.id}.executive`);
    if (!executive) throw new Error('the open job set no executive timer');
    // Run early: not due yet, so it sets itself again for when it is.
    await expect(incidentProcessor(harness.deps)(executive as Job)).resolves.toBe('none');
    const tracked = await harness.redis.smembers(harness.key(incident, 'timers'));
    expect(tracked).not.toContain(`${incident.id}.executive`);
    expect(tracked).toEqual(expect.arrayContaining([expect.stringMatching(/\.executive\.\d+$/)]));
  });
});
