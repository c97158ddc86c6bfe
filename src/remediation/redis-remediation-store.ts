import { LuaScript } from '../chat/outbox-scripts';
import type { KeyPrefix } from '../queue/key-prefix';
import type { RedisClient } from '../queue/redis-client';
import type { ProgressLine, RemediationRequest, RemediationState } from './remediation';

/** Requests are evidence for the post-mortem: kept a month. */
const REQUEST_TTL_MS = 30 * 24 * 3600_000;

/**
 * Moves a request from one of the allowed states to a new one and merges a patch, atomically:
 * two approvers clicking at once, or a click racing the expiry timer, cannot both win.
 * KEYS: record. ARGV: allowed states (comma-separated), new state, patch (JSON object).
 * Replies {'ok', record} | {'conflict', record} | {'not_found'}.
 */
const TRANSITION = new LuaScript(`
local raw = redis.call('GET', KEYS[1])
if not raw then return {'not_found'} end
local record = cjson.decode(raw)
for allowed in string.gmatch(ARGV[1], '[^,]+') do
  if allowed == record.state then
    for field, value in pairs(cjson.decode(ARGV[3])) do record[field] = value end
    record.state = ARGV[2]
    record.version = (record.version or 0) + 1
    local updated = cjson.encode(record)
    redis.call('SET', KEYS[1], updated, 'KEEPTTL')
    return {'ok', updated}
  end
end
return {'conflict', raw}
`);

const CLAIM_ACTIVE = new LuaScript(`
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return holder end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ARGV[1]
`);

const RELEASE_ACTIVE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

type StoredRequest = Omit<RemediationRequest, 'progress'> & { version?: number };

export type TransitionResult =
  | { ok: true; request: RemediationRequest }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'conflict'; request: RemediationRequest };

/**
 * Remediation requests in Redis: the record (JSON), its progress lines (a list), and per service
 * "the remediation in flight", so a second request joins the first instead of acting twice.
 */
export class RedisRemediationStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: KeyPrefix,
  ) {}

  private recordKey(id: string) {
    return `${this.prefix.tag}:remediation:${id}`;
  }
  private progressKey(id: string) {
    return `${this.prefix.tag}:remediation:${id}:progress`;
  }
  private pendingKey(channelId: string) {
    return `${this.prefix.tag}:remediation:pending:${channelId}`;
  }
  private activeKey(environment: string, service: string) {
    return `${this.prefix.tag}:remediation:active:${environment}:${service}`;
  }

  /** Stores a new request; a second call with the same id returns the stored one. */
  async create(request: RemediationRequest): Promise<{ created: boolean; request: RemediationRequest }> {
    const { progress, ...record } = request;
    const stored = await this.redis.set(
      this.recordKey(request.id),
      JSON.stringify({ ...record, version: 1 }),
      'PX',
      REQUEST_TTL_MS,
      'NX',
    );
    if (stored !== 'OK') {
      const existing = await this.get(request.id);
      if (existing) return { created: false, request: existing };
    }
    for (const line of progress) await this.addProgress(request.id, line);
    return { created: true, request };
  }

  async get(id: string): Promise<RemediationRequest | undefined> {
    const [raw, progress] = await Promise.all([
      this.redis.get(this.recordKey(id)),
      this.redis.lrange(this.progressKey(id), 0, -1),
    ]);
    if (!raw) return undefined;
    return decode(raw, progress);
  }

  /** The record's version: it grows with every transition, for whoever renders the message. */
  async version(id: string): Promise<number> {
    const raw = await this.redis.get(this.recordKey(id));
    return raw ? Number((JSON.parse(raw) as StoredRequest).version ?? 0) : 0;
  }

  async transition(
    id: string,
    from: readonly RemediationState[],
    to: RemediationState,
    patch: Partial<Omit<RemediationRequest, 'id' | 'state' | 'progress'>> = {},
  ): Promise<TransitionResult> {
    const reply = (await TRANSITION.run(
      this.redis,
      [this.recordKey(id)],
      [from.join(','), to, JSON.stringify(patch)],
    )) as [string, string?];
    if (reply[0] === 'not_found' || !reply[1]) return { ok: false, reason: 'not_found' };
    const progress = await this.redis.lrange(this.progressKey(id), 0, -1);
    const request = decode(reply[1], progress);
    return reply[0] === 'ok' ? { ok: true, request } : { ok: false, reason: 'conflict', request };
  }

  async addProgress(id: string, line: ProgressLine): Promise<void> {
    const key = this.progressKey(id);
    await this.redis.multi().rpush(key, JSON.stringify(line)).pexpire(key, REQUEST_TTL_MS).exec();
  }

  /** Requests waiting for approval in a channel, so `/incident approve` can find the one there. */
  async markPending(channelId: string, id: string): Promise<void> {
    await this.redis
      .multi()
      .sadd(this.pendingKey(channelId), id)
      .pexpire(this.pendingKey(channelId), REQUEST_TTL_MS)
      .exec();
  }

  async unmarkPending(channelId: string, id: string): Promise<void> {
    await this.redis.srem(this.pendingKey(channelId), id);
  }

  /** The requests of a channel still waiting for approval, oldest first. */
  async pendingIn(channelId: string): Promise<RemediationRequest[]> {
    const ids = await this.redis.smembers(this.pendingKey(channelId));
    const requests = await Promise.all(ids.map((id) => this.get(id)));
    return requests
      .filter((r): r is RemediationRequest => r?.state === 'awaiting-approval')
      .sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
  }

  /** The id of the request now in flight for the service: `id` itself, or the one already there. */
  async claimActive(environment: string, service: string, id: string, ttlMs: number): Promise<string> {
    return String(await CLAIM_ACTIVE.run(this.redis, [this.activeKey(environment, service)], [id, ttlMs]));
  }

  async activeFor(environment: string, service: string): Promise<string | undefined> {
    return (await this.redis.get(this.activeKey(environment, service))) ?? undefined;
  }

  async releaseActive(environment: string, service: string, id: string): Promise<void> {
    await RELEASE_ACTIVE.run(this.redis, [this.activeKey(environment, service)], [id]);
  }
}

function decode(raw: string, progress: string[]): RemediationRequest {
  const { version: _version, ...record } = JSON.parse(raw) as StoredRequest;
  return {
    ...record,
    progress: progress.flatMap((line) => {
      try {
        return [JSON.parse(line) as ProgressLine];
      } catch {
        return [];
      }
    }),
  };
}
