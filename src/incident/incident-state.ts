import { CONTACT_TIERS, type ContactTier } from '../config/schema';
import { readStateFields, type StateSource } from './state-hash';

/**
 * What the commands on Slack's ack path need to know about an incident, kept in a hash beside its
 * timeline and updated by the script that appends each entry, so reading it costs one script call
 * however long the timeline is. It follows entries in arrival order; the jobs, the recap and the
 * incident page still read the whole timeline and decide by time. Entries written without the
 * scripts (by a process of an earlier version, or by hand) are folded by the next read, which
 * first checks that none came after `seen`.
 *
 * Hash fields: `v` (the version: see STATE_VERSION); `seen` (the id of the last timeline entry
 * folded, in arrival order); `phase`, `phaseSince` (ms
 * the current visit began), `phaseEarlierMs` (the current phase's earlier visits), `spent:<phase>`;
 * `status:text`, `status:actor`, `status:at`, `status:ms` (the latest status update); who was paged
 * and acknowledged, per tier, and what `/incident contacts` shows (see FOLD_CONTACTS).
 */
export interface IncidentState {
  /** The tiers paged so far: when each was first paged, and the first acknowledgement by someone it paged. */
  tiers: Partial<Record<ContactTier, { firstPagedAt: string; ack?: { user: string; at: string } }>>;
  /** When asked about a user: the tiers at which they were paged, with when first. */
  userPages: Partial<Record<ContactTier, string>>;
  /** The phase the incident is in, since when, and how long its earlier visits lasted. */
  phase: { name: string; since: string; earlierMs: number };
  latestStatus?: { text: string; at: string; actor: string };
}

/** How long the incident has spent in `phase` by `now`, counting earlier visits; undefined when not in it. */
export function phaseSpentMs(state: IncidentState, phase: string, now: Date): number | undefined {
  if (state.phase.name !== phase) return undefined;
  return state.phase.earlierMs + Math.max(0, now.getTime() - Date.parse(state.phase.since));
}

/** The tiers at which the user asked about was paged, in escalation order. */
export function tiersPagingUser(state: IncidentState): ContactTier[] {
  return CONTACT_TIERS.filter((tier) => state.userPages[tier] !== undefined);
}

const iso = (ms: string | undefined) => (ms === undefined ? undefined : new Date(Number(ms)).toISOString());

/** The fields read, in order: a fixed list, so the reply is bounded whatever the incident holds. */
function stateFields(user: string | undefined): string[] {
  return [
    'phase',
    'phaseSince',
    'phaseEarlierMs',
    'status:text',
    'status:actor',
    'status:at',
    ...CONTACT_TIERS.flatMap((tier) => [`first:${tier}`, `ack:${tier}`, `ackAt:${tier}`]),
    ...(user === undefined ? [] : CONTACT_TIERS.map((tier) => `paged:${tier}:${user}`)),
  ];
}

/**
 * The incident's state, with `userPages` for `user` when given: one script call. An incident
 * recorded before the state hash existed gets it built from its timeline first, once.
 * @throws IncidentStoreError `not_found` when the incident's record is gone.
 */
export async function readIncidentState(
  source: StateSource,
  user: string | undefined,
): Promise<IncidentState> {
  const field = await readStateFields(source, stateFields(user));
  const get = (name: string) => field.get(name);
  const tiers: IncidentState['tiers'] = {};
  const userPages: IncidentState['userPages'] = {};
  for (const tier of CONTACT_TIERS) {
    const first = iso(get(`first:${tier}`));
    const acker = get(`ack:${tier}`);
    const ackAt = iso(get(`ackAt:${tier}`));
    if (first)
      tiers[tier] =
        acker && ackAt ? { firstPagedAt: first, ack: { user: acker, at: ackAt } } : { firstPagedAt: first };
    const paged = user === undefined ? undefined : iso(get(`paged:${tier}:${user}`));
    if (paged) userPages[tier] = paged;
  }
  const statusText = get('status:text');
  const statusAt = get('status:at');
  const statusActor = get('status:actor');
  return {
    tiers,
    userPages,
    phase: {
      name: get('phase') ?? '',
      since: iso(get('phaseSince')) ?? new Date(0).toISOString(),
      earlierMs: Number(get('phaseEarlierMs') ?? 0),
    },
    ...(statusText !== undefined && statusAt !== undefined && statusActor !== undefined
      ? { latestStatus: { text: statusText, at: statusAt, actor: statusActor } }
      : {}),
  };
}
