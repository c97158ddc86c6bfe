import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import IORedis from 'ioredis';
import type { RedisNode } from '../../src/config/redis-settings';
import { PrivateRedis } from './private-redis';
import { waitUntil } from './wait-for';

const run = promisify(execFile);

/** True when nothing listens on `port` on loopback. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port whose cluster bus port (+10000) is free too. */
async function clusterPort(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if (taken.has(port) || taken.has(port + 10_000)) continue;
    if ((await isFree(port)) && (await isFree(port + 10_000))) return port;
  }
  throw new Error('no free port pair for a Redis Cluster node');
}

/**
 * A Redis Cluster of the test's own: `masters` `redis-server --cluster-enabled yes` processes on
 * loopback, joined with `redis-cli --cluster create … --cluster-yes`, no replicas. `stop()` kills
 * them and removes their directories.
 */
export class RedisClusterServers {
  private constructor(readonly servers: PrivateRedis[]) {}

  static async start(masters = 3): Promise<RedisClusterServers> {
    const taken = new Set<number>();
    const servers: PrivateRedis[] = [];
    try {
      for (let i = 0; i < masters; i++) {
        const port = await clusterPort(taken);
        taken.add(port).add(port + 10_000);
        servers.push(
          await PrivateRedis.start({
            port,
            args: [
              '--cluster-enabled',
              'yes',
              '--cluster-config-file',
              'nodes.conf',
              '--cluster-node-timeout',
              '2000',
            ],
          }),
        );
      }
      const addresses = servers.map((s) => `127.0.0.1:${s.port}`);
      await run('redis-cli', [
        '--cluster',
        'create',
        ...addresses,
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ]);
      const cluster = new RedisClusterServers(servers);
      await waitUntil(
        () => cluster.ready(),
        20_000,
        'the Redis Cluster to report cluster_state:ok on every node',
      );
      return cluster;
    } catch (error) {
      await Promise.all(servers.map((s) => s.destroy()));
      throw error;
    }
  }

  get nodes(): RedisNode[] {
    return this.servers.map((s) => ({ host: '127.0.0.1', port: s.port }));
  }

  /** REDIS_CLUSTER_NODES for these servers. */
  get nodesVariable(): string {
    return this.nodes.map((n) => `${n.host}:${n.port}`).join(',');
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.destroy()));
  }

  private async ready(): Promise<boolean> {
    const states = await Promise.all(
      this.servers.map(async (server) => {
        const client = new IORedis(server.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0 });
        client.on('error', () => {});
        try {
          await client.connect();
          return /cluster_state:ok/.test(await client.cluster('INFO'));
        } catch {
          return false;
        } finally {
          client.disconnect();
        }
      }),
    );
    return states.every(Boolean);
  }
}
