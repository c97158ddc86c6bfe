import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { KeyPrefix } from '../queue/key-prefix';
import type { RedisClient } from '../queue/redis-client';
import { ChannelLease } from './channel-lease';
import { ChatRateLimitedError, type ChatSink } from './chat-sink';
import { OutboxDelivery } from './outbox-delivery';
import { decodeOp, type OutboxKeys, outboxKeys } from './outbox-keys';
import { DEFAULT_FAILURE_POLICY, decideOnFailure, type FailurePolicy } from './outbox-policy';

/** Operations done per lease before the channel goes back in line, so busy channels take turns. */
const OPS_PER_TURN = 50;

export interface OutboxDrainerOptions {
  redis: RedisClient;
  /** The same prefix the producers' {@link RedisOutbox} uses. */
  prefix: KeyPrefix;
  sink: ChatSink;
  logger: Logger;
  /** Channels drained concurrently by this process (default 8). */
  maxChannels?: number;
  /** Least time between two writes of one message (default 1000 ms). */
  minUpdateIntervalMs?: number;
  /** How often the ready set is polled for due channels (default 50 ms). */
  pollIntervalMs?: number;
  /**
   * Channel lease lifetime, renewed every third of it while working (default 10000 ms, as a job's
   * lock): a dead worker's channels resume as soon as its jobs do.
   */
  leaseMs?: number;
  now?: () => number;
  /** Backoff and give-up limit for transient failures. */
  failurePolicy?: Partial<FailurePolicy>;
}

/**
 * Consumer side of channel output: leases due channels from Redis and delivers their operations
 * in order, one channel at a time per lease, several channels at once. Any number of drainers in
 * any number of processes may run against the same prefix.
 */
export class OutboxDrainer {
  private readonly keys: OutboxKeys;
  private readonly delivery: OutboxDelivery;
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly running = new Map<string, Promise<void>>();
  private readonly maxChannels: number;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly policy: FailurePolicy;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> = Promise.resolve();
  private stopping = true;

  constructor(private readonly options: OutboxDrainerOptions) {
    this.keys = outboxKeys(options.prefix);
    this.maxChannels = options.maxChannels ?? 8;
    this.pollIntervalMs = options.pollIntervalMs ?? 50;
    this.leaseMs = options.leaseMs ?? 10_000;
    this.policy = { ...DEFAULT_FAILURE_POLICY, ...options.failurePolicy };
    this.now = options.now ?? Date.now;
    this.delivery = new OutboxDelivery({
      redis: options.redis,
      keys: this.keys,
      sink: options.sink,
      logger: options.logger,
      minUpdateIntervalMs: options.minUpdateIntervalMs ?? 1000,
      now: this.now,
    });
  }

  /** Starts polling for due channels. */
  start(): void {
    if (!this.stopping) return;
    this.stopping = false;
    this.schedulePoll(0);
  }

  /** Stops taking channels, lets in-flight calls finish, releases leases. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.polling;
    await Promise.allSettled(this.running.values());
  }

  private schedulePoll(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.polling = this.poll().finally(() => {
        if (!this.stopping) this.schedulePoll(this.pollIntervalMs);
      });
    }, delayMs);
  }

  private async poll(): Promise<void> {
    const { redis } = this.options;
    try {
      if (this.running.size >= this.maxChannels) return;
      // Ask for more than the free slots: other drainers may hold some of the due channels.
      const limit = this.maxChannels * 4;
      const due = await redis.zrangebyscore(this.keys.ready, '-inf', this.now(), 'LIMIT', 0, limit);
      for (const channel of due) {
        if (this.stopping || this.running.size >= this.maxChannels) return;
        if (this.running.has(channel)) continue;
        const lease = await ChannelLease.acquire(
          redis,
          this.keys,
          channel,
          this.owner,
          this.leaseMs,
          this.now(),
        );
        if (!lease) continue;
        const run = this.drainChannel(lease).finally(() => this.running.delete(channel));
        this.running.set(channel, run);
      }
    } catch (error) {
      this.options.logger.warn({ reason: describe(error) }, 'Chat outbox poll failed; trying again');
    }
  }

  private async drainChannel(lease: ChannelLease): Promise<void> {
    const log = this.options.logger.child({ channel: lease.channel });
    let nextAt: number | undefined;
    try {
      for (let step = 0; step < OPS_PER_TURN; step++) {
        if (this.stopping || lease.lost) return;
        const raw = await this.options.redis.lindex(this.keys.channelOps(lease.channel), 0);
        if (raw === null) return;
        const result = await this.step(lease, raw, log);
        if (typeof result === 'number') {
          nextAt = result;
          return;
        }
      }
      // Turn over with work left: back in line behind channels that have waited longer.
      nextAt = this.now();
    } catch (error) {
      log.error({ reason: describe(error) }, 'Chat outbox channel failed; retrying it shortly');
      nextAt = this.now() + this.policy.baseBackoffMs;
    } finally {
      await lease.release(nextAt).catch((error: unknown) => {
        log.warn({ reason: describe(error) }, 'Could not release a chat channel lease; it lapses on its own');
      });
    }
  }

  /** Does the head entry; returns the time to come back at, or undefined to go on. */
  private async step(lease: ChannelLease, raw: string, log: Logger): Promise<number | undefined> {
    const op = decodeOp(raw);
    if (op === undefined) {
      log.error({ entry: raw.slice(0, 80) }, 'Dropping a chat outbox entry this version does not understand');
      await lease.ack(raw);
      return undefined;
    }
    try {
      const outcome = await this.delivery.deliver(lease.channel, op);
      if (outcome.kind === 'waitUntil') return outcome.at;
      if (outcome.kind === 'skipped') {
        log.warn({ key: op.key, op: op.op, reason: outcome.reason }, 'Skipped a chat operation');
      }
    } catch (error) {
      const attempt =
        error instanceof ChatRateLimitedError
          ? 0
          : await this.options.redis.hincrby(this.keys.failures, lease.channel, 1);
      const decision = decideOnFailure(error, attempt, this.now(), this.policy);
      const context = { key: op.key, op: op.op, reason: describe(error) };
      if (decision.kind === 'retryAt') {
        const retryInMs = decision.at - this.now();
        log.warn({ ...context, attempt, retryInMs }, `Chat call deferred (${decision.reason})`);
        return decision.at;
      }
      log.error({ ...context, code: decision.code }, 'Dropped a chat operation that cannot succeed');
    }
    await lease.ack(raw);
    return undefined;
  }
}

/** Error text for logs: messages only (our sink errors carry Slack codes, never tokens). */
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
