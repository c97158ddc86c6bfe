/** The harness drives the real Bolt app both ways it can run: Socket Mode and signed HTTP requests. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { FakeSlack } from '../../support/fake-slack';
import { FakeSocketMode } from '../../support/fake-socket-mode';
import { postInteraction, postSlashCommand } from '../../support/slack-signing';

const BOT_TOKEN = 'xoxb-test-bot-token';
const APP_TOKEN = 'xapp-1-A0WARROOM-test';
const SIGNING_SECRET = 'test-signing-secret';

/** A minimal /incident listener: ack, respond, post to the channel. */
function registerIncident(app: App): void {
  app.command('/incident', async ({ command, ack, respond, client }) => {
    await ack();
    await respond({ response_type: 'ephemeral', text: `Working on: ${command.text}` });
    await client.chat.postMessage({ channel: command.channel_id, text: `Incident: ${command.text}` });
  });
  app.action('ack_incident', async ({ ack, respond }) => {
    await ack();
    await respond({ replace_original: false, text: 'Acknowledged' });
  });
}

describe('Bolt in Socket Mode against FakeSlack + FakeSocketMode', () => {
  let slack: FakeSlack;
  let socketMode: FakeSocketMode;
  let app: App;

  beforeEach(async () => {
    slack = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
    socketMode = await FakeSocketMode.start();
    slack.attachSocketMode(socketMode);
    app = new App({
      token: BOT_TOKEN,
      appToken: APP_TOKEN,
      socketMode: true,
      logLevel: LogLevel.ERROR,
      clientOptions: slack.clientOptions(),
    });
    registerIncident(app);
    await app.start();
  });
  afterEach(async () => {
    await app.stop();
    await socketMode.close();
    await slack.close();
  });

  it('acks a slash command, responds on its response URL and posts to the channel', async () => {
    const responseUrl = slack.responseUrl('open-1');

    const ack = await socketMode.sendSlashCommand({
      text: 'open checkout is down',
      response_url: responseUrl,
    });
    await slack.waitFor(() => slack.messages('C0000000001').length === 1 && slack.responses.length === 1);

    expect(ack.receivedAfterMs).toBeLessThan(3000);
    expect(slack.callsTo('auth.test')).toMatchObject([{ token: BOT_TOKEN }]);
    expect(slack.responsesTo('open-1')).toMatchObject([
      { body: { text: 'Working on: open checkout is down' } },
    ]);
    expect(slack.messages('C0000000001')).toMatchObject([{ text: 'Incident: open checkout is down' }]);
  });
});

describe('Bolt over HTTP with signed requests', () => {
  let slack: FakeSlack;
  let app: App;
  let baseUrl: string;

  beforeEach(async () => {
    slack = await FakeSlack.start({ botToken: BOT_TOKEN });
    app = new App({
      token: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      logLevel: LogLevel.ERROR,
      clientOptions: slack.clientOptions(),
    });
    registerIncident(app);
    const server = (await app.start(0)) as Server;
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await app.stop();
    await slack.close();
  });

  it('accepts a correctly signed slash command', async () => {
    const response_url = slack.responseUrl('http-1');

    const result = await postSlashCommand(baseUrl, SIGNING_SECRET, { text: 'diag prod', response_url });
    await slack.waitFor(
      () => slack.responsesTo('http-1').length === 1 && slack.messages('C0000000001').length === 1,
    );

    expect(result.status).toBe(200);
    expect(slack.responsesTo('http-1')[0]?.body).toMatchObject({ text: 'Working on: diag prod' });
  });

  it('accepts a signed interaction payload', async () => {
    const response_url = slack.responseUrl('action-1');
    const payload = {
      type: 'block_actions',
      team: { id: 'T0001', domain: 'warroom-test' },
      user: { id: 'U0000000001', username: 'alice', team_id: 'T0001' },
      api_app_id: 'A0WARROOM',
      token: 'legacy-verification-token',
      trigger_id: '123.456.abc',
      channel: { id: 'C0000000001', name: 'ops' },
      response_url,
      actions: [
        { type: 'button', action_id: 'ack_incident', block_id: 'b1', value: 'INC-1', action_ts: '1.2' },
      ],
    };

    const result = await postInteraction(baseUrl, SIGNING_SECRET, payload);
    await slack.waitFor(() => slack.responsesTo('action-1').length === 1);

    expect(result.status).toBe(200);
    expect(slack.responsesTo('action-1')[0]?.body).toMatchObject({ text: 'Acknowledged' });
  });

  it('refuses a forged signature and a stale timestamp', async () => {
    const forged = await postSlashCommand(baseUrl, SIGNING_SECRET, {}, { signature: 'v0=deadbeef' });
    const stale = await postSlashCommand(
      baseUrl,
      SIGNING_SECRET,
      {},
      { timestampSec: Math.floor(Date.now() / 1000) - 600 },
    );

    expect(forged.status).toBe(401);
    expect(stale.status).toBe(401);
    expect(slack.responses).toEqual([]);
  });
});
