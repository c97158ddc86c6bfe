import type { JobType } from 'bullmq';
import { INCIDENT_QUEUE } from '../../../src/incident/incident-queue';
import { BotQueues } from '../../support/bot-queues';
import { FakeSlack } from '../../support/fake-slack';
import { postEvent, postInteraction, postSlashCommand, SLACK_TEST_IDS } from '../../support/slack-signing';
import { writeTestConfig } from '../../support/test-config';
import {
  BOT_TOKEN,
  SIGNING_SECRET,
  startTestWarroom,
  type TestWarroom,
  waitUntilIdle,
} from '../../support/test-warroom';
import { waitForValue } from '../../support/wait-for';

const OPS = SLACK_TEST_IDS.channelId;
const OPENER = SLACK_TEST_IDS.userId;
const CONTACTS = `contacts:
  infra-oncall: { tier: primary, slack: [S0INFRA] }
  gcp-support: { tier: secondary, slack: [U0SUPPORT], note: "Open a P1 case" }
  leadership: { tier: executive, slack: [U0VP] }
escalation: { ackTimeout: 2s, executiveAfter: 4h }`;

describe('an incident from open to recap, through Slack', () => {
  let slack: FakeSlack;
  let bot: TestWarroom;
  let queues: BotQueues;

  beforeAll(async () => {
    slack = await FakeSlack.start({ botToken: BOT_TOKEN });
    slack.addUser({ id: 'U0ONCALL', name: 'oncall' });
    slack.addUser({ id: 'U0SUPPORT', name: 'support' });
    slack.addUser({ id: 'U0VP', name: 'vp' });
    slack.addUserGroup({ id: 'S0INFRA', handle: 'infra', users: ['U0ONCALL', 'U0GONE'] });
    bot = await startTestWarroom({ mode: 'http', slack, configExtra: CONTACTS });
    queues = new BotQueues(bot.testConfig.prefix);
  });
  afterAll(async () => {
    await bot.stop();
    await queues.close();
    await slack.close();
  });

  const command = (
    text: string,
    channel: string = OPS,
    user: string = OPENER,
    trigger = `${text}-${Date.now()}`,
  ) =>
    postSlashCommand(bot.baseUrl, SIGNING_SECRET, {
      text,
      channel_id: channel,
      user_id: user,
      trigger_id: trigger,
    });
  const replyOf = (r: Awaited<ReturnType<typeof command>>) => (r.json as { text: string }).text;

  it('opens, escalates when nobody acknowledges, stops on Acknowledge, changes phase and closes with a recap', async () => {
    const opened = await command('open staging "Every <!channel> endpoint answers 503 :fire:" --sev P1');
    expect(replyOf(opened)).toContain('Opening a P1 incident');

    // The channel, its members, topic, pinned header and the answer where it was typed.
    await slack.waitFor(() => slack.callsTo('pins.add').length === 1, 15_000);
    const created = slack.callsTo('conversations.create')[0];
    const name = String(created?.args.name);
    expect(name).toMatch(/^inc-\d{8}-every-endpoint-answers-503$/);
    const channel = slack.channel(name);
    expect(channel?.members).toEqual(expect.arrayContaining([OPENER, 'U0ONCALL']));
    expect(channel?.topic).toContain('P1 · staging');
    const incidentChannel = channel?.id as string;
    expect(slack.messages(OPS).some((m) => m.text.includes(`<#${incidentChannel}>`))).toBe(true);
    const header = slack.messages(incidentChannel)[0];
    expect(header?.pinned).toBe(true);
    // Markup typed into the title is shown, never sent as an @channel ping (header blocks are plain text).
    expect(header?.text).not.toContain('<!channel>');
    const mrkdwn = JSON.stringify(header?.blocks).match(/"type":"mrkdwn","text":"[^"]*"/g) ?? [];
    expect(mrkdwn.join()).not.toContain('<!channel>');

    // Primary paged by DM (one member of the group does not exist: recorded, not fatal).
    await slack.waitFor(
      () => slack.messages(incidentChannel).some((m) => m.text.includes('secondary')),
      15_000,
    );
    const timelineReply = replyOf(await command('timeline', incidentChannel));
    expect(timelineReply).toBeDefined();

    // Nobody acknowledged within 2 s: the secondary tier is paged, once.
    // The DM goes out on its own channel's queue, so it may land just after the channel mention.
    const secondaryDm = () =>
      slack
        .callsTo('chat.postMessage')
        .find(
          (c) =>
            String(c.args.channel).startsWith('D') && JSON.stringify(c.args.blocks).includes('secondary'),
        );
    await slack.waitFor(() => secondaryDm() !== undefined, 10_000);
    const dmChannel = secondaryDm();
    const supportDm = slack.callsTo('conversations.open').find((c) => c.args.users === 'U0SUPPORT');
    expect(supportDm).toBeDefined();
    const button = JSON.stringify(dmChannel?.args.blocks)
      .match(/"value":"(\{[^}]*\})"/)?.[1]
      ?.replace(/\\"/g, '"');
    expect(button).toBeDefined();

    // The Acknowledge button, clicked twice: one ack, escalation stops.
    const click = {
      type: 'block_actions',
      user: { id: 'U0SUPPORT', username: 'support', team_id: SLACK_TEST_IDS.teamId },
      team: { id: SLACK_TEST_IDS.teamId, domain: 'warroom-test' },
      api_app_id: SLACK_TEST_IDS.appId,
      token: 'legacy',
      container: { type: 'message', channel_id: String(dmChannel?.args.channel), message_ts: '1.1' },
      channel: { id: String(dmChannel?.args.channel), name: 'directmessage' },
      trigger_id: 'click-1',
      response_url: slack.responseUrl('ack-click'),
      actions: [
        { type: 'button', action_id: 'incident_ack', block_id: 'b', value: button, action_ts: '1.2' },
      ],
    };
    expect((await postInteraction(bot.baseUrl, SIGNING_SECRET, click)).status).toBe(200);
    expect(
      (await postInteraction(bot.baseUrl, SIGNING_SECRET, { ...click, trigger_id: 'click-2' })).status,
    ).toBe(200);
    await slack.waitFor(() => slack.responsesTo('ack-click').length >= 2, 10_000);
    expect(JSON.stringify(slack.responsesTo('ack-click')[0]?.body)).toContain('Acknowledged by <@U0SUPPORT>');
    // The secondary tier's ack timer fires after the ack and stands down; nothing else is in flight.
    expect(await ackTimersFired(queues, 'secondary')).toContain('acked');
    await waitUntilIdle(bot.warroom);
    expect(slack.callsTo('conversations.open').filter((c) => c.args.users === 'U0VP')).toHaveLength(0);

    // Someone who was not paged acknowledges: recorded as theirs.
    expect(replyOf(await command('ack', incidentChannel, 'U0ONCALL'))).toContain('Acknowledged');
    expect(replyOf(await command('ack', incidentChannel, OPENER))).toContain('You were not paged');

    // A 📌 on a message in the channel puts it on the timeline at its post time.
    const pinnedTs = slack.addMessage(incidentChannel, {
      text: 'connector instances at 0 since 23:05',
      user: 'U0ONCALL',
    });
    await postEvent(bot.baseUrl, SIGNING_SECRET, {
      type: 'event_callback',
      team_id: SLACK_TEST_IDS.teamId,
      api_app_id: SLACK_TEST_IDS.appId,
      event_id: 'Ev1',
      event_time: Math.floor(Date.now() / 1000),
      event: {
        type: 'reaction_added',
        user: OPENER,
        reaction: 'pushpin',
        item: { type: 'message', channel: incidentChannel, ts: pinnedTs },
        item_user: 'U0ONCALL',
        event_ts: '1.3',
      },
    });

    expect(replyOf(await command('phase restoration', incidentChannel))).toContain('restoration');
    expect(replyOf(await command('phase nowhere', incidentChannel))).toContain('Name one phase');
    expect(replyOf(await command('status Connector recreated', incidentChannel))).toContain('Status posted');
    expect(replyOf(await command('close Connector recreated', incidentChannel))).toContain('Closed');
    // The router answers for a closed incident before the command runs.
    expect(replyOf(await command('close again', incidentChannel))).toMatch(
      /was closed .*nothing was changed/,
    );

    await slack.waitFor(
      () => slack.messages(incidentChannel).some((m) => m.text.startsWith('Recap')),
      15_000,
    );
    const recap = JSON.stringify(
      slack.messages(incidentChannel).find((m) => m.text.startsWith('Recap'))?.blocks,
    );
    expect(recap).toContain('*diagnostic*');
    expect(recap).toContain('*restoration*');
    expect(recap).toContain('secondary');
    expect(recap).toContain('U0SUPPORT');
    expect(recap).toContain('<!date^');

    const contacts = replyOf(await command('contacts', incidentChannel));
    expect(contacts).toBeDefined();
    // One ack despite two clicks, and the group member Slack does not know was recorded as a failed page.
    const timeline = await timelineOf(bot, incidentChannel);
    expect(timeline.filter((e) => e.kind === 'ack' && e.data.user === 'U0SUPPORT')).toHaveLength(1);
    expect(timeline.find((e) => e.kind === 'ack' && e.data.user === OPENER)?.data.paged).toBe(false);
    const pin = timeline.find((e) => e.kind === 'pin');
    expect(pin?.text).toBe('connector instances at 0 since 23:05');
    expect(pin?.at).toBe(new Date(Number(pinnedTs) * 1000).toISOString());
    expect(timeline.filter((e) => e.kind === 'escalation')).toHaveLength(1);
    expect(timeline.some((e) => e.kind === 'page-failed' && e.data.user === 'U0GONE')).toBe(true);
  }, 60_000);

  it('points to /incident open when an incident command is typed elsewhere', async () => {
    expect(replyOf(await command('status all good'))).toContain('/incident open <env> <title>');
  });
});

describe('an incident across a restart of the bot', () => {
  it('loses nothing, and the pending escalation fires exactly once after the restart', async () => {
    const slack = await FakeSlack.start({ botToken: BOT_TOKEN });
    slack.addUser({ id: 'U0ONCALL', name: 'oncall' });
    slack.addUser({ id: 'U0SUPPORT', name: 'support' });
    // One config, so one Redis prefix, for both lives of the bot.
    const testConfig = writeTestConfig(CONTACTS.replace('ackTimeout: 2s', 'ackTimeout: 4s'));
    const first = await startTestWarroom({ mode: 'http', slack, testConfig });
    let firstRunning = true;
    let second: TestWarroom | undefined;
    const queues = new BotQueues(testConfig.prefix);
    try {
      await postSlashCommand(first.baseUrl, SIGNING_SECRET, {
        text: 'open staging Restart drill',
        trigger_id: 'restart-open',
      });
      await slack.waitFor(() => slack.callsTo('pins.add').length === 1, 15_000);
      const incidentChannel = slack
        .callsTo('conversations.create')
        .map((c) => String(c.args.name))[0] as string;
      const channelId = slack.channel(incidentChannel)?.id as string;
      await postSlashCommand(first.baseUrl, SIGNING_SECRET, {
        text: 'note before the restart',
        channel_id: channelId,
        trigger_id: 'restart-note',
      });
      await first.stop();
      firstRunning = false;

      second = await startTestWarroom({ mode: 'http', slack, testConfig });
      await slack.waitFor(
        () => slack.callsTo('conversations.open').some((c) => c.args.users === 'U0SUPPORT'),
        20_000,
      );
      // Every timer of the primary tier has fired, whichever life of the bot set it, and what they
      // started is done: a second escalation from primary could only come from one of them.
      await ackTimersFired(queues, 'primary');
      await waitUntilIdle(second.warroom);
      const timeline = await timelineOf(second, channelId);
      expect(timeline.some((e) => e.kind === 'note' && e.text === 'before the restart')).toBe(true);
      // Exactly one escalation away from primary (secondary, unanswered too, escalates on in turn).
      expect(timeline.filter((e) => e.kind === 'escalation' && e.data.from === 'primary')).toHaveLength(1);
      expect(slack.callsTo('conversations.open').filter((c) => c.args.users === 'U0SUPPORT')).toHaveLength(1);
    } finally {
      if (firstRunning) await first.stop();
      await second?.stop();
      await queues.close();
      await testConfig.cleanup();
      await slack.close();
    }
  }, 60_000);
});

/**
 * Waits until the ack timers of `tier` have all fired (none is left to fire, one at least ran) and
 * returns what each decided: `acked`, `escalated to secondary`, …
 */
async function ackTimersFired(queues: BotQueues, tier: string): Promise<unknown[]> {
  const timers = async (states: JobType[]) =>
    (await queues.jobs(INCIDENT_QUEUE, 'ack-timeout', states)).filter((job) => job.data.tier === tier);
  const fired = await waitForValue(
    async () => {
      const done = await timers(['completed']);
      const pending = await timers(['waiting', 'active', 'delayed', 'prioritized']);
      return done.length > 0 && pending.length === 0 ? done : undefined;
    },
    20_000,
    `the ack timers of the ${tier} tier to fire`,
  );
  return fired.map((job) => job.returnvalue);
}

async function timelineOf(bot: TestWarroom, channel: string) {
  const desk = bot.warroom.commands.services.incidents;
  const incident = await desk.forChannel(channel);
  if (!incident) throw new Error(`no incident in ${channel}`);
  const { entries, total } = await desk.timelineSlice(incident, { first: 0, count: 100 });
  if (total > entries.length)
    throw new Error(`the timeline of ${incident.id} has ${total} entries: read them all`);
  return entries;
}
