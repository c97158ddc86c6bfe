import IORedis from 'ioredis';
import type { TimelineEntry } from '../../src/incident/incident';
import { RedisIncidentStore } from '../../src/incident/redis-incident-store';
import { KeyPrefix } from '../../src/queue/key-prefix';

/**
 * The timeline of the incident of `channel`, read from the Redis at `redisUrl` under the config's
 * `queue.prefix`, as bots in other processes wrote it. Throws when the channel has no incident.
 */
export async function channelTimeline(
  redisUrl: string,
  prefix: string,
  channel: string,
): Promise<TimelineEntry[]> {
  const redis = new IORedis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    const store = new RedisIncidentStore(redis, KeyPrefix.of(prefix), { onWarning: () => {} });
    const incident = await store.getByChannel(channel);
    if (!incident) throw new Error(`no incident for ${channel}`);
    return await store.timelineByTime(incident.id);
  } finally {
    redis.disconnect();
  }
}
