import { LuaScript } from '../chat/outbox-scripts';
import { RECORD_ENTRY, STATE_VERSION } from './incident-state-scripts';

// Each script is one atomic step, so a crash of the bot between two Redis calls cannot leave an
// incident half-written (a record without its `opened` entry, a marker without its entry, …).
// Replies are `{status, …}` tables; entry fields always come as at, actor, kind, text, data.
// APPEND and CLOSE record their entry in the state only when the state has folded every entry
// before it (checked before the XADD): otherwise a read catches the state up, this entry included,
// in arrival order (FOLD_PAGE).

/**
 * Opens an incident unless the dedupe key was used within its window or the id is already stored,
 * and starts its state hash (in its first phase since it opened) and by-time index.
 * KEYS: record, dedupe, byChannel, open, timeline, state, by-time index.
 * ARGV: id, windowMs, openedAtMs, channelId, at, actor, kind, text, data, phase, the entry's time
 * in epoch ms, then record field/value pairs.
 * Replies {'deduped', id} | {'exists', id} | {'channel_taken', holder} | {'created', entryId}.
 */
export const CREATE = new LuaScript(`${RECORD_ENTRY}
local existing = redis.call('GET', KEYS[2])
if existing then return {'deduped', existing} end
if redis.call('EXISTS', KEYS[1]) == 1 then return {'exists', ARGV[1]} end
if ARGV[4] ~= '' then
  local holder = redis.call('HGET', KEYS[3], ARGV[4])
  if holder and holder ~= ARGV[1] then return {'channel_taken', holder} end
  redis.call('HSET', KEYS[3], ARGV[4], ARGV[1])
end
redis.call('HSET', KEYS[1], unpack(ARGV, 12))
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1])
local entryId = redis.call('XADD', KEYS[5], '*',
  'at', ARGV[5], 'actor', ARGV[6], 'kind', ARGV[7], 'text', ARGV[8], 'data', ARGV[9])
redis.call('DEL', KEYS[6], KEYS[7])
redis.call('HSET', KEYS[6], 'phase', ARGV[10], 'phaseSince', ARGV[3], 'phaseEarlierMs', '0',
  'v', '${STATE_VERSION}')
record(KEYS[6], KEYS[7], entryId, tonumber(ARGV[11]), ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9])
if tonumber(ARGV[2]) > 0 then redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2]) end
return {'created', entryId}
`);

/**
 * Appends an entry to an existing incident; with an idempotency key, only the first time for it
 * (a second call replies with the entry the first one wrote). The entry is recorded in the state
 * hash and the by-time index in the same step, when they are up to date (else see FOLD_PAGE).
 * KEYS: record, timeline, once, state, by-time index. ARGV: idempotencyKey ('' for none), at,
 * actor, kind, text, data, the entry's time in epoch ms.
 * Replies {'not_found'} | {'seen', XRANGE reply of the first entry} | {'appended', entryId}.
 */
export const APPEND = new LuaScript(`${RECORD_ENTRY}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'not_found'} end
if ARGV[1] ~= '' then
  local seen = redis.call('HGET', KEYS[3], ARGV[1])
  if seen then return {'seen', redis.call('XRANGE', KEYS[2], seen, seen)} end
end
local _, behind = state_behind(KEYS[4], KEYS[2])
local entryId = redis.call('XADD', KEYS[2], '*',
  'at', ARGV[2], 'actor', ARGV[3], 'kind', ARGV[4], 'text', ARGV[5], 'data', ARGV[6])
if ARGV[1] ~= '' then redis.call('HSET', KEYS[3], ARGV[1], entryId) end
if not behind then
  record(KEYS[4], KEYS[5], entryId, tonumber(ARGV[7]), ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6])
end
return {'appended', entryId}
`);

/**
 * Sets record fields; when the patch names a channel, moves the channel index too.
 * KEYS: record, byChannel. ARGV: id, '1' when the patch has channelId (else '0'), channelId,
 * then field/value pairs. Replies {'not_found'} | {'channel_taken', holder} | {'updated', HGETALL}.
 */
export const UPDATE = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return {'not_found'} end
if ARGV[2] == '1' then
  local holder = redis.call('HGET', KEYS[2], ARGV[3])
  if holder and holder ~= ARGV[1] then return {'channel_taken', holder} end
  local old = redis.call('HGET', KEYS[1], 'channelId')
  if old and old ~= ARGV[3] and redis.call('HGET', KEYS[2], old) == ARGV[1] then
    redis.call('HDEL', KEYS[2], old)
  end
  if ARGV[3] ~= '' then redis.call('HSET', KEYS[2], ARGV[3], ARGV[1]) end
end
if #ARGV > 3 then redis.call('HSET', KEYS[1], unpack(ARGV, 4)) end
return {'updated', redis.call('HGETALL', KEYS[1])}
`);

/**
 * Closes an open incident and appends its `closed` entry (recorded in the state hash and the
 * by-time index as APPEND records one); a closed one is left as it is.
 * KEYS: record, open, closed, timeline, state, by-time index. ARGV: id, closedAt, closedAtMs,
 * resolution, at, actor, kind, text, data, the entry's time in epoch ms.
 * Replies {'not_found'} | {'already_closed', HGETALL} | {'closed', HGETALL}.
 */
export const CLOSE = new LuaScript(`${RECORD_ENTRY}
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'not_found'} end
if status == 'closed' then return {'already_closed', redis.call('HGETALL', KEYS[1])} end
redis.call('HSET', KEYS[1], 'status', 'closed', 'closedAt', ARGV[2], 'resolution', ARGV[4])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
local _, behind = state_behind(KEYS[5], KEYS[4])
local entryId = redis.call('XADD', KEYS[4], '*',
  'at', ARGV[5], 'actor', ARGV[6], 'kind', ARGV[7], 'text', ARGV[8], 'data', ARGV[9])
if not behind then
  record(KEYS[5], KEYS[6], entryId, tonumber(ARGV[10]), ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9])
end
return {'closed', redis.call('HGETALL', KEYS[1])}
`);
