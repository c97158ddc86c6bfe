import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answers } from '../../src/shell/local-redis';
import { freePort } from './free-port';
import { waitUntil } from './wait-for';

/**
 * A `redis-server` of the test's own, on a free port, with an append-only file in a temporary
 * directory: `stop()` then `start()` again brings the same data back, as a restart in production
 * would. `destroy()` kills it and removes the directory; call it in `finally`.
 */
export class PrivateRedis {
  private child: ChildProcess | undefined;
  private exit: Promise<void> = Promise.resolve();
  /** What the server printed, for the failure message when it does not start. */
  output = '';

  private constructor(
    readonly port: number,
    readonly dir: string,
    /** Given to redis-server after the port, directory and persistence (cluster or replica settings). */
    private readonly extraArgs: readonly string[],
  ) {}

  /** `port` when a test needs a particular one (a cluster node whose bus port, +10000, is free too). */
  static async start(options: { port?: number; args?: readonly string[] } = {}): Promise<PrivateRedis> {
    const port = options.port ?? (await freePort());
    const redis = new PrivateRedis(port, mkdtempSync(join(tmpdir(), 'warroom-redis-')), options.args ?? []);
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the server (again) on the same port and directory; resolves once it answers PING. */
  async start(timeoutMs = 10_000): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir];
    const child = spawn('redis-server', [...args, '--appendonly', 'yes', '--save', '', ...this.extraArgs], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    this.child = child;
    this.exit = new Promise((resolve) => child.once('exit', () => resolve()));
    try {
      await waitUntil(() => this.answers(), timeoutMs, `redis-server on port ${this.port} to answer`);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${this.output}`);
    }
  }

  /** SIGTERM: Redis flushes the append-only file and exits, as on a clean shutdown. */
  async stop(): Promise<void> {
    if (this.running) this.child?.kill('SIGTERM');
    await this.exit;
  }

  /** Kills the server if it runs and removes its directory. */
  async destroy(): Promise<void> {
    if (this.running) this.child?.kill('SIGKILL');
    await this.exit;
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async answers(): Promise<boolean> {
    if (!this.running) throw new Error(`redis-server exited:\n${this.output}`);
    return answers(this.url, 500);
  }
}
