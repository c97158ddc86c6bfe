import Redis from 'ioredis';
import { CloudSimulator } from '../../../src/simulator/cloud-simulator';
import { loadScenario } from '../../../src/simulator/load-scenario';
import type { Scenario } from '../../../src/simulator/scenario';
import { FakeSlack } from '../../support/fake-slack';
import { postSlashCommand, SLACK_TEST_IDS } from '../../support/slack-signing';
import { REDIS_URL } from '../../support/test-config';
import {
  BOT_TOKEN,
  SIGNING_SECRET,
  startTestWarroom,
  type TestWarroom,
  waitUntilIdle,
} from '../../support/test-warroom';

const CHANNEL = SLACK_TEST_IDS.channelId;
const DB_PASSWORD = 'Pw-7c1e9a0f2b';
const DSN = `postgres://app:${DB_PASSWORD}@10.20.0.3:5432/app`;
const SECRET_NAME = 'openai-api-key-prod';
/** Every value the service carries that Warroom must neither show, store nor log. */
const HIDDEN_VALUES = [DB_PASSWORD, SECRET_NAME, 'lbl-c0ffee42', 'ann-deadbeef17', 'tpl-5eed1e55'];

/** connector-restored, with a backend whose configuration carries secrets. */
function withSecrets(extra: Partial<Scenario> = {}): Scenario {
  const scenario = loadScenario('connector-restored');
  const backend = scenario.services.backend;
  if (!backend) throw new Error('connector-restored has no backend');
  return {
    ...scenario,
    rollout: { ...scenario.rollout, readyAfterMs: 300 },
    services: {
      ...scenario.services,
      backend: {
        ...backend,
        env: [
          { name: 'DATABASE_URL', value: DSN },
          { name: 'OPENAI_API_KEY', secret: { name: SECRET_NAME, version: '3' } },
        ],
        labels: { 'cost-center': 'lbl-c0ffee42' },
        annotations: { 'deploy.example.com/webhook': 'ann-deadbeef17' },
        templateAnnotations: {
          'autoscaling.knative.dev/maxScale': '10',
          'vault.example.com/role-token': 'tpl-5eed1e55',
        },
      },
    },
    ...extra,
  };
}

describe('a remediation of a service whose configuration carries secrets', () => {
  let simulator: CloudSimulator;
  let slack: FakeSlack;
  let bot: TestWarroom;
  let redis: Redis;

  beforeAll(async () => {
    simulator = await CloudSimulator.start({ scenario: withSecrets() });
    slack = await FakeSlack.start({ botToken: BOT_TOKEN });
    redis = new Redis(REDIS_URL);
    bot = await startTestWarroom({
      mode: 'http',
      slack,
      environmentExtra: ['remediation: { approval: none }'],
      env: { GCP_EMULATOR_HOST: simulator.emulatorHost },
      remediationTiming: { pollIntervalMs: 100, readyTimeoutMs: 20_000 },
    });
  });
  afterAll(async () => {
    await bot.stop();
    await slack.close();
    await simulator.close();
    redis.disconnect();
  });
  beforeEach(() => {
    simulator.requests.splice(0);
    slack.reset({ workspace: true });
  });

  let trigger = 0;
  const command = async (text: string) => {
    const response = await postSlashCommand(bot.baseUrl, SIGNING_SECRET, {
      text,
      trigger_id: `secrets-${++trigger}-${Date.now()}`,
    });
    expect(response.status).toBe(200);
    return (response.json as { text: string }).text;
  };
  const message = () => slack.messages(CHANNEL).find((m) => /Restart|restart/.test(m.text));
  /** Every value stored under the bot's Redis prefix: strings, hashes, lists and streams. */
  async function stored(): Promise<string> {
    const keys = await redis.keys(`{${bot.testConfig.prefix}}*`);
    const values = await Promise.all(
      keys.map(async (key) => {
        const type = await redis.type(key);
        if (type === 'string') return redis.get(key);
        if (type === 'hash') return JSON.stringify(await redis.hgetall(key));
        if (type === 'list') return JSON.stringify(await redis.lrange(key, 0, -1));
        if (type === 'stream') return JSON.stringify(await redis.xrange(key, '-', '+'));
        if (type === 'zset') return JSON.stringify(await redis.zrange(key, 0, -1));
        return '';
      }),
    );
    return values.join('\n');
  }
  const expectNoSecretIn = (what: string, text: string) => {
    for (const value of HIDDEN_VALUES)
      expect({ what, leaked: text.includes(value) ? value : null }).toEqual({ what, leaked: null });
  };

  it('--dry-run shows env names and annotation keys, and no value, in Slack, Redis or the logs', async () => {
    expect(await command('restart staging backend --dry-run')).toContain('Dry run');
    await slack.waitFor(() => (message()?.text ?? '').includes('Dry run: nothing'), 15_000);
    await waitUntilIdle(bot.warroom);

    const blocks = JSON.stringify(message()?.blocks);
    for (const name of [
      'DATABASE_URL',
      'OPENAI_API_KEY',
      'cost-center',
      'vault.example.com/role-token',
      '(value hidden)',
    ])
      expect(blocks).toContain(name);
    expect(blocks).toContain('autoscaling.knative.dev/maxScale\\": \\"10');
    expectNoSecretIn('the Slack message', JSON.stringify(slack.messages(CHANNEL)));
    expectNoSecretIn('Redis', await stored());
    expectNoSecretIn('the logs', bot.logs());

    // Google was asked to validate the real update, values and all.
    const sent = simulator.requests.filter((r) => r.method === 'PATCH');
    expect(sent).toHaveLength(1);
    expect(JSON.stringify(sent[0]?.body)).toContain(DB_PASSWORD);
  });

  it('a restart whose revision fails with a credential in its message reports it scrubbed', async () => {
    simulator.setScenario(
      withSecrets({
        rollout: {
          outcome: 'failed',
          readyAfterMs: 300,
          failureMessage: `Container called exit(1): could not connect to ${DSN}?sslmode=require password=${DB_PASSWORD}`,
        },
      }),
    );
    await command('restart staging backend');
    await slack.waitFor(() => /failed/.test(message()?.text ?? ''), 20_000);
    await waitUntilIdle(bot.warroom);

    const text = JSON.stringify(slack.messages(CHANNEL));
    expect(text).toContain('did not become ready');
    expect(text).toContain('postgres://app:[redacted]@10.20.0.3');
    expectNoSecretIn('the Slack message', text);
    expectNoSecretIn('Redis', await stored());
    expectNoSecretIn('the logs', bot.logs());
  });
});
