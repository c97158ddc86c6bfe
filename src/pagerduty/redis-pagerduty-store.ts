import { LuaScript } from '../chat/outbox-scripts';
import type { ContactTier } from '../config/schema';
import type { KeyPrefix } from '../queue/key-prefix';
import type { RedisClient } from '../queue/redis-client';

/** Where a contact's PagerDuty incident stands, as far as Warroom knows. */
export type PagerDutyState = 'triggered' | 'acknowledged' | 'resolved' | 'failed';

/**
 * Records an accepted trigger: the page's `sent:` field once, and the contact's state `triggered`
 * unless PagerDuty already reported it acknowledged (a trigger under the same `dedup_key` joins
 * the acknowledged incident, which stays acknowledged). KEYS: the incident's hash. ARGV: sent
 * field, ms, state field. Replies 1 when the page was not recorded before.
 */
const RECORD_SENT = new LuaScript(`
local first = redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
if redis.call('HGET', KEYS[1], ARGV[3]) ~= 'acknowledged' then redis.call('HSET', KEYS[1], ARGV[3], 'triggered') end
return first
`);

/** One contact of an incident that Warroom pages in PagerDuty, under `dedupKey`. */
export interface PagerDutyTarget {
  incidentId: string;
  contact: string;
  tier: ContactTier;
  dedupKey: string;
  /** Absent until PagerDuty accepted (or finally refused) a trigger. */
  state?: PagerDutyState;
}

/**
 * What Warroom sent to PagerDuty, in Redis: per incident a hash (`target:<contact>` → the target,
 * `state:<contact>`, `sent:<contact>:<pageId>` once a page's trigger was accepted), and one hash
 * of every `dedup_key` → its incident and contact, which maps a webhook back. The target is
 * recorded before the first send, so a webhook that beats the job's bookkeeping still finds it.
 */
export class RedisPagerDutyStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: KeyPrefix,
  ) {}

  private incidentKey(incidentId: string): string {
    return this.prefix.key('pagerduty', 'incident', incidentId);
  }

  private get keysKey(): string {
    return this.prefix.key('pagerduty', 'dedup-keys');
  }

  /** Records that `target.contact` is paged in PagerDuty under `target.dedupKey` (again: no change). */
  async addTarget(target: Omit<PagerDutyTarget, 'state'>): Promise<void> {
    const value = JSON.stringify({
      incidentId: target.incidentId,
      contact: target.contact,
      tier: target.tier,
      dedupKey: target.dedupKey,
    });
    await this.redis
      .multi()
      .hset(this.incidentKey(target.incidentId), `target:${target.contact}`, value)
      .hset(this.keysKey, target.dedupKey, value)
      .exec();
  }

  /** Whether the trigger of page `pageId` to `contact` was already accepted. */
  async pageSent(incidentId: string, contact: string, pageId: string): Promise<boolean> {
    return (await this.redis.hexists(this.incidentKey(incidentId), `sent:${contact}:${pageId}`)) === 1;
  }

  /** Records that PagerDuty accepted page `pageId`'s trigger; false when it was already recorded. */
  async recordSent(incidentId: string, contact: string, pageId: string, at: Date): Promise<boolean> {
    const first = await RECORD_SENT.run(
      this.redis,
      [this.incidentKey(incidentId)],
      [`sent:${contact}:${pageId}`, at.getTime(), `state:${contact}`],
    );
    return first === 1;
  }

  async setState(incidentId: string, contact: string, state: PagerDutyState): Promise<void> {
    await this.redis.hset(this.incidentKey(incidentId), `state:${contact}`, state);
  }

  /** Every contact the incident pages in PagerDuty, in the order first paged. */
  async targets(incidentId: string): Promise<PagerDutyTarget[]> {
    const fields = await this.redis.hgetall(this.incidentKey(incidentId));
    return Object.entries(fields).flatMap(([field, raw]) => {
      if (!field.startsWith('target:')) return [];
      const target = parseTarget(raw);
      if (!target) return [];
      const state = fields[`state:${target.contact}`] as PagerDutyState | undefined;
      return [state ? { ...target, state } : target];
    });
  }

  /** The incident and contact that `dedupKey` pages; undefined for a key Warroom did not send. */
  async byDedupKey(dedupKey: string): Promise<PagerDutyTarget | undefined> {
    const raw = await this.redis.hget(this.keysKey, dedupKey);
    if (raw === null) return undefined;
    const target = parseTarget(raw);
    if (!target) return undefined;
    const state = await this.redis.hget(this.incidentKey(target.incidentId), `state:${target.contact}`);
    return state ? { ...target, state: state as PagerDutyState } : target;
  }
}

function parseTarget(raw: string): Omit<PagerDutyTarget, 'state'> | undefined {
  try {
    const value = JSON.parse(raw) as Record<string, unknown>;
    const { incidentId, contact, tier, dedupKey } = value;
    if (typeof incidentId !== 'string' || typeof contact !== 'string' || typeof dedupKey !== 'string')
      return undefined;
    return { incidentId, contact, tier: tier as ContactTier, dedupKey };
  } catch {
    return undefined;
  }
}
