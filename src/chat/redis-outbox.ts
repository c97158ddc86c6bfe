import type { KeyPrefix } from '../queue/key-prefix';
import type { RedisClient } from '../queue/redis-client';
import type { ChatMessage } from './message';
import { MESSAGE_TTL_MS, type OutboxKeys, outboxKeys } from './outbox-keys';
import { PUT } from './outbox-scripts';

export interface RedisOutboxOptions {
  redis: RedisClient;
  /** Every outbox key starts with it. */
  prefix: KeyPrefix;
}

/**
 * Producer side of channel output: records what should be shown in Slack, in Redis, for an
 * {@link OutboxDrainer} in any worker process to deliver. Safe to use from many processes.
 */
export class RedisOutbox {
  private readonly redis: RedisClient;
  private readonly keys: OutboxKeys;

  constructor(options: RedisOutboxOptions) {
    this.redis = options.redis;
    this.keys = outboxKeys(options.prefix);
  }

  /**
   * Creates the message on first call for `key`; later calls with the same key update it
   * (coalesced: rapid updates become one chat.update with the latest content). Idempotent:
   * repeating a call with the same content enqueues nothing. `threadKey` makes the message a
   * reply in the thread of an earlier message of the same channel; it is read on creation only.
   */
  async put(
    channel: string,
    key: string,
    message: ChatMessage,
    options?: { threadKey?: string },
  ): Promise<void> {
    const threadKey = options?.threadKey ?? '';
    const result = await PUT.run(
      this.redis,
      [
        this.keys.message(key),
        this.keys.channelOps(channel),
        this.keys.ready,
        this.keys.pending,
        this.keys.message(threadKey === '' ? key : threadKey),
      ],
      [channel, key, JSON.stringify(message), MESSAGE_TTL_MS, threadKey],
    );
    const outcome = String(result);
    if (outcome === 'no_parent') {
      throw new Error(
        `Thread parent "${threadKey}" of message "${key}" is unknown (never put, or expired). Put the parent message first.`,
      );
    }
    const [problem, existingChannel] = splitOnce(outcome);
    if (problem === 'parent_channel') {
      throw new Error(
        `Thread parent "${threadKey}" is in channel ${existingChannel}, not ${channel}. Reply in the parent's channel.`,
      );
    }
    if (problem === 'channel_mismatch') {
      throw new Error(
        `Message "${key}" was posted to channel ${existingChannel}; use a new key to post in ${channel}.`,
      );
    }
  }

  /** Number of operations not yet delivered (all channels), for "wait until quiet" in the shell and tests. */
  async pendingCount(): Promise<number> {
    const value = await this.redis.get(this.keys.pending);
    return Math.max(0, Number(value ?? 0));
  }

  /** ts of a delivered message, if delivered. */
  async deliveredTs(key: string): Promise<string | undefined> {
    return (await this.redis.hget(this.keys.message(key), 'ts')) ?? undefined;
  }
}

function splitOnce(value: string): [string, string] {
  const colon = value.indexOf(':');
  return colon < 0 ? [value, ''] : [value.slice(0, colon), value.slice(colon + 1)];
}
