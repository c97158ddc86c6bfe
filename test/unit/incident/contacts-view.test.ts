import { contactsFromFields } from '../../../src/incident/contacts-view';

const MS = Date.parse('2026-03-31T22:00:00.000Z');
const iso = (minutes: number) => new Date(MS + minutes * 60_000).toISOString();
const ms = (minutes: number) => String(MS + minutes * 60_000);
const fields = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe('contactsFromFields', () => {
  it('has every tier, unpaged and with empty lists, when nothing was recorded', () => {
    const view = contactsFromFields(fields({}));
    expect(Object.keys(view.tiers)).toEqual(['primary', 'secondary', 'business', 'executive']);
    expect(view.tiers.primary).toEqual({
      tier: 'primary',
      pageCount: 0,
      reasons: [],
      unpagedAcks: { items: [], total: 0 },
      failures: { items: [], total: 0 },
      escalations: { items: [], total: 0 },
    });
    expect(view.otherAcks).toEqual({ items: [], total: 0 });
    expect(view).not.toHaveProperty('closedAt');
  });

  it('reads pages, the acknowledgement and how long it took, lists with their totals, the close', () => {
    const view = contactsFromFields(
      fields({
        'first:primary': ms(0),
        'last:primary': ms(20),
        'pages:primary': '3',
        'reasons:primary': JSON.stringify([
          { ms: ms(0), reason: 'open' },
          { ms: ms(20), reason: 'manual' },
        ]),
        'ack:primary': 'U0ONCALL',
        'ackAt:primary': ms(4),
        'failed:primary': JSON.stringify([
          { ms: ms(1), contact: 'infra', user: 'U0GONE', error: 'user_not_found' },
        ]),
        'failed:primary:n': '12',
        'escalated:primary': JSON.stringify([{ ms: ms(15), to: 'secondary', reason: 'timeout' }]),
        'escalated:primary:n': '1',
        others: JSON.stringify([{ ms: ms(3), user: 'U0ELSE' }]),
        'others:n': '1',
        closedAt: ms(90),
      }),
    );
    expect(view.tiers.primary).toMatchObject({
      pageCount: 3,
      firstPagedAt: iso(0),
      lastPagedAt: iso(20),
      reasons: ['open', 'manual'],
      ack: { user: 'U0ONCALL', at: iso(4) },
      timeToAckMs: 4 * 60_000,
      failures: {
        items: [{ at: iso(1), contact: 'infra', user: 'U0GONE', error: 'user_not_found' }],
        total: 12,
      },
      escalations: { items: [{ at: iso(15), to: 'secondary', reason: 'timeout' }], total: 1 },
    });
    expect(view.otherAcks).toEqual({ items: [{ user: 'U0ELSE', at: iso(3) }], total: 1 });
    expect(view.closedAt).toBe(iso(90));
  });

  it('gives no time to acknowledge when the acknowledgement came before the first page', () => {
    const view = contactsFromFields(
      fields({ 'first:primary': ms(10), 'ack:primary': 'U0EARLY', 'ackAt:primary': ms(5) }),
    );
    expect(view.tiers.primary.ack).toEqual({ user: 'U0EARLY', at: iso(5) });
    expect(view.tiers.primary).not.toHaveProperty('timeToAckMs');
    expect(view.tiers.primary.lastPagedAt).toBe(iso(10));
    expect(view.tiers.primary.pageCount).toBe(1);
  });

  it('skips what it cannot read rather than failing the command', () => {
    const view = contactsFromFields(
      fields({
        'first:primary': 'soon',
        'unpaged:secondary': 'not json',
        'unpaged:secondary:n': '2',
        'escalated:secondary': JSON.stringify([
          { ms: ms(1), to: 'nowhere' },
          'x',
          { ms: 'later', to: 'executive' },
        ]),
        others: JSON.stringify({ ms: ms(1), user: 'U0' }),
        'ack:business': 'U0HALF',
      }),
    );
    expect(view.tiers.primary.pageCount).toBe(0);
    expect(view.tiers.secondary.unpagedAcks).toEqual({ items: [], total: 2 });
    expect(view.tiers.secondary.escalations).toEqual({ items: [], total: 0 });
    expect(view.otherAcks).toEqual({ items: [], total: 0 });
    expect(view.tiers.business).not.toHaveProperty('ack');
  });
});
