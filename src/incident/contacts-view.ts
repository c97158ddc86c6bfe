import { CONTACT_TIERS, type ContactTier } from '../config/schema';
import type { PagerFailure } from './escalation';
import type { PagerReason } from './incident';
import { readStateFields, type StateSource } from './state-hash';

export { CONTACTS_LISTED } from './contacts-fold';

/** The earliest items of a list by time (at most CONTACTS_LISTED), and how many it has in all. */
export interface Listed<T> {
  items: T[];
  total: number;
}

export interface ContactAck {
  user: string;
  at: string;
}

/** What `/incident contacts` shows of one tier. */
export interface TierContacts {
  tier: ContactTier;
  /** How many times it was paged, its first and latest page. */
  pageCount: number;
  firstPagedAt?: string;
  lastPagedAt?: string;
  /** Why it was paged, each reason once, in the order they first came. */
  reasons: PagerReason[];
  /** The first acknowledgement by someone paged: it is what stops escalation. */
  ack?: ContactAck;
  /** From the tier's first page to `ack`. */
  timeToAckMs?: number;
  /** Acknowledgements for this tier by people who were not paged. */
  unpagedAcks: Listed<ContactAck>;
  failures: Listed<PagerFailure>;
  /** Escalations away from this tier. */
  escalations: Listed<{ at: string; to: ContactTier; reason: PagerReason }>;
}

/**
 * A contact's link to PagerDuty, as `/incident contacts` shows it: whether its routing key is set,
 * and where its PagerDuty incident stands (`sending` until PagerDuty answers the first trigger;
 * absent while it was never paged).
 */
export interface PagerDutyLinkState {
  keySet: boolean;
  state?: 'sending' | 'triggered' | 'acknowledged' | 'resolved' | 'failed';
}

/**
 * Who was paged at each tier, who acknowledged, what failed and where it escalated: what
 * `escalationState` says of the whole timeline, with each list cut to its earliest items. Read
 * from the state hash, whatever the timeline's length.
 */
export interface ContactsView {
  tiers: Record<ContactTier, TierContacts>;
  /** Acknowledgements that name no tier, by people who were not paged. */
  otherAcks: Listed<ContactAck>;
  closedAt?: string;
  /** By contact name: the contacts linked to PagerDuty (filled in by the desk, not the state hash). */
  pagerDuty?: Record<string, PagerDutyLinkState>;
}

const LISTS = ['reasons', 'unpaged', 'failed', 'escalated'] as const;

/** The fields read, in order: a fixed list, so the reply is bounded whatever the incident holds. */
const CONTACTS_FIELDS = [
  'closedAt',
  'others',
  'others:n',
  ...CONTACT_TIERS.flatMap((tier) => [
    `first:${tier}`,
    `last:${tier}`,
    `pages:${tier}`,
    `ack:${tier}`,
    `ackAt:${tier}`,
    ...LISTS.flatMap((list) => [`${list}:${tier}`, `${list}:${tier}:n`]),
  ]),
];

/**
 * The contacts view of the incident: one script call reading the state hash.
 * @throws IncidentStoreError `not_found` when the incident's record is gone.
 */
export async function readContactsView(source: StateSource): Promise<ContactsView> {
  return contactsFromFields(await readStateFields(source, CONTACTS_FIELDS));
}

/** The view from the state hash's fields (see FOLD_CONTACTS); unreadable values count as absent. */
export function contactsFromFields(fields: ReadonlyMap<string, string>): ContactsView {
  const at = (name: string) => {
    const ms = Number(fields.get(name));
    return fields.has(name) && Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
  };
  const listed = <T>(name: string, item: (raw: Record<string, unknown>, at: string) => T | undefined) => {
    const items = jsonList(fields.get(name)).flatMap((raw) => {
      const ms = Number(raw.ms);
      const found = Number.isFinite(ms) ? item(raw, new Date(ms).toISOString()) : undefined;
      return found === undefined ? [] : [found];
    });
    return { items, total: Math.max(items.length, Number(fields.get(`${name}:n`)) || 0) };
  };
  const ackOf = (raw: Record<string, unknown>, when: string) =>
    ifText(raw.user, (user) => ({ user, at: when }));
  const tier = (name: ContactTier): TierContacts => {
    const firstPagedAt = at(`first:${name}`);
    const ackUser = fields.get(`ack:${name}`);
    const ackAt = at(`ackAt:${name}`);
    const ack = ackUser !== undefined && ackAt !== undefined ? { user: ackUser, at: ackAt } : undefined;
    // Like escalationState: counted from the first page only when it came before the acknowledgement.
    const toAckMs = ack && firstPagedAt ? Date.parse(ack.at) - Date.parse(firstPagedAt) : undefined;
    const timeToAckMs = toAckMs !== undefined && toAckMs >= 0 ? toAckMs : undefined;
    return {
      tier: name,
      pageCount: firstPagedAt ? Number(fields.get(`pages:${name}`)) || 1 : 0,
      ...(firstPagedAt ? { firstPagedAt, lastPagedAt: at(`last:${name}`) ?? firstPagedAt } : {}),
      reasons: listed(`reasons:${name}`, (raw) => ifText(raw.reason, (r) => r as PagerReason)).items,
      ...(ack ? { ack } : {}),
      ...(timeToAckMs === undefined ? {} : { timeToAckMs }),
      unpagedAcks: listed(`unpaged:${name}`, ackOf),
      failures: listed(`failed:${name}`, (raw, when) => ({
        at: when,
        contact: String(raw.contact ?? ''),
        user: String(raw.user ?? ''),
        error: String(raw.error ?? ''),
      })),
      escalations: listed(`escalated:${name}`, (raw, when) =>
        CONTACT_TIERS.includes(raw.to as ContactTier)
          ? { at: when, to: raw.to as ContactTier, reason: String(raw.reason ?? '') as PagerReason }
          : undefined,
      ),
    };
  };
  const closedAt = at('closedAt');
  return {
    tiers: Object.fromEntries(CONTACT_TIERS.map((name) => [name, tier(name)])) as ContactsView['tiers'],
    otherAcks: listed('others', ackOf),
    ...(closedAt ? { closedAt } : {}),
  };
}

function ifText<T>(value: unknown, then: (text: string) => T): T | undefined {
  return typeof value === 'string' ? then(value) : undefined;
}

function jsonList(raw: string | undefined): Record<string, unknown>[] {
  if (raw === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed)
      ? parsed.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null)
      : [];
  } catch {
    return [];
  }
}
