import { CONTACT_TIERS } from '../config/schema';

/**
 * How many items of each list `/incident contacts` shows (a tier's failed pages, acknowledgements
 * by people not paged and escalations; acknowledgements at no tier): the state hash keeps that
 * many, the earliest by time, and counts the rest.
 */
export const CONTACTS_LISTED = 10;

/**
 * The longest string the contacts part of the state keeps, in bytes (cut on a character
 * boundary): more than any reply shows of a Slack id, a contact's name or a page's error.
 */
export const CONTACTS_TEXT_BYTES = 800;

/**
 * Lua that folds `page`, `ack`, `page-failed`, `escalation` and `closed` entries into the state hash
 * the way `escalationState` reads them from the whole timeline, but in arrival order and bounded:
 * `fold_contacts(state, ms, kind, d)`, where `d` is the entry's decoded data. Fields, per tier:
 * `first:` and `last:` (ms of its earliest and latest page), `pages:` (how many), `reasons:` (JSON,
 * each reason once with its earliest page), `paged:<tier>:<user>` (ms of the user's first page
 * there), `ack:` and `ackAt:` (the first acknowledgement by someone paged), and the lists
 * `unpaged:`, `failed:`, `escalated:` (escalations away from it); then `others` (acknowledgements at
 * no tier) and `closedAt`. A list is JSON of its CONTACTS_LISTED earliest items, each with `ms`,
 * and `<list>:n` counts them all.
 *
 * Unlike `escalationState`, an acknowledgement by someone paged that names no tier (Warroom always
 * names it) goes to the tier whose first page to them came last before it.
 */
export const FOLD_CONTACTS = `
local TIERS = {${CONTACT_TIERS.map((tier) => `['${tier}'] = true`).join(', ')}}
local TIER_ORDER = {${CONTACT_TIERS.map((tier) => `'${tier}'`).join(', ')}}
local LISTED = ${CONTACTS_LISTED}
local TEXT_BYTES = ${CONTACTS_TEXT_BYTES}
local function ms_text(ms) return string.format('%d', ms) end
local function clip(s)
  if type(s) ~= 'string' then return '' end
  if #s <= TEXT_BYTES then return s end
  local cut = TEXT_BYTES
  -- Back off while the next byte continues a UTF-8 character.
  while cut > 0 and string.byte(s, cut + 1) >= 0x80 and string.byte(s, cut + 1) < 0xC0 do cut = cut - 1 end
  return string.sub(s, 1, cut)
end
local function earliest(state, field, ms)
  local known = tonumber(redis.call('HGET', state, field))
  if known and known <= ms then return false end
  redis.call('HSET', state, field, ms_text(ms))
  return true
end
local function latest(state, field, ms)
  local known = tonumber(redis.call('HGET', state, field))
  if not known or known < ms then redis.call('HSET', state, field, ms_text(ms)) end
end
local function decoded(state, field)
  local raw = redis.call('HGET', state, field)
  return raw and cjson.decode(raw) or {}
end
-- In time order, after the items of the same time (they came first); only the LISTED earliest stay.
local function insert_by_time(state, field, list, ms, item)
  local at = #list + 1
  while at > 1 and tonumber(list[at - 1].ms) > ms do at = at - 1 end
  if at > LISTED then return end
  item.ms = ms_text(ms)
  table.insert(list, at, item)
  if #list > LISTED then table.remove(list) end
  redis.call('HSET', state, field, cjson.encode(list))
end
local function listed(state, field, ms, item)
  redis.call('HINCRBY', state, field .. ':n', 1)
  insert_by_time(state, field, decoded(state, field), ms, item)
end
local function reason_seen(state, field, ms, reason)
  local list = decoded(state, field)
  for i, item in ipairs(list) do
    if item.reason == reason then
      if tonumber(item.ms) <= ms then return end
      table.remove(list, i)
      break
    end
  end
  insert_by_time(state, field, list, ms, {reason = reason})
end
local function tier_paging(state, user, ms)
  local tier, since
  for _, t in ipairs(TIER_ORDER) do
    local paged = tonumber(redis.call('HGET', state, 'paged:' .. t .. ':' .. user))
    if paged and paged <= ms and (not since or paged >= since) then tier, since = t, paged end
  end
  return tier
end
local function fold_contacts(state, ms, kind, d)
  if kind == 'closed' then
    earliest(state, 'closedAt', ms)
  elseif kind == 'page' then
    if not TIERS[d.tier] or type(d.users) ~= 'table' then return end
    earliest(state, 'first:' .. d.tier, ms)
    latest(state, 'last:' .. d.tier, ms)
    redis.call('HINCRBY', state, 'pages:' .. d.tier, 1)
    reason_seen(state, 'reasons:' .. d.tier, ms, clip(d.reason))
    for _, user in ipairs(d.users) do
      if type(user) == 'string' then earliest(state, 'paged:' .. d.tier .. ':' .. user, ms) end
    end
  elseif kind == 'ack' then
    if type(d.user) ~= 'string' then return end
    local paged = d.paged == true
    local tier = TIERS[d.tier] and d.tier
    if not tier and paged then tier = tier_paging(state, d.user, ms) end
    if not tier then
      listed(state, 'others', ms, {user = clip(d.user)})
    elseif not paged then
      listed(state, 'unpaged:' .. tier, ms, {user = clip(d.user)})
    elseif earliest(state, 'ackAt:' .. tier, ms) then
      redis.call('HSET', state, 'ack:' .. tier, clip(d.user))
    end
  elseif kind == 'page-failed' then
    if not TIERS[d.tier] then return end
    listed(state, 'failed:' .. d.tier, ms, {contact = clip(d.contact), user = clip(d.user), error = clip(d.error)})
  elseif kind == 'escalation' then
    -- One without \`from\` came from outside the chain (e.g. by hand): nothing to attach it to.
    if not TIERS[d.to] or not TIERS[d.from] then return end
    listed(state, 'escalated:' .. d.from, ms, {to = d.to, reason = clip(d.reason)})
  end
end
`;
