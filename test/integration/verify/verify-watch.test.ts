import { CloudSimulator } from '../../../src/simulator/cloud-simulator';
import { VERIFY_QUEUE } from '../../../src/verify/verify-queue';
import { BotQueues } from '../../support/bot-queues';
import { FakeSlack } from '../../support/fake-slack';
import { postSlashCommand, SLACK_TEST_IDS } from '../../support/slack-signing';
import { writeTestConfig } from '../../support/test-config';
import {
  BOT_TOKEN,
  SIGNING_SECRET,
  startTestWarroom,
  type TestWarroom,
  waitUntilIdle,
} from '../../support/test-warroom';
import { waitUntil } from '../../support/wait-for';

const OPS = SLACK_TEST_IDS.channelId;
const ONCALL = 'U0ONCALL';
const WATCH_EVERY_MS = 600;
// The bot reads the DSN from the environment it is started with, as in production.
const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** Health URLs answered by the simulator, the local PostgreSQL as the database, primary on call. */
function setup(simulator: CloudSimulator) {
  const health = (name: string) =>
    `{ name: ${name}, url: "http://${simulator.emulatorHost}/sim/health/${name}" }`;
  return {
    environmentExtra: [
      `healthChecks: [${['backend', 'auth', 'ai'].map(health).join(', ')}]`,
      'database: { urlEnv: STAGING_DATABASE_URL }',
    ],
    configExtra: `contacts:\n  infra-oncall: { tier: primary, slack: [${ONCALL}] }`,
  };
}

/** Resolves once no watch is running: every watch's scheduler has been removed. */
function watchesEnded(queues: BotQueues): Promise<void> {
  return waitUntil(
    async () => (await queues.queue(VERIFY_QUEUE).getJobSchedulersCount()) === 0,
    10_000,
    'every watch to remove its scheduler',
  );
}

describe('/incident verify and --watch, through Slack', () => {
  let simulator: CloudSimulator;
  let slack: FakeSlack;
  let bot: TestWarroom;
  let queues: BotQueues;

  beforeAll(async () => {
    simulator = await CloudSimulator.start({ scenario: 'healthy' });
    slack = await FakeSlack.start({ botToken: BOT_TOKEN });
    slack.addUser({ id: ONCALL, name: 'oncall' });
    const { environmentExtra, configExtra } = setup(simulator);
    bot = await startTestWarroom({
      mode: 'http',
      slack,
      environmentExtra,
      configExtra,
      env: { GCP_EMULATOR_HOST: simulator.emulatorHost, STAGING_DATABASE_URL: DATABASE_URL },
      watchEveryMs: WATCH_EVERY_MS,
    });
    queues = new BotQueues(bot.testConfig.prefix);
  });
  afterAll(async () => {
    await bot.stop();
    await queues.close();
    await slack.close();
    await simulator.close();
  });

  let n = 0;
  const command = async (text: string, channel: string = OPS, user = 'U0RESP') => {
    const response = await postSlashCommand(bot.baseUrl, SIGNING_SECRET, {
      text,
      channel_id: channel,
      user_id: user,
      trigger_id: `verify-${++n}-${Date.now()}`,
    });
    expect(response.status).toBe(200);
    return (response.json as { text: string }).text;
  };
  const openIncident = async () => {
    const before = slack.callsTo('conversations.create').length;
    await command(`open staging "Staging 503s ${n}" --sev P1`);
    await slack.waitFor(() => slack.callsTo('conversations.create').length > before, 15_000);
    const created = slack.callsTo('conversations.create')[before];
    const id = slack.channel(String(created?.args.name))?.id as string;
    // Wait until the opening page to the primary tier is out, so later pages can be counted.
    await slack.waitFor(() => slack.callsTo('conversations.open').length > 0, 15_000);
    return id;
  };

  it('passes every criterion on a healthy staging, with the figures beside the targets', async () => {
    simulator.setScenario('healthy');
    expect(await command('verify staging')).toContain('Verifying *staging*');
    const result = () => slack.messages(OPS).find((m) => m.text.includes('criteri'));
    await slack.waitFor(() => result() !== undefined && !result()?.text.includes('Verifying'), 20_000);
    const message = result();
    expect(message?.text).toMatch(/health: pass/);
    expect(message?.text).toMatch(/database: pass/);
    expect(message?.text).toMatch(/cloud-run: pass/);
    expect(message?.text).toMatch(/steps: not checked/);
  });

  it('fails honestly during the outage: 503s and services not ready', async () => {
    simulator.setScenario('staging-outage');
    slack.reset({ workspace: false });
    await command('verify staging');
    const result = () => slack.messages(OPS).find((m) => /staging fails/.test(m.text));
    await slack.waitFor(() => result() !== undefined, 20_000);
    expect(result()?.text).toMatch(/health: fail/);
    expect(result()?.text).toMatch(/cloud-run: fail/);
    expect(result()?.text).toMatch(/database: pass/);
  });

  it('a watch on a failing staging pages the primary tier once and ends with the failures and their times', async () => {
    simulator.setScenario('staging-outage');
    const channel = await openIncident();
    const dmsBefore = slack.callsTo('conversations.open').length;
    const reply = await command('verify staging --watch 2s', channel);
    expect(reply).toContain('Watching *staging* for 2s');
    expect(reply).toContain('Checks health (3 URLs)');
    const watchMessage = () => slack.messages(channel).find((m) => m.text.includes('Watch of staging'));
    await slack.waitFor(() => watchMessage() !== undefined, 30_000);
    expect(watchMessage()?.text).toContain('failed');
    const blocks = JSON.stringify(watchMessage()?.blocks);
    expect(blocks.match(/large_red_square/g)?.length).toBe(Math.floor(2000 / WATCH_EVERY_MS) + 1);
    expect(blocks).toContain('primary paged');
    // Paged once for the first failure, not once per failing verification. The watch has ended (its
    // scheduler is gone) and what its ticks started is done, so no later page can come.
    await watchesEnded(queues);
    await waitUntilIdle(bot.warroom);
    expect(slack.callsTo('conversations.open').length - dmsBefore).toBe(1);
    const pages = slack.messages(channel).filter((m) => m.text.includes('verification failed'));
    expect(pages).toHaveLength(1);
  });

  it('a watch on a healthy staging ends with "continuous operation without errors"', async () => {
    simulator.setScenario('healthy');
    const channel = await openIncident();
    await command('verify staging --watch 2s', channel);
    const done = () => slack.messages(channel).find((m) => m.text.includes('Watch of staging'));
    await slack.waitFor(() => done() !== undefined, 30_000);
    expect(done()?.text).toContain('2s of continuous operation without errors: 4/4 verifications passed');
  });

  it('refuses a watch outside an incident channel, or shorter than two verifications', async () => {
    expect(await command('verify staging --watch 30m')).toContain('start it in an open incident');
    const channel = await openIncident();
    expect(await command('verify staging --watch 1s', channel)).toContain('needs at least');
    expect(await command('verify staging --watch soon', channel)).toContain('--watch takes a duration');
  });

  it('stops when the incident closes', async () => {
    simulator.setScenario('healthy');
    const channel = await openIncident();
    await command('verify staging --watch 1m', channel);
    await slack.waitFor(() => JSON.stringify(slack.messages(channel)).includes('large_green_square'), 20_000);
    await command('close fixed', channel);
    const stopped = () => slack.messages(channel).find((m) => m.text.includes('Watch of staging stopped'));
    await slack.waitFor(() => stopped() !== undefined, 20_000);
    expect(stopped()?.text).toContain('the incident closed');
  });
});

describe('a watch across a restart of the bot', () => {
  it('carries on after the bot comes back: the scheduler lives in Redis', async () => {
    const simulator = await CloudSimulator.start({ scenario: 'healthy' });
    const slack = await FakeSlack.start({ botToken: BOT_TOKEN });
    slack.addUser({ id: ONCALL, name: 'oncall' });
    const { environmentExtra, configExtra } = setup(simulator);
    const testConfig = writeTestConfig(configExtra, environmentExtra);
    const options = {
      mode: 'http' as const,
      slack,
      testConfig,
      env: { GCP_EMULATOR_HOST: simulator.emulatorHost, STAGING_DATABASE_URL: DATABASE_URL },
      watchEveryMs: WATCH_EVERY_MS,
    };
    let bot = await startTestWarroom(options);
    const queues = new BotQueues(testConfig.prefix);
    try {
      const post = (text: string, channel: string) =>
        postSlashCommand(bot.baseUrl, SIGNING_SECRET, {
          text,
          channel_id: channel,
          trigger_id: `${text}-${Date.now()}`,
        });
      await post('open staging "Staging 503s" --sev P1', OPS);
      await slack.waitFor(() => slack.callsTo('conversations.create').length > 0, 15_000);
      const channel = slack.channel(String(slack.callsTo('conversations.create')[0]?.args.name))
        ?.id as string;
      await post('verify staging --watch 4s', channel);
      await slack.waitFor(
        () => JSON.stringify(slack.messages(channel)).includes('large_green_square'),
        20_000,
      );
      await bot.stop();
      // The scheduler stays in Redis; the bot comes back once its next verification is due, to a
      // watch that is behind.
      const [scheduler] = await queues.queue(VERIFY_QUEUE).getJobSchedulers();
      const next = scheduler?.next;
      if (next === undefined) throw new Error('the watch has no scheduler left in Redis');
      await waitUntil(() => Date.now() > next, WATCH_EVERY_MS * 5, 'the next verification to be due');
      bot = await startTestWarroom(options);
      const done = () => slack.messages(channel).find((m) => m.text.includes('Watch of staging'));
      await slack.waitFor(() => done() !== undefined, 30_000);
      expect(done()?.text).toContain('of continuous operation without errors');
      expect(done()?.text).toMatch(/(\d+)\/\1 verifications passed/);
    } finally {
      await bot.stop();
      await queues.close();
      await slack.close();
      await simulator.close();
      await testConfig.cleanup();
    }
  }, 90_000);
});
