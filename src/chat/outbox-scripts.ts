import { createHash } from 'node:crypto';
import type { RedisClient } from '../queue/redis-client';

/**
 * A Lua script run by EVALSHA, falling back to EVAL once when Redis has not seen it (after a
 * restart or SCRIPT FLUSH). All keys a script touches are passed in KEYS, as Redis Cluster requires.
 */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: RedisClient, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

/**
 * Creates or updates a message and enqueues at most one waiting update per key (coalescing: the
 * drainer reads the latest content when it sends). A channel gets score 0 when it first has work
 * ("due now", independent of any process clock); NX keeps a later score set by a 429 or backoff.
 * KEYS: message, channel ops, ready, pending, parent message. ARGV: channel, key, content, ttlMs, threadKey.
 */
export const PUT = new LuaScript(`
local channel = redis.call('HGET', KEYS[1], 'channel')
if not channel then
  if ARGV[5] ~= '' then
    local parentChannel = redis.call('HGET', KEYS[5], 'channel')
    if not parentChannel then return 'no_parent' end
    if parentChannel ~= ARGV[1] then return 'parent_channel:' .. parentChannel end
  end
  redis.call('HSET', KEYS[1], 'channel', ARGV[1], 'content', ARGV[3], 'version', 1, 'threadKey', ARGV[5])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  redis.call('RPUSH', KEYS[2], 'post:' .. ARGV[2])
  redis.call('INCR', KEYS[4])
  redis.call('ZADD', KEYS[3], 'NX', 0, ARGV[1])
  return 'created'
end
if channel ~= ARGV[1] then return 'channel_mismatch:' .. channel end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
if redis.call('HGET', KEYS[1], 'content') == ARGV[3] then return 'unchanged' end
redis.call('HSET', KEYS[1], 'content', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'version', 1)
if redis.call('HSETNX', KEYS[1], 'updateQueued', 1) == 0 then return 'coalesced' end
redis.call('RPUSH', KEYS[2], 'update:' .. ARGV[2])
redis.call('INCR', KEYS[4])
redis.call('ZADD', KEYS[3], 'NX', 0, ARGV[1])
return 'queued'
`);

/**
 * Leases a channel only if it is due: checked atomically so a channel rescheduled by a 429 between
 * a drainer's poll and its lease attempt is not called early.
 * KEYS: ready, lease. ARGV: channel, owner, leaseMs, now. Returns 1 when leased.
 */
export const ACQUIRE = new LuaScript(`
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) > tonumber(ARGV[4]) then return 0 end
if redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3]) then return 1 end
return 0
`);

/** KEYS: lease. ARGV: owner, leaseMs. Returns 1 while the lease is still ours. */
export const RENEW = new LuaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`);

/**
 * Pushes the channel's next call to `at` (never earlier than a time already set: GT) and gives
 * the lease up if it is ours. XX keeps an emptied channel out of the set, and a channel whose list
 * is empty is taken out (only then: a concurrent PUT adds to the list and the set in one step).
 * KEYS: ready, lease, ops. ARGV: channel, owner, at ('' to only release).
 */
export const RESCHEDULE_AND_RELEASE = new LuaScript(`
if ARGV[3] ~= '' then redis.call('ZADD', KEYS[1], 'XX', 'GT', ARGV[3], ARGV[1]) end
if redis.call('GET', KEYS[2]) == ARGV[2] then redis.call('DEL', KEYS[2]) end
if redis.call('LLEN', KEYS[3]) == 0 then redis.call('ZREM', KEYS[1], ARGV[1]) end
return 1
`);

/**
 * Removes the finished head operation, only for the lease holder and only if it is still the head
 * (so a drainer that lost its lease cannot pop work another drainer has not done). The channel
 * leaves the ready set in the same step as its list empties, so a concurrent PUT re-adds it.
 * KEYS: ops, ready, pending, failures, lease. ARGV: op, channel, owner. Returns 1, or 0 if not ours.
 */
export const ACK = new LuaScript(`
if redis.call('GET', KEYS[5]) ~= ARGV[3] then return 0 end
if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[1] then return 0 end
redis.call('LPOP', KEYS[1])
redis.call('DECR', KEYS[3])
redis.call('HDEL', KEYS[4], ARGV[2])
if redis.call('LLEN', KEYS[1]) == 0 then redis.call('ZREM', KEYS[2], ARGV[2]) end
return 1
`);

/**
 * Sets fields of a message hash only while it exists (a write must not resurrect an expired
 * message without its TTL), optionally deleting one field, and refreshes the TTL.
 * KEYS: message. ARGV: ttlMs, fieldToDelete or '', field, value, ….
 */
export const SET_MESSAGE_FIELDS = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[2] ~= '' then redis.call('HDEL', KEYS[1], ARGV[2]) end
if #ARGV > 2 then redis.call('HSET', KEYS[1], unpack(ARGV, 3)) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
`);
