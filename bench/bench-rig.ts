import { KeyPrefix } from '../src/queue/key-prefix';
import type { RedisClient } from '../src/queue/redis-client';
import { deleteMatching } from '../src/shell/local-redis';
import { CloudSimulator } from '../src/simulator/cloud-simulator';
import { FakeSlack } from '../test/support/fake-slack';
import { type TestConfig, writeTestConfig } from '../test/support/test-config';
import { BOT_TOKEN } from '../test/support/test-warroom';
import { botProcessEnv, WarroomProcess } from '../test/support/warroom-process';
import { openBenchRedis, redisVariables } from './bench-redis';

/** The secret incident-page links are signed with; the bench signs its own links with it. */
export const WEB_SECRET = 'bench-web-secret-0123456789abcdef-0123456789';

/**
 * What the sections that need the bot share: the Google Cloud simulator, the loopback Slack, a
 * config with three health checks, the bot's environment, a Redis connection, and the bot process
 * the sections send commands to. The bench's connection and every bot process reach Redis in the
 * mode the environment's Redis variables choose (bench-redis.ts). Every process it starts is
 * killed on `close`.
 */
export class BenchRig {
  /** The bot the sections send commands to, and its base URL. */
  bot?: WarroomProcess;
  base = '';
  private readonly processes: WarroomProcess[] = [];

  private constructor(
    readonly simulator: CloudSimulator,
    readonly slack: FakeSlack,
    readonly config: TestConfig,
    readonly env: Record<string, string>,
    readonly redis: RedisClient,
  ) {}

  static async start(): Promise<BenchRig> {
    const simulator = await CloudSimulator.start({ scenario: 'healthy' });
    const slack = await FakeSlack.start({ botToken: BOT_TOKEN });
    const health = (n: string) => `{ name: ${n}, url: "http://${simulator.emulatorHost}/sim/health/${n}" }`;
    const config = writeTestConfig('', [
      `healthChecks: [${['backend', 'auth', 'ai'].map(health).join(', ')}]`,
    ]);
    // The bot's Redis variables are the bench's own, whatever the mode: REDIS_URL is only one of them.
    const { REDIS_URL: _single, ...bot } = botProcessEnv({
      slackUrl: slack.url,
      configPath: config.path,
      emulatorHost: simulator.emulatorHost,
    });
    const redis = redisVariables();
    const env = {
      ...bot,
      ...redis,
      // The incident pages are on; links are signed here, so the public URL only has to be valid.
      WARROOM_PUBLIC_URL: 'http://127.0.0.1',
      WARROOM_WEB_SECRET: WEB_SECRET,
    };
    return new BenchRig(simulator, slack, config, env, openBenchRedis(redis));
  }

  /** Starts a bot process (`--role all` without `args`) and waits until it listens. */
  async spawn(args: string[] = []): Promise<{ spawned: WarroomProcess; port: number }> {
    const spawned = WarroomProcess.spawn(this.env, args);
    this.processes.push(spawned);
    return { spawned, port: await spawned.started() };
  }

  /** Starts the bot the sections talk to. */
  async startBot(args: string[] = []): Promise<WarroomProcess> {
    const { spawned, port } = await this.spawn(args);
    this.bot = spawned;
    this.base = `http://127.0.0.1:${port}`;
    return spawned;
  }

  /** The scaled-out deployment: the Slack app alone, and a worker process beside it sharing the Redis. */
  async startApp(): Promise<WarroomProcess> {
    const app = await this.startBot(['--role', 'app']);
    await this.spawn(['--role', 'worker']);
    return app;
  }

  async close(): Promise<void> {
    for (const spawned of this.processes) spawned.kill();
    await this.slack.close();
    await this.simulator.close();
    // Through the bench's own connection, so the keys go on a cluster or behind sentinels too.
    await deleteMatching(this.redis, KeyPrefix.of(this.config.prefix).pattern);
    this.redis.disconnect();
  }
}
