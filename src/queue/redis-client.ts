import type { Cluster, Redis } from 'ioredis';

/**
 * A connection to Redis in any mode Warroom supports: one node, or the primary Sentinel names
 * (`Redis`), or a Redis Cluster (`Cluster`). Every key Warroom writes carries the same hash tag
 * (KeyPrefix), so on a cluster every command and script of Warroom goes to one slot's node.
 */
export type RedisClient = Redis | Cluster;
