/**
 * The bench reaches Redis as the bot does: in the mode the environment chooses (REDIS_URL,
 * REDIS_CLUSTER_NODES or REDIS_SENTINELS, with their password and TLS variables), read by the
 * bot's own reader and opened by the bot's own connection factory. The same variables go to every
 * bot process the bench starts.
 */

import type { ConfigProblem } from '../src/config/load-config';
import { formatProblems } from '../src/config/load-config';
import { readRedisSettings } from '../src/config/redis-env';
import { createLogger } from '../src/log/logger';
import type { RedisClient } from '../src/queue/redis-client';
import { createRedisConnection } from '../src/queue/redis-connection';

/** Every variable `readRedisSettings` reads. */
const REDIS_VARIABLES = [
  'REDIS_URL',
  'REDIS_CLUSTER_NODES',
  'REDIS_SENTINELS',
  'REDIS_SENTINEL_NAME',
  'REDIS_PASSWORD',
  'REDIS_SENTINEL_PASSWORD',
  'REDIS_TLS',
] as const;

/** The Redis variables set in `env`, to hand to the bot processes unchanged (none: the bot's default Redis). */
export function redisVariables(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const set = REDIS_VARIABLES.flatMap((name) => {
    const value = env[name]?.trim();
    return value ? [[name, value] as const] : [];
  });
  return Object.fromEntries(set);
}

/**
 * A connection to the Redis `variables` name, through the bot's reader and factory. Fails with the
 * reader's own words when a variable is wrong. The worker role's offline queue lets the bench send
 * its first command before the connection is ready.
 */
export function openBenchRedis(variables: Record<string, string>): RedisClient {
  const problems: ConfigProblem[] = [];
  const settings = readRedisSettings((name) => variables[name], problems);
  if (problems.length > 0) throw new Error(formatProblems(problems, 'environment'));
  const log = createLogger({ level: 'warn', name: 'bench', destination: process.stderr });
  return createRedisConnection(settings, 'worker', log);
}
