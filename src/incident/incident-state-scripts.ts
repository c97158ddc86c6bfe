import { LuaScript } from '../chat/outbox-scripts';
import { FOLD_CONTACTS } from './contacts-fold';
import { INDEX_ENTRY } from './timeline-index';

/**
 * What the state hash's `v` field holds once the hash and the by-time index are complete (see
 * incident-state.ts). A hash of another version is built again from the timeline: version 2 added
 * the contacts and the index.
 */
export const STATE_VERSION = '2';

/**
 * Lua that records one timeline entry in the incident's state hash and by-time index, in arrival
 * order: `record(state, byTime, id, ms, at, actor, kind, text, data)`, where `ms` is the entry's
 * time in epoch milliseconds. `page`, `ack`, `page-failed`, `escalation`, `closed` (see
 * FOLD_CONTACTS), `phase` and `status` entries change the state; malformed data is ignored, as
 * `escalationState` ignores it, because the timeline is history and must stay readable.
 */
export const RECORD_ENTRY = `${FOLD_CONTACTS}${INDEX_ENTRY}
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
  if kind == 'closed' then return fold_contacts(state, ms, kind, {}) end
  if kind ~= 'page' and kind ~= 'ack' and kind ~= 'phase' and kind ~= 'page-failed'
    and kind ~= 'escalation' then return end
  local ok, d = pcall(cjson.decode, data)
  if not ok or type(d) ~= 'table' then return end
  if kind == 'phase' then
    if type(d.to) == 'string' and d.to ~= '' then move_phase(state, ms, d.to, d.from) end
  else
    fold_contacts(state, ms, kind, d)
  end
end
local function record(state, by_time, id, ms, at, actor, kind, text, data)
  index_entry(by_time, id, ms)
  fold(state, ms, at, actor, kind, text, data)
end
`;

/** The entry kinds RECORD_ENTRY folds into the state; the others only go into the index. */
export const FOLDED_KINDS: ReadonlySet<string> = new Set([
  'page',
  'ack',
  'phase',
  'status',
  'page-failed',
  'escalation',
  'closed',
]);

/**
 * Builds the state and the by-time index of an incident recorded before they existed (or with an
 * older version), one page of its timeline per call, so Redis is never held for long. The caller
 * reads the page after `cursor` and passes its readable entries; appends meanwhile leave the
 * incomplete hash alone (it has no current `v`), and the call that finds nothing after its page
 * sets `v`, so no entry is missed or recorded twice.
 * KEYS: record, timeline, state, by-time index. ARGV: cursor ('' at the start), the page's last
 * stream id ('' for none), openedAtMs, the record's phase, then per entry: id, ms, at, actor, kind,
 * text, data (at, actor, text and data may be '' for kinds the state does not fold).
 * Replies {'not_found'} | {'ready'} | {'more', cursor} | {'moved', cursor} (another call got there first).
 */
export const REBUILD_STATE = new LuaScript(`${RECORD_ENTRY}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'not_found'} end
if redis.call('HGET', KEYS[3], 'v') == '${STATE_VERSION}' then return {'ready'} end
local cursor = redis.call('HGET', KEYS[3], 'rebuiltTo:${STATE_VERSION}') or ''
if cursor ~= ARGV[1] then return {'moved', cursor} end
if cursor == '' then
  redis.call('DEL', KEYS[3], KEYS[4])
  redis.call('HSET', KEYS[3], 'phase', '', 'phaseSince', ARGV[3])
end
for i = 5, #ARGV, 7 do
  record(KEYS[3], KEYS[4], ARGV[i], tonumber(ARGV[i + 1]), ARGV[i + 2], ARGV[i + 3], ARGV[i + 4],
    ARGV[i + 5], ARGV[i + 6])
end
if ARGV[2] ~= '' then cursor = ARGV[2] end
local newest = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)[1]
if newest and newest[1] ~= cursor then
  redis.call('HSET', KEYS[3], 'rebuiltTo:${STATE_VERSION}', cursor)
  return {'more', cursor}
end
local phase = redis.call('HGET', KEYS[3], 'phase')
if phase == '' then phase = ARGV[4] end
redis.call('HSET', KEYS[3], 'phase', phase,
  'phaseEarlierMs', redis.call('HGET', KEYS[3], 'spent:' .. phase) or '0', 'v', '${STATE_VERSION}')
redis.call('HDEL', KEYS[3], 'rebuiltTo:${STATE_VERSION}')
return {'ready'}
`);
