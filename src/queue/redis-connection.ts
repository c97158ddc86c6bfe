import IORedis, { Cluster, type RedisOptions } from 'ioredis';
import type { RedisSettings } from '../config/redis-settings';
import type { Logger } from '../log/logger';
import type { RedisClient } from './redis-client';

/**
 * `producer`: the Slack app's connection. Fails fast when Redis is away (no offline queue), so a
 * slash command is told at once that its work could not be queued instead of hanging past Slack's
 * 3-second window.
 * `worker`: BullMQ workers block on Redis and must retry forever (`maxRetriesPerRequest: null`).
 */
export type RedisRole = 'producer' | 'worker';

/** Keep trying while Redis is down, backing off to one attempt every 2 s. */
const retryStrategy = (attempt: number) => Math.min(attempt * 100, 2000);

/** What every connection of a role sets, whatever the mode. */
function roleOptions(role: RedisRole): RedisOptions {
  return {
    connectionName: `warroom-${role}`,
    enableOfflineQueue: role === 'worker',
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    connectTimeout: 5000,
    retryStrategy,
  };
}

/**
 * One connection in the mode the environment chose (RedisSettings): a node by URL, a Redis
 * Cluster from its seed nodes, or the primary the sentinels name, followed through failovers.
 */
export function createRedisConnection(
  settings: RedisSettings,
  role: RedisRole,
  log: Logger,
  options: { reportAvailability?: boolean } = {},
): RedisClient {
  const redis = openClient(settings, role);
  if (options.reportAvailability === false) redis.on('error', () => {});
  else watchAvailability(redis, role, log);
  return redis;
}

function openClient(settings: RedisSettings, role: RedisRole): RedisClient {
  const base = roleOptions(role);
  switch (settings.mode) {
    case 'single':
      return new IORedis(settings.url, base);
    case 'cluster':
      return new Cluster(settings.nodes, {
        // The role's options apply to each node's connection; the offline queue and retries are the cluster's own.
        redisOptions: {
          ...base,
          ...(settings.password ? { password: settings.password } : {}),
          ...(settings.tls ? { tls: {} } : {}),
        },
        enableOfflineQueue: role === 'worker',
        clusterRetryStrategy: retryStrategy,
        // A slot that moved is followed at once; Warroom's keys share one slot, so this is rare.
        retryDelayOnMoved: 0,
        retryDelayOnFailover: 200,
        retryDelayOnClusterDown: 200,
      });
    case 'sentinel':
      return new SentinelRedis({
        ...base,
        sentinels: settings.sentinels,
        name: settings.name,
        ...(settings.password ? { password: settings.password } : {}),
        ...(settings.sentinelPassword ? { sentinelPassword: settings.sentinelPassword } : {}),
        ...(settings.tls ? { tls: {}, enableTLSForSentinelMode: true } : {}),
        // Ask the sentinels again on every reconnect, and listen for their +switch-master.
        sentinelRetryStrategy: retryStrategy,
        failoverDetector: true,
        // A demoted primary answers writes with READONLY, and ends blocking commands (BullMQ's
        // BZPOPMIN) with UNBLOCKED: reconnect (to the primary the sentinels name now) and send the
        // command again there.
        reconnectOnError: (error) => (/^(READONLY|UNBLOCKED)\b/.test(error.message) ? 2 : false),
      });
  }
}

/**
 * A Sentinel connection whose `quit()` also closes its subscriptions to the sentinels (the
 * failover detector's). ioredis 5 closes them only on `disconnect()` (redis/ioredis#1362, fixed
 * upstream by #2198), so every connection that quit, and each of BullMQ's duplicates, left sockets
 * open that kept the process from exiting. A duplicate is one of these too.
 */
class SentinelRedis extends IORedis {
  constructor(options: RedisOptions) {
    super(options);
    this.on('end', () => {
      // The detector is ioredis's own (SentinelConnector.failoverDetector); cleanup() disconnects its
      // subscriptions. A reconnect (BullMQ connects an ended client again) makes a new one.
      const connector = (this as unknown as { connector?: { failoverDetector?: { cleanup(): void } | null } })
        .connector;
      connector?.failoverDetector?.cleanup();
    });
  }

  override duplicate(override?: Partial<RedisOptions>): SentinelRedis {
    return new SentinelRedis({ ...this.options, ...override });
  }
}

/** One log line when Redis goes away and one when it is back, instead of one per retry. */
function watchAvailability(redis: RedisClient, role: RedisRole, log: Logger): void {
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
export async function redisAnswers(redis: RedisClient, timeoutMs = 1000): Promise<boolean> {
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
