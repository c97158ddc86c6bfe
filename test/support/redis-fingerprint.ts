import type Redis from 'ioredis';
import { KeyPrefix } from '../../src/queue/key-prefix';

/** How big each kind of Redis value is: what a job, a record or a timeline entry would change. */
const SIZE: Record<string, (redis: Redis, key: string) => Promise<unknown>> = {
  string: (redis, key) => redis.get(key),
  hash: async (redis, key) => JSON.stringify(await redis.hgetall(key)),
  list: (redis, key) => redis.llen(key),
  set: (redis, key) => redis.scard(key),
  zset: (redis, key) => redis.zcard(key),
  stream: (redis, key) => redis.xlen(key),
};

/**
 * Every key under the bot's prefix with its type and size, but BullMQ's stalled-job check: the
 * workers set it with an expiry, so it comes and goes on its own.
 */
export async function keyFingerprint(redis: Redis, prefix: string): Promise<Record<string, string>> {
  const keys = (await redis.keys(KeyPrefix.of(prefix).pattern))
    .filter((key) => !key.endsWith(':stalled-check'))
    .sort();
  const print: Record<string, string> = {};
  for (const key of keys) {
    const type = await redis.type(key);
    print[key] = `${type}:${await (SIZE[type]?.(redis, key) ?? '?')}`;
  }
  return print;
}
