import type { Incident } from '../../../src/incident/incident';
import { TIMELINE_SLICE_SIZE } from '../../../src/incident/render-timeline';
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
    (await harness.redis.xlen(harness.key(incident, 'timeline'))) / TIMELINE_SLICE_SIZE,
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

/** The check that the state has folded every entry: nothing after `newest`, the stream's newest id. */
const isCurrentCheck = (newest: string) => (command: ExecutedCommand) =>
  command.name === 'xrange' && command.args[1] === `(${newest}` && command.args[2] === '+';

/**
 * Stream entries Redis read: each XRANGE or XREVRANGE of one id reads one, the check that nothing
 * came after `newest` none; anything wider counts as its COUNT, or as the whole stream.
 */
function entriesRead(executed: ExecutedCommand[], newest: string): number {
  return executed
    .filter(({ name }) => /^x(rev)?range$|^xread$/.test(name))
    .reduce((sum, command) => {
      const { name, args } = command;
      if (isCurrentCheck(newest)(command)) return sum;
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
 * What `commandsOf` sent in an incident of 30,000 entries, checked to be `figures` per command, as
 * in one of 10 (after a first incident that loads the scripts), with no unbounded stream read.
 * `before` runs on each incident first.
 */
async function longAsShort(
  commandsOf: (incident: Incident) => Promise<Record<string, CommandLog>>,
  figures: Record<string, number>,
  before: (incident: Incident) => Promise<unknown> = async () => {},
): Promise<Record<string, CommandLog>> {
  const sent = async (notes: number) => {
    const incident = await incidentWith(notes);
    await before(incident);
    return commandsOf(incident);
  };
  await sent(0);
  const short = await sent(SHORT);
  const long = await sent(LONG);
  expect(counts(short)).toEqual(figures);
  expect(counts(long)).toEqual(figures);
  expect(unboundedStreamReads(long)).toEqual([]);
  return long;
}

describe('the incident commands on the ack path', () => {
  it('send the same few Redis commands for an incident of 30,000 entries as for one of 10', async () => {
    // Each read of the state is one script call, which first checks that it has folded every entry.
    const long = await longAsShort(ackPath, { pagedTiers: 1, ack: 3, status: 4, phase: 7, escalate: 3 });
    // Nothing reads the timeline: the state hash answers.
    expect(streamReads(long)).toEqual([]);
  }, 60_000);

  it('include /incident timeline and /incident contacts: the same few commands at 10 and 30,000 entries', async () => {
    const long = await longAsShort(readingCommands, {
      timeline: 1,
      'timeline 2': 1,
      'timeline <latest>': 1,
      contacts: 1,
    });
    // What comes back is a page of entries or the contacts, not the timeline.
    for (const log of Object.values(long)) {
      expect(log.reduce((sum, { replyBytes }) => sum + replyBytes, 0)).toBeLessThan(16 * 1024);
    }
  }, 60_000);

  it('read at most a page of entries, scripts included, however long the timeline', async () => {
    const incident = await incidentWith(LONG);
    await harness.reply(incident, 'timeline');
    const total = await harness.redis.xlen(harness.key(incident, 'timeline'));
    const latest = Math.ceil(total / TIMELINE_SLICE_SIZE);
    const pages = {
      timeline: TIMELINE_SLICE_SIZE,
      'timeline 2': TIMELINE_SLICE_SIZE,
      [`timeline ${latest}`]: total - (latest - 1) * TIMELINE_SLICE_SIZE,
      contacts: 0,
    };
    const newest =
      (await harness.redis.xrevrange(harness.key(incident, 'timeline'), '+', '-', 'COUNT', 1))[0]?.[0] ?? '';
    for (const [line, entries] of Object.entries(pages)) {
      const executed = await harness.executedOf(() => harness.reply(incident, line));
      expect({ line, entriesRead: entriesRead(executed, newest) }).toEqual({ line, entriesRead: entries });
      expect({ line, checks: executed.filter(isCurrentCheck(newest)).length }).toEqual({ line, checks: 1 });
      expect({ line, wide: wideRangeReads(executed) }).toEqual({ line, wide: [] });
    }
  }, 60_000);

  it('catch up on entries written without the script in the same few commands at 10 and 30,000 entries', async () => {
    const written = (incident: Incident) =>
      harness.xaddWithoutScript(incident, [
        harness.entry(incident, 40, 'page', { tier: 'executive', users: ['U0VP'], contact: 'leadership' }),
        { ...harness.entry(incident, 41, 'status'), text: 'Written by the previous version' },
      ]);
    // The check finds them, a page after `seen` is read and folded, and the read runs again.
    const caughtUp = await longAsShort(
      async (incident) => ({
        pagedTiers: await harness.commandsOf(() => harness.desk.pagedTiers(incident, 'U0VP')),
        again: await harness.commandsOf(() => harness.desk.pagedTiers(incident, 'U0VP')),
      }),
      { pagedTiers: 4, again: 1 },
      written,
    );
    expect(caughtUp.pagedTiers.map(({ name }) => name)).toEqual(['evalsha', 'xrange', 'evalsha', 'evalsha']);
    const timeline = await longAsShort(
      async (incident) => ({ timeline: await harness.commandsOf(() => harness.reply(incident, 'timeline')) }),
      { timeline: 4 },
      written,
    );
    expect(streamReads(timeline)).toHaveLength(1);
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
