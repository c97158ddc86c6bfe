import { FakeSlack } from '../../support/fake-slack';
import { postSlashCommand, SLACK_TEST_IDS } from '../../support/slack-signing';
import {
  BOT_TOKEN,
  SIGNING_SECRET,
  startTestWarroom,
  type TestWarroom,
  waitUntilIdle,
} from '../../support/test-warroom';

const WEB_SECRET = 'web-secret-for-log-tests-0123456789abcdef012345';

describe('the debug log of a running bot', () => {
  let slack: FakeSlack;
  let bot: TestWarroom;

  beforeAll(async () => {
    slack = await FakeSlack.start({ botToken: BOT_TOKEN });
    slack.addUser({ id: 'U0ONCALL', name: 'oncall' });
    bot = await startTestWarroom({
      mode: 'http',
      slack,
      configExtra: 'contacts:\n  infra-oncall: { tier: primary, slack: [U0ONCALL] }',
      env: {
        LOG_LEVEL: 'debug',
        WARROOM_PUBLIC_URL: 'https://warroom.example.com',
        WARROOM_WEB_SECRET: WEB_SECRET,
      },
    });
  });
  afterAll(async () => {
    await bot.stop();
    await slack.close();
  });

  it('carries no signed incident-page link, Slack signature, token or secret when an incident is opened', async () => {
    const opened = await postSlashCommand(bot.baseUrl, SIGNING_SECRET, {
      text: 'open staging "Every staging endpoint answers 503" --sev P1',
      channel_id: SLACK_TEST_IDS.channelId,
      trigger_id: `debug-logs-${Date.now()}`,
    });
    expect(opened.status).toBe(200);
    await slack.waitFor(() => slack.callsTo('pins.add').length === 1, 15_000);
    await waitUntilIdle(bot.warroom);

    // The link did go to Slack, and the Web API client logged its requests at debug.
    const posted = JSON.stringify(slack.callsTo('chat.postMessage').map((call) => call.args));
    expect(posted).toMatch(/\/incidents\/[^?]+\?token=\d+\./);
    const logs = bot.logs();
    expect(logs).toContain('http request body');
    expect(logs).toContain('/incidents/');

    expect(logs).not.toMatch(/token=\d+\./);
    expect(logs).not.toMatch(/\d{9,}\.[A-Za-z0-9_-]{43}/);
    expect(logs).not.toMatch(/v0=[0-9a-f]{64}/);
    for (const secret of [SIGNING_SECRET, BOT_TOKEN, WEB_SECRET]) expect(logs).not.toContain(secret);
    expect(logs).toContain('[redacted]');
  });
});
