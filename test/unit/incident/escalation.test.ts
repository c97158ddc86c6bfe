import type { Config, Contact, ContactTier } from '../../../src/config/schema';
import {
  decideExecutive,
  decideOnAckTimeout,
  escalationState,
  nextTier,
  tiersInOrder,
} from '../../../src/incident/escalation';
import type { TimelineEntry } from '../../../src/incident/incident';
import { entry, incidentFixture } from './fixtures';

const MIN = 60_000;
const HOUR = 60 * MIN;
const OPENED = '2026-03-31T22:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(OPENED) + minutes * MIN).toISOString();
const now = (minutes: number) => new Date(at(minutes));

const contact = (name: string, tier: ContactTier, slack: string[]): Contact => ({ name, tier, slack });
const ALL: Contact[] = [
  contact('infra-oncall', 'primary', ['UPRIMARY']),
  contact('gcp-support', 'secondary', ['USECOND']),
  contact('product', 'business', ['UPRODUCT']),
  contact('leadership', 'executive', ['UEXEC']),
];
function config(contacts: Contact[] = ALL): Pick<Config, 'contacts' | 'escalation'> {
  return { contacts, escalation: { ackTimeoutMs: 15 * MIN, executiveAfterMs: 4 * HOUR } };
}

const incident = incidentFixture({ commander: 'UPRIMARY', openedBy: 'UPRIMARY', openedAt: OPENED });

const page = (minutes: number, tier: ContactTier, users: string[], reason = 'open') =>
  entry('page', at(minutes), { tier, contact: `${tier}-contact`, users, reason });
const ack = (minutes: number, user: string, tier: ContactTier | undefined, paged: boolean) =>
  entry('ack', at(minutes), { ...(tier ? { tier } : {}), user, paged }, user);
const escalate = (minutes: number, from: ContactTier, to: ContactTier) =>
  entry('escalation', at(minutes), { from, to, reason: 'timeout' });

describe('tiersInOrder', () => {
  it('lists tiers that have contacts, primary first, whatever the file order', () => {
    const contacts = [ALL[3], ALL[1], ALL[0]];
    expect(tiersInOrder({ contacts })).toEqual(['primary', 'secondary', 'executive']);
  });

  it('is empty without contacts', () => {
    expect(tiersInOrder({ contacts: [] })).toEqual([]);
  });
});

describe('nextTier', () => {
  it.each([
    ['primary', undefined, 'secondary'],
    ['business', undefined, 'executive'],
    ['executive', undefined, undefined],
    ['primary', ['primary', 'business'], 'business'],
    ['secondary', ['primary', 'executive'], 'executive'],
    ['business', ['primary', 'business'], undefined],
  ] as const)('after %s among %p is %p', (current, tiers, expected) => {
    expect(nextTier(current, tiers)).toBe(expected);
  });
});

describe('escalationState', () => {
  const timeline = [
    page(0, 'primary', ['UPRIMARY', 'UBACKUP']),
    entry('page-failed', at(0), {
      tier: 'primary',
      contact: 'infra-oncall',
      user: 'UGONE',
      error: 'user_not_found',
    }),
    ack(3, 'UBYSTANDER', 'primary', false),
    escalate(15, 'primary', 'secondary'),
    page(15, 'secondary', ['USECOND'], 'timeout'),
    ack(19, 'UBACKUP', 'primary', true),
    ack(21, 'USECOND', undefined, true),
    ack(22, 'UPRIMARY', 'primary', true),
    ack(23, 'UWATCHER', undefined, false),
  ];
  const state = escalationState(timeline);

  it('measures time to ack per tier from the first page to the first ack by someone paged', () => {
    expect(state.tiers.primary).toMatchObject({ firstPagedAt: at(0), timeToAckMs: 19 * MIN });
    expect(state.tiers.primary.ack).toMatchObject({ user: 'UBACKUP', at: at(19) });
    expect(state.tiers.secondary).toMatchObject({ firstPagedAt: at(15), timeToAckMs: 6 * MIN });
    expect(state.tiers.business.pages).toEqual([]);
  });

  it('attributes a paged ack that names no tier to the latest page that reached the user', () => {
    expect(state.tiers.secondary.ack).toMatchObject({ user: 'USECOND', tier: 'secondary', paged: true });
  });

  it('lists acks by people who were not paged, with the tier they answered or on their own', () => {
    expect(state.tiers.primary.unpagedAcks).toEqual([
      { at: at(3), user: 'UBYSTANDER', tier: 'primary', paged: false },
    ]);
    expect(state.otherAcks).toEqual([{ at: at(23), user: 'UWATCHER', paged: false }]);
  });

  it('records failed pages and escalations away from a tier', () => {
    expect(state.tiers.primary.failures).toEqual([
      { at: at(0), contact: 'infra-oncall', user: 'UGONE', error: 'user_not_found' },
    ]);
    expect(state.tiers.primary.escalations).toEqual([{ at: at(15), to: 'secondary', reason: 'timeout' }]);
  });

  it('ignores entries whose data is malformed', () => {
    const odd = escalationState([
      entry('page', at(0), { tier: 'boss', users: ['U1'] }),
      entry('ack', at(1), { paged: true }),
    ]);
    expect(Object.values(odd.tiers).every((t) => t.pages.length === 0 && !t.ack)).toBe(true);
  });
});

describe('decideOnAckTimeout', () => {
  it.each([
    {
      name: 'escalates to the next tier when nobody acknowledged',
      timeline: [page(0, 'primary', ['UPRIMARY'])],
      tier: 'primary',
      expected: { action: 'escalate', to: 'secondary' },
    },
    {
      name: 'does nothing when someone paged acknowledged',
      timeline: [page(0, 'primary', ['UPRIMARY']), ack(4, 'UPRIMARY', 'primary', true)],
      tier: 'primary',
      expected: { action: 'none', reason: 'acked' },
    },
    {
      name: 'does nothing when an earlier tier acknowledged after this one was paged',
      timeline: [
        page(0, 'primary', ['UPRIMARY']),
        page(10, 'secondary', ['USECOND']),
        ack(12, 'UPRIMARY', 'primary', true),
      ],
      tier: 'secondary',
      expected: { action: 'none', reason: 'acked' },
    },
    {
      name: 'still escalates when only someone who was not paged acknowledged',
      timeline: [page(0, 'primary', ['UPRIMARY']), ack(4, 'UBYSTANDER', 'primary', false)],
      tier: 'primary',
      expected: { action: 'escalate', to: 'secondary' },
    },
    {
      name: 'does nothing at the last tier',
      timeline: [page(0, 'executive', ['UEXEC'])],
      tier: 'executive',
      expected: { action: 'none', reason: 'last-tier' },
    },
    {
      name: 'does nothing once the incident is closed',
      timeline: [page(0, 'primary', ['UPRIMARY']), entry('closed', at(10), { resolution: 'fixed' })],
      tier: 'primary',
      expected: { action: 'none', reason: 'closed' },
    },
    {
      name: 'does nothing when the escalation was already recorded (a timer firing twice)',
      timeline: [page(0, 'primary', ['UPRIMARY']), escalate(15, 'primary', 'secondary')],
      tier: 'primary',
      expected: { action: 'none', reason: 'already-escalated' },
    },
    {
      name: 'does nothing when the next tier was paged since (by hand)',
      timeline: [page(0, 'primary', ['UPRIMARY']), page(5, 'secondary', ['USECOND'], 'manual')],
      tier: 'primary',
      expected: { action: 'none', reason: 'already-escalated' },
    },
    {
      name: 'waits for the latest page when the tier was paged again',
      timeline: [page(0, 'primary', ['UPRIMARY']), page(10, 'primary', ['UPRIMARY'], 'manual')],
      tier: 'primary',
      expected: { action: 'none', reason: 'not-due', dueAt: at(25) },
    },
    {
      name: 'does nothing for a tier that was never paged',
      timeline: [page(0, 'primary', ['UPRIMARY'])],
      tier: 'business',
      expected: { action: 'none', reason: 'not-paged' },
    },
  ] as const)('$name', ({ timeline, tier, expected }) => {
    expect(decideOnAckTimeout(escalationState(timeline), tier, now(16), config())).toEqual(expected);
  });

  it('skips tiers without contacts', () => {
    const state = escalationState([page(0, 'primary', ['UPRIMARY'])]);
    const contacts = [ALL[0], ALL[3]];
    expect(decideOnAckTimeout(state, 'primary', now(15), config(contacts))).toEqual({
      action: 'escalate',
      to: 'executive',
    });
  });

  it('escalates down the chain one tier per timeout and stops at the last', () => {
    const timeline: TimelineEntry[] = [page(0, 'primary', ['UPRIMARY'])];
    let tier: ContactTier = 'primary';
    const pagedTiers: ContactTier[] = ['primary'];
    for (let minute = 15; minute <= 120; minute += 15) {
      const decision = decideOnAckTimeout(escalationState(timeline), tier, now(minute), config());
      if (decision.action !== 'escalate') break;
      timeline.push(escalate(minute, tier, decision.to), page(minute, decision.to, ['U'], 'timeout'));
      // The same timer delivered twice must not page again.
      expect(decideOnAckTimeout(escalationState(timeline), tier, now(minute), config()).action).toBe('none');
      tier = decision.to;
      pagedTiers.push(tier);
    }
    expect(pagedTiers).toEqual(['primary', 'secondary', 'business', 'executive']);
  });
});

describe('decideExecutive', () => {
  const opened = [page(0, 'primary', ['UPRIMARY']), ack(4, 'UPRIMARY', 'primary', true)];

  it.each([
    {
      name: 'waits until executiveAfter has passed',
      minutes: 239,
      timeline: opened,
      expected: { action: 'none', reason: 'not-due', dueAt: at(240) },
    },
    {
      name: 'pages the executive tier at exactly executiveAfter',
      minutes: 240,
      timeline: opened,
      expected: { action: 'page', tier: 'executive', reason: 'executive' },
    },
    {
      name: 'does not page again once the executive tier was paged',
      minutes: 300,
      timeline: [...opened, page(240, 'executive', ['UEXEC'], 'executive')],
      expected: { action: 'none', reason: 'already-paged' },
    },
    {
      name: 'does not page an incident that is closed',
      minutes: 300,
      timeline: [...opened, entry('closed', at(200), { resolution: 'ok' })],
      expected: { action: 'none', reason: 'closed' },
    },
  ] as const)('$name', ({ minutes, timeline, expected }) => {
    expect(decideExecutive(incident, escalationState(timeline), config(), now(minutes))).toEqual(expected);
  });

  it('does not page when no executive contact is configured', () => {
    expect(decideExecutive(incident, escalationState(opened), config(ALL.slice(0, 3)), now(300))).toEqual({
      action: 'none',
      reason: 'no-contacts',
    });
  });

  it('pages exactly once over an incident that runs for six hours', () => {
    const timeline = [...opened];
    for (let minute = 0; minute <= 360; minute += 1) {
      const decision = decideExecutive(incident, escalationState(timeline), config(), now(minute));
      if (decision.action === 'page') timeline.push(page(minute, 'executive', ['UEXEC'], decision.reason));
    }
    const executivePages = timeline.filter((e) => e.kind === 'page' && e.data.tier === 'executive');
    expect(executivePages.map((e) => e.at)).toEqual([at(240)]);
  });
});
