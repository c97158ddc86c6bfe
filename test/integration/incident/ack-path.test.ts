import type { Incident } from '../../../src/incident/incident';
import { TIMELINE_PAGE_SIZE } from '../../../src/incident/render-timeline';
import { type CommandLog, DeskHarness, type ExecutedCommand } from './desk-harness';

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

/**
 * The commands that only read, as typed (the first, second and latest page of the timeline, and
 * the contacts), with the Redis commands each sent.
 */
async function readingCommands(incident: Incident): Promise<Record<string, CommandLog>> {
  const latest = Math.ceil(
    (await harness.redis.xlen(harness.key(incident, 'timeline'))) / TIMELINE_PAGE_SIZE,
  );
  const run = (line: string) => harness.commandsOf(() => harness.reply(incident, line));
  return {
    timeline: await run('timeline'),
    'timeline 2': await run('timeline 2'),
    'timeline <latest>': await run(`timeline ${latest}`),
    contacts: await run('contacts'),
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

/** Stream entries Redis read: each XRANGE or XREVRANGE of one id reads one; anything wider counts as the whole stream. */
function entriesRead(executed: ExecutedCommand[]): number {
  return executed
    .filter(({ name }) => /^x(rev)?range$|^xread$/.test(name))
    .reduce((sum, { name, args }) => {
      if (name !== 'xread' && args[1] === args[2]) return sum + 1;
      const count = args.findIndex((arg) => arg.toUpperCase() === 'COUNT');
      return sum + (count < 0 ? Number.POSITIVE_INFINITY : Number(args[count + 1]));
    }, 0);
}

/** Range reads of a sorted set or a list wider than a page of the timeline (100 at most). */
function wideRangeReads(executed: ExecutedCommand[]): ExecutedCommand[] {
  return executed.filter(
    ({ name, args }) =>
      /^z(rev)?range$|^lrange$/.test(name) &&
      !(Number(args[2]) - Number(args[1]) < 100 && Number(args[1]) >= 0 && Number(args[2]) >= 0),
  );
}

/**
 * What `commandsOf` sent in an incident of 30,000 entries, checked to be as many per command as in
 * one of 10 (after a first incident that loads the scripts), at most `most`, with no unbounded
 * stream read.
 */
async function longAsShort(
  commandsOf: (incident: Incident) => Promise<Record<string, CommandLog>>,
  most: number,
): Promise<Record<string, CommandLog>> {
  await commandsOf(await incidentWith(0));
  const short = await commandsOf(await incidentWith(SHORT));
  const long = await commandsOf(await incidentWith(LONG));
  expect(counts(long)).toEqual(counts(short));
  expect(Math.max(...Object.values(counts(long)))).toBeLessThanOrEqual(most);
  expect(unboundedStreamReads(long)).toEqual([]);
  return long;
}

describe('the incident commands on the ack path', () => {
  it('send the same few Redis commands for an incident of 30,000 entries as for one of 10', async () => {
    const long = await longAsShort(ackPath, 8);
    // Nothing reads the timeline: the state hash answers.
    expect(streamReads(long)).toEqual([]);
  }, 60_000);

  it('include /incident timeline and /incident contacts: the same few commands at 10 and 30,000 entries', async () => {
    const long = await longAsShort(readingCommands, 2);
    // What comes back is a page of entries or the contacts, not the timeline.
    for (const log of Object.values(long)) {
      expect(log.reduce((sum, { replyBytes }) => sum + replyBytes, 0)).toBeLessThan(16 * 1024);
    }
  }, 60_000);

  it('read at most a page of entries, scripts included, however long the timeline', async () => {
    const incident = await incidentWith(LONG);
    await harness.reply(incident, 'timeline');
    const total = await harness.redis.xlen(harness.key(incident, 'timeline'));
    const latest = Math.ceil(total / TIMELINE_PAGE_SIZE);
    const pages = {
      timeline: TIMELINE_PAGE_SIZE,
      'timeline 2': TIMELINE_PAGE_SIZE,
      [`timeline ${latest}`]: total - (latest - 1) * TIMELINE_PAGE_SIZE,
      contacts: 0,
    };
    for (const [line, entries] of Object.entries(pages)) {
      const executed = await harness.executedOf(() => harness.reply(incident, line));
      expect({ line, entriesRead: entriesRead(executed) }).toEqual({ line, entriesRead: entries });
      expect({ line, wide: wideRangeReads(executed) }).toEqual({ line, wide: [] });
    }
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
