/** FakeSocketMode speaks the Socket Mode protocol: the real @slack/socket-mode client connects, receives and acks. */
import { type Logger, LogLevel, SocketModeClient } from '@slack/socket-mode';
import { WebAPIPlatformError } from '@slack/web-api';
import { FakeSlack } from '../../support/fake-slack';
import { FakeSocketMode } from '../../support/fake-socket-mode';

const APP_TOKEN = 'xapp-1-A0WARROOM-test';
const silent: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

describe('FakeSocketMode with the real SocketModeClient', () => {
  let slack: FakeSlack;
  let socketMode: FakeSocketMode;
  let client: SocketModeClient | undefined;
  const newClient = (appToken = APP_TOKEN) =>
    new SocketModeClient({
      appToken,
      logger: silent,
      // Short, so reconnects happen within the test; pongs arrive in well under a millisecond on loopback.
      clientPingTimeout: 300,
      autoReconnectEnabled: true,
      clientOptions: slack.clientOptions(),
    });

  beforeEach(async () => {
    slack = await FakeSlack.start({ appToken: APP_TOKEN });
    socketMode = await FakeSocketMode.start();
    slack.attachSocketMode(socketMode);
  });
  afterEach(async () => {
    await client?.disconnect();
    client = undefined;
    await socketMode.close();
    await slack.close();
  });

  it('connects through apps.connections.open, receives a slash command and acks it', async () => {
    client = newClient();
    const received: Array<{ envelope_id: string; body: Record<string, string> }> = [];
    client.on('slash_commands', async ({ ack, envelope_id, body }) => {
      received.push({ envelope_id, body });
      await ack({ text: 'Opening incident…' });
    });

    await client.start();
    const ack = await socketMode.sendSlashCommand({ text: 'open checkout is down' });

    expect(slack.callsTo('apps.connections.open')).toMatchObject([{ token: APP_TOKEN }]);
    expect(received).toHaveLength(1);
    expect(received[0]?.body).toMatchObject({
      command: '/incident',
      text: 'open checkout is down',
      team_id: 'T0001',
      response_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/respond\//),
    });
    expect(ack).toEqual({
      envelope_id: received[0]?.envelope_id,
      payload: { text: 'Opening incident…' },
      receivedAfterMs: expect.any(Number),
    });
    expect(ack.receivedAfterMs).toBeLessThan(3000);
  });

  it('wraps an event in an event_callback and delivers interactive payloads', async () => {
    client = newClient();
    const reactions: unknown[] = [];
    const interactions: unknown[] = [];
    client.on('reaction_added', async ({ ack, event }) => {
      reactions.push(event);
      await ack();
    });
    client.on('interactive', async ({ ack, body }) => {
      interactions.push(body);
      await ack();
    });
    await client.start();

    const eventAck = await socketMode.sendEvent({
      type: 'reaction_added',
      user: 'U0000000001',
      reaction: 'rotating_light',
      item: { type: 'message', channel: 'C0000000001', ts: '1700000000.000100' },
    });
    const actionAck = await socketMode.sendInteractive({
      type: 'block_actions',
      actions: [{ action_id: 'escalate' }],
    });

    expect(reactions).toMatchObject([{ type: 'reaction_added', reaction: 'rotating_light' }]);
    expect(interactions).toMatchObject([{ type: 'block_actions' }]);
    expect(eventAck.payload).toBeUndefined();
    expect(actionAck.payload).toBeUndefined();
  });

  it('rejects when the client never acks', async () => {
    client = newClient();
    client.on('slash_commands', () => {
      // Deliberately never acks.
    });
    await client.start();

    await expect(socketMode.sendSlashCommand({}, { timeoutMs: 200 })).rejects.toThrow(
      /No ack for slash_commands/,
    );
  });

  it('lets the client reconnect after the server drops every connection', async () => {
    client = newClient();
    client.on('slash_commands', async ({ ack }) => ack());
    await client.start();

    socketMode.disconnectAll();
    await slack.waitFor(() => socketMode.connectionsOpened === 2);
    const ack = await socketMode.sendSlashCommand({ text: 'help' });

    expect(slack.callsTo('apps.connections.open')).toHaveLength(2);
    expect(ack.envelope_id).toBeTruthy();
  });

  it('refuses to start with an app token Slack does not know', async () => {
    client = newClient('xapp-1-wrong');

    const error = await client.start().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(WebAPIPlatformError);
    expect((error as WebAPIPlatformError).data.error).toBe('invalid_auth');
  });
});
