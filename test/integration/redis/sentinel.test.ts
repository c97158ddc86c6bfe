import IORedis from 'ioredis';
import type { TimelineEntry } from '../../../src/incident/incident';
import { RedisIncidentStore } from '../../../src/incident/redis-incident-store';
import { KeyPrefix } from '../../../src/queue/key-prefix';
import { CloudSimulator } from '../../../src/simulator/cloud-simulator';
import { loadScenario } from '../../../src/simulator/load-scenario';
import { FakeSlack } from '../../support/fake-slack';
import { SENTINEL_NAME, SentinelServers } from '../../support/redis-sentinel';
import { postSlashCommand, SLACK_TEST_IDS } from '../../support/slack-signing';
import { BOT_TOKEN, SIGNING_SECRET, startTestWarroom, type TestWarroom } from '../../support/test-warroom';

const OPS = SLACK_TEST_IDS.channelId;
const RESPONDER = SLACK_TEST_IDS.userId;
const ONCALL = 'U0ONCALL';
const SECONDARY = 'U0GOOGLE';
const ACK_TIMEOUT_S = 5;

/**
 * A note's three honest replies: done, which Warroom stands behind; maybe not recorded (no replica
 * confirmed it, or the connection dropped under it); and refused before anything was written.
 */
const NOTED = ':memo: Noted on the timeline.';
const MAY_BE_LOST = /may not have been recorded.*\/incident timeline/s;
const NOT_STARTED = /was not started and nothing changed/;

/**
 * REDIS_SENTINELS: a primary, a replica and three sentinels, and SENTINEL FAILOVER while Warroom
 * works. Each failover waits for the replica's link first, as a sentinel only promotes a linked
 * replica; the three go back and forth between the two servers.
 */
describe('Warroom behind Redis Sentinel, through failovers', () => {
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
    for (const id of [ONCALL, SECONDARY]) slack.addUser({ id, name: id.toLowerCase() });
    bot = await startTestWarroom({
      mode: 'http',
      slack,
      configExtra: [
        `contacts:\n  infra: { tier: primary, slack: [${ONCALL}] }\n  google: { tier: secondary, slack: [${SECONDARY}] }`,
        `escalation: { ackTimeout: ${ACK_TIMEOUT_S}s }`,
      ].join('\n'),
      env: {
        REDIS_URL: '',
        REDIS_SENTINELS: servers.sentinelsVariable,
        REDIS_SENTINEL_NAME: SENTINEL_NAME,
        GCP_EMULATOR_HOST: simulator.emulatorHost,
      },
    });
  }, 60_000);
  afterAll(async () => {
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
    return { status: response.status, text: String((response.json as { text?: string } | undefined)?.text) };
  };
  const failover = async () => {
    await servers.replicaLinked();
    const moved = await servers.failover();
    expect(moved.to).not.toBe(moved.from);
    return moved;
  };
  /** Warroom's pages (a DM with the Acknowledge button) to `user`. */
  const pagesTo = (user: string) =>
    slack
      .callsTo('chat.postMessage')
      .filter(
        (c) =>
          String(c.args.channel).startsWith('D') &&
          slack.channel(String(c.args.channel))?.members.includes(user) &&
          JSON.stringify(c.args.blocks).includes('incident_ack'),
      );
  const timeline = async (channel: string): Promise<TimelineEntry[]> => {
    const primary = new IORedis(await servers.primaryPort(), '127.0.0.1', { maxRetriesPerRequest: 1 });
    try {
      const store = new RedisIncidentStore(primary, KeyPrefix.of(bot.testConfig.prefix), {
        onWarning: () => {},
      });
      const incident = await store.getByChannel(channel);
      if (!incident) throw new Error(`no incident for ${channel}`);
      return await store.timelineByTime(incident.id);
    } finally {
      primary.disconnect();
    }
  };

  it('finishes a diagnosis in flight when the primary fails over, its message ending on the verdict', async () => {
    expect((await command('diag staging')).status).toBe(200);
    await slack.waitFor(
      () => slack.messages(OPS).some((m) => m.text.includes('Diagnosis of staging')),
      10_000,
    );
    await failover();
    await slack.waitFor(
      () => slack.messages(OPS).some((m) => m.text.includes('verdict: no-fault-found')),
      40_000,
    );
  }, 60_000);

  let incidentChannel = '';

  it('pages the next tier when an ack timeout set before a failover runs out after it', async () => {
    await servers.replicaLinked();
    const opened = await command('open staging "Checkout answers 503" --sev P2');
    expect(opened.text).toContain('Opening a P2 incident');
    await slack.waitFor(() => pagesTo(ONCALL).length === 1, 15_000);
    const pagedAt = pagesTo(ONCALL)[0]?.at ?? 0;
    await slack.waitFor(() => slack.callsTo('pins.add').length === 1, 15_000);
    incidentChannel = String(slack.callsTo('pins.add')[0]?.args.channel);
    await failover();
    const switched = Date.now();
    expect(switched).toBeLessThan(pagedAt + ACK_TIMEOUT_S * 1000);
    await slack.waitFor(() => pagesTo(SECONDARY).length > 0, 20_000);
    expect(pagesTo(SECONDARY)[0]?.at).toBeGreaterThanOrEqual(switched);
    const kinds = (await timeline(incidentChannel)).map((e) => e.kind);
    expect(kinds).toContain('escalation');
  }, 60_000);

  it('stands behind every note it confirmed across a failover, and says so of the others', async () => {
    expect(incidentChannel).toMatch(/^C/);
    await servers.replicaLinked();
    const replies: { text: string; reply: string }[] = [];
    let sending = true;
    const sender = (async () => {
      for (let i = 0; sending; i++) {
        const text = `note ${i} during the switch`;
        replies.push({ text, reply: (await command(`note ${text}`, incidentChannel)).text });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await failover();
    // Past the old primary's demotion and resync, when what it alone held is gone.
    await servers.replicaLinked();
    await new Promise((resolve) => setTimeout(resolve, 300));
    sending = false;
    await sender;
    expect(
      replies.filter((r) => r.reply !== NOTED && !MAY_BE_LOST.test(r.reply) && !NOT_STARTED.test(r.reply)),
    ).toEqual([]);
    const onTimeline = new Set((await timeline(incidentChannel)).map((e) => e.text));
    const confirmed = replies.filter((r) => r.reply === NOTED);
    expect(confirmed.length).toBeGreaterThan(10);
    expect(confirmed.filter((r) => !onTimeline.has(r.text))).toEqual([]);
    expect(replies.filter((r) => NOT_STARTED.test(r.reply) && onTimeline.has(r.text))).toEqual([]);
  }, 60_000);
});
