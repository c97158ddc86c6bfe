import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { INCIDENT_QUEUE } from '../../../src/incident/incident-queue';
import { CloudSimulator } from '../../../src/simulator/cloud-simulator';
import { BotQueues } from '../../support/bot-queues';
import { FakeSlack } from '../../support/fake-slack';
import { PrivateRedis } from '../../support/private-redis';
import { postSlashCommand, SLACK_TEST_IDS } from '../../support/slack-signing';
import { writeTestConfig } from '../../support/test-config';
import { BOT_TOKEN, SIGNING_SECRET } from '../../support/test-warroom';
import { waitForValue, waitUntil } from '../../support/wait-for';
import { botProcessEnv, WarroomProcess } from '../../support/warroom-process';

const ACK_TIMEOUT_MS = 8000;
const CONTACTS = `contacts:
  infra-oncall: { tier: primary, slack: [U0ONCALL] }
  gcp-support: { tier: secondary, slack: [U0SUPPORT] }
escalation: { ackTimeout: ${ACK_TIMEOUT_MS / 1000}s }`;

describe('an incident while Redis restarts under a running bot', () => {
  it('refuses commands while Redis is down, then recovers its data, its timer and its commands without a bot restart', async () => {
    const simulator = await CloudSimulator.start({ scenario: 'staging-outage' });
    const slack = await FakeSlack.start({ botToken: BOT_TOKEN });
    slack.addUser({ id: 'U0ONCALL', name: 'oncall' });
    slack.addUser({ id: 'U0SUPPORT', name: 'support' });
    const config = writeTestConfig(CONTACTS);
    let redis: PrivateRedis | undefined;
    let bot: WarroomProcess | undefined;
    try {
      redis = await PrivateRedis.start();
      const env = botProcessEnv({
        slackUrl: slack.url,
        configPath: config.path,
        emulatorHost: simulator.emulatorHost,
        redisUrl: redis.url,
      });
      bot = WarroomProcess.spawn(env, ['--role', 'all'], { entry: 'source' });
      const base = `http://127.0.0.1:${await bot.started()}`;
      const command = async (text: string, channel: string = SLACK_TEST_IDS.channelId) => {
        const response = await postSlashCommand(base, SIGNING_SECRET, {
          text,
          channel_id: channel,
          trigger_id: `${text}-${Date.now()}`,
        });
        expect(response.status).toBe(200);
        return { text: JSON.stringify(response.json), elapsedMs: response.elapsedMs };
      };
      const pagedUsers = () => slack.callsTo('conversations.open').map((c) => String(c.args.users));

      // An incident whose primary tier is paged: its ack-timeout timer is now a delayed job in Redis.
      expect((await command('open staging Redis restart drill')).text).toContain('Opening a');
      await slack.waitFor(() => pagedUsers().includes('U0ONCALL'), 15_000);
      const timerDueAt = await ackTimerDue(config.prefix, redis.url, 'primary');
      const created = slack.callsTo('conversations.create')[0];
      const channel = slack.channel(String(created?.args.name))?.id as string;
      expect((await command('note connector instances at 0 since 23:05', channel)).text).toContain('Noted');
      expect((await command('status investigating the connector', channel)).text).toContain('Status posted');
      await slack.waitFor(
        () => slack.messages(channel).some((m) => m.text.includes('investigating the connector')),
        10_000,
      );

      // Redis goes away (SIGTERM: the append-only file is flushed, as on a clean shutdown).
      await redis.stop();
      const refused = await command('status still down', channel);
      expect(refused.text).toContain('cannot reach its job queue');
      expect(refused.text).toContain('nothing changed');
      expect(refused.elapsedMs).toBeLessThan(3000);
      const notReady = await fetch(`${base}/readyz`);
      expect(notReady.status).toBe(503);

      // It stays down past the moment the ack timer is due: nothing can fire meanwhile. This waits on
      // the clock, as the outage must outlast the timer and Redis being down, nothing else happens.
      await waitUntil(() => Date.now() > timerDueAt, ACK_TIMEOUT_MS + 5000, 'the ack timer to be overdue');
      expect(pagedUsers()).not.toContain('U0SUPPORT');

      // Back on the same port, from its append-only file; the bot is not restarted.
      await redis.start();
      const restartedAt = Date.now();
      await waitUntil(
        async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200,
        15_000,
        '/readyz to answer 200 again',
      );
      expect(Date.now() - restartedAt).toBeLessThan(15_000);
      // One line when Redis went away and one when it came back, not one per retry: from the Slack
      // app, and from its worker process (its lines carry "worker").
      const lines = (what: string) => (bot?.output ?? '').split('\n').filter((line) => line.includes(what));
      const fromBoth = (what: string) => lines(what).map((line) => line.includes('"worker":1'));
      expect(fromBoth('Redis is unreachable').sort()).toEqual([false, true]);
      await waitUntil(() => lines('Redis is reachable again').length >= 2, 15_000, 'both processes back');
      expect(fromBoth('Redis is reachable again').sort()).toEqual([false, true]);

      // The overdue timer fires once Redis is back: the secondary tier is paged, by DM and in the channel.
      await slack.waitFor(() => pagedUsers().includes('U0SUPPORT'), 15_000);
      await slack.waitFor(
        () =>
          slack.messages(channel).some((m) => m.text.includes('secondary') && m.text.includes('U0SUPPORT')),
        10_000,
      );

      // The timeline survived, and the refused command left no trace.
      const timeline = (await command('timeline', channel)).text;
      expect(timeline).toContain('connector instances at 0 since 23:05');
      expect(timeline).toContain('investigating the connector');
      expect(timeline).toMatch(/[Ee]scalat/);
      expect(timeline).not.toContain('still down');

      // New commands work.
      expect((await command('status connector recreated', channel)).text).toContain('Status posted');
      await slack.waitFor(
        () => slack.messages(channel).some((m) => m.text.includes('connector recreated')),
        10_000,
      );
      expect(slack.messages(channel).some((m) => m.text.includes('still down'))).toBe(false);
      // Paged once each, whatever the outage did to the timer.
      expect(pagedUsers().filter((u) => u === 'U0SUPPORT')).toHaveLength(1);
      expect(pagedUsers().filter((u) => u === 'U0ONCALL')).toHaveLength(1);
    } finally {
      // SIGTERM: its worker process stops with it and closes the output pipes Jest waits on.
      bot?.kill('SIGTERM');
      await bot?.exited();
      await redis?.destroy();
      await slack.close();
      await simulator.close();
      rmSync(dirname(config.path), { recursive: true, force: true });
    }
  }, 60_000);
});

/** When the ack timer of `tier`, a delayed job in Redis, is due (ms since the epoch), once it is set. */
async function ackTimerDue(prefix: string, redisUrl: string, tier: string): Promise<number> {
  const queues = new BotQueues(prefix, redisUrl);
  try {
    const timer = await waitForValue(
      async () =>
        (await queues.jobs(INCIDENT_QUEUE, 'ack-timeout', ['delayed'])).find((job) => job.data.tier === tier),
      10_000,
      `the ack timer of the ${tier} tier to be set`,
    );
    return timer.timestamp + timer.delay;
  } finally {
    await queues.close();
  }
}
