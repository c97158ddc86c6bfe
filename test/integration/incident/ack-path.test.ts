import type { Incident } from '../../../src/incident/incident';
import { type CommandLog, DeskHarness } from './desk-harness';

const LONG = 30_000;
const SHORT = 10;

let harness: DeskHarness;
beforeEach(() => {
  harness = new DeskHarness();
});
afterEach(() => harness.close());

/** An incident with `notes` entries of history, the primary and secondary tiers paged and a status posted. */
async function incidentWith(notes: number): Promise<Incident> {
  const incident = await harness.openIncident();
  await harness.addNotes(incident, notes);
  await harness.page(incident, 'primary', ['U0ONCALL'], 1);
  await harness.page(incident, 'secondary', ['U0SUPPORT', 'U0ONCALL'], 20);
  await harness.store.append(incident.id, {
    ...harness.entry(incident, 30, 'status'),
    text: 'Connector down',
  });
  return incident;
}

/** Each command of the ack path once, through the desk, with the Redis commands each sent. */
async function ackPath(incident: Incident): Promise<Record<string, CommandLog>> {
  const { desk } = harness;
  const run = (work: () => Promise<unknown>) => harness.commandsOf(work);
  return {
    pagedTiers: await run(() => desk.pagedTiers(incident, 'U0ONCALL')),
    ack: await run(() => desk.ack(incident, 'U0ONCALL')),
    status: await run(() => desk.status(incident, 'U0CMDR', 'Scaling the connector up', `st-${incident.id}`)),
    phase: await run(() => desk.phase(incident, 'U0CMDR', 'restoration', `ph-${incident.id}`)),
    escalate: await run(() => desk.escalate(incident, 'U0CMDR', `es-${incident.id}`)),
  };
}

const counts = (logs: Record<string, CommandLog>) =>
  Object.fromEntries(Object.entries(logs).map(([name, log]) => [name, log.length]));

/** Commands that read a stream: each must say how many entries at most. */
function unboundedStreamReads(logs: Record<string, CommandLog>): CommandLog {
  return Object.values(logs)
    .flat()
    .filter(({ name, args }) => /^x(rev)?range$|^xread$/.test(name) && !args.includes('COUNT'));
}

const streamReads = (logs: Record<string, CommandLog>) =>
  Object.values(logs)
    .flat()
    .filter(({ name }) => /^x(rev)?range$|^xread$/.test(name));

describe('the incident commands on the ack path', () => {
  it('send the same few Redis commands for an incident of 30,000 entries as for one of 10', async () => {
    // Scripts loaded and the queue's first-use checks done, on an incident of their own.
    await ackPath(await incidentWith(0));
    const short = await ackPath(await incidentWith(SHORT));
    const long = await ackPath(await incidentWith(LONG));

    expect(counts(long)).toEqual(counts(short));
    expect(Math.max(...Object.values(counts(long)))).toBeLessThanOrEqual(8);
    // Nothing reads the timeline: the state hash answers.
    expect(streamReads(long)).toEqual([]);
    expect(unboundedStreamReads(long)).toEqual([]);
  }, 60_000);

  it('still answers as the timeline says: who was paged, first pages, the highest tier', async () => {
    const incident = await incidentWith(SHORT);
    const { desk, store } = harness;
    await expect(desk.pagedTiers(incident, 'U0ONCALL')).resolves.toEqual(['primary', 'secondary']);
    await expect(desk.pagedTiers(incident, 'U0SUPPORT')).resolves.toEqual(['secondary']);
    await expect(desk.pagedTiers(incident, 'U0NOBODY')).resolves.toEqual([]);
    await expect(desk.ack(incident, 'U0ONCALL')).resolves.toEqual({ recorded: true, paged: true });
    await expect(desk.ack(incident, 'U0NOBODY')).resolves.toEqual({ recorded: true, paged: false });
    await expect(desk.escalate(incident, 'U0CMDR', 'esc-1')).resolves.toBe('executive');
    const timeline = await store.timelineByTime(incident.id);
    expect(timeline.filter((e) => e.kind === 'ack').map((e) => e.data)).toEqual([
      { tier: 'primary', user: 'U0ONCALL', paged: true },
      { user: 'U0NOBODY', paged: false },
    ]);
    expect(timeline.find((e) => e.kind === 'escalation')?.data).toEqual({
      from: 'secondary',
      to: 'executive',
      reason: 'manual',
    });
  });

  it('builds the state of an incident recorded before it existed once, then reads only the state', async () => {
    const incident = await incidentWith(2500);
    await harness.redis.del(harness.key(incident, 'state'));

    const first = await harness.commandsOf(() => harness.desk.pagedTiers(incident, 'U0ONCALL'));
    // Read a page of 1,000 at a time, each read bounded.
    expect(unboundedStreamReads({ first })).toEqual([]);
    expect(streamReads({ first }).length).toBeGreaterThanOrEqual(3);
    await expect(harness.desk.pagedTiers(incident, 'U0ONCALL')).resolves.toEqual(['primary', 'secondary']);

    const again = await ackPath(incident);
    expect(streamReads(again)).toEqual([]);
    const header = (await harness.store.state(incident.id)).latestStatus;
    expect(header?.text).toBe('Scaling the connector up');
  });
});
