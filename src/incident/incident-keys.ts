import type { KeyPrefix } from '../queue/key-prefix';
import { shortDigest } from '../short-digest';
import { STATE_VERSION } from './incident-state-scripts';

/**
 * Redis key names of the incident store. Every key starts with the prefix, which should be a Redis
 * Cluster hash tag such as `{warroom}`, so the multi-key Lua scripts stay in one slot.
 */
export interface IncidentKeys {
  /** Hash per incident: one field per `Incident` property, string values. */
  record(id: string): string;
  /** Stream per incident: the timeline, one entry per XADD (fields at, actor, kind, text, data). */
  timeline(id: string): string;
  /** Hash per incident: idempotency key → stream id of the entry `appendOnce` wrote for it. */
  once(id: string): string;
  /**
   * Hash per incident: what commands need to know (who was paged, the phase, the latest status),
   * kept up to date by the scripts that append to the timeline. See incident-state.ts. Its name
   * carries STATE_VERSION, so processes of two versions (during a rolling deploy) never fold into
   * or rebuild each other's.
   */
  state(id: string): string;
  /**
   * List per incident: every timeline entry as `<ms of its at>:<stream id>`, in time order (then
   * arrival), so a page of the timeline in time order is one bounded LRANGE. Kept with the state
   * hash, by the same scripts (see timeline-index.ts), and versioned with it.
   */
  timelineByTime(id: string): string;
  /** The state hash and the index of earlier versions: deleted when this version's are built. */
  retiredState(id: string): string[];
  /** Set per incident: the job ids of the timers it has pending, so closing removes only those. */
  timers(id: string): string;
  /** Hash per incident: its follow-ups by number, the last number, and idempotency keys (redis-follow-ups.ts). */
  followUps(id: string): string;
  /** Hash per incident: its postmortem document (id, link) or the claim of the job creating it. */
  postmortem(id: string): string;
  /** Hash channelId → incident id. */
  readonly byChannel: string;
  /** Sorted set of open incident ids, scored by openedAt (ms). */
  readonly open: string;
  /** Sorted set of closed incident ids, scored by closedAt (ms). */
  readonly closed: string;
  /** String per dedupe key (hashed: it holds user text) → incident id, expiring after the window. */
  dedupe(key: string): string;
}

export function incidentKeys({ tag: prefix }: KeyPrefix): IncidentKeys {
  return {
    record: (id) => `${prefix}:incident:${id}`,
    timeline: (id) => `${prefix}:incident:${id}:timeline`,
    once: (id) => `${prefix}:incident:${id}:once`,
    state: (id) => `${prefix}:incident:${id}:state-v${STATE_VERSION}`,
    timelineByTime: (id) => `${prefix}:incident:${id}:by-time-v${STATE_VERSION}`,
    // Versions 1 and 2 kept them unversioned.
    retiredState: (id) => [`${prefix}:incident:${id}:state`, `${prefix}:incident:${id}:by-time`],
    timers: (id) => `${prefix}:incident:${id}:timers`,
    followUps: (id) => `${prefix}:incident:${id}:follow-ups`,
    postmortem: (id) => `${prefix}:incident:${id}:postmortem`,
    byChannel: `${prefix}:incidents:by-channel`,
    open: `${prefix}:incidents:open`,
    closed: `${prefix}:incidents:closed`,
    dedupe: (key) => `${prefix}:incidents:dedupe:${shortDigest(key, 32)}`,
  };
}
