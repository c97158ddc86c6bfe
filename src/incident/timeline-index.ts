/** Entries recorded late that are put back at most this far from the index's end by popping and pushing. */
const REPUSHED_MAX = 100;

/**
 * Lua that keeps the by-time index (see IncidentKeys.timelineByTime): a list of
 * `<ms>:<stream id>`, ordered by the entry's time, then by arrival. `index_entry(key, id, ms)` puts
 * the entry just appended (the latest to arrive) after every entry of the same time or earlier.
 *
 * A list, not a sorted set: a quarter of the memory (about 32 bytes an entry), and LRANGE reaches any
 * page by skipping whole list nodes. Entries come in time order but for those recorded late with an
 * earlier time (a pinned message): their place is found by binary search (LINDEX), and they go in
 * by popping and pushing the few entries after them or, when more than REPUSHED_MAX come after,
 * by LINSERT before the first entry of a later time (a scan from the head: about 0.5 ms for 30,000).
 */
export const INDEX_ENTRY = `
local function indexed_ms(item) return tonumber(string.match(item, '^(%-?%d+):')) end
local function index_entry(key, id, ms)
  local item = string.format('%d', ms) .. ':' .. id
  local n = redis.call('LLEN', key)
  if n == 0 or indexed_ms(redis.call('LINDEX', key, -1)) <= ms then
    redis.call('RPUSH', key, item)
    return
  end
  -- The first entry of a later time: the last one is, so it exists.
  local lo, hi = 0, n - 1
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if indexed_ms(redis.call('LINDEX', key, mid)) > ms then hi = mid else lo = mid + 1 end
  end
  local after = n - lo
  if after <= ${REPUSHED_MAX} then
    local later = redis.call('RPOP', key, after)
    redis.call('RPUSH', key, item)
    for i = #later, 1, -1 do redis.call('RPUSH', key, later[i]) end
  else
    redis.call('LINSERT', key, 'BEFORE', redis.call('LINDEX', key, lo), item)
  end
end
`;

/** Lua: the stream id of an index item. */
export const INDEXED_ID = `
local function indexed_id(item) return string.match(item, '^%-?%d+:(.+)$') end
`;
