/**
 * Work could not be queued because Redis does not answer. Commands turn it into a reply that says
 * nothing was started, instead of a generic failure.
 */
export class QueueUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('Redis does not answer, so the work could not be queued', { cause });
    this.name = 'QueueUnavailableError';
  }
}

interface RedisLike {
  status: string;
  once(event: 'ready', listener: () => void): unknown;
  off(event: 'ready', listener: () => void): unknown;
}

/**
 * Runs `work` and reports a Redis connection failure as QueueUnavailableError. A connection that is
 * still being made (start-up, a reconnect under way) gets up to `waitMs` to become ready, which
 * keeps the answer well within Slack's 3 seconds.
 */
export async function whileQueueAvailable<T>(
  redis: RedisLike,
  work: () => Promise<T>,
  waitMs = 1000,
): Promise<T> {
  if (redis.status !== 'ready' && !(await becomesReady(redis, waitMs))) throw new QueueUnavailableError();
  try {
    return await work();
  } catch (error) {
    if (redis.status !== 'ready' || isConnectionError(error)) throw new QueueUnavailableError(error);
    throw error;
  }
}

function becomesReady(redis: RedisLike, waitMs: number): Promise<boolean> {
  if (redis.status === 'end' || redis.status === 'close') return Promise.resolve(false);
  return new Promise((resolve) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      resolve(false);
    }, waitMs);
    redis.once('ready', onReady);
  });
}

/** True for the errors ioredis raises when Redis is unreachable or the connection dropped. */
export function isConnectionError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /enableOfflineQueue|Connection is closed|ECONNREFUSED|ETIMEDOUT|max retries per request/i.test(
    message,
  );
}
