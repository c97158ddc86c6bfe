import { randomBytes } from 'node:crypto';
import IORedis, { type Redis } from 'ioredis';
import pino from 'pino';
import type { ChatSink } from '../../../src/chat/chat-sink';
import { OutboxDrainer, type OutboxDrainerOptions } from '../../../src/chat/outbox-drainer';
import { RedisOutbox } from '../../../src/chat/redis-outbox';
import { KeyPrefix } from '../../../src/queue/key-prefix';
import type { RedisClient } from '../../../src/queue/redis-client';
import { waitUntil } from '../../support/wait-for';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * One test's outbox world on the real Redis: a random hash-tagged prefix, a producer, and drainers
 * that each get their own connection, as separate worker processes would. `close()` stops the
 * drainers and deletes every key under the prefix.
 */
export class OutboxHarness {
  private readonly connections: Redis[] = [];
  private readonly drainers: OutboxDrainer[] = [];
  readonly prefix = KeyPrefix.of(`wr-test-${randomBytes(4).toString('hex')}`);
  readonly redis: Redis = this.connect();
  readonly outbox = new RedisOutbox({ redis: this.redis, prefix: this.prefix });

  connect(): Redis {
    const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: 1 });
    this.connections.push(redis);
    return redis;
  }

  /** A started drainer on a fresh connection (returned so a test can cut it, as a kill would). */
  startDrainer(
    sink: ChatSink,
    options: Partial<OutboxDrainerOptions> = {},
  ): { drainer: OutboxDrainer; redis: RedisClient } {
    const redis = options.redis ?? this.connect();
    const drainer = new OutboxDrainer({
      redis,
      prefix: this.prefix,
      sink,
      logger: pino({ level: process.env.OUTBOX_TEST_LOG ?? 'silent' }),
      pollIntervalMs: 20,
      failurePolicy: { baseBackoffMs: 50, maxBackoffMs: 200 },
      ...options,
    });
    drainer.start();
    this.drainers.push(drainer);
    return { drainer, redis };
  }

  /** Resolves once every put has been delivered (or dropped). */
  async drained(timeoutMs = 10_000): Promise<void> {
    await waitUntil(async () => (await this.outbox.pendingCount()) === 0, timeoutMs, 'outbox to drain');
  }

  async close(): Promise<void> {
    await Promise.all(this.drainers.map((drainer) => drainer.stop()));
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', this.prefix.pattern, 'COUNT', 500);
      if (keys.length > 0) await this.redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    // A connection a test already cut must not be disconnected twice (ioredis then leaves a 2 s timer).
    for (const redis of this.connections) if (redis.status !== 'end') redis.disconnect();
  }
}

export { waitUntil };

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
