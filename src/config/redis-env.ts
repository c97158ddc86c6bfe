import { checkRedisUrl, fixing } from './env-readers';
import type { ConfigProblem } from './load-config';
import type { RedisNode, RedisSettings, ReplicaConfirmationSettings } from './redis-settings';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** With Sentinel, each command's writes wait for one replica for up to 250 ms unless set otherwise. */
export const DEFAULT_SENTINEL_CONFIRMATION: Readonly<ReplicaConfirmationSettings> = Object.freeze({
  replicas: 1,
  timeoutMs: 250,
});
/** Longest REDIS_CONFIRM_TIMEOUT_MS: the reply must still make Slack's 3-second acknowledgement. */
const MAX_CONFIRM_TIMEOUT_MS = 1000;
const MAX_CONFIRM_REPLICAS = 5;

/** Reads the mode's variables; a problem for each one that is wrong, never repeating a password. */
export function readRedisSettings(
  get: (name: string) => string | undefined,
  problems: ConfigProblem[],
): RedisSettings {
  const url = get('REDIS_URL');
  const clusterNodes = get('REDIS_CLUSTER_NODES');
  const sentinels = get('REDIS_SENTINELS');
  const given = [url && 'REDIS_URL', clusterNodes && 'REDIS_CLUSTER_NODES', sentinels && 'REDIS_SENTINELS'];
  const modes = given.filter((name): name is string => Boolean(name));
  if (modes.length > 1) {
    problems.push(
      fixing(
        modes.join(', '),
        `${modes.join(' and ')} are both set; Warroom uses one Redis.`,
        'set only one: REDIS_URL for one node, REDIS_CLUSTER_NODES for a Redis Cluster, or REDIS_SENTINELS with REDIS_SENTINEL_NAME for Sentinel.',
      ),
    );
  }
  const password = get('REDIS_PASSWORD');
  const tls = readTls(get('REDIS_TLS'), problems);
  const confirm = readConfirmation(get, Boolean(sentinels), problems);
  if (clusterNodes) {
    if (confirm) {
      problems.push(
        fixing(
          'REDIS_CONFIRM_REPLICAS',
          'REDIS_CONFIRM_REPLICAS is set with REDIS_CLUSTER_NODES; Warroom confirms writes on replicas only with REDIS_URL or REDIS_SENTINELS.',
          'unset REDIS_CONFIRM_REPLICAS (or set it to 0) for a Redis Cluster.',
        ),
      );
    }
    const nodes = readNodes('REDIS_CLUSTER_NODES', clusterNodes, problems);
    return { mode: 'cluster', nodes, tls, ...(password ? { password } : {}) };
  }
  if (sentinels) {
    const nodes = readNodes('REDIS_SENTINELS', sentinels, problems);
    const name = get('REDIS_SENTINEL_NAME');
    if (!name) {
      problems.push(
        fixing(
          'REDIS_SENTINEL_NAME',
          'REDIS_SENTINELS is set but REDIS_SENTINEL_NAME is not.',
          'set it to the name the sentinels monitor the primary under (`sentinel monitor <name> …`), e.g. mymaster.',
        ),
      );
    }
    const sentinelPassword = get('REDIS_SENTINEL_PASSWORD');
    return {
      mode: 'sentinel',
      sentinels: nodes,
      name: name ?? '',
      tls,
      ...(password ? { password } : {}),
      ...(sentinelPassword ? { sentinelPassword } : {}),
      ...(confirm ? { confirm } : {}),
    };
  }
  const single = url ?? DEFAULT_REDIS_URL;
  checkRedisUrl(single, problems);
  return { mode: 'single', url: single, ...(confirm ? { confirm } : {}) };
}

/**
 * REDIS_CONFIRM_REPLICAS (0 turns it off) and REDIS_CONFIRM_TIMEOUT_MS: how many replicas must
 * acknowledge a command's writes and how long Redis may take. Sentinel has a default; one node by
 * REDIS_URL has none (it may have no replica), so there it is on only when set.
 */
function readConfirmation(
  get: (name: string) => string | undefined,
  sentinel: boolean,
  problems: ConfigProblem[],
): ReplicaConfirmationSettings | undefined {
  const defaults = DEFAULT_SENTINEL_CONFIRMATION;
  const replicas = readWhole(get, 'REDIS_CONFIRM_REPLICAS', 0, MAX_CONFIRM_REPLICAS, problems);
  const timeoutMs = readWhole(get, 'REDIS_CONFIRM_TIMEOUT_MS', 10, MAX_CONFIRM_TIMEOUT_MS, problems);
  const count = replicas ?? (sentinel ? defaults.replicas : 0);
  return count > 0 ? { replicas: count, timeoutMs: timeoutMs ?? defaults.timeoutMs } : undefined;
}

function readWhole(
  get: (name: string) => string | undefined,
  name: string,
  min: number,
  max: number,
  problems: ConfigProblem[],
): number | undefined {
  const value = get(name);
  if (value === undefined || value === '') return undefined;
  const number = /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
  if (number >= min && number <= max) return number;
  problems.push(
    fixing(
      name,
      `${name} "${value.slice(0, 20)}" is not a whole number from ${min} to ${max}.`,
      `set it to one, or unset it.`,
    ),
  );
  return undefined;
}

function readTls(value: string | undefined, problems: ConfigProblem[]): boolean {
  if (value === undefined || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  problems.push(
    fixing('REDIS_TLS', `REDIS_TLS "${value}" is neither 1 nor 0.`, 'set it to 1 for TLS, or unset it.'),
  );
  return false;
}

/** `host:port,host:port`, IPv6 hosts in brackets (`[::1]:7000`). */
function readNodes(name: string, value: string, problems: ConfigProblem[]): RedisNode[] {
  const nodes: RedisNode[] = [];
  for (const item of value.split(',').map((part) => part.trim())) {
    const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(item);
    const port = Number(match?.[2]);
    if (!match?.[1] || !(port >= 1 && port <= 65535)) {
      problems.push(
        fixing(
          name,
          `${name} has "${item.slice(0, 60)}", which is not host:port.`,
          `list the nodes as host:port separated by commas, e.g. ${name}=10.0.0.5:6379,10.0.0.6:6379.`,
        ),
      );
      continue;
    }
    nodes.push({ host: match[1].replace(/^\[|\]$/g, ''), port });
  }
  return nodes;
}

/** The variables that may hold a Redis password, for log redaction. */
export function redisSecrets(settings: RedisSettings): string[] {
  if (settings.mode === 'single') return [];
  return [settings.password, settings.mode === 'sentinel' ? settings.sentinelPassword : undefined].filter(
    (s): s is string => Boolean(s),
  );
}
