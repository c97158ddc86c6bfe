import type { Redis } from 'ioredis';
import { CONTACT_TIERS, type ContactTier } from '../config/schema';
import type { IncidentKeys } from './incident-keys';
import { REBUILD_STATE } from './incident-state-scripts';
import { incidentNotFound } from './incident-store-error';
import type { RawStreamEntry } from './timeline-codec';
import { decodeEntries, type IncidentStoreWarning } from './timeline-reader';

/**
 * What the commands on Slack's ack path need to know about an incident, kept in a hash beside its
 * timeline and updated by the script that appends each entry, so reading it costs one HMGET however
 * long the timeline is. It follows entries in arrival order; the jobs, the recap and the incident
 * page still read the whole timeline and decide by time.
 *
 * Hash fields: `v` (the version, set once complete); `phase`, `phaseSince` (ms the current visit
 * began), `phaseEarlierMs` (the current phase's earlier visits), `spent:<phase>`; per tier
 * `first:<tier>` (ms of its first page), `paged:<tier>:<user>`, `ack:<tier>` and `ackAt:<tier>`
 * (the first acknowledgement by someone paged); `status:text`, `status:actor`, `status:at`,
 * `status:ms` (the latest status update); `rebuiltTo` while an old incident's hash is being built.
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

const REBUILD_PAGE = 1000;
const FOLDED_KINDS: ReadonlySet<string> = new Set(['page', 'ack', 'phase', 'status']);
const iso = (ms: string | null) => (ms === null ? undefined : new Date(Number(ms)).toISOString());

/** The fields read, in order: a fixed list, so the reply is bounded whatever the incident holds. */
function stateFields(user: string | undefined): string[] {
  return [
    'v',
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
 * The incident's state, with `userPages` for `user` when given: one HMGET. An incident recorded
 * before the state hash existed gets it built from its timeline first, once.
 * @throws IncidentStoreError `not_found` when the incident's record is gone.
 */
export async function readIncidentState(
  redis: Redis,
  keys: IncidentKeys,
  id: string,
  user: string | undefined,
  warn: (warning: IncidentStoreWarning) => void,
): Promise<IncidentState> {
  const fields = stateFields(user);
  let values = await redis.hmget(keys.state(id), ...fields);
  if (values[0] === null) {
    await rebuildState(redis, keys, id, warn);
    values = await redis.hmget(keys.state(id), ...fields);
  }
  const field = new Map(fields.map((name, i) => [name, values[i] ?? null]));
  const get = (name: string) => field.get(name) ?? null;
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
    ...(statusText !== null && statusAt !== null && statusActor !== null
      ? { latestStatus: { text: statusText, at: statusAt, actor: statusActor } }
      : {}),
  };
}

/** Folds the timeline into a new state hash, a page per script call (see REBUILD_STATE). */
async function rebuildState(
  redis: Redis,
  keys: IncidentKeys,
  id: string,
  warn: (warning: IncidentStoreWarning) => void,
): Promise<void> {
  const [openedAt, phase] = await redis.hmget(keys.record(id), 'openedAt', 'phase');
  if (openedAt === null) throw incidentNotFound(id);
  const stateKeys = [keys.record(id), keys.timeline(id), keys.state(id)];
  let cursor = (await redis.hget(keys.state(id), 'rebuiltTo')) ?? '';
  for (;;) {
    const start = cursor === '' ? '-' : `(${cursor}`;
    const raw = (await redis.xrange(
      keys.timeline(id),
      start,
      '+',
      'COUNT',
      REBUILD_PAGE,
    )) as RawStreamEntry[];
    const args = decodeEntries(raw, keys.timeline(id), warn)
      .filter((entry) => FOLDED_KINDS.has(entry.kind))
      .flatMap((e) => [Date.parse(e.at), e.at, e.actor, e.kind, e.text, JSON.stringify(e.data)]);
    const last = raw.at(-1)?.[0] ?? '';
    const [status, next] = (await REBUILD_STATE.run(redis, stateKeys, [
      cursor,
      last,
      Date.parse(openedAt),
      phase ?? '',
      ...args,
    ])) as [string, string?];
    if (status === 'ready') return;
    if (status === 'not_found') throw incidentNotFound(id);
    cursor = next ?? '';
  }
}
