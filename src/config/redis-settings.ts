export interface RedisNode {
  host: string;
  port: number;
}

/**
 * How many replicas must acknowledge a command's writes (Redis WAIT) before its reply confirms it,
 * and how long Redis may take to say so (REDIS_CONFIRM_REPLICAS, REDIS_CONFIRM_TIMEOUT_MS).
 */
export interface ReplicaConfirmationSettings {
  replicas: number;
  timeoutMs: number;
}

/**
 * How Warroom reaches Redis, from the environment:
 * - `single`: REDIS_URL (`redis://`, or `rediss://` for TLS), default redis://127.0.0.1:6379;
 * - `cluster`: REDIS_CLUSTER_NODES=host:port,… (a Redis Cluster's seed nodes);
 * - `sentinel`: REDIS_SENTINELS=host:port,… and REDIS_SENTINEL_NAME, the primary Sentinel names.
 * Cluster and Sentinel take the password from REDIS_PASSWORD and TLS from REDIS_TLS=1, the two
 * things REDIS_URL carries in single mode; REDIS_SENTINEL_PASSWORD is for the sentinels themselves.
 * `confirm` is on by default with Sentinel (one replica, 250 ms) and off unless set otherwise.
 */
export type RedisSettings =
  | { mode: 'single'; url: string; confirm?: ReplicaConfirmationSettings }
  | { mode: 'cluster'; nodes: RedisNode[]; password?: string; tls: boolean }
  | {
      mode: 'sentinel';
      sentinels: RedisNode[];
      name: string;
      password?: string;
      sentinelPassword?: string;
      tls: boolean;
      confirm?: ReplicaConfirmationSettings;
    };
