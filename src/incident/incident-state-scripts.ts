import { LuaScript } from '../chat/outbox-scripts';
import { CONTACT_TIERS } from '../config/schema';

/** What the state hash's `v` field holds once the hash is complete (see incident-state.ts). */
export const STATE_VERSION = '1';

/**
 * Lua that folds one timeline entry into the incident's state hash, in arrival order: `fold(state,
 * ms, at, actor, kind, text, data)`, where `ms` is the entry's time in epoch milliseconds. Only
 * `page`, `ack`, `phase` and `status` entries change it; malformed data is ignored, as
 * `escalationState` ignores it, because the timeline is history and must stay readable.
 */
export const FOLD_ENTRY = `
local TIERS = {${CONTACT_TIERS.map((tier) => `['${tier}'] = true`).join(', ')}}
local function ms_text(ms) return string.format('%d', ms) end
local function earliest(state, field, ms)
  local known = tonumber(redis.call('HGET', state, field))
  if known and known <= ms then return false end
  redis.call('HSET', state, field, ms_text(ms))
  return true
end
local function move_phase(state, ms, to, from)
  local current = redis.call('HGET', state, 'phase') or ''
  -- Only while rebuilding from an old timeline: the first change says which phase came first.
  if current == '' and type(from) == 'string' then current = from end
  if to == current then
    redis.call('HSET', state, 'phase', current)
    return
  end
  local since = tonumber(redis.call('HGET', state, 'phaseSince')) or ms
  local start = math.max(ms, since)
  if current ~= '' then redis.call('HINCRBY', state, 'spent:' .. current, ms_text(start - since)) end
  redis.call('HSET', state, 'phase', to, 'phaseSince', ms_text(start),
    'phaseEarlierMs', redis.call('HGET', state, 'spent:' .. to) or '0')
end
local function fold(state, ms, at, actor, kind, text, data)
  if kind == 'status' then
    local known = tonumber(redis.call('HGET', state, 'status:ms'))
    if not known or known <= ms then
      redis.call('HSET', state, 'status:text', text, 'status:actor', actor, 'status:at', at,
        'status:ms', ms_text(ms))
    end
    return
  end
  if kind ~= 'page' and kind ~= 'ack' and kind ~= 'phase' then return end
  local ok, d = pcall(cjson.decode, data)
  if not ok or type(d) ~= 'table' then return end
  if kind == 'page' then
    if not TIERS[d.tier] or type(d.users) ~= 'table' then return end
    earliest(state, 'first:' .. d.tier, ms)
    for _, user in ipairs(d.users) do
      if type(user) == 'string' then earliest(state, 'paged:' .. d.tier .. ':' .. user, ms) end
    end
  elseif kind == 'ack' then
    if d.paged == true and type(d.user) == 'string' and TIERS[d.tier]
      and earliest(state, 'ackAt:' .. d.tier, ms) then
      redis.call('HSET', state, 'ack:' .. d.tier, d.user)
    end
  elseif type(d.to) == 'string' and d.to ~= '' then
    move_phase(state, ms, d.to, d.from)
  end
end
`;

/**
 * Builds the state of an incident recorded before the state hash existed, one page of its timeline
 * per call, so Redis is never held for long. The caller reads the page after `cursor` and passes
 * the entries that change state; appends meanwhile leave the incomplete hash alone (it has no `v`),
 * and the call that finds nothing after its page sets `v`, so no entry is missed or folded twice.
 * KEYS: record, timeline, state. ARGV: cursor ('' at the start), the page's last stream id ('' for
 * none), openedAtMs, the record's phase, then per entry: ms, at, actor, kind, text, data.
 * Replies {'not_found'} | {'ready'} | {'more', cursor} | {'moved', cursor} (another call got there first).
 */
export const REBUILD_STATE = new LuaScript(`${FOLD_ENTRY}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'not_found'} end
if redis.call('HEXISTS', KEYS[3], 'v') == 1 then return {'ready'} end
local cursor = redis.call('HGET', KEYS[3], 'rebuiltTo') or ''
if cursor ~= ARGV[1] then return {'moved', cursor} end
if cursor == '' then
  redis.call('DEL', KEYS[3])
  redis.call('HSET', KEYS[3], 'phase', '', 'phaseSince', ARGV[3])
end
for i = 5, #ARGV, 6 do
  fold(KEYS[3], tonumber(ARGV[i]), ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5])
end
if ARGV[2] ~= '' then cursor = ARGV[2] end
local newest = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)[1]
if newest and newest[1] ~= cursor then
  redis.call('HSET', KEYS[3], 'rebuiltTo', cursor)
  return {'more', cursor}
end
local phase = redis.call('HGET', KEYS[3], 'phase')
if phase == '' then phase = ARGV[4] end
redis.call('HSET', KEYS[3], 'phase', phase,
  'phaseEarlierMs', redis.call('HGET', KEYS[3], 'spent:' .. phase) or '0', 'v', '${STATE_VERSION}')
redis.call('HDEL', KEYS[3], 'rebuiltTo')
return {'ready'}
`);
