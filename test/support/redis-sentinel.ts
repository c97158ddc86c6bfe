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
 * A full resynchronisation waits `repl-diskless-sync-delay` (5 s by default) for more replicas to
 * join before streaming: with one replica there is nothing to wait for.
 */
const DATA_NODE_ARGS = ['--repl-diskless-sync-delay', '0'];

/**
 * A primary, a replica and three sentinels of the test's own on loopback, as Memorystore's
 * primary-with-replicas runs: `failover()` asks a sentinel for SENTINEL FAILOVER and waits until
 * the sentinels name the other server and it takes writes. `stop()` kills every process, waits for
 * each to exit and removes the directories; every client opened here is closed before its call
 * returns, so nothing keeps Jest running.
 */
export class SentinelServers {
  private constructor(
    /** The two data nodes; which is the primary changes with each failover. */
    readonly nodes: readonly [PrivateRedis, PrivateRedis],
    readonly sentinelPorts: number[],
    private readonly sentinels: ChildProcess[],
    private readonly dir: string,
  ) {}

  static async start(): Promise<SentinelServers> {
    const started: PrivateRedis[] = [];
    const children: ChildProcess[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'warroom-sentinel-'));
    try {
      const primary = await PrivateRedis.start({ args: DATA_NODE_ARGS });
      started.push(primary);
      const replica = await PrivateRedis.start({
        args: [...DATA_NODE_ARGS, '--replicaof', '127.0.0.1', String(primary.port)],
      });
      started.push(replica);
      const ports: number[] = [];
      for (let i = 0; i < 3; i++) {
        const port = await freePort();
        const file = join(dir, `sentinel-${i}.conf`);
        writeFileSync(file, sentinelConfig(port, dir, primary.port));
        children.push(spawn('redis-server', [file, '--sentinel'], { stdio: 'ignore' }));
        ports.push(port);
      }
      const servers = new SentinelServers([primary, replica], ports, children, dir);
      await waitUntil(() => servers.quickened(), 10_000, 'the sentinels to answer');
      await waitUntil(
        () => servers.settled(primary.port),
        20_000,
        'the sentinels to see the primary and its linked replica',
      );
      return servers;
    } catch (error) {
      await stopAll(children, started, dir);
      throw error;
    }
  }

  /** REDIS_SENTINELS for these sentinels. */
  get sentinelsVariable(): string {
    return this.sentinelPorts.map((port) => `127.0.0.1:${port}`).join(',');
  }

  /** The primary's port as the first sentinel names it now. */
  primaryPort(): Promise<number> {
    return this.ask(primaryNamedBy);
  }

  private primaryPorts(): Promise<number[]> {
    return Promise.all(this.sentinelPorts.map((port) => withClient(port, primaryNamedBy).catch(() => 0)));
  }

  /**
   * SENTINEL FAILOVER, then waits until the sentinels name the other server and it accepts writes.
   * Call `replicaLinked()` first: a sentinel only promotes a replica whose link is up.
   */
  async failover(): Promise<{ from: number; to: number }> {
    const from = await this.primaryPort();
    const to = this.other(from);
    await this.ask((sentinel) => sentinel.call('SENTINEL', 'FAILOVER', SENTINEL_NAME));
    await waitUntil(
      async () => (await this.primaryPorts()).every((port) => port === to) && (await roleOf(to)) === 'master',
      20_000,
      `every sentinel to name 127.0.0.1:${to} the primary`,
    );
    return { from, to };
  }

  /**
   * Waits until the server that is not the primary copies the primary (its link `connected`) and
   * the sentinel that `failover()` asks sees it as a replica it could promote.
   */
  async replicaLinked(timeoutMs = 20_000): Promise<void> {
    const primary = await this.primaryPort();
    try {
      await waitUntil(
        () => this.settled(primary),
        timeoutMs,
        `127.0.0.1:${this.other(primary)} to replicate the primary`,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${await this.describe()}`);
    }
  }

  /** What each server says of itself and what the sentinels say of them, for a failure message. */
  async describe(): Promise<string> {
    const lines: string[] = [];
    for (const node of this.nodes) {
      const role = await withClient(node.port, (c) => c.call('ROLE')).catch((e: Error) => e.message);
      lines.push(`127.0.0.1:${node.port} ROLE ${JSON.stringify(role)}`);
      lines.push(node.output.split('\n').slice(-15).join('\n'));
    }
    const view = await this.ask(async (sentinel) => [
      await sentinel.call('SENTINEL', 'MASTER', SENTINEL_NAME),
      await sentinel.call('SENTINEL', 'REPLICAS', SENTINEL_NAME),
    ]).catch((e: Error) => e.message);
    lines.push(`sentinel: ${JSON.stringify(view)}`);
    return lines.join('\n');
  }

  /** Kills the sentinels and both data nodes, waits for them to exit, removes the directories. */
  async stop(): Promise<void> {
    await stopAll(this.sentinels, [...this.nodes], this.dir);
  }

  private other(port: number): number {
    const [a, b] = this.nodes;
    return port === a.port ? b.port : a.port;
  }

  /**
   * A sentinel asks replicas for INFO every 10 s and tells a server that calls itself primary to
   * follow the real one only after four publish periods (8 s): a demoted primary would copy the new
   * one 10 to 20 s after a failover. SENTINEL DEBUG (Redis 7) shortens both for the test, the wait
   * to 2 s: longer than a failover takes to reach every sentinel, or one that has not heard of it
   * yet would turn the new primary back into a replica.
   */
  private async quickened(): Promise<boolean> {
    try {
      for (const port of this.sentinelPorts) {
        await withClient(port, (sentinel) =>
          sentinel.call('SENTINEL', 'DEBUG', 'INFO-PERIOD', '100', 'PUBLISH-PERIOD', '500'),
        );
      }
      return true;
    } catch {
      return false;
    }
  }

  /** True when `primaryPort` is the primary and the other server a replica ready to take over. */
  private async settled(primaryPort: number): Promise<boolean> {
    try {
      const [master, replicas] = await this.ask(async (sentinel) => [
        fields(await sentinel.call('SENTINEL', 'MASTER', SENTINEL_NAME)),
        ((await sentinel.call('SENTINEL', 'REPLICAS', SENTINEL_NAME)) as unknown[]).map(fields),
      ]);
      const replica = this.other(primaryPort);
      const seen = replicas.find((r) => r.port === String(replica));
      return (
        master.port === String(primaryPort) &&
        master.flags === 'master' &&
        seen?.flags === 'slave' &&
        seen['master-link-status'] === 'ok' &&
        seen['master-port'] === String(primaryPort) &&
        // The replica copies the primary only once its own link is `connected`.
        (await linkOf(replica)) === 'connected'
      );
    } catch {
      return false;
    }
  }

  private ask<T>(question: (sentinel: IORedis) => Promise<T>): Promise<T> {
    return withClient(this.sentinelPorts[0] ?? 0, question);
  }
}

function sentinelConfig(port: number, dir: string, primaryPort: number): string {
  return [
    `port ${port}`,
    'bind 127.0.0.1',
    `dir ${dir}`,
    `sentinel monitor ${SENTINEL_NAME} 127.0.0.1 ${primaryPort} 2`,
    `sentinel down-after-milliseconds ${SENTINEL_NAME} 1000`,
    `sentinel failover-timeout ${SENTINEL_NAME} 10000`,
    `sentinel parallel-syncs ${SENTINEL_NAME} 1`,
  ].join('\n');
}

async function stopAll(sentinels: ChildProcess[], nodes: PrivateRedis[], dir: string): Promise<void> {
  await Promise.all([...sentinels.map(killAndWait), ...nodes.map((node) => node.destroy())]);
  rmSync(dir, { recursive: true, force: true });
}

function killAndWait(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function primaryNamedBy(sentinel: IORedis): Promise<number> {
  const [, port] = (await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', SENTINEL_NAME)) as string[];
  return Number(port);
}

/** A sentinel's `[name, value, name, value, …]` answer as an object. */
function fields(reply: unknown): Record<string, string> {
  const list = Array.isArray(reply) ? reply.map(String) : [];
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < list.length; i += 2) out[list[i] as string] = list[i + 1] as string;
  return out;
}

/** One short-lived client on `port`, disconnected whatever `use` does. */
async function withClient<T>(port: number, use: (client: IORedis) => Promise<T>): Promise<T> {
  const client = new IORedis(port, '127.0.0.1', { maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    return await use(client);
  } finally {
    client.disconnect();
  }
}

/** A replica's link to its primary: connect, handshake, sync or connected ('' when it is no replica). */
function linkOf(port: number): Promise<string> {
  return withClient(port, async (client) => {
    const role = (await client.call('ROLE')) as unknown[];
    return role[0] === 'slave' ? String(role[3]) : '';
  }).catch(() => '');
}

function roleOf(port: number): Promise<string> {
  return withClient(port, async (client) => {
    const [role] = (await client.call('ROLE')) as [string];
    return role;
  }).catch(() => 'down');
}
