import { CONTACT_TIERS, type Config, type ContactTier } from '../config/schema';
import type { Incident, PagerReason, TimelineData, TimelineEntry } from './incident';

/** One `page` entry: who was paged at a tier, when, by whom and why. */
export interface PagerRecord {
  at: string;
  actor: string;
  tier: ContactTier;
  contact: string;
  users: string[];
  reason: PagerReason;
}

export interface AckRecord {
  at: string;
  user: string;
  tier?: ContactTier;
  /** False when the user was not among those paged. */
  paged: boolean;
}

export interface PagerFailure {
  at: string;
  contact: string;
  user: string;
  error: string;
}

/** Everything that happened at one tier. */
export interface TierState {
  tier: ContactTier;
  pages: PagerRecord[];
  firstPagedAt?: string;
  lastPagedAt?: string;
  /** The first acknowledgement by someone who was paged: it is what stops escalation. */
  ack?: AckRecord;
  /** From the tier's first page to `ack`. */
  timeToAckMs?: number;
  /** Acknowledgements for this tier by people who were not paged: listed, but they stop nothing. */
  unpagedAcks: AckRecord[];
  failures: PagerFailure[];
  /** Escalations away from this tier, in time order. */
  escalations: { at: string; to: ContactTier; reason: PagerReason }[];
}

export interface EscalationState {
  tiers: Record<ContactTier, TierState>;
  /** Acknowledgements that name no tier, by people who were not paged. */
  otherAcks: AckRecord[];
  closedAt?: string;
}

const ms = (iso: string) => Date.parse(iso);
const isTier = (value: unknown): value is ContactTier => CONTACT_TIERS.includes(value as ContactTier);
const isString = (value: unknown): value is string => typeof value === 'string';

/** Tiers that have at least one contact, in escalation order (primary → executive). */
export function tiersInOrder(config: Pick<Config, 'contacts'>): ContactTier[] {
  return CONTACT_TIERS.filter((tier) => config.contacts.some((contact) => contact.tier === tier));
}

/**
 * The tier after `current` among `tiers` (all tiers by default; pass `tiersInOrder(config)` to skip
 * tiers without contacts), or `undefined` when `current` is the last.
 */
export function nextTier(
  current: ContactTier,
  tiers: readonly ContactTier[] = CONTACT_TIERS,
): ContactTier | undefined {
  const rank = CONTACT_TIERS.indexOf(current);
  return tiers.find((tier) => CONTACT_TIERS.indexOf(tier) > rank);
}

function emptyTier(tier: ContactTier): TierState {
  return { tier, pages: [], unpagedAcks: [], failures: [], escalations: [] };
}

/**
 * Per tier: the pages, the first acknowledgement by someone paged and how long it took, the
 * acknowledgements by others, failed pages and escalations. Entries with malformed data are ignored
 * rather than thrown on: the timeline is history, and a recap must still render.
 */
export function escalationState(timeline: readonly TimelineEntry[]): EscalationState {
  const tiers = Object.fromEntries(CONTACT_TIERS.map((tier) => [tier, emptyTier(tier)])) as Record<
    ContactTier,
    TierState
  >;
  const state: EscalationState = { tiers, otherAcks: [] };
  const ordered = [...timeline].sort((a, b) => ms(a.at) - ms(b.at));
  for (const entry of ordered) {
    const data = entry.data;
    if (entry.kind === 'page' && isTier(data.tier) && Array.isArray(data.users)) {
      const page = data as unknown as TimelineData['page'];
      const record = { at: entry.at, actor: entry.actor, ...page, users: page.users.filter(isString) };
      const tier = tiers[page.tier];
      tier.pages.push(record);
      tier.firstPagedAt ??= entry.at;
      tier.lastPagedAt = entry.at;
    } else if (entry.kind === 'page-failed' && isTier(data.tier)) {
      const failed = data as TimelineData['page-failed'];
      tiers[failed.tier].failures.push({
        at: entry.at,
        contact: failed.contact,
        user: failed.user,
        error: failed.error,
      });
    } else if (entry.kind === 'ack' && isString(data.user)) {
      const ack: AckRecord = { at: entry.at, user: data.user, paged: data.paged === true };
      recordAck(state, isTier(data.tier) ? { ...ack, tier: data.tier } : ack);
    } else if (entry.kind === 'escalation' && isTier(data.to)) {
      const escalation = data as TimelineData['escalation'];
      // An escalation without `from` came from outside the chain (e.g. by hand): nothing to attach it to.
      if (isTier(escalation.from)) {
        tiers[escalation.from].escalations.push({
          at: entry.at,
          to: escalation.to,
          reason: escalation.reason,
        });
      }
    } else if (entry.kind === 'closed') {
      state.closedAt ??= entry.at;
    }
  }
  return state;
}

function recordAck(state: EscalationState, ack: AckRecord): void {
  // A paged ack that does not say which tier belongs to the latest page that reached the user.
  const tier =
    ack.tier ??
    (ack.paged
      ? CONTACT_TIERS.map((t) => state.tiers[t])
          .flatMap((t) => t.pages)
          .filter((page) => page.users.includes(ack.user))
          .sort((a, b) => ms(a.at) - ms(b.at))
          .at(-1)?.tier
      : undefined);
  if (!isTier(tier)) {
    state.otherAcks.push(ack);
    return;
  }
  const target = state.tiers[tier];
  if (!ack.paged) {
    target.unpagedAcks.push(ack);
  } else if (!target.ack) {
    target.ack = { ...ack, tier };
    if (target.firstPagedAt) target.timeToAckMs = Math.max(0, ms(ack.at) - ms(target.firstPagedAt));
  }
}

/** What the ack-timeout timer of a tier should do. */
export type AckTimeoutDecision =
  | { action: 'escalate'; to: ContactTier }
  | { action: 'none'; reason: 'acked' | 'already-escalated' | 'last-tier' | 'closed' | 'not-paged' }
  | { action: 'none'; reason: 'not-due'; dueAt: string };

/**
 * Decides, when `pagedTier`'s acknowledgement timer fires, whether to page the next tier. The
 * caller re-reads the timeline first, so a timer that fires twice, or after a cancel, finds the
 * escalation (or the ack) already recorded and does nothing.
 *
 * - Any acknowledgement by someone who was paged, at any tier, stops it: someone who was asked is
 *   on it. Acknowledgements by people who were not paged do not.
 * - A tier paged again since the timer was set is not due until `ackTimeout` after the latest page.
 */
export function decideOnAckTimeout(
  state: EscalationState,
  pagedTier: ContactTier,
  now: Date,
  config: Pick<Config, 'contacts' | 'escalation'>,
): AckTimeoutDecision {
  if (state.closedAt) return { action: 'none', reason: 'closed' };
  const tier = state.tiers[pagedTier];
  if (!tier.lastPagedAt) return { action: 'none', reason: 'not-paged' };
  const acked = CONTACT_TIERS.some((t) => {
    const ack = state.tiers[t].ack;
    return ack !== undefined && ms(ack.at) <= now.getTime();
  });
  if (acked) return { action: 'none', reason: 'acked' };
  const lastPaged = ms(tier.lastPagedAt);
  if (tier.escalations.some((e) => ms(e.at) >= lastPaged))
    return { action: 'none', reason: 'already-escalated' };
  const to = nextTier(pagedTier, tiersInOrder(config));
  if (!to) return { action: 'none', reason: 'last-tier' };
  const toPagedAt = state.tiers[to].lastPagedAt;
  if (toPagedAt && ms(toPagedAt) >= lastPaged) return { action: 'none', reason: 'already-escalated' };
  const dueAt = lastPaged + config.escalation.ackTimeoutMs;
  if (now.getTime() < dueAt)
    return { action: 'none', reason: 'not-due', dueAt: new Date(dueAt).toISOString() };
  return { action: 'escalate', to };
}

/** Whether to page the executive tier because the incident has run long. */
export type ExecutiveDecision =
  | { action: 'page'; tier: 'executive'; reason: 'executive' }
  | { action: 'none'; reason: 'closed' | 'already-paged' | 'no-contacts' }
  | { action: 'none'; reason: 'not-due'; dueAt: string };

/**
 * Pages the executive tier once the incident has been open for `escalation.executiveAfter`
 * (inclusive), unless that tier was already paged for any reason: leadership needs telling once.
 */
export function decideExecutive(
  incident: Incident,
  state: EscalationState,
  config: Pick<Config, 'contacts' | 'escalation'>,
  now: Date,
): ExecutiveDecision {
  if (incident.status === 'closed' || state.closedAt) return { action: 'none', reason: 'closed' };
  if (!tiersInOrder(config).includes('executive')) return { action: 'none', reason: 'no-contacts' };
  if (state.tiers.executive.pages.length > 0) return { action: 'none', reason: 'already-paged' };
  const dueAt = ms(incident.openedAt) + config.escalation.executiveAfterMs;
  if (now.getTime() < dueAt)
    return { action: 'none', reason: 'not-due', dueAt: new Date(dueAt).toISOString() };
  return { action: 'page', tier: 'executive', reason: 'executive' };
}
