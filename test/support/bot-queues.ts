import { type Job, type JobType, Queue } from 'bullmq';
import IORedis, { type Redis } from 'ioredis';
import { RedisOutbox } from '../../src/chat/redis-outbox';
import { KeyPrefix } from '../../src/queue/key-prefix';
import { REDIS_URL } from './test-config';
import { waitUntilSteady } from './wait-for';

/** Jobs still to run: everything but finished ones, and delayed ones unless asked. */
const PENDING: JobType[] = ['waiting', 'active', 'prioritized', 'waiting-children', 'paused'];

/**
 * A bot's queues and outbox as Redis holds them, read from outside the bot (it may run in another
 * process): what it still has to do, and which jobs ran. Queues are found by the meta key BullMQ
 * writes for each, so every queue the bot uses is counted.
 */
export class BotQueues {
  private readonly redis: Redis;
  private readonly prefix: KeyPrefix;
  private readonly queues = new Map<string, Queue>();
  private readonly outbox: RedisOutbox;

  /** `prefix` is the config's `queue.prefix`, as `writeTestConfig` returns it. */
  constructor(prefix: string, url = REDIS_URL) {
    this.redis = new IORedis(url, { maxRetriesPerRequest: 1 });
    this.prefix = KeyPrefix.of(prefix);
    this.outbox = new RedisOutbox({ redis: this.redis, prefix: this.prefix });
  }

  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.redis, prefix: this.prefix.tag });
      this.queues.set(name, queue);
    }
    return queue;
  }

  /**
   * True when the outbox has delivered every message and no queue has a job waiting or running;
   * with `delayed`, none retrying or set for later either (a bot with incident timers always has some).
   */
  async isIdle({ delayed = false }: { delayed?: boolean } = {}): Promise<boolean> {
    if ((await this.outbox.pendingCount()) > 0) return false;
    const states: JobType[] = delayed ? [...PENDING, 'delayed'] : PENDING;
    const names = await this.queueNames();
    // No queue at all would make every look idle: the prefix is wrong, or the bot never started.
    if (names.length === 0) throw new Error(`no queue under ${this.prefix.tag}`);
    for (const name of names) {
      const counts = await this.queue(name).getJobCounts(...states);
      if (Object.values(counts).some((n) => n > 0)) return false;
    }
    return true;
  }

  /** Resolves once `isIdle` has held three looks in a row (see `waitUntilSteady`). */
  untilIdle(options: { delayed?: boolean } = {}, timeoutMs = 20_000): Promise<void> {
    return waitUntilSteady(() => this.isIdle(options), timeoutMs, 'the bot to finish its jobs and messages');
  }

  /** The jobs called `name` in queue `queue`, in the given states. */
  async jobs(queue: string, name: string, states: JobType[]): Promise<Job[]> {
    return (await this.queue(queue).getJobs(states)).filter((job) => job.name === name);
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.redis.disconnect();
  }

  private async queueNames(): Promise<string[]> {
    const names: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', this.prefix.key('*', 'meta'), 'COUNT', 500);
      names.push(...keys.map((key) => key.slice(this.prefix.tag.length + 1, -':meta'.length)));
      cursor = next;
    } while (cursor !== '0');
    return names;
  }
}
