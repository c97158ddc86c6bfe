import { FakeSlack } from '../support/fake-slack';
import { FakeSocketMode } from '../support/fake-socket-mode';
import { APP_TOKEN, BOT_TOKEN, startTestWarroom, type TestWarroom } from '../support/test-warroom';

describe('Warroom in Socket Mode', () => {
  let socketMode: FakeSocketMode;
  let slack: FakeSlack;
  let bot: TestWarroom;

  beforeAll(async () => {
    socketMode = await FakeSocketMode.start();
    slack = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
    slack.attachSocketMode(socketMode);
    bot = await startTestWarroom({ mode: 'socket', slack });
    await socketMode.connected();
  });
  afterAll(async () => {
    await bot.stop();
    await socketMode.close();
    await slack.close();
  });

  it('opens its connection with the app-level token', () => {
    const opens = slack.callsTo('apps.connections.open');
    expect(opens.length).toBeGreaterThanOrEqual(1);
    expect(opens[0]?.token).toBe(APP_TOKEN);
  });

  it('acknowledges /incident help over the socket with the command list, within 3 s', async () => {
    const ack = await socketMode.sendSlashCommand({ text: 'help' });
    expect(ack.receivedAfterMs).toBeLessThan(3000);
    expect(ack.payload?.response_type).toBe('ephemeral');
    expect(String(ack.payload?.text)).toContain('/incident diag <env>');
  });

  it('answers bad arguments with usage', async () => {
    const ack = await socketMode.sendSlashCommand({ text: 'diag nowhere' });
    expect(String(ack.payload?.text)).toBe(
      'There is no environment "nowhere". Configured: `staging`. Usage: /incident diag &lt;env&gt;',
    );
  });

  it('reconnects after the connection drops and keeps answering', async () => {
    const before = socketMode.connectionsOpened;
    socketMode.disconnectAll({ abrupt: true });
    await slack.waitFor(
      () => socketMode.connectionsOpened > before && socketMode.connectionCount > 0,
      15_000,
    );
    const ack = await socketMode.sendSlashCommand({ text: 'help' });
    expect(String(ack.payload?.text)).toContain('Warroom commands');
  });

  it('serves /healthz on its HTTP port even though Slack talks over the socket', async () => {
    expect((await fetch(`${bot.baseUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${bot.baseUrl}/slack/events`, { method: 'POST' })).status).toBe(404);
  });
});
