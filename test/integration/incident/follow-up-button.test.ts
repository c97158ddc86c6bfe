import { FakeSlack } from '../../support/fake-slack';
import { postInteraction, postSlashCommand, SLACK_TEST_IDS } from '../../support/slack-signing';
import {
  BOT_TOKEN,
  SIGNING_SECRET,
  startTestWarroom,
  type TestWarroom,
  waitUntilIdle,
} from '../../support/test-warroom';

describe('the recap’s Add button on a suggested follow-up, through Slack', () => {
  let slack: FakeSlack;
  let bot: TestWarroom;
  beforeAll(async () => {
    slack = await FakeSlack.start({ botToken: BOT_TOKEN });
    // A diagnostic phase of one second: the close finds it over budget, and the recap suggests a runbook.
    bot = await startTestWarroom({
      mode: 'http',
      slack,
      configExtra: 'phases: { diagnostic: 1s, restoration: 1h }',
    });
  });
  afterAll(async () => {
    await bot.stop();
    await slack.close();
  });

  it('records the suggestion as a follow-up once, however many times it is clicked', async () => {
    let seq = 0;
    const command = (text: string, channel: string) =>
      postSlashCommand(bot.baseUrl, SIGNING_SECRET, { text, channel_id: channel, trigger_id: `b-${++seq}` });
    await command('open staging Button drill', SLACK_TEST_IDS.channelId);
    await slack.waitFor(() => slack.callsTo('pins.add').length === 1, 15_000);
    const channel = slack.channel(String(slack.callsTo('conversations.create')[0]?.args.name))?.id as string;
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await command('close drill over', channel);
    await slack.waitFor(() => slack.messages(channel).some((m) => m.text.startsWith('Recap')), 15_000);
    const recap = slack.messages(channel).find((m) => m.text.startsWith('Recap'));
    const button = ((recap?.blocks ?? []) as { accessory?: { action_id: string; value: string } }[]).find(
      (b) => b.accessory?.value.startsWith('Write a runbook for diagnostic'),
    )?.accessory;
    expect(button?.action_id).toMatch(/^follow-up-add\.\d+$/);

    const click = (trigger: string, user: string) =>
      postInteraction(bot.baseUrl, SIGNING_SECRET, {
        type: 'block_actions',
        user: { id: user, username: 'someone', team_id: SLACK_TEST_IDS.teamId },
        team: { id: SLACK_TEST_IDS.teamId, domain: 'warroom-test' },
        api_app_id: SLACK_TEST_IDS.appId,
        token: 'legacy',
        container: { type: 'message', channel_id: channel, message_ts: '1.1' },
        channel: { id: channel, name: 'inc' },
        trigger_id: trigger,
        response_url: slack.responseUrl('add-click'),
        actions: [
          {
            type: 'button',
            action_id: button?.action_id,
            block_id: 'b',
            value: button?.value,
            action_ts: '1.2',
          },
        ],
      });
    expect((await click('click-1', 'U0ONE')).status).toBe(200);
    expect((await click('click-2', 'U0TWO')).status).toBe(200);
    await slack.waitFor(() => slack.responsesTo('add-click').length >= 2, 10_000);
    const answers = slack.responsesTo('add-click').map((r) => JSON.stringify(r.body));
    expect(answers.join()).toContain('Follow-up #1');
    expect(answers.join()).toContain('already added');
    await waitUntilIdle(bot.warroom);
    const listed = (await command('followups', channel)).json as { text: string };
    expect(listed.text).toContain('(1 open of 1)');
    expect(listed.text).toContain('*#1* Write a runbook for diagnostic');
  }, 60_000);
});
