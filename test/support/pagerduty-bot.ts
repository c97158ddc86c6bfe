import type { Incident, TimelineEntry } from '../../src/incident/incident';
import type { PagerDutyEvents } from '../../src/pagerduty/pagerduty-events';
import { HttpPagerDutyEvents } from '../../src/pagerduty/pagerduty-events';
import { PagerDutyStandIn, type ReceivedEvent } from '../../src/simulator/pagerduty-stand-in';
import { FakeSlack } from './fake-slack';
import { postSlashCommand, SLACK_TEST_IDS } from './slack-signing';
import { BOT_TOKEN, SIGNING_SECRET, startTestWarroom, type TestWarroom } from './test-warroom';
import { waitForValue } from './wait-for';

export const INFRA_KEY = 'e93facc04764012d7bfb002500d5d1a6';
export const SUPPORT_KEY = '0c4f1d7a9b2e48f6a3d5c7e9f1b3d5a7';
export const WEBHOOK_SECRET = 'pd-webhook-secret-7b1e0c94a2f3';

/** Primary reached by Slack and PagerDuty, secondary by PagerDuty alone. */
export const PAGERDUTY_CONTACTS = (ackTimeout: string) => `contacts:
  infra-oncall: { tier: primary, slack: [U0ONCALL], pagerduty: { routingKeyEnv: INFRA_PD_ROUTING_KEY } }
  gcp-support: { tier: secondary, pagerduty: { routingKeyEnv: SUPPORT_PD_ROUTING_KEY } }
escalation: { ackTimeout: ${ackTimeout}, executiveAfter: 4h }`;

/** The bot in HTTP mode with a fake Slack and a PagerDuty stand-in on loopback, and what tests ask of them. */
export class PagerDutyBot {
  private constructor(
    readonly bot: TestWarroom,
    readonly slack: FakeSlack,
    readonly pagerDuty: PagerDutyStandIn,
  ) {}

  static async start(options: {
    ackTimeout: string;
    wrapEvents?: (events: PagerDutyEvents) => PagerDutyEvents;
    env?: Record<string, string>;
  }): Promise<PagerDutyBot> {
    const slack = await FakeSlack.start({ botToken: BOT_TOKEN });
    slack.addUser({ id: 'U0ONCALL', name: 'oncall' });
    const pagerDuty = await PagerDutyStandIn.start();
    const http = new HttpPagerDutyEvents(pagerDuty.url);
    const bot = await startTestWarroom({
      mode: 'http',
      slack,
      configExtra: PAGERDUTY_CONTACTS(options.ackTimeout),
      pagerDutyEvents: options.wrapEvents ? options.wrapEvents(http) : http,
      env: { INFRA_PD_ROUTING_KEY: INFRA_KEY, SUPPORT_PD_ROUTING_KEY: SUPPORT_KEY, ...options.env },
    });
    return new PagerDutyBot(bot, slack, pagerDuty);
  }

  async stop(): Promise<void> {
    await this.bot.stop();
    await this.pagerDuty.close();
    await this.slack.close();
  }

  command(text: string, channel: string = SLACK_TEST_IDS.channelId, user: string = SLACK_TEST_IDS.userId) {
    return postSlashCommand(this.bot.baseUrl, SIGNING_SECRET, {
      text,
      channel_id: channel,
      user_id: user,
      trigger_id: `${text}-${Math.random()}`,
    });
  }

  get desk() {
    return this.bot.warroom.commands.services.incidents;
  }

  /** Opens an incident titled `title` (one word, unique) and returns it once its channel exists. */
  async open(title: string, severity = 'P1'): Promise<Incident> {
    await this.command(`open staging "${title}" --sev ${severity}`);
    const channel = await waitForValue(
      () => {
        const created = this.slack
          .callsTo('conversations.create')
          .find((c) => String(c.args.name).endsWith(title));
        return created ? this.slack.channel(String(created.args.name))?.id : undefined;
      },
      15_000,
      `the channel of ${title}`,
    );
    return waitForValue(() => this.desk.forChannel(channel), 15_000, `the incident of ${title}`);
  }

  /** What the stand-in received for `key` (and `action`), in order. */
  eventsFor(key: string, action?: string): ReceivedEvent[] {
    return this.pagerDuty
      .events()
      .filter((e) => e.body.dedup_key === key && (!action || e.body.event_action === action));
  }

  async timeline(incident: Incident): Promise<TimelineEntry[]> {
    return (await this.desk.timelineSlice(incident, { first: 0, count: 100 })).entries;
  }

  /** The channel message paging `tier`. */
  pageMessage(incident: Incident, tier = 'primary') {
    return this.slack.messages(incident.channelId).find((m) => m.text.startsWith(`Paging *${tier}*`));
  }
}

export const dedupKey = (incident: Incident, contact: string) => `warroom-${incident.id}-${contact}`;
