import type { RedisClient } from '../queue/redis-client';
import type { TimelineEntry } from './incident';
import { byTimeThenArrival, decodeEntry, type RawStreamEntry } from './timeline-codec';

/** Something stored that the store skipped instead of failing the whole read. */
export interface IncidentStoreWarning {
  message: string;
  key: string;
  entryId?: string;
}

/** One page of a timeline in arrival order; `next` is the `after` of the following page, if any. */
export interface TimelineBatch {
  entries: TimelineEntry[];
  next?: string;
}

const READ_ALL_PAGE = 1000;

/** The readable entries of an XRANGE reply; each unreadable one is reported and skipped. */
export function decodeEntries(
  raw: RawStreamEntry[],
  key: string,
  warn: (warning: IncidentStoreWarning) => void,
): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const item of raw) {
    const decoded = decodeEntry(item);
    if ('entry' in decoded) entries.push(decoded.entry);
    else warn({ message: `Skipped an unreadable timeline entry: ${decoded.problem}`, key, entryId: item[0] });
  }
  return entries;
}

/**
 * Up to `count` entries of the stream at `key` after stream id `after` (exclusive). `next` comes
 * from the raw reply, so a page whose entries were all unreadable still leads to the next page.
 */
export async function readTimelineBatch(
  redis: RedisClient,
  key: string,
  options: { after?: string; count: number },
  warn: (warning: IncidentStoreWarning) => void,
): Promise<TimelineBatch> {
  const { after, count } = options;
  if (!Number.isSafeInteger(count) || count < 1) throw new TypeError(`count must be positive, not ${count}`);
  const start = after === undefined ? '-' : `(${after}`;
  const raw = (await redis.xrange(key, start, '+', 'COUNT', count)) as RawStreamEntry[];
  const entries = decodeEntries(raw, key, warn);
  return raw.length === count ? { entries, next: raw[raw.length - 1][0] } : { entries };
}

/** The whole stream, read page by page (no single huge reply), sorted by `at` then arrival. */
export async function readTimelineByTime(
  redis: RedisClient,
  key: string,
  warn: (warning: IncidentStoreWarning) => void,
): Promise<TimelineEntry[]> {
  const all: TimelineEntry[] = [];
  let next: string | undefined;
  do {
    const page = await readTimelineBatch(redis, key, { after: next, count: READ_ALL_PAGE }, warn);
    all.push(...page.entries);
    next = page.next;
  } while (next !== undefined);
  return all.sort(byTimeThenArrival);
}
