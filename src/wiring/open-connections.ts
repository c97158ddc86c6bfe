import type { RedisSettings } from '../config/redis-settings';
import type { Logger } from '../log/logger';
import type { RedisClient } from '../queue/redis-client';
import { createRedisConnection } from '../queue/redis-connection';
import type { Role } from './role';

/**
 * The Redis connections of one process. Commands and jobs each have their own, so a burst of job
 * traffic never queues ahead of a slash command's few calls on one socket (Slack's 3 s ack).
 */
export interface Connections {
  /** The ack path's connection: commands, clicks, the incident pages. Absent in a worker. */
  commands?: RedisClient;
  /** The workers', the flows' and the outbox drainer's connection. Absent in an app. */
  jobs?: RedisClient;
  /** What both sides share (queues, readiness): the command side's when there is one. */
  shared: RedisClient;
  close(): Promise<void>;
}

export function openConnections(settings: RedisSettings, role: Role, log: Logger): Connections {
  const commands = role === 'worker' ? undefined : createRedisConnection(settings, 'producer', log);
  // One connection reports Redis going away and coming back, so an outage is one log line, not one per connection.
  const jobs =
    role === 'app'
      ? undefined
      : createRedisConnection(settings, 'worker', log, { reportAvailability: !commands });
  const shared = commands ?? jobs;
  if (!shared) throw new Error(`role "${role}" opens no connection`);
  const open = [commands, jobs].filter((c): c is RedisClient => c !== undefined);
  return {
    ...(commands ? { commands } : {}),
    ...(jobs ? { jobs } : {}),
    shared,
    async close() {
      // A connection that Redis already dropped makes quit reject; nothing is left to release then.
      await Promise.all(open.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}
