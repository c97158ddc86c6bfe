import { BOT_ACTOR, type Incident, type NewTimelineEntry } from '../../../src/incident/incident';
import { contactsOf } from '../../unit/incident/contacts-of';
import { DeskHarness } from './desk-harness';
import { expectPagesOfWholeTimeline } from './timeline-pages';

let harness: DeskHarness;
beforeEach(() => {
  harness = new DeskHarness();
});
afterEach(() => harness.close());

/** Notes one second into the incident, `count` of them. */
const notes = (incident: Incident, count: number): NewTimelineEntry[] =>
  Array.from({ length: count }, (_, i) => ({
    ...harness.entry(incident, 1 / 60, 'note'),
    text: `note ${i}`,
  }));

/**
 * An incident whose state is current (the primary tier paged through the store), then a page of
 * the secondary tier, its acknowledgement, a status update and a note recorded late with an
 * earlier time, all written without the script.
 */
async function incidentWithOldEntries(): Promise<Incident> {
  const incident = await harness.openIncident();
  await harness.addNotes(incident, 30);
  await harness.page(incident, 'primary', ['U0ONCALL'], 1);
  await harness.store.state(incident.id);
  await harness.xaddWithoutScript(incident, [
    harness.entry(incident, 20, 'page', { tier: 'secondary', users: ['U0SUPPORT'], contact: 'gcp-support' }),
    {
      ...harness.entry(incident, 25, 'ack', { tier: 'secondary', user: 'U0SUPPORT', paged: true }),
      actor: 'U0SUPPORT',
    },
    { ...harness.entry(incident, 30, 'status'), text: 'Written by the previous version' },
    { ...harness.entry(incident, 0.5, 'note'), text: 'Recorded late' },
  ]);
  return incident;
}

/** What the state and the index hold, to compare before and after a read. */
async function stored(incident: Incident) {
  return {
    state: await harness.redis.hgetall(harness.key(incident, 'state')),
    index: await harness.redis.lrange(harness.key(incident, 'timelineByTime'), 0, -1),
  };
}

/** Every entry of the stream is in the index, once. */
async function expectIndexOfWholeTimeline(incident: Incident): Promise<void> {
  const { index } = await stored(incident);
  const ids = index.map((item) => item.slice(item.indexOf(':') + 1));
  const all = await harness.store.timelineByTime(incident.id);
  expect(ids).toEqual(all.map((entry) => entry.id));
}

describe('entries written to the timeline without the store’s script', () => {
  it('show in /incident contacts, the latest status and who was paged', async () => {
    const incident = await incidentWithOldEntries();
    const contacts = await harness.store.contacts(incident.id);
    expect(contacts).toEqual(contactsOf(await harness.store.timelineByTime(incident.id)));
    expect(contacts.tiers.secondary).toMatchObject({ pageCount: 1, ack: { user: 'U0SUPPORT' } });
    expect((await harness.store.state(incident.id)).latestStatus).toEqual({
      text: 'Written by the previous version',
      at: harness.entry(incident, 30, 'status').at,
      actor: BOT_ACTOR,
    });
    await expect(harness.desk.pagedTiers(incident, 'U0SUPPORT')).resolves.toEqual(['secondary']);
  });

  it('show on the timeline pages in time order, the late note among the earliest', async () => {
    const incident = await incidentWithOldEntries();
    await expectPagesOfWholeTimeline(harness, incident);
    const first = await harness.store.timelineSlice(incident.id, { first: 0, count: 100 });
    expect(first.entries.map((e) => e.text).indexOf('Recorded late')).toBe(31);
    await expectIndexOfWholeTimeline(incident);
  });

  it('are folded once: a second read changes nothing and sends one command', async () => {
    const incident = await incidentWithOldEntries();
    await harness.store.contacts(incident.id);
    const once = await stored(incident);
    const reads = {
      state: () => harness.store.state(incident.id, 'U0SUPPORT'),
      contacts: () => harness.store.contacts(incident.id),
      slice: () => harness.store.timelineSlice(incident.id, { first: 0, count: 10 }),
    };
    for (const [name, read] of Object.entries(reads)) {
      const sent = await harness.commandsOf(read);
      expect({ name, sent: sent.length }).toEqual({ name, sent: 1 });
    }
    expect(await stored(incident)).toEqual(once);
    expect((await harness.store.contacts(incident.id)).tiers.secondary.pageCount).toBe(1);
    await expectIndexOfWholeTimeline(incident);
  });

  it('are folded once when several reads catch up at the same time', async () => {
    const incident = await incidentWithOldEntries();
    await harness.xaddWithoutScript(incident, notes(incident, 2500));
    await Promise.all([
      harness.store.contacts(incident.id),
      harness.store.state(incident.id),
      harness.store.timelineSlice(incident.id, { first: 0, count: 1 }),
      harness.desk.pagedTiers(incident, 'U0SUPPORT'),
    ]);
    const timeline = await harness.store.timelineByTime(incident.id);
    await expect(harness.store.contacts(incident.id)).resolves.toEqual(contactsOf(timeline));
    await expectIndexOfWholeTimeline(incident);
  });

  it('are caught up a page of 1,000 at a time when there are more', async () => {
    const incident = await incidentWithOldEntries();
    await harness.xaddWithoutScript(incident, [
      ...notes(incident, 2500),
      { ...harness.entry(incident, 40, 'status'), text: 'After 2,500 notes' },
    ]);
    const sent = await harness.commandsOf(() => harness.store.state(incident.id));
    const pages = sent.filter(({ name }) => name === 'xrange');
    expect(pages.map(({ args }) => args.slice(-2))).toEqual([
      ['COUNT', '1000'],
      ['COUNT', '1000'],
      ['COUNT', '1000'],
    ]);
    expect((await harness.store.state(incident.id)).latestStatus?.text).toBe('After 2,500 notes');
    await expectIndexOfWholeTimeline(incident);
    await expectPagesOfWholeTimeline(harness, incident);
  });

  it('keep their place in arrival order when the store appends before a read catches up', async () => {
    const incident = await incidentWithOldEntries();
    await harness.store.append(incident.id, {
      ...harness.entry(incident, 30, 'status'),
      text: 'Through the store',
    });
    // Two updates of the same time: the later to arrive is the latest.
    expect((await harness.store.state(incident.id)).latestStatus?.text).toBe('Through the store');
    await expectIndexOfWholeTimeline(incident);
    await expect(harness.store.contacts(incident.id)).resolves.toEqual(
      contactsOf(await harness.store.timelineByTime(incident.id)),
    );
  });
});
