import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { CloudSimulator } from '../../../src/simulator/cloud-simulator';
import { FakeSlack } from '../../support/fake-slack';
import { postSlashCommand, SLACK_TEST_IDS } from '../../support/slack-signing';
import { BOT_TOKEN, SIGNING_SECRET, startTestWarroom, type TestWarroom } from '../../support/test-warroom';

const WATCH_EVERY_MS = 600;

/** Greets every WebSocket connection with `ready`. */
async function realtimeServer(): Promise<{
  http: Server;
  wss: WebSocketServer;
  port: number;
  connections: () => number;
}> {
  let connections = 0;
  const http = createServer((_request, response) => response.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (request, socket, head) => {
    wss.handleUpgrade(request, socket, head, (ws) => {
      connections += 1;
      ws.send('{"type":"ready"}');
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return { http, wss, port: (http.address() as AddressInfo).port, connections: () => connections };
}

describe('/incident verify --watch with a WebSocket step, through Slack', () => {
  let simulator: CloudSimulator;
  let slack: FakeSlack;
  let bot: TestWarroom;
  let server: Awaited<ReturnType<typeof realtimeServer>>;

  beforeAll(async () => {
    server = await realtimeServer();
    simulator = await CloudSimulator.start({ scenario: 'healthy' });
    slack = await FakeSlack.start({ botToken: BOT_TOKEN });
    const step = (name: string, path: string) =>
      `{ name: ${name}, url: "ws://127.0.0.1:${server.port}${path}", expectEvents: [ready], timeout: 2s }`;
    bot = await startTestWarroom({
      mode: 'http',
      slack,
      environmentExtra: [`verify: { steps: [${step('live', '/live')}] }`],
      env: { GCP_EMULATOR_HOST: simulator.emulatorHost },
      watchEveryMs: WATCH_EVERY_MS,
    });
  });
  afterAll(async () => {
    await bot.stop();
    await slack.close();
    await simulator.close();
    for (const client of server.wss.clients) client.terminate();
    await new Promise((resolve) => server.wss.close(resolve));
    server.http.closeAllConnections();
    await new Promise((resolve) => server.http.close(resolve));
  });

  let n = 0;
  const command = (text: string, channel: string) =>
    postSlashCommand(bot.baseUrl, SIGNING_SECRET, {
      text,
      channel_id: channel,
      user_id: 'U0RESP',
      trigger_id: `ws-watch-${++n}-${Date.now()}`,
    });

  it('watches the real-time path like any other step', async () => {
    await command('open staging "Live answers missing" --sev P2', SLACK_TEST_IDS.channelId);
    await slack.waitFor(() => slack.callsTo('conversations.create').length > 0, 15_000);
    const channel = slack.channel(String(slack.callsTo('conversations.create')[0]?.args.name))?.id as string;
    await command('verify staging --watch 2s', channel);
    const done = () => slack.messages(channel).find((m) => m.text.includes('Watch of staging'));
    await slack.waitFor(() => done() !== undefined, 30_000);
    expect(done()?.text).toContain('2s of continuous operation without errors: 4/4 verifications passed');
    expect(server.connections()).toBe(4); // one conversation per verification
  });
});
