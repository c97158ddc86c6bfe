import type { Logger } from 'pino';
import type { RedisClient } from '../queue/redis-client';
import { ChatDeliveryError, ChatRateLimitedError, type ChatSink } from './chat-sink';
import type { ChatMessage } from './message';
import { MESSAGE_TTL_MS, type OutboxKeys, type OutboxOp } from './outbox-keys';
import { SET_MESSAGE_FIELDS } from './outbox-scripts';

/** How one operation ended when the sink did not throw. */
export type DeliveryOutcome =
  | { kind: 'done' }
  /** Not yet allowed (update interval); the operation stays at the head of its channel. */
  | { kind: 'waitUntil'; at: number }
  /** Nothing can be delivered (message expired, post failed earlier); the operation is removed. */
  | { kind: 'skipped'; reason: string };

export interface OutboxDeliveryOptions {
  redis: RedisClient;
  keys: OutboxKeys;
  sink: ChatSink;
  logger: Logger;
  minUpdateIntervalMs: number;
  now: () => number;
}

/**
 * Carries out one post or update against the sink, keeping the message hash in step. Every step
 * can be repeated after a crash without a second visible post: a post sets an `attempting` marker
 * before calling the sink, and a later attempt that finds it asks the sink whether the post landed.
 */
export class OutboxDelivery {
  constructor(private readonly options: OutboxDeliveryOptions) {}

  async deliver(channel: string, op: OutboxOp): Promise<DeliveryOutcome> {
    try {
      return op.op === 'post' ? await this.post(channel, op.key) : await this.update(channel, op.key);
    } catch (error) {
      // Later updates and thread replies of a message that can never be posted are skipped by reason.
      if (op.op === 'post' && error instanceof ChatDeliveryError && error.permanent) {
        await this.setFields(op.key, '', ['failed', error.code]);
      }
      throw error;
    }
  }

  private async post(channel: string, key: string): Promise<DeliveryOutcome> {
    const { redis, keys, sink } = this.options;
    const message = await redis.hgetall(keys.message(key));
    if (message.channel === undefined)
      return { kind: 'skipped', reason: 'message expired before it was posted' };
    if (message.ts) return { kind: 'done' };
    const threadTs = message.threadKey ? await this.parentTs(key, message.threadKey) : undefined;
    if (message.attempting !== undefined) {
      // An earlier attempt may have reached Slack before its process died: adopt that post.
      const found = await sink.findPostedMessage(channel, key, threadTs ? { threadTs } : undefined);
      if (found) {
        this.options.logger.info({ channel, key }, 'Adopted a post made by an interrupted attempt');
        await this.recordDelivered(key, found.ts, message.attempting);
        return { kind: 'done' };
      }
    }
    const version = message.version ?? '1';
    await this.setFields(key, '', ['attempting', version]);
    const request = {
      channel,
      key,
      message: parseMessage(message.content),
      ...(threadTs ? { threadTs } : {}),
    };
    let ts: string;
    try {
      ({ ts } = await sink.postMessage(request));
    } catch (error) {
      // A 429 proves nothing was posted: clear the marker, sparing a history lookup on the retry.
      if (error instanceof ChatRateLimitedError) await this.setFields(key, 'attempting', []);
      throw error;
    }
    await this.recordDelivered(key, ts, version);
    return { kind: 'done' };
  }

  private async update(channel: string, key: string): Promise<DeliveryOutcome> {
    const { redis, keys, sink, now, minUpdateIntervalMs } = this.options;
    const messageKey = keys.message(key);
    const [ts, lastUpdateAt, failed] = await redis.hmget(messageKey, 'ts', 'lastUpdateAt', 'failed');
    if (!ts)
      return { kind: 'skipped', reason: failed ? `its post failed (${failed})` : 'it was never posted' };
    const dueAt = Number(lastUpdateAt ?? 0) + minUpdateIntervalMs;
    if (now() < dueAt) return { kind: 'waitUntil', at: dueAt };
    // Clear the marker before reading, so a put racing with this send enqueues a fresh update.
    await redis.hdel(messageKey, 'updateQueued');
    const [content, version, sentVersion] = await redis.hmget(
      messageKey,
      'content',
      'version',
      'sentVersion',
    );
    if (content === null) return { kind: 'skipped', reason: 'message expired' };
    if (Number(version) <= Number(sentVersion ?? 0)) return { kind: 'done' };
    await sink.updateMessage({ channel, ts, message: parseMessage(content) });
    await this.setFields(key, '', ['sentVersion', String(version), 'lastUpdateAt', String(now())]);
    return { kind: 'done' };
  }

  /** Parent ts of a thread reply; a reply whose parent could not be posted goes to the channel instead. */
  private async parentTs(key: string, threadKey: string): Promise<string | undefined> {
    const ts = await this.options.redis.hget(this.options.keys.message(threadKey), 'ts');
    if (!ts)
      this.options.logger.warn(
        { key, threadKey },
        'Thread parent was not posted; posting the reply in the channel',
      );
    return ts ?? undefined;
  }

  /** The post counts as a message write for the update interval, so a first update waits a second. */
  private recordDelivered(key: string, ts: string, version: string): Promise<void> {
    return this.setFields(key, 'attempting', [
      'ts',
      ts,
      'sentVersion',
      version,
      'lastUpdateAt',
      String(this.options.now()),
    ]);
  }

  private async setFields(key: string, fieldToDelete: string, fields: string[]): Promise<void> {
    await SET_MESSAGE_FIELDS.run(
      this.options.redis,
      [this.options.keys.message(key)],
      [MESSAGE_TTL_MS, fieldToDelete, ...fields],
    );
  }
}

/** Our own JSON, but a corrupt entry must be dropped rather than retried forever. */
function parseMessage(content: string | undefined): ChatMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content ?? '');
  } catch {
    parsed = undefined;
  }
  const text =
    typeof parsed === 'object' && parsed !== null ? (parsed as { text?: unknown }).text : undefined;
  if (typeof text !== 'string')
    throw new ChatDeliveryError('Stored message has no text', 'invalid_stored_message', true);
  return parsed as ChatMessage;
}
