import { CONTACT_TIERS, type ContactTier } from '../../../src/config/schema';
import { CONTACTS_LISTED, type ContactsView, type Listed } from '../../../src/incident/contacts-view';
import { escalationState } from '../../../src/incident/escalation';
import type { TimelineEntry } from '../../../src/incident/incident';

const iso = (at: string) => new Date(at).toISOString();

function listed<T, U>(items: readonly T[], item: (from: T) => U): Listed<U> {
  return { items: items.slice(0, CONTACTS_LISTED).map(item), total: items.length };
}

/**
 * The contacts view of a whole timeline, through `escalationState`: what `/incident contacts`
 * showed when it read every entry, and what the state hash must answer without reading them.
 */
export function contactsOf(timeline: readonly TimelineEntry[]): ContactsView {
  const state = escalationState(timeline);
  const ack = (a: { user: string; at: string }) => ({ user: a.user, at: iso(a.at) });
  const tier = (name: ContactTier) => {
    const t = state.tiers[name];
    return {
      tier: name,
      pageCount: t.pages.length,
      ...(t.firstPagedAt ? { firstPagedAt: iso(t.firstPagedAt) } : {}),
      ...(t.lastPagedAt ? { lastPagedAt: iso(t.lastPagedAt) } : {}),
      reasons: [...new Set(t.pages.map((p) => p.reason))],
      ...(t.ack ? { ack: ack(t.ack) } : {}),
      ...(t.timeToAckMs === undefined ? {} : { timeToAckMs: t.timeToAckMs }),
      unpagedAcks: listed(t.unpagedAcks, ack),
      failures: listed(t.failures, (f) => ({
        at: iso(f.at),
        contact: f.contact,
        user: f.user,
        error: f.error,
      })),
      escalations: listed(t.escalations, (e) => ({ at: iso(e.at), to: e.to, reason: e.reason })),
    };
  };
  return {
    tiers: Object.fromEntries(CONTACT_TIERS.map((name) => [name, tier(name)])) as ContactsView['tiers'],
    otherAcks: listed(state.otherAcks, ack),
    ...(state.closedAt ? { closedAt: iso(state.closedAt) } : {}),
  };
}
