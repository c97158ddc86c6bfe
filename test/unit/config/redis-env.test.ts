import type { ConfigProblem } from '../../../src/config/load-config';
import { readRedisSettings, redisSecrets } from '../../../src/config/redis-env';

function read(variables: Record<string, string>) {
  const problems: ConfigProblem[] = [];
  const settings = readRedisSettings((name) => variables[name], problems);
  return { settings, problems };
}

describe('Redis connection mode from the environment', () => {
  it('is one node at redis://127.0.0.1:6379 when nothing is set', () => {
    expect(read({})).toEqual({ settings: { mode: 'single', url: 'redis://127.0.0.1:6379' }, problems: [] });
  });

  it('reads a Redis Cluster from its seed nodes, with the password and TLS of REDIS_PASSWORD and REDIS_TLS', () => {
    const { settings, problems } = read({
      REDIS_CLUSTER_NODES: '10.0.0.5:6379, redis-1.internal:6380,[::1]:7000',
      REDIS_PASSWORD: 's3cret',
      REDIS_TLS: '1',
    });
    expect(problems).toEqual([]);
    expect(settings).toEqual({
      mode: 'cluster',
      nodes: [
        { host: '10.0.0.5', port: 6379 },
        { host: 'redis-1.internal', port: 6380 },
        { host: '::1', port: 7000 },
      ],
      password: 's3cret',
      tls: true,
    });
    expect(redisSecrets(settings)).toEqual(['s3cret']);
  });

  it('reads sentinels and the primary they monitor', () => {
    const { settings, problems } = read({
      REDIS_SENTINELS: '127.0.0.1:26379,127.0.0.1:26380',
      REDIS_SENTINEL_NAME: 'warroom',
      REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
    });
    expect(problems).toEqual([]);
    expect(settings).toEqual({
      mode: 'sentinel',
      sentinels: [
        { host: '127.0.0.1', port: 26379 },
        { host: '127.0.0.1', port: 26380 },
      ],
      name: 'warroom',
      sentinelPassword: 'sentinel-secret',
      tls: false,
      // Each command's writes wait for a replica by default: a failover loses what none holds.
      confirm: { replicas: 1, timeoutMs: 250 },
    });
    expect(redisSecrets(settings)).toEqual(['sentinel-secret']);
  });

  it.each<[string, Record<string, string>, string, RegExp]>([
    [
      'two modes at once',
      { REDIS_URL: 'redis://a:6379', REDIS_CLUSTER_NODES: 'b:6379' },
      'REDIS_URL, REDIS_CLUSTER_NODES',
      /set only one/,
    ],
    ['sentinels without a name', { REDIS_SENTINELS: 'a:26379' }, 'REDIS_SENTINEL_NAME', /sentinel monitor/],
    [
      'a node without a port',
      { REDIS_CLUSTER_NODES: 'a:6379,b' },
      'REDIS_CLUSTER_NODES',
      /host:port separated by commas/,
    ],
    [
      'a port out of range',
      { REDIS_SENTINELS: 'a:70000', REDIS_SENTINEL_NAME: 'm' },
      'REDIS_SENTINELS',
      /host:port/,
    ],
    [
      'REDIS_TLS that is not 1 or 0',
      { REDIS_CLUSTER_NODES: 'a:1', REDIS_TLS: 'yes' },
      'REDIS_TLS',
      /set it to 1/,
    ],
    ['a URL that is not redis://', { REDIS_URL: 'http://a:6379' }, 'REDIS_URL', /redis:\/\/host:6379/],
    [
      'replica confirmation on a cluster',
      { REDIS_CLUSTER_NODES: 'a:1', REDIS_CONFIRM_REPLICAS: '1' },
      'REDIS_CONFIRM_REPLICAS',
      /unset REDIS_CONFIRM_REPLICAS/,
    ],
    [
      'a replica count that is not a number',
      { REDIS_SENTINELS: 'a:1', REDIS_SENTINEL_NAME: 'm', REDIS_CONFIRM_REPLICAS: 'one' },
      'REDIS_CONFIRM_REPLICAS',
      /set it to one/,
    ],
    [
      'a confirmation timeout past the acknowledgement window',
      { REDIS_SENTINELS: 'a:1', REDIS_SENTINEL_NAME: 'm', REDIS_CONFIRM_TIMEOUT_MS: '5000' },
      'REDIS_CONFIRM_TIMEOUT_MS',
      /set it to one/,
    ],
  ])('refuses %s, saying how to fix it', (_title, variables, path, fix) => {
    const { problems } = read(variables);
    expect(problems).toEqual([expect.objectContaining({ path, fix: expect.stringMatching(fix) })]);
  });

  it.each<[string, Record<string, string>, unknown]>([
    ['is off on one node unless asked', {}, undefined],
    ['is on for one node when asked', { REDIS_CONFIRM_REPLICAS: '2' }, { replicas: 2, timeoutMs: 250 }],
    [
      'takes its timeout from REDIS_CONFIRM_TIMEOUT_MS',
      { REDIS_SENTINELS: 'a:1', REDIS_SENTINEL_NAME: 'm', REDIS_CONFIRM_TIMEOUT_MS: '100' },
      { replicas: 1, timeoutMs: 100 },
    ],
    [
      'is off with Sentinel when REDIS_CONFIRM_REPLICAS is 0',
      { REDIS_SENTINELS: 'a:1', REDIS_SENTINEL_NAME: 'm', REDIS_CONFIRM_REPLICAS: '0' },
      undefined,
    ],
    ['is off on a cluster', { REDIS_CLUSTER_NODES: 'a:1' }, undefined],
  ])('replica confirmation %s', (_title, variables, confirm) => {
    const { settings, problems } = read(variables);
    expect(problems).toEqual([]);
    expect((settings as { confirm?: unknown }).confirm).toEqual(confirm);
  });

  it('never repeats a password in a problem', () => {
    const { problems } = read({
      REDIS_URL: 'redis://:hunter2@',
      REDIS_CLUSTER_NODES: 'x:1',
      REDIS_PASSWORD: 'hunter2',
    });
    expect(JSON.stringify(problems)).not.toContain('hunter2');
  });
});
