import type { Redis } from 'ioredis';
import type { RedisSettings, ReplicaConfirmationSettings } from '../config/redis-settings';
import type { RedisClient } from './redis-client';

/** The connection a command's writes went on, taken before the first of them. */
export interface WriteMark {
  readonly connection: number;
}

/**
 * Confirms that a command's writes reached replicas before the person is told they are done.
 * Redis replicates asynchronously: writes a primary accepted and had not passed on are gone once a
 * replica is promoted in its place (a Sentinel failover), and the old primary resyncs from the new.
 */
export interface ReplicaConfirmation {
  /** Call before the command's first write. */
  begin(): WriteMark;
  /** True when the policy's replicas hold every write made on the connection since `mark`. */
  confirm(mark: WriteMark): Promise<boolean>;
}

/** Room beyond Redis's own timeout for the answer to come back before it counts as no answer. */
const ANSWER_GRACE_MS = 250;

/**
 * `WAIT <replicas> <timeoutMs>` on the connection that made the writes: Redis answers how many
 * replicas acknowledged everything this connection wrote. A reconnect in between (a failover moves
 * the connection to the new primary) means the writes went elsewhere, so it does not confirm.
 */
export class WaitReplicaConfirmation implements ReplicaConfirmation {
  private connection = 0;

  constructor(
    private readonly redis: Redis,
    private readonly policy: ReplicaConfirmationSettings,
  ) {
    redis.on('ready', () => {
      this.connection++;
    });
  }

  begin(): WriteMark {
    return { connection: this.connection };
  }

  async confirm(mark: WriteMark): Promise<boolean> {
    if (mark.connection !== this.connection || this.redis.status !== 'ready') return false;
    let timer: NodeJS.Timeout | undefined;
    try {
      const acknowledged = await Promise.race([
        this.redis.wait(this.policy.replicas, this.policy.timeoutMs),
        new Promise<number>((resolve) => {
          timer = setTimeout(() => resolve(0), this.policy.timeoutMs + ANSWER_GRACE_MS);
        }),
      ]);
      return acknowledged >= this.policy.replicas && mark.connection === this.connection;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * The confirmation the settings ask for on `redis` (the command side's connection), or undefined
 * when there is none: no policy, zero replicas, or a Redis Cluster (WAIT would go to a random node).
 */
export function replicaConfirmation(
  redis: RedisClient,
  settings: RedisSettings,
): ReplicaConfirmation | undefined {
  if (settings.mode === 'cluster' || !settings.confirm || settings.confirm.replicas < 1) return undefined;
  if ('isCluster' in redis && redis.isCluster) return undefined;
  return new WaitReplicaConfirmation(redis as Redis, settings.confirm);
}
