import type { NewTimelineEntry, TimelineEntry } from './incident';
import { APPEND } from './incident-scripts';
import { IncidentStoreError, incidentNotFound } from './incident-store-error';
import type { StateSource } from './state-hash';
import { capEntry } from './stored-text';
import { encodeEntry, type RawStreamEntry } from './timeline-codec';
import { decodeEntries } from './timeline-reader';

/**
 * Appends `entry` to the incident's timeline and folds it into its state, in one script. With an
 * idempotency key already used, nothing is written and the entry recorded with it is returned
 * (`appended: false`), so a retried job or a double click records once.
 */
export async function appendEntry(
  source: StateSource,
  entry: NewTimelineEntry,
  idempotencyKey: string,
): Promise<{ entry: TimelineEntry; appended: boolean }> {
  const { redis, keys, id, warn } = source;
  const capped = capEntry(entry);
  const timelineKey = keys.timeline(id);
  const [status, value] = (await APPEND.run(
    redis,
    [keys.record(id), timelineKey, keys.once(id), keys.state(id), keys.timelineByTime(id)],
    [idempotencyKey, ...encodeEntry(capped), Date.parse(capped.at)],
  )) as [string, string | RawStreamEntry[]];
  if (status === 'not_found') throw incidentNotFound(id);
  if (status === 'appended') return { entry: { ...capped, id: value as string }, appended: true };
  const [first] = decodeEntries(value as RawStreamEntry[], timelineKey, warn);
  if (first === undefined) {
    throw new IncidentStoreError(
      'malformed_record',
      `The entry recorded for idempotency key ${idempotencyKey} in ${keys.once(id)} is gone or unreadable`,
    );
  }
  return { entry: first, appended: false };
}
