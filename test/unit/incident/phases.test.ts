import fc from 'fast-check';
import { DEFAULT_PHASES } from '../../../src/config/schema';
import type { Incident } from '../../../src/incident/incident';
import { currentPhase, phaseHistory, phaseOverrun } from '../../../src/incident/phases';
import { entry, incidentFixture } from './fixtures';

const config = { phases: DEFAULT_PHASES.map((p) => ({ ...p })) };
const MIN = 60_000;
const HOUR = 60 * MIN;
// Opened on the last evening of January: every incident below crosses midnight and a month end.
const OPENED = '2026-01-31T23:10:00.000Z';

const incident = (overrides: Partial<Incident> = {}) =>
  incidentFixture({ commander: 'U1', openedBy: 'U1', openedAt: OPENED, ...overrides });
const closed = (closedAt: string) => incident({ status: 'closed', closedAt });
const phase = (at: string, to: string, from?: string) =>
  entry('phase', at, from ? { from, to } : { to }, 'U1');
// Evening times fall on 31 January, morning times on 1 February.
const t = (hhmm: string) => `${hhmm < '12' ? '2026-02-01' : '2026-01-31'}T${hhmm}:00.000Z`;

describe('phaseHistory', () => {
  it.each([
    {
      name: 'goes through every phase once, across midnight and the month end',
      changes: [
        phase(t('00:25'), 'restoration', 'diagnostic'),
        phase(t('02:05'), 'validation', 'restoration'),
      ],
      closedAt: t('02:40'),
      expected: {
        diagnostic: [75 * MIN, 1, 'done', 15 * MIN],
        restoration: [100 * MIN, 1, 'done', -20 * MIN],
        validation: [35 * MIN, 1, 'done', -25 * MIN],
      },
    },
    {
      name: 'shows a phase that was jumped over as skipped',
      changes: [phase(t('23:50'), 'validation', 'diagnostic')],
      closedAt: t('00:30'),
      expected: {
        diagnostic: [40 * MIN, 1, 'done', -20 * MIN],
        restoration: [0, 0, 'skipped', undefined],
        validation: [40 * MIN, 1, 'done', -20 * MIN],
      },
    },
    {
      name: 'sums the visits of a phase that was revisited',
      changes: [
        phase(t('23:40'), 'restoration', 'diagnostic'),
        phase(t('00:10'), 'diagnostic', 'restoration'),
        phase(t('00:40'), 'restoration', 'diagnostic'),
        phase(t('01:40'), 'validation', 'restoration'),
      ],
      closedAt: t('02:00'),
      expected: {
        diagnostic: [60 * MIN, 2, 'done', 0],
        restoration: [90 * MIN, 2, 'done', -30 * MIN],
        validation: [20 * MIN, 1, 'done', -40 * MIN],
      },
    },
    {
      name: 'handles phases done out of order and an unconfigured phase',
      changes: [
        phase(OPENED, 'restoration'),
        phase(t('23:30'), 'diagnostic'),
        phase(t('00:10'), 'monitoring'),
      ],
      closedAt: t('00:20'),
      expected: {
        diagnostic: [40 * MIN, 1, 'done', -20 * MIN],
        restoration: [20 * MIN, 1, 'done', -100 * MIN],
        validation: [0, 0, 'skipped', undefined],
        monitoring: [10 * MIN, 1, 'done', undefined],
      },
    },
  ])('$name', ({ changes, closedAt, expected }) => {
    const history = phaseHistory(closed(closedAt), changes, config, new Date(t('09:00')));
    const got = Object.fromEntries(
      history.phases.map((p) => [p.name, [p.actualMs, p.visits, p.status, p.deltaMs]]),
    );
    expect(got).toEqual(expected);
    expect(history.current).toBeUndefined();
    expect(history.endedAt).toBe(closedAt);
  });

  it('runs the current phase of an open incident to now and leaves later phases pending', () => {
    const now = new Date(t('00:40'));
    const history = phaseHistory(incident(), [phase(t('00:25'), 'restoration', 'diagnostic')], config, now);
    expect(history.totalMs).toBe(90 * MIN);
    expect(history.current).toEqual({
      phase: 'restoration',
      startedAt: t('00:25'),
      endedAt: now.toISOString(),
      durationMs: 15 * MIN,
      ongoing: true,
    });
    expect(history.phases.map((p) => p.status)).toEqual(['done', 'current', 'pending']);
  });

  it('starts in incident.phase when no change was recorded, and in the first change’s `from` otherwise', () => {
    const now = new Date(t('23:30'));
    expect(phaseHistory(incident({ phase: 'restoration' }), [], config, now).visits[0].phase).toBe(
      'restoration',
    );
    const history = phaseHistory(incident(), [phase(t('23:20'), 'validation', 'restoration')], config, now);
    expect(history.visits.map((v) => [v.phase, v.durationMs])).toEqual([
      ['restoration', 10 * MIN],
      ['validation', 10 * MIN],
    ]);
  });

  it('ignores changes recorded after the close and changes to the phase already current', () => {
    const history = phaseHistory(
      closed(t('00:10')),
      [phase(t('23:40'), 'diagnostic'), phase(t('00:30'), 'validation')],
      config,
      new Date(t('09:00')),
    );
    expect(history.visits).toHaveLength(1);
    expect(history.phases[0]).toMatchObject({ actualMs: 60 * MIN, visits: 1, status: 'done' });
  });
});

describe('currentPhase', () => {
  it('names the phase in progress with its budget', () => {
    const got = currentPhase(incident(), [phase(t('00:25'), 'restoration')], config, new Date(t('00:30')));
    expect(got).toMatchObject({
      phase: 'restoration',
      startedAt: t('00:25'),
      budgetMs: 2 * HOUR,
      ongoing: true,
    });
  });

  it('is undefined once the incident is closed', () => {
    expect(currentPhase(closed(t('00:10')), [], config, new Date(t('01:00')))).toBeUndefined();
  });
});

describe('phaseOverrun', () => {
  const reminder = (at: string, phaseName: string) => entry('phase-overrun', at, { phase: phaseName }, 'U1');
  const revisit = [
    phase(t('23:50'), 'restoration', 'diagnostic'),
    phase(t('00:10'), 'diagnostic', 'restoration'),
  ];

  it.each([
    {
      name: 'waits while within budget and says when to look again',
      timeline: [],
      now: t('23:40'),
      expected: { remind: false, reason: 'within-budget', dueAt: t('00:10') },
    },
    {
      name: 'reminds once the budget is used up',
      timeline: [],
      now: t('00:10'),
      expected: { remind: true, phase: 'diagnostic', budgetMs: HOUR, spentMs: HOUR, overByMs: 0 },
    },
    {
      name: 'does not remind twice in one visit',
      timeline: [reminder(t('00:11'), 'diagnostic')],
      now: t('00:30'),
      expected: { remind: false, reason: 'already-reminded' },
    },
    {
      name: 'counts earlier visits against the budget',
      timeline: revisit,
      now: t('00:25'),
      expected: { remind: false, reason: 'within-budget', dueAt: t('00:30') },
    },
    {
      name: 'reminds again on a new visit of an overrun phase',
      timeline: [...revisit, reminder(t('23:55'), 'diagnostic')],
      now: t('00:30'),
      expected: { remind: true, phase: 'diagnostic', budgetMs: HOUR, spentMs: HOUR, overByMs: 0 },
    },
    {
      name: 'ignores a reminder about another phase',
      timeline: [phase(t('23:20'), 'validation'), reminder(t('23:25'), 'diagnostic')],
      now: t('00:30'),
      expected: { remind: true, phase: 'validation', budgetMs: HOUR, spentMs: 70 * MIN, overByMs: 10 * MIN },
    },
    {
      name: 'does not remind for a phase without a budget',
      timeline: [phase(t('23:20'), 'monitoring')],
      now: t('09:00'),
      expected: { remind: false, reason: 'no-budget' },
    },
  ])('$name', ({ timeline, now, expected }) => {
    expect(phaseOverrun(incident(), timeline, config, new Date(now))).toEqual(expected);
  });

  it('does not remind once the incident is closed', () => {
    expect(phaseOverrun(closed(t('01:00')), [], config, new Date(t('02:00')))).toEqual({
      remind: false,
      reason: 'closed',
    });
  });
});

describe('phase actuals (property)', () => {
  it('add up to the total duration for any phase changes within [openedAt, closedAt]', () => {
    const opened = Date.parse(OPENED);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 48 * HOUR }),
        fc.array(
          fc.tuple(
            fc.double({ min: 0, max: 1, noNaN: true }),
            fc.constantFrom('diagnostic', 'restoration', 'validation', 'monitoring'),
            fc.boolean(),
          ),
          { maxLength: 30 },
        ),
        (durationMs, raw) => {
          const closedAt = new Date(opened + durationMs).toISOString();
          const changes = raw
            .map(([share, to, withFrom]) => ({ at: opened + Math.floor(share * durationMs), to, withFrom }))
            .sort((a, b) => a.at - b.at)
            .map((c) => phase(new Date(c.at).toISOString(), c.to, c.withFrom ? 'diagnostic' : undefined));
          const history = phaseHistory(closed(closedAt), changes, config, new Date(opened + 99 * HOUR));
          const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
          expect(history.totalMs).toBe(durationMs);
          expect(sum(history.phases.map((p) => p.actualMs))).toBe(durationMs);
          expect(sum(history.visits.map((v) => v.durationMs))).toBe(durationMs);
        },
      ),
    );
  });
});
