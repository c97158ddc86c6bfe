import Redis from 'ioredis';
import { KeyPrefix } from '../../src/queue/key-prefix';
import { CloudSimulator } from '../../src/simulator/cloud-simulator';
import type { Scenario } from '../../src/simulator/scenario';
import { FakeSlack } from './fake-slack';
import { REDIS_URL } from './test-config';
import { BOT_TOKEN, startTestWarroom, type TestWarroom, type TestWarroomOptions } from './test-warroom';

/** Every value stored under a Redis key prefix, as text: strings, hashes, lists, sets and streams. */
export async function storedText(redis: Redis, prefix: string): Promise<string> {
  const keys = await redis.keys(KeyPrefix.of(prefix).pattern);
  const values = await Promise.all(
    keys.map(async (key) => {
      switch (await redis.type(key)) {
        case 'string':
          return redis.get(key);
        case 'hash':
          return JSON.stringify(await redis.hgetall(key));
        case 'list':
          return JSON.stringify(await redis.lrange(key, 0, -1));
        case 'set':
          return JSON.stringify(await redis.smembers(key));
        case 'zset':
          return JSON.stringify(await redis.zrange(key, 0, -1));
        case 'stream':
          return JSON.stringify(await redis.xrange(key, '-', '+'));
        default:
          return '';
      }
    }),
  );
  return values.join('\n');
}

/** Expects none of `secrets` in any of `places` (name → text); a failure names the place and the secret. */
export function expectNoLeak(secrets: readonly string[], places: Record<string, string>): void {
  const leaks = Object.entries(places).flatMap(([place, text]) =>
    secrets.filter((secret) => text.includes(secret)).map((secret) => `${secret} in ${place}`),
  );
  expect(leaks).toEqual([]);
}

/** The bot against the Google Cloud simulator, with everything it sends, stores and logs at hand. */
export interface LeakCheckedBot {
  simulator: CloudSimulator;
  slack: FakeSlack;
  bot: TestWarroom;
  /** Every Slack Web API call and response_url post, Redis under the bot's prefix, and its log. */
  places(): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

/** Starts the bot in HTTP mode on `scenario`; `options` as startTestWarroom's. */
export async function startLeakCheckedBot(
  scenario: Scenario,
  options: TestWarroomOptions = {},
): Promise<LeakCheckedBot> {
  const simulator = await CloudSimulator.start({ scenario });
  const slack = await FakeSlack.start({ botToken: BOT_TOKEN });
  const redis = new Redis(REDIS_URL);
  const bot = await startTestWarroom({
    mode: 'http',
    slack,
    ...options,
    env: { GCP_EMULATOR_HOST: simulator.emulatorHost, ...options.env },
  });
  return {
    simulator,
    slack,
    bot,
    places: async () => ({
      Slack: JSON.stringify([slack.calls, slack.responses]),
      Redis: await storedText(redis, bot.testConfig.prefix),
      'the logs': bot.logs(),
    }),
    async stop() {
      await bot.stop();
      await slack.close();
      await simulator.close();
      redis.disconnect();
    },
  };
}
