import { CloudSimulator } from '../../../src/simulator/cloud-simulator';
import { loadScenario } from '../../../src/simulator/load-scenario';
import { FakeSlack } from '../../support/fake-slack';
import { SENTINEL_NAME, SentinelServers } from '../../support/redis-sentinel';
import { postSlashCommand, SLACK_TEST_IDS } from '../../support/slack-signing';
import { BOT_TOKEN, SIGNING_SECRET, startTestWarroom, type TestWarroom } from '../../support/test-warroom';

const OPS = SLACK_TEST_IDS.channelId;
const RESPONDER = SLACK_TEST_IDS.userId;

/**
 * REDIS_SENTINELS: a primary, a replica and three sentinels, and SENTINEL FAILOVER while Warroom
 * works: a diagnosis in flight finishes on the new primary.
 */
describe('Warroom behind Redis Sentinel, through a failover', () => {
  let servers: SentinelServers;
  let simulator: CloudSimulator;
  let slack: FakeSlack;
  let bot: TestWarroom;
  let trigger = 0;

  beforeAll(async () => {
    servers = await SentinelServers.start();
    const healthy = loadScenario('healthy');
    // Slow answers keep a diagnosis in flight for a few seconds: long enough to fail over under it.
    simulator = await CloudSimulator.start({
      scenario: { ...healthy, faults: { ...healthy.faults, latencyMs: [1500, 2500] } },
    });
    slack = await FakeSlack.start({ botToken: BOT_TOKEN });
    bot = await startTestWarroom({
      mode: 'http',
      slack,
      env: {
        REDIS_URL: '',
        REDIS_SENTINELS: servers.sentinelsVariable,
        REDIS_SENTINEL_NAME: SENTINEL_NAME,
        GCP_EMULATOR_HOST: simulator.emulatorHost,
      },
    });
  }, 60_000);
  afterAll(async () => {
    if (process.env.SENTINEL_TEST_LOG)
      require('node:fs').writeFileSync(process.env.SENTINEL_TEST_LOG, bot.logs());
    await bot?.stop();
    await slack?.close();
    await simulator?.close();
    await servers?.stop();
  });

  const command = async (text: string, channel: string = OPS) => {
    const response = await postSlashCommand(bot.baseUrl, SIGNING_SECRET, {
      text,
      channel_id: channel,
      user_id: RESPONDER,
      trigger_id: `sentinel-${++trigger}-${Date.now()}`,
    });
    // The text, and the blocks where a long reply (the timeline) puts its lines.
    return { status: response.status, text: JSON.stringify(response.json ?? '') };
  };

  it('finishes a diagnosis in flight when the primary fails over, its message ending on the verdict', async () => {
    expect((await command('diag staging')).status).toBe(200);
    await slack.waitFor(
      () => slack.messages(OPS).some((m) => m.text.includes('Diagnosis of staging')),
      10_000,
    );
    const { from, to } = await servers.failover();
    expect(to).not.toBe(from);
    await slack.waitFor(
      () => slack.messages(OPS).some((m) => m.text.includes('verdict: no-fault-found')),
      40_000,
    );
  }, 60_000);
});
