import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { freePort } from './free-port';
import { PrivateRedis } from './private-redis';
import { waitUntil } from './wait-for';

/** The name the sentinels monitor the primary under (REDIS_SENTINEL_NAME). */
export const SENTINEL_NAME = 'warroom';

/**
 * A primary, a replica and three sentinels of the test's own on loopback, as Memorystore's
 * primary-with-replicas runs: `failover()` asks a sentinel for SENTINEL FAILOVER and waits until
 * the old replica is the primary. `stop()` kills everything and removes the directories.
 */
export class SentinelServers {
  private constructor(
    readonly primary: PrivateRedis,
    readonly replica: PrivateRedis,
    readonly sentinelPorts: number[],
    private readonly sentinels: ChildProcess[],
    private readonly dir: string,
  ) {}

  static async start(): Promise<SentinelServers> {
    const primary = await PrivateRedis.start();
    const replica = await PrivateRedis.start({ args: ['--replicaof', '127.0.0.1', String(primary.port)] });
    const dir = mkdtempSync(join(tmpdir(), 'warroom-sentinel-'));
    const ports: number[] = [];
    const children: ChildProcess[] = [];
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const file = join(dir, `sentinel-${i}.conf`);
      writeFileSync(
        file,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${dir}`,
          `sentinel monitor ${SENTINEL_NAME} 127.0.0.1 ${primary.port} 2`,
          `sentinel down-after-milliseconds ${SENTINEL_NAME} 1000`,
          `sentinel failover-timeout ${SENTINEL_NAME} 10000`,
          `sentinel parallel-syncs ${SENTINEL_NAME} 1`,
        ].join('\n'),
      );
      children.push(spawn('redis-server', [file, '--sentinel'], { stdio: 'ignore' }));
      ports.push(port);
    }
    const servers = new SentinelServers(primary, replica, ports, children, dir);
    try {
      await waitUntil(
        () => servers.settled(primary.port),
        20_000,
        'the sentinels to see the primary and its replica',
      );
    } catch (error) {
      await servers.stop();
      throw error;
    }
    return servers;
  }

  /** REDIS_SENTINELS for these sentinels. */
  get sentinelsVariable(): string {
    return this.sentinelPorts.map((port) => `127.0.0.1:${port}`).join(',');
  }

  /** The primary's port as the sentinels name it now. */
  async primaryPort(): Promise<number> {
    return this.ask(async (sentinel) => {
      const [, port] = (await sentinel.call(
        'SENTINEL',
        'GET-MASTER-ADDR-BY-NAME',
        SENTINEL_NAME,
      )) as string[];
      return Number(port);
    });
  }

  /** SENTINEL FAILOVER, then waits until the sentinels name the other server and it accepts writes. */
  async failover(): Promise<{ from: number; to: number }> {
    const from = await this.primaryPort();
    await this.ask((sentinel) => sentinel.call('SENTINEL', 'FAILOVER', SENTINEL_NAME));
    const to = from === this.primary.port ? this.replica.port : this.primary.port;
    await waitUntil(
      async () => (await this.primaryPort()) === to && (await roleOf(to)) === 'master',
      20_000,
      `the sentinels to promote 127.0.0.1:${to}`,
    );
    return { from, to };
  }

  /** Waits until the demoted primary copies the new one again (WAIT has a replica to count). */
  async replicaLinked(port: number): Promise<void> {
    await waitUntil(
      async () => (await linkOf(port)) === 'connected',
      30_000,
      `127.0.0.1:${port} to replicate again`,
    );
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.sentinels.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    await Promise.all([this.primary.destroy(), this.replica.destroy()]);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async settled(primaryPort: number): Promise<boolean> {
    try {
      const replicas = await this.ask(
        (sentinel) => sentinel.call('SENTINEL', 'REPLICAS', SENTINEL_NAME) as Promise<unknown[]>,
      );
      return (
        (await this.primaryPort()) === primaryPort &&
        replicas.length === 1 &&
        // The replica copies the primary only once its link is `connected` (a handshake takes seconds).
        (await linkOf(this.replica.port)) === 'connected'
      );
    } catch {
      return false;
    }
  }

  private async ask<T>(question: (sentinel: IORedis) => Promise<T>): Promise<T> {
    const sentinel = new IORedis(this.sentinelPorts[0] ?? 0, '127.0.0.1', { maxRetriesPerRequest: 1 });
    sentinel.on('error', () => {});
    try {
      return await question(sentinel);
    } finally {
      sentinel.disconnect();
    }
  }
}

/** A replica's link to its primary: connect, handshake, sync or connected ('' when it is no replica). */
async function linkOf(port: number): Promise<string> {
  const client = new IORedis(port, '127.0.0.1', { maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  try {
    const role = (await client.call('ROLE')) as unknown[];
    return role[0] === 'slave' ? String(role[3]) : '';
  } catch {
    return '';
  } finally {
    client.disconnect();
  }
}

async function roleOf(port: number): Promise<string> {
  const client = new IORedis(port, '127.0.0.1', { maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  try {
    const [role] = (await client.call('ROLE')) as [string];
    return role;
  } catch {
    return 'down';
  } finally {
    client.disconnect();
  }
}
