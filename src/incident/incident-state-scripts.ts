import { LuaScript } from '../chat/outbox-scripts';
import { FOLD_CONTACTS } from './contacts-fold';
import { INDEX_ENTRY } from './timeline-index';

/**
 * What the state hash's `v` field holds once the hash and the by-time index are built (see
 * incident-state.ts); it is also part of their key names. A hash of another version is built again
 * from the timeline: version 2 added the contacts and the index, version 3 the `seen` id that lets
 * the state catch up with entries written without the scripts.
 */
export const STATE_VERSION = '3';

/**
 * Lua that says how far the state has folded the timeline. `state_seen(state)`: the id of the last
 * stream entry folded ('' for none), or false when the state is not built (missing, or of another
 * version). `state_behind(state, timeline)`: that, and whether the timeline has entries after it;
 * in the steady state it has none, so the check reads no entry. `id_after(a, b)`: stream ids
 * compared as numbers (`10-0` is after `9-0`), '' before every id.
 */
export const STATE_SEEN = `
local function state_seen(state)
  local found = redis.call('HMGET', state, 'v', 'seen')
  if found[1] ~= '${STATE_VERSION}' or not found[2] then return false end
  return found[2]
end
local function has_after(timeline, seen)
  local start = '-'
  if seen ~= '' then start = '(' .. seen end
  return #redis.call('XRANGE', timeline, start, '+', 'COUNT', 1) > 0
end
local function state_behind(state, timeline)
  local seen = state_seen(state)
  if not seen then return false, true end
  return seen, has_after(timeline, seen)
end
local function digits_after(a, b)
  if #a ~= #b then return #a > #b end
  return a > b
end
local function id_after(a, b)
  if a == '' or b == '' then return b == '' and a ~= '' end
  local a_ms, a_seq = string.match(a, '^(%d+)-(%d+)$')
  local b_ms, b_seq = string.match(b, '^(%d+)-(%d+)$')
  if a_ms ~= b_ms then return digits_after(a_ms, b_ms) end
  return digits_after(a_seq, b_seq)
end
`;

/**
 * Lua that records one timeline entry in the incident's state hash and by-time index, in arrival
 * order, and makes its id the state's `seen`: `record(state, byTime, id, ms, at, actor, kind, text,
 * data)`, where `ms` is the entry's time in epoch milliseconds. Only a state that has folded every
 * earlier entry may record one (see STATE_SEEN). `page`, `ack`, `page-failed`, `escalation`, `closed` (see
 * FOLD_CONTACTS), `phase` and `status` entries change the state; malformed data is ignored, as
 * `escalationState` ignores it, because the timeline is history and must stay readable.
 */
export const RECORD_ENTRY = `${FOLD_CONTACTS}${INDEX_ENTRY}${STATE_SEEN}
local function move_phase(state, ms, to, from)
  local current = redis.call('HGET', state, 'phase') or ''
  -- Only while building from an old timeline: the first change says which phase came first.
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
  redis.call('HSET', state, 'seen', id)
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
 * Folds a page of the timeline into the state and the by-time index: how the state catches up
 * with entries written without the scripts (by a process of an earlier version during a rolling
 * deploy, or by hand), and how it is built in the first place, from `seen` = '' (after deleting
 * it, and those of earlier versions). The caller reads up to a page of entries after `cursor` (the
 * `seen` a read reported, or the previous reply's) and passes the readable ones. Entries up to
 * `seen` are skipped, so a page folded by two callers at once counts once; a cursor after `seen`
 * (the state was deleted meanwhile) gets `{'moved', seen}`. The scripts that append fold their
 * entry only while the state is not behind, so every entry is folded once, in arrival order.
 * KEYS: record, timeline, state, by-time index, then the retired keys (see IncidentKeys). ARGV:
 * cursor ('' at the start), the page's last stream id ('' for none), openedAtMs (used when
 * building: '' is enough otherwise), then per entry: id, ms, at, actor, kind, text, data (at,
 * actor, text and data may be '' for kinds the state does not fold).
 * Replies {'not_found'} | {'ready'} | {'more', seen} | {'moved', seen}.
 */
export const FOLD_PAGE = new LuaScript(`${RECORD_ENTRY}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'not_found'} end
local seen = state_seen(KEYS[3])
if not seen then
  if ARGV[1] ~= '' then return {'moved', ''} end
  redis.call('DEL', KEYS[3], KEYS[4], unpack(KEYS, 5))
  redis.call('HSET', KEYS[3], 'phase', '', 'phaseSince', ARGV[3], 'seen', '', 'v', '${STATE_VERSION}')
  seen = ''
end
if id_after(ARGV[1], seen) then return {'moved', seen} end
for i = 4, #ARGV, 7 do
  if id_after(ARGV[i], seen) then
    record(KEYS[3], KEYS[4], ARGV[i], tonumber(ARGV[i + 1]), ARGV[i + 2], ARGV[i + 3], ARGV[i + 4],
      ARGV[i + 5], ARGV[i + 6])
    seen = ARGV[i]
  end
end
-- Unreadable entries at the page's end are passed over too.
if id_after(ARGV[2], seen) then
  seen = ARGV[2]
  redis.call('HSET', KEYS[3], 'seen', seen)
end
if has_after(KEYS[2], seen) then return {'more', seen} end
-- A timeline without phase changes (recorded before they were) starts in the record's phase.
if redis.call('HGET', KEYS[3], 'phase') == '' then
  local phase = redis.call('HGET', KEYS[1], 'phase') or ''
  redis.call('HSET', KEYS[3], 'phase', phase,
    'phaseEarlierMs', redis.call('HGET', KEYS[3], 'spent:' .. phase) or '0')
end
return {'ready'}
`);
