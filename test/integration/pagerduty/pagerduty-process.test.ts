import { pagerDutySignature } from '../../../src/pagerduty/webhook-signature';
import { PagerDutyStandIn } from '../../../src/simulator/pagerduty-stand-in';
import { pagerDutyWebhookBody } from '../../../src/simulator/pagerduty-webhooks';
import { FakeSlack } from '../../support/fake-slack';
import { INFRA_KEY, PAGERDUTY_CONTACTS, SUPPORT_KEY, WEBHOOK_SECRET } from '../../support/pagerduty-bot';
import { postSlashCommand } from '../../support/slack-signing';
import { writeTestConfig } from '../../support/test-config';
import { BOT_TOKEN, SIGNING_SECRET } from '../../support/test-warroom';
import { waitForValue, waitUntil } from '../../support/wait-for';
import { botProcessEnv, WarroomProcess } from '../../support/warroom-process';

describe('PagerDuty both ways, with the bot as its own process', () => {
  it('triggers at open, stops escalating on an ack in PagerDuty, refuses a forged webhook, resolves at close', async () => {
    const slack = await FakeSlack.start({ botToken: BOT_TOKEN });
    slack.addUser({ id: 'U0ONCALL', name: 'oncall' });
    const pagerDuty = await PagerDutyStandIn.start();
    const config = writeTestConfig(PAGERDUTY_CONTACTS('2s'));
    const bot = WarroomProcess.spawn(
      {
        ...botProcessEnv({ slackUrl: slack.url, configPath: config.path }),
        PAGERDUTY_EVENTS_URL: pagerDuty.url,
        PAGERDUTY_WEBHOOK_SECRET: WEBHOOK_SECRET,
        INFRA_PD_ROUTING_KEY: INFRA_KEY,
        SUPPORT_PD_ROUTING_KEY: SUPPORT_KEY,
      },
      [],
      { entry: 'source' },
    );
    try {
      const base = `http://127.0.0.1:${await bot.started(30_000)}`;
      const opened = await postSlashCommand(base, SIGNING_SECRET, {
        text: 'open staging "pdprocess" --sev P0',
        trigger_id: 'open-pdprocess',
      });
      expect(opened.status).toBe(200);
      const trigger = await waitForValue(() => pagerDuty.accepted('trigger')[0], 20_000, 'a trigger');
      const key = String(trigger.dedup_key);
      expect(key).toMatch(/^warroom-inc-[a-z0-9]+-infra-oncall$/);
      expect(trigger.payload).toMatchObject({ severity: 'critical', source: 'warroom/staging' });

      const hook = (body: string, signature: string) =>
        fetch(`${base}/webhooks/pagerduty`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-pagerduty-signature': signature },
          body,
        });
      const ack = pagerDutyWebhookBody({
        eventType: 'incident.acknowledged',
        incidentKey: key,
        agentName: 'Jane Doe',
      });
      expect((await hook(ack, pagerDutySignature(ack, 'forged-secret'))).status).toBe(401);
      expect((await hook(ack, pagerDutySignature(ack, 'rotated-out', WEBHOOK_SECRET))).status).toBe(202);

      const channel = slack.channel(String(slack.callsTo('conversations.create')[0]?.args.name))
        ?.id as string;
      await slack.waitFor(
        () =>
          slack.messages(channel).some((m) => m.text.startsWith('Jane Doe acknowledged the *primary* page')),
        15_000,
      );
      // Past the 2 s ack timeout, the secondary contact was never triggered.
      await new Promise((r) => setTimeout(r, 3500));
      expect(pagerDuty.events().filter((e) => String(e.body.dedup_key).endsWith('gcp-support'))).toHaveLength(
        0,
      );

      await postSlashCommand(base, SIGNING_SECRET, {
        text: 'close fixed',
        channel_id: channel,
        trigger_id: 'close',
      });
      await waitUntil(
        () => pagerDuty.accepted('resolve').some((e) => e.dedup_key === key),
        20_000,
        'a resolve',
      );
      expect(bot.output).not.toContain(INFRA_KEY);
      expect(bot.output).not.toContain(WEBHOOK_SECRET);
    } finally {
      bot.kill('SIGTERM');
      await bot.exited();
      await pagerDuty.close();
      await slack.close();
      await config.cleanup();
    }
  }, 90_000);
});
