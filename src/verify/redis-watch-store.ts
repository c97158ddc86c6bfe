import type { KeyPrefix } from '../queue/key-prefix';
import type { RedisClient } from '../queue/redis-client';

/** One verification of a watch, as its compact row shows it. */
export interface WatchTick {
  at: string;
  passed: boolean;
  /** "health: 1/3 endpoints failing: backend 503 in 41 ms", one per failing criterion. */
  failing: string[];
}

/** A verification repeated every `everyMs` for `durationMs`. Times are ISO-8601 UTC. */
export interface Watch {
  id: string;
  environment: string;
  channelId: string;
  incidentId?: string;
  requestedBy: string;
  startedAt: string;
  endsAt: string;
  durationMs: number;
  everyMs: number;
  /** How many verifications the watch makes in all (one at the start, then one per interval). */
  totalTicks: number;
  state: 'watching' | 'passed' | 'failed' | 'stopped';
  /** When the primary tier was paged for the first failure. */
  pagedAt?: string;
  finishedAt?: string;
  outcome?: string;
}

const TTL_MS = 30 * 24 * 3600_000;

/** Ends a watch once: only from `watching`. KEYS: record. ARGV: state, finishedAt, outcome. */
const FINISH = `
local raw = redis.call('GET', KEYS[1])
if not raw then return nil end
local watch = cjson.decode(raw)
if watch.state ~= 'watching' then return nil end
watch.state = ARGV[1]
watch.finishedAt = ARGV[2]
watch.outcome = ARGV[3]
local updated = cjson.encode(watch)
redis.call('SET', KEYS[1], updated, 'KEEPTTL')
return updated`;

/** Watches in Redis: the record, its results in order, and "the watch" of an environment in a channel. */
export class RedisWatchStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: KeyPrefix,
  ) {}

  private key(id: string, part = '') {
    return `${this.prefix.tag}:watch:${id}${part}`;
  }
  private activeKey(channelId: string, environment: string) {
    return `${this.prefix.tag}:watch:active:${channelId}:${environment}`;
  }
  private incidentKey(incidentId: string) {
    return `${this.prefix.tag}:watch:incident:${incidentId}`;
  }

  /** The watch now running for the environment in the channel: `watch` itself, or the one there already. */
  async claim(watch: Watch): Promise<Watch> {
    const active = this.activeKey(watch.channelId, watch.environment);
    const holder = await this.redis.set(active, watch.id, 'PX', watch.durationMs + 10 * 60_000, 'NX');
    if (holder !== 'OK') {
      const id = await this.redis.get(active);
      const existing = id ? await this.get(id) : undefined;
      if (existing && existing.state === 'watching') return existing;
      await this.redis.set(active, watch.id, 'PX', watch.durationMs + 10 * 60_000);
    }
    const multi = this.redis.multi().set(this.key(watch.id), JSON.stringify(watch), 'PX', TTL_MS, 'NX');
    if (watch.incidentId)
      multi
        .sadd(this.incidentKey(watch.incidentId), watch.id)
        .pexpire(this.incidentKey(watch.incidentId), TTL_MS);
    await multi.exec();
    return (await this.get(watch.id)) ?? watch;
  }

  async get(id: string): Promise<Watch | undefined> {
    const [raw, pagedAt] = await this.redis.mget(this.key(id), this.key(id, ':paged'));
    if (!raw) return undefined;
    const watch = JSON.parse(raw) as Watch;
    return pagedAt ? { ...watch, pagedAt } : watch;
  }

  /** The ids of an incident's watches, for stopping them when it closes. */
  async forIncident(incidentId: string): Promise<string[]> {
    return this.redis.smembers(this.incidentKey(incidentId));
  }

  /** Records one verification, once per tick (a retried tick job records nothing more). */
  async addTick(id: string, tickKey: string, tick: WatchTick): Promise<boolean> {
    const fresh = await this.redis.hsetnx(this.key(id, ':seen'), tickKey, '1');
    if (fresh === 0) return false;
    await this.redis
      .multi()
      .rpush(this.key(id, ':ticks'), JSON.stringify(tick))
      .pexpire(this.key(id, ':ticks'), TTL_MS)
      .pexpire(this.key(id, ':seen'), TTL_MS)
      .exec();
    return true;
  }

  async seen(id: string, tickKey: string): Promise<boolean> {
    return (await this.redis.hexists(this.key(id, ':seen'), tickKey)) === 1;
  }

  async ticks(id: string): Promise<WatchTick[]> {
    return (await this.redis.lrange(this.key(id, ':ticks'), 0, -1)).map((t) => JSON.parse(t) as WatchTick);
  }

  /** True once: the first failure of a watch pages, later ones do not. */
  async markPaged(id: string, at: string): Promise<boolean> {
    return (await this.redis.set(this.key(id, ':paged'), at, 'PX', TTL_MS, 'NX')) === 'OK';
  }

  /** Ends the watch; undefined when it had already ended. */
  async finish(
    id: string,
    state: Watch['state'],
    finishedAt: string,
    outcome: string,
  ): Promise<Watch | undefined> {
    const updated = (await this.redis.eval(FINISH, 1, this.key(id), state, finishedAt, outcome)) as
      | string
      | null;
    if (!updated) return undefined;
    const watch = JSON.parse(updated) as Watch;
    const active = this.activeKey(watch.channelId, watch.environment);
    if ((await this.redis.get(active)) === id) await this.redis.del(active);
    return watch;
  }
}
