import type { Incident, NewTimelineEntry } from '../../../src/incident/incident';
import { renderContacts } from '../../../src/incident/render-contacts';
import { contactsOf } from '../../unit/incident/contacts-of';
import { DeskHarness } from './desk-harness';
import { expectPagesOfWholeTimeline } from './timeline-pages';

let harness: DeskHarness;
beforeEach(() => {
  harness = new DeskHarness();
});
afterEach(() => harness.close());

type Kind = NewTimelineEntry['kind'];

/** Appends an entry `minutes` into the incident, as the bot records it. */
function add(
  incident: Incident,
  minutes: number,
  kind: Kind,
  data: Record<string, unknown> = {},
  actor?: string,
) {
  const entry = harness.entry(incident, minutes, kind, data);
  return harness.store.append(incident.id, actor ? { ...entry, actor } : entry);
}

/**
 * 300 entries recorded in bursts of 100 (many in one stream millisecond, so stream ids count past
 * `-9` and `-10`) at 12 times per burst, and pins recorded late with earlier times: the orders of
 * arrival and of time differ everywhere, and many entries share a time.
 */
async function busyTimeline(incident: Incident): Promise<void> {
  for (let burst = 0; burst < 3; burst++) {
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        harness.store.append(incident.id, {
          ...harness.entry(incident, (i % 12) * 5 + burst + 1, 'note'),
          text: `note ${burst}.${i}`,
        }),
      ),
    );
    await add(incident, 59 - burst * 20, 'pin', {}, 'U0PINNER');
  }
}

/**
 * Everything `/incident contacts` shows, each list longer than it lists, recorded out of time
 * order and two at each time: pages for three reasons (the earliest recorded last), failed pages,
 * acknowledgements by people paged (a backdated one comes first), not paged, at no tier, escalations.
 */
async function eventfulContacts(incident: Incident, errorText = (i: number) => `user_not_found ${i}`) {
  await harness.page(incident, 'primary', ['U0ONCALL'], 10);
  await add(incident, 40, 'page', {
    tier: 'primary',
    contact: 'infra-oncall',
    users: ['U0ONCALL'],
    reason: 'timeout',
  });
  await add(incident, 2, 'page', {
    tier: 'primary',
    contact: 'infra-oncall',
    users: ['U0LATE'],
    reason: 'manual',
  });
  await harness.page(incident, 'secondary', ['U0SUPPORT', 'U0TOO'], 30);
  for (let i = 0; i < 14; i++) {
    // Two of each time, recorded apart.
    const minutes = 20 + ((i * 5) % 7);
    await add(incident, minutes, 'page-failed', {
      tier: 'primary',
      contact: 'infra-oncall',
      user: `U0GONE${i}`,
      error: errorText(i),
    });
    await add(
      incident,
      minutes,
      'ack',
      { tier: 'primary', user: `U0BYSTANDER${i}`, paged: false },
      `U0BYSTANDER${i}`,
    );
    await add(incident, minutes, 'ack', { user: `U0ELSE${i}`, paged: false }, `U0ELSE${i}`);
    await add(incident, minutes, 'escalation', { from: 'primary', to: 'secondary', reason: 'timeout' });
  }
  await add(incident, 45, 'ack', { tier: 'secondary', user: 'U0SUPPORT', paged: true }, 'U0SUPPORT');
  await add(incident, 35, 'ack', { tier: 'secondary', user: 'U0TOO', paged: true }, 'U0TOO');
  // Paged, naming no tier: it belongs to the tier that paged them.
  await add(incident, 50, 'ack', { user: 'U0LATE', paged: true }, 'U0LATE');
}

describe('/incident timeline', () => {
  it('shows each page as the whole timeline ordered by time would, for entries recorded in any order', async () => {
    const incident = await harness.openIncident();
    await busyTimeline(incident);
    await expectPagesOfWholeTimeline(harness, incident);
  });

  it('pages an incident recorded before the index existed, and entries recorded while it is built', async () => {
    const incident = await harness.openIncident();
    await busyTimeline(incident);
    await harness.addNotes(incident, 2200);
    await harness.redis.del(harness.key(incident, 'state'), harness.key(incident, 'timelineByTime'));

    await Promise.all([harness.reply(incident, 'timeline 3'), add(incident, 0.5, 'pin', {}, 'U0MEANWHILE')]);
    await expectPagesOfWholeTimeline(harness, incident);
  }, 30_000);

  it('includes the close, and pages a closed incident', async () => {
    const incident = await harness.openIncident();
    await busyTimeline(incident);
    await harness.desk.close(incident, 'U0CMDR', 'connector recreated');
    const reply = await harness.reply(incident, 'timeline 13');
    expect(reply.text).toBe('Timeline, page 13 of 13: entries 301–305 of 305');
    await expect(harness.reply(incident, `timeline ${'9'.repeat(30)}`)).resolves.toMatchObject({
      text: 'There is no page 1e+30: the timeline has 13 pages (305 entries). Try `/incident timeline 13` for the latest.',
    });
    await expectPagesOfWholeTimeline(harness, incident);
  });
});

describe('/incident contacts', () => {
  it('knows what the whole timeline says, lists cut to their earliest entries', async () => {
    const incident = await harness.openIncident();
    await eventfulContacts(incident);
    const contacts = await harness.store.contacts(incident.id);
    expect(contacts).toEqual(contactsOf(await harness.store.timelineByTime(incident.id)));
    expect(contacts.tiers.primary.reasons).toEqual(['manual', 'open', 'timeout']);
    expect(contacts.tiers.primary.failures.total).toBe(14);
    expect(contacts.tiers.secondary.ack?.user).toBe('U0TOO');
  });

  it('answers as it did from the whole timeline, long error text included', async () => {
    const incident = await harness.openIncident();
    // 8 bytes a group after 3: the 800 bytes kept end inside a 🔥.
    const error = (i: number) => `xxx${'é🔥&<'.repeat(1500)} ${i}`;
    await eventfulContacts(incident, error);
    const kept = (await harness.store.contacts(incident.id)).tiers.primary.failures.items[0]?.error ?? '';
    expect(Buffer.byteLength(kept)).toBe(797);
    expect(error(0).startsWith(kept)).toBe(true);
    await harness.desk.close(incident, 'U0CMDR', 'connector recreated');
    const reply = await harness.reply(incident, 'contacts');
    const timeline = await harness.store.timelineByTime(incident.id);
    expect(reply).toEqual(renderContacts(harness.config, contactsOf(timeline), new Date()));
    const shown = JSON.stringify(reply.blocks);
    expect(shown).toContain('…and 4 more');
    expect(shown).toContain('The incident closed');
  });

  it('is built for an incident whose state an earlier version kept, or that has none', async () => {
    const incident = await harness.openIncident();
    await eventfulContacts(incident);
    await harness.addNotes(incident, 1500);
    await add(incident, 80, 'page', {
      tier: 'executive',
      contact: 'leadership',
      users: ['U0VP'],
      reason: 'executive',
    });
    const live = await harness.store.contacts(incident.id);
    const expected = contactsOf(await harness.store.timelineByTime(incident.id));
    expect(live).toEqual(expected);

    // The state of version 1 (no contacts, no index) under the key it used.
    const state = harness.key(incident, 'state');
    const retired = harness.retiredStateKeys(incident);
    await harness.redis.rename(state, retired[0]);
    await harness.redis.del(harness.key(incident, 'timelineByTime'));
    await harness.redis.hdel(
      retired[0],
      'seen',
      'pages:primary',
      'failed:primary',
      'failed:primary:n',
      'others',
    );
    await harness.redis.hset(retired[0], 'v', '1');
    await expect(harness.store.contacts(incident.id)).resolves.toEqual(expected);
    await expect(harness.store.timelineSlice(incident.id, { first: 0, count: 1 })).resolves.toMatchObject({
      total: await harness.redis.xlen(harness.key(incident, 'timeline')),
    });
    // Built beside it, it replaces it.
    await expect(harness.redis.exists(...retired)).resolves.toBe(0);

    await harness.redis.del(state);
    await expect(harness.store.contacts(incident.id)).resolves.toEqual(expected);
  }, 30_000);
});
