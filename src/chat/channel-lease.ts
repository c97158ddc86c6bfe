import type { RedisClient } from '../queue/redis-client';
import type { OutboxKeys } from './outbox-keys';
import { ACK, ACQUIRE, RENEW, RESCHEDULE_AND_RELEASE } from './outbox-scripts';

/**
 * One drainer's exclusive hold on one channel (SET NX PX), renewed while it works so a long Slack
 * call keeps it, and lapsing on its own when the process dies so another worker takes over.
 */
export class ChannelLease {
  private lostFlag = false;
  private readonly renewal: NodeJS.Timeout;

  private constructor(
    private readonly redis: RedisClient,
    private readonly keys: OutboxKeys,
    readonly channel: string,
    private readonly owner: string,
    leaseMs: number,
  ) {
    this.renewal = setInterval(
      () => {
        RENEW.run(redis, [keys.lease(channel)], [owner, leaseMs]).then(
          (renewed) => {
            if (renewed !== 1) this.lostFlag = true;
          },
          // Redis away: keep working; the ack refuses if the lease lapsed meanwhile.
          () => {},
        );
      },
      Math.max(10, Math.floor(leaseMs / 3)),
    );
  }

  /** Leases the channel if it is due at `now` and nobody holds it; undefined otherwise. */
  static async acquire(
    redis: RedisClient,
    keys: OutboxKeys,
    channel: string,
    owner: string,
    leaseMs: number,
    now: number,
  ): Promise<ChannelLease | undefined> {
    const leased = await ACQUIRE.run(
      redis,
      [keys.ready, keys.lease(channel)],
      [channel, owner, leaseMs, now],
    );
    return leased === 1 ? new ChannelLease(redis, keys, channel, owner, leaseMs) : undefined;
  }

  /** True once a renewal found the lease held by someone else. */
  get lost(): boolean {
    return this.lostFlag;
  }

  /** Removes the finished head entry `raw`; false (and lost) if the lease is no longer ours. */
  async ack(raw: string): Promise<boolean> {
    const k = this.keys;
    const keys = [k.channelOps(this.channel), k.ready, k.pending, k.failures, k.lease(this.channel)];
    const acked = (await ACK.run(this.redis, keys, [raw, this.channel, this.owner])) === 1;
    if (!acked) this.lostFlag = true;
    return acked;
  }

  /** Gives the channel up; with `nextAt`, no drainer takes it again before that time. */
  async release(nextAt?: number): Promise<void> {
    clearInterval(this.renewal);
    const keys = [this.keys.ready, this.keys.lease(this.channel), this.keys.channelOps(this.channel)];
    await RESCHEDULE_AND_RELEASE.run(this.redis, keys, [this.channel, this.owner, nextAt ?? '']);
  }
}
