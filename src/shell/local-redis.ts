import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis, { Cluster } from 'ioredis';
import type { RedisClient } from '../queue/redis-client';

export interface ShellRedis {
  url: string;
  /** True when the shell started its own redis-server. */
  owned: boolean;
  stop(): Promise<void>;
}

export const NO_REDIS_HELP = [
  'The shell needs Redis, and none answers at REDIS_URL and no redis-server is on PATH. Any one of these works:',
  '  Debian/Ubuntu: sudo apt-get install redis-server',
  '  macOS:         brew install redis',
  '  Docker:        docker compose up -d redis',
  'or set REDIS_URL to a Redis you can reach.',
].join('\n');

/** Uses the Redis at `url` when it answers; otherwise starts a private redis-server in a temp folder. */
export async function ensureShellRedis(url: string): Promise<ShellRedis> {
  if (await answers(url)) return { url, owned: false, stop: async () => {} };
  if (spawnSync('redis-server', ['--version']).status !== 0) throw new Error(NO_REDIS_HELP);
  const dir = mkdtempSync(join(tmpdir(), 'warroom-redis-'));
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const ownUrl = `redis://127.0.0.1:${port}`;
  const stop = async () => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 50; i++) {
    if (await answers(ownUrl)) return { url: ownUrl, owned: true, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`Started redis-server on port ${port}, but it did not answer within 5 s.`);
}

/** True when a Redis at `url` answers PING within `connectTimeoutMs`; one try, no retries. */
export async function answers(url: string, connectTimeoutMs = 1000): Promise<boolean> {
  const client = new IORedis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: connectTimeoutMs,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    // A client that already ended must not be disconnected again: ioredis would leave a 2 s timer.
    if (client.status !== 'end') client.disconnect();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Removes every key matching `pattern` (the shell's own, when it leaves) on the Redis at `url`. */
export async function deleteKeysMatching(url: string, pattern: string): Promise<void> {
  const client = new IORedis(url, { maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await deleteMatching(client, pattern);
  } finally {
    client.disconnect();
  }
}

/**
 * Removes every key matching `pattern` through `client`; on a Redis Cluster, on every primary
 * (SCAN sees one node). Best effort: keys left behind are harmless under their unique prefix.
 */
export async function deleteMatching(client: RedisClient, pattern: string): Promise<void> {
  const nodes = client instanceof Cluster ? client.nodes('master') : [client];
  try {
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        cursor = next;
        // One key at a time on a cluster: keys of one pattern need not share a slot.
        for (const key of keys) await node.del(key);
      } while (cursor !== '0');
    }
  } catch {
    // Best effort, as above.
  }
}
