import IORedis, { type Redis } from 'ioredis';
import type { Logger } from '../log/logger';

/**
 * `producer`: the Slack app's connection. Fails fast when Redis is away (no offline queue), so a
 * slash command is told at once that its work could not be queued instead of hanging past Slack's
 * 3-second window.
 * `worker`: BullMQ workers block on Redis and must retry forever (`maxRetriesPerRequest: null`).
 */
export type RedisRole = 'producer' | 'worker';

export function createRedisConnection(
  url: string,
  role: RedisRole,
  log: Logger,
  options: { reportAvailability?: boolean } = {},
): Redis {
  const redis = new IORedis(url, {
    connectionName: `warroom-${role}`,
    enableOfflineQueue: role === 'worker',
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    connectTimeout: 5000,
    // Keep trying while Redis is down, backing off to one attempt every 2 s.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
  if (options.reportAvailability === false) redis.on('error', () => {});
  else watchAvailability(redis, role, log);
  return redis;
}

/** One log line when Redis goes away and one when it is back, instead of one per retry. */
function watchAvailability(redis: Redis, role: RedisRole, log: Logger): void {
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    log.error(
      { role, reason: error.message },
      'Redis is unreachable; retrying until it answers (readiness is 503 meanwhile)',
    );
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    log.info({ role }, 'Redis is reachable again');
  });
}

/** True when Redis answers a PING within the time given. */
export async function redisAnswers(redis: Redis, timeoutMs = 1000): Promise<boolean> {
  if (redis.status !== 'ready') return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    const reply = await Promise.race([
      redis.ping(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]);
    return reply === 'PONG';
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
