import type { RedisClient } from '../queue/redis-client';
import type { Incident } from './incident';
import type { IncidentKeys } from './incident-keys';
import { fromHash } from './incident-record';

/** The records of `ids` in one round trip, in order; ids with no readable record are left out. */
export async function readIncidents(
  redis: RedisClient,
  keys: IncidentKeys,
  ids: string[],
): Promise<Incident[]> {
  if (ids.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.hgetall(keys.record(id));
  const replies = (await pipeline.exec()) ?? [];
  return replies.flatMap(([error, hash], index) => {
    if (error) throw error;
    const incident = fromHash(hash as Record<string, string>, keys.record(ids[index]));
    return incident ? [incident] : [];
  });
}
