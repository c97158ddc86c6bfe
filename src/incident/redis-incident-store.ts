import { PostmortemRecord } from '../postmortem/postmortem-record';
import type { KeyPrefix } from '../queue/key-prefix';
import type { RedisClient } from '../queue/redis-client';
import { appendEntry } from './append-entry';
import { type ContactsView, readContactsView } from './contacts-view';
import type { Incident, NewTimelineEntry, TimelineEntry } from './incident';
import { INCIDENT_ID } from './incident-id';
import { type IncidentKeys, incidentKeys } from './incident-keys';
import {
  checkNewIncident,
  checkPatch,
  fromHash,
  type IncidentPatch,
  parseTime,
  toHashArgs,
} from './incident-record';
import { CLOSE, CREATE, UPDATE } from './incident-scripts';
import { type IncidentState, readIncidentState } from './incident-state';
import { channelTaken, IncidentStoreError, incidentNotFound } from './incident-store-error';
import { readIncidents } from './read-incidents';
import { RedisFollowUps } from './redis-follow-ups';
import { readCurrentState, type StateSource } from './state-hash';
import { capEntry, capText, STORED_RESOLUTION_MAX, STORED_TITLE_MAX } from './stored-text';
import { encodeEntry } from './timeline-codec';
import {
  type IncidentStoreWarning,
  readTimelineBatch,
  readTimelineByTime,
  type TimelineBatch,
} from './timeline-reader';
import { readTimelineSlice, type TimelineSlice } from './timeline-slice';

export interface IncidentStoreOptions {
  /** Called for each unreadable timeline entry skipped; by default a process warning. */
  onWarning?: (warning: IncidentStoreWarning) => void;
}

const DEFAULT_PAGE = 500;

/**
 * Incidents and their append-only timelines in Redis. Nothing is kept in memory: every call reads
 * or writes Redis, so a new instance on a new connection (after a restart) sees everything.
 * Free text is capped as it is written (see stored-text.ts), so no entry grows without bound.
 *
 * Incidents are the record and have no TTL. Redis must therefore run with `appendonly yes`
 * (with `appendfsync everysec` or `always`), so a restart loses at most a second of writes, and
 * `maxmemory-policy noeviction`, so memory pressure fails writes loudly instead of evicting
 * incidents. Every key starts with the prefix's hash tag, so they all share one Cluster slot.
 */
export class RedisIncidentStore {
  private readonly keys: IncidentKeys;
  /** The incidents' follow-ups (numbered action items), beside their records. */
  readonly followUps: RedisFollowUps;
  /** Each incident's postmortem document in Drive, once created. */
  readonly postmortems: PostmortemRecord;
  private readonly warn: (warning: IncidentStoreWarning) => void;

  constructor(
    private readonly redis: RedisClient,
    prefix: KeyPrefix,
    options: IncidentStoreOptions = {},
  ) {
    this.keys = incidentKeys(prefix);
    this.followUps = new RedisFollowUps(redis, this.keys);
    this.postmortems = new PostmortemRecord(redis, this.keys);
    this.warn =
      options.onWarning ??
      ((warning) => process.emitWarning(`${warning.message} (${warning.key})`, 'IncidentStoreWarning'));
  }

  /**
   * Stores a new incident (its id is the caller's: see `newIncidentId`), indexes its channel (when
   * `channelId` is set), adds it to the open set and appends `opened`, all in one step.
   * Returns the stored incident and `created: false` instead when `dedupe.key` opened an incident
   * within `dedupe.windowMs` (counted from that first open) or when the id is already stored, so
   * a retried request does not open a second incident.
   * @throws IncidentStoreError `channel_taken` when the channel belongs to another incident.
   */
  async create(
    draft: Incident,
    opened: NewTimelineEntry,
    dedupe: { key: string; windowMs: number },
  ): Promise<{ incident: Incident; created: boolean }> {
    const incident = { ...draft, title: capText(draft.title, STORED_TITLE_MAX) };
    const openedAtMs = checkNewIncident(incident);
    if (!Number.isSafeInteger(dedupe.windowMs) || dedupe.windowMs < 0) {
      throw new TypeError(`dedupe.windowMs must be a whole number of ms, not ${dedupe.windowMs}`);
    }
    const { keys } = this;
    const [status, value] = (await CREATE.run(
      this.redis,
      [
        keys.record(incident.id),
        keys.dedupe(dedupe.key),
        keys.byChannel,
        keys.open,
        keys.timeline(incident.id),
        keys.state(incident.id),
        keys.timelineByTime(incident.id),
      ],
      [
        incident.id,
        dedupe.windowMs,
        openedAtMs,
        incident.channelId,
        ...encodeEntry(capEntry(opened)),
        incident.phase,
        Date.parse(opened.at),
        ...toHashArgs(incident),
      ],
    )) as [string, string];
    if (status === 'created') return { incident, created: true };
    if (status === 'channel_taken') throw channelTaken(incident.channelId, value);
    const existing = await this.get(value);
    if (existing) return { incident: existing, created: false };
    throw new IncidentStoreError(
      'dedupe_orphan',
      `Incident ${value} named by Redis key ${keys.dedupe(dedupe.key)} has no record; delete that key to open again`,
    );
  }

  /** The incident, or undefined when there is none with that id. */
  async get(id: string): Promise<Incident | undefined> {
    if (!INCIDENT_ID.test(id)) return undefined;
    const key = this.keys.record(id);
    return fromHash(await this.redis.hgetall(key), key);
  }

  /** The incident whose Slack channel this is, or undefined. */
  async getByChannel(channelId: string): Promise<Incident | undefined> {
    const id = await this.redis.hget(this.keys.byChannel, channelId);
    return id === null ? undefined : this.get(id);
  }

  /**
   * Sets the fields in `patch` (undefined ones are left alone) in one step and returns the result.
   * Fields are separate hash fields, so concurrent updates of different fields both stick, and the
   * timeline (a separate stream) is never rewritten. Changing `channelId` moves the channel index.
   * @throws IncidentStoreError `not_found`, `channel_taken`.
   */
  async update(id: string, patch: IncidentPatch): Promise<Incident> {
    checkPatch(patch);
    const args = toHashArgs(
      patch.title === undefined ? patch : { ...patch, title: capText(patch.title, STORED_TITLE_MAX) },
    );
    const hasChannel = patch.channelId !== undefined;
    const key = this.keys.record(id);
    const [status, value] = (await UPDATE.run(
      this.redis,
      [this.checkedKey(id, key), this.keys.byChannel],
      [id, hasChannel ? '1' : '0', patch.channelId ?? '', ...args],
    )) as [string, string[] | string];
    if (status === 'not_found') throw incidentNotFound(id);
    if (status === 'channel_taken') throw channelTaken(patch.channelId ?? '', String(value));
    return fromHash(value as string[], key) as Incident;
  }

  /**
   * Appends an entry and returns it with its stream id (arrival order). `at` is stored as given and
   * may be earlier than entries already there (a pinned message keeps its original post time).
   * @throws IncidentStoreError `not_found`: entries are never written for an unknown incident.
   */
  async append(id: string, entry: NewTimelineEntry): Promise<TimelineEntry> {
    return (await appendEntry(this.stateSource(id), entry, '')).entry;
  }

  /**
   * Appends the entry only the first time for `idempotencyKey` within this incident (for producers
   * that may retry: a job re-run after a crash, a double click). A repeat returns the entry first
   * written, with `appended: false`.
   */
  async appendOnce(
    id: string,
    entry: NewTimelineEntry,
    idempotencyKey: string,
  ): Promise<{ entry: TimelineEntry; appended: boolean }> {
    if (idempotencyKey === '') throw new TypeError('appendOnce needs a non-empty idempotency key');
    return appendEntry(this.stateSource(id), entry, idempotencyKey);
  }

  /**
   * Up to `count` (default 500) entries in arrival order, starting after stream id `after`.
   * Unreadable entries are skipped and reported; `next` still moves past them.
   */
  async timeline(id: string, options: { after?: string; count?: number } = {}): Promise<TimelineBatch> {
    const key = this.checkedKey(id, this.keys.timeline(id));
    return readTimelineBatch(
      this.redis,
      key,
      { after: options.after, count: options.count ?? DEFAULT_PAGE },
      this.warn,
    );
  }

  /** The whole timeline ordered by when things happened (`at`), then by arrival: what the recap shows. */
  async timelineByTime(id: string): Promise<TimelineEntry[]> {
    return readTimelineByTime(this.redis, this.checkedKey(id, this.keys.timeline(id)), this.warn);
  }

  /**
   * What the commands on the ack path need (who was paged, the phase, the latest status), with the
   * tiers that paged `user` when given: one bounded read, whatever the timeline's length.
   * @throws IncidentStoreError `not_found`.
   */
  async state(id: string, user?: string): Promise<IncidentState> {
    return readIncidentState(this.stateSource(id), user);
  }

  /**
   * What `/incident contacts` shows: per tier who was paged, when and why, who acknowledged, failed
   * pages and escalations, lists cut to their earliest items. One bounded read, like `state`.
   * @throws IncidentStoreError `not_found`.
   */
  async contacts(id: string): Promise<ContactsView> {
    return readContactsView(this.stateSource(id));
  }

  /**
   * Up to `count` entries (1–100) of the timeline ordered by time then arrival, from the `first`
   * (0-based), and how many entries it has: one bounded read, whatever the timeline's length.
   * @throws IncidentStoreError `not_found`.
   */
  async timelineSlice(id: string, range: { first: number; count: number }): Promise<TimelineSlice> {
    const source = this.stateSource(id);
    return readCurrentState(source, () => readTimelineSlice(source, range));
  }

  /** Remembers a timer the incident set (a delayed job's id), so that closing it can remove it. */
  async trackTimer(id: string, jobId: string): Promise<void> {
    await this.redis.sadd(this.checkedKey(id, this.keys.timers(id)), jobId);
  }

  /** Forgets a timer that has fired. */
  async forgetTimer(id: string, jobId: string): Promise<void> {
    await this.redis.srem(this.checkedKey(id, this.keys.timers(id)), jobId);
  }

  /** The job ids of the incident's timers that have not fired, forgotten as they are returned. */
  async takeTimers(id: string): Promise<string[]> {
    const key = this.checkedKey(id, this.keys.timers(id));
    const [[error, ids] = [null, []]] = (await this.redis.multi().smembers(key).del(key).exec()) ?? [];
    if (error) throw error;
    return ids as string[];
  }

  /** Open incidents, oldest first. */
  async listOpen(): Promise<Incident[]> {
    return readIncidents(this.redis, this.keys, await this.redis.zrange(this.keys.open, 0, -1));
  }

  /** The `limit` most recently closed incidents, most recent first. */
  async listRecentlyClosed(limit = 20): Promise<Incident[]> {
    // ZREVRANGE 0 -1 would mean "all", not "none".
    if (limit < 1) return [];
    return readIncidents(this.redis, this.keys, await this.redis.zrevrange(this.keys.closed, 0, limit - 1));
  }

  /**
   * Closes the incident: status, `closedAt` and `resolution` set, moved from the open set to the
   * closed one, and `entry` (its `closed` timeline entry) appended, in one step. Closing a closed
   * incident changes nothing and returns it with `alreadyClosed: true`.
   * @throws IncidentStoreError `not_found`.
   */
  async close(
    id: string,
    closedAt: string,
    resolution: string,
    entry: NewTimelineEntry,
  ): Promise<{ incident: Incident; alreadyClosed: boolean }> {
    const closedAtMs = parseTime(closedAt, 'closedAt');
    const { keys } = this;
    const key = keys.record(id);
    const [status, hash] = (await CLOSE.run(
      this.redis,
      [
        this.checkedKey(id, key),
        keys.open,
        keys.closed,
        keys.timeline(id),
        keys.state(id),
        keys.timelineByTime(id),
      ],
      [
        id,
        closedAt,
        closedAtMs,
        capText(resolution, STORED_RESOLUTION_MAX),
        ...encodeEntry(capEntry(entry)),
        Date.parse(entry.at),
      ],
    )) as [string, string[]];
    if (status === 'not_found') throw incidentNotFound(id);
    return { incident: fromHash(hash, key) as Incident, alreadyClosed: status === 'already_closed' };
  }

  /** Where the state of incident `id` is read, once `id` is known to be usable in keys. */
  private stateSource(id: string): StateSource {
    if (!INCIDENT_ID.test(id)) throw incidentNotFound(id);
    return { redis: this.redis, keys: this.keys, id, warn: this.warn };
  }

  /** The key, once `id` is known to be usable in one (ids with `:` could reach other incidents' keys). */
  private checkedKey(id: string, key: string): string {
    if (!INCIDENT_ID.test(id)) throw incidentNotFound(id);
    return key;
  }
}
