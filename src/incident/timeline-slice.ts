import { LuaScript } from '../chat/outbox-scripts';
import type { TimelineEntry } from './incident';
import { STATE_BEHIND_REPLY, type StateRead, type StateSource, stateRead } from './state-hash';
import type { RawStreamEntry } from './timeline-codec';
import { INDEXED_ID } from './timeline-index';
import { decodeEntries } from './timeline-reader';

/** The most entries one slice reads. */
export const TIMELINE_SLICE_MAX = 100;

/**
 * The entries from `start` to `stop` (0-based, inclusive) of the timeline in time order, and how
 * many it has: a bounded range of the index, then one stream entry per id.
 * KEYS: state, timeline, by-time index. ARGV: start, stop.
 * Replies {'behind', seen} (see STATE_BEHIND_REPLY) | {'slice', total, XRANGE-shaped entries}.
 */
const READ_SLICE = new LuaScript(`${STATE_BEHIND_REPLY}${INDEXED_ID}
local entries = {}
for _, item in ipairs(redis.call('LRANGE', KEYS[3], ARGV[1], ARGV[2])) do
  local id = indexed_id(item)
  local found = redis.call('XRANGE', KEYS[2], id, id)[1]
  if found then entries[#entries + 1] = found end
end
return {'slice', redis.call('LLEN', KEYS[3]), entries}
`);

/** Some consecutive entries of the timeline in time order, and how many entries it has in all. */
export interface TimelineSlice {
  entries: TimelineEntry[];
  total: number;
}

/**
 * Up to `count` entries (at most TIMELINE_SLICE_MAX) of the timeline ordered by time then arrival,
 * from the `first` (0-based), with the timeline's length: one script call, whatever the length.
 * Behind when the state has not folded the whole timeline (see `readCurrentState`).
 */
export async function readTimelineSlice(
  { redis, keys, id, warn }: StateSource,
  range: { first: number; count: number },
): Promise<StateRead<TimelineSlice>> {
  const { first, count } = range;
  if (!Number.isInteger(first) || first < 0) throw new TypeError(`first must be 0 or more, not ${first}`);
  if (!Number.isInteger(count) || count < 1 || count > TIMELINE_SLICE_MAX)
    throw new TypeError(`count must be from 1 to ${TIMELINE_SLICE_MAX}, not ${count}`);
  // Past any timeline: Redis takes indexes up to 2^63, and numbers this large lose their units.
  const start = Math.min(first, Number.MAX_SAFE_INTEGER - TIMELINE_SLICE_MAX);
  const reply = await READ_SLICE.run(
    redis,
    [keys.state(id), keys.timeline(id), keys.timelineByTime(id)],
    [start, start + count - 1],
  );
  return stateRead(reply, ([, total, entries]) => ({
    entries: decodeEntries(entries as RawStreamEntry[], keys.timeline(id), warn),
    total: total as number,
  }));
}
