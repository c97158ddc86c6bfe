import { escalationState } from '../../../src/incident/escalation';
import type { Incident } from '../../../src/incident/incident';
import { phaseSpentMs } from '../../../src/incident/incident-state';
import { phaseHistory } from '../../../src/incident/phases';
import {
  STORED_DATA_TEXT_MAX,
  STORED_ENTRY_TEXT_MAX,
  STORED_RESOLUTION_MAX,
  STORED_TITLE_MAX,
} from '../../../src/incident/stored-text';
import { DeskHarness } from './desk-harness';

let harness: DeskHarness;
beforeEach(() => {
  harness = new DeskHarness();
});
afterEach(() => harness.close());

/** Pages, acks, phase changes (one phase visited twice) and status updates, as the lifecycle writes them. */
async function eventful(incident: Incident): Promise<void> {
  const { store } = harness;
  const add = (minutes: number, kind: Parameters<DeskHarness['entry']>[2], data = {}, text?: string) =>
    store.append(incident.id, { ...harness.entry(incident, minutes, kind, data), ...(text ? { text } : {}) });
  await harness.page(incident, 'primary', ['U0ONCALL'], 1);
  await add(10, 'status', {}, 'Looking at the connector');
  await harness.page(incident, 'secondary', ['U0SUPPORT'], 20);
  await harness.page(incident, 'primary', ['U0ONCALL', 'U0LATE'], 30);
  await add(40, 'ack', { tier: 'secondary', user: 'U0SUPPORT', paged: true });
  await add(41, 'ack', { tier: 'primary', user: 'U0NOBODY', paged: false });
  await add(45, 'phase', { from: 'diagnostic', to: 'restoration' });
  await add(50, 'status', {}, 'Connector recreated');
  await add(60, 'phase', { from: 'restoration', to: 'diagnostic' });
  await add(70, 'phase', { from: 'diagnostic', to: 'restoration' });
  // Recorded late with an earlier time: not the latest update.
  await add(5, 'status', {}, 'Written late');
}

async function expectStateMatchesTimeline(incident: Incident, now: Date): Promise<void> {
  const state = await harness.store.state(incident.id, 'U0ONCALL');
  const timeline = await harness.store.timelineByTime(incident.id);
  const escalation = escalationState(timeline);
  for (const tier of ['primary', 'secondary', 'business', 'executive'] as const) {
    expect(state.tiers[tier]?.firstPagedAt).toBe(escalation.tiers[tier].firstPagedAt);
    expect(state.tiers[tier]?.ack).toEqual(
      escalation.tiers[tier].ack && {
        user: escalation.tiers[tier].ack?.user,
        at: escalation.tiers[tier].ack?.at,
      },
    );
  }
  const current = { ...incident, phase: state.phase.name };
  const history = phaseHistory(current, timeline, harness.config, now);
  expect(state.phase.name).toBe(history.current?.phase);
  expect(phaseSpentMs(state, state.phase.name, now)).toBe(
    history.phases.find((p) => p.name === state.phase.name)?.actualMs,
  );
  const latest = timeline.filter((e) => e.kind === 'status').at(-1);
  expect(state.latestStatus).toEqual({ text: latest?.text, at: latest?.at, actor: latest?.actor });
}

describe('the incident state hash', () => {
  it('follows pages, acknowledgements, phase visits and status updates as the timeline tells them', async () => {
    const incident = await harness.openIncident();
    await eventful(incident);
    const state = await harness.store.state(incident.id, 'U0ONCALL');
    expect(Object.keys(state.userPages)).toEqual(['primary']);
    expect(state.latestStatus?.text).toBe('Connector recreated');
    await expectStateMatchesTimeline(incident, new Date(Date.parse(incident.openedAt) + 90 * 60_000));
  });

  it('is built from the timeline, page by page, for an incident recorded before it existed', async () => {
    const incident = await harness.openIncident();
    await harness.addNotes(incident, 1500);
    await eventful(incident);
    await harness.addNotes(incident, 1500);
    const live = await harness.store.state(incident.id, 'U0LATE');
    await harness.redis.del(harness.key(incident, 'state'));

    // Entries appended while it is built are not lost.
    const [rebuilt] = await Promise.all([
      harness.store.state(incident.id, 'U0LATE'),
      harness.store.append(incident.id, { ...harness.entry(incident, 80, 'status'), text: 'Meanwhile' }),
    ]);
    expect(rebuilt.tiers).toEqual(live.tiers);
    expect(rebuilt.userPages).toEqual(live.userPages);
    expect(rebuilt.phase).toEqual(live.phase);
    const after = await harness.store.state(incident.id);
    expect(after.latestStatus?.text).toBe('Meanwhile');
    await expectStateMatchesTimeline(incident, new Date(Date.parse(incident.openedAt) + 90 * 60_000));
  });
});

describe('text the store keeps', () => {
  const long = (n: number) => 'x'.repeat(n + 100);

  it('is cut to one limit per field, ending in "…"', async () => {
    const incident = await harness.openIncident({ title: long(STORED_TITLE_MAX) });
    const { store } = harness;
    expect((await store.get(incident.id))?.title).toBe(`${'x'.repeat(STORED_TITLE_MAX - 1)}…`);
    expect((await store.update(incident.id, { title: long(STORED_TITLE_MAX) })).title).toHaveLength(
      STORED_TITLE_MAX,
    );

    const { entry } = await store.appendOnce(
      incident.id,
      {
        ...harness.entry(incident, 5, 'status'),
        text: long(STORED_ENTRY_TEXT_MAX),
        data: { evidence: [long(STORED_DATA_TEXT_MAX)], nested: { why: long(STORED_DATA_TEXT_MAX) }, n: 3 },
      },
      'status:long',
    );
    const stored = (await store.timelineByTime(incident.id)).find((e) => e.id === entry.id);
    if (!stored) throw new Error('the status entry was not stored');
    expect(stored).toEqual(entry);
    expect(stored.text).toHaveLength(STORED_ENTRY_TEXT_MAX);
    expect(stored.data).toEqual({
      evidence: [`${'x'.repeat(STORED_DATA_TEXT_MAX - 1)}…`],
      nested: { why: `${'x'.repeat(STORED_DATA_TEXT_MAX - 1)}…` },
      n: 3,
    });
    expect((await store.state(incident.id)).latestStatus?.text).toHaveLength(STORED_ENTRY_TEXT_MAX);

    const closed = await store.close(incident.id, new Date().toISOString(), long(STORED_RESOLUTION_MAX), {
      ...harness.entry(incident, 90, 'closed', { resolution: long(STORED_RESOLUTION_MAX) }),
      text: long(STORED_RESOLUTION_MAX),
    });
    expect(closed.incident.resolution).toHaveLength(STORED_RESOLUTION_MAX);
    expect(closed.incident.resolution?.endsWith('x…')).toBe(true);
  });

  it('never keeps half of an emoji', async () => {
    const incident = await harness.openIncident({ title: '🔥'.repeat(STORED_TITLE_MAX) });
    const title = (await harness.store.get(incident.id))?.title ?? '';
    expect(title.length).toBeLessThanOrEqual(STORED_TITLE_MAX);
    expect(title).toMatch(/^(🔥)+…$/u);
  });
});
