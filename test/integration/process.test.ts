import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeSlack } from '../support/fake-slack';
import { postSlashCommand } from '../support/slack-signing';
import { writeTestConfig } from '../support/test-config';
import { BOT_TOKEN, SIGNING_SECRET } from '../support/test-warroom';
import { waitUntil } from '../support/wait-for';
import { botProcessEnv, WarroomProcess } from '../support/warroom-process';

describe('the warroom process', () => {
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await FakeSlack.start({ botToken: BOT_TOKEN });
  });
  afterAll(async () => {
    await slack.close();
  });

  it('lists every configuration problem at once and exits with code 2, starting nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warroom-bad-'));
    const path = join(dir, 'warroom.yml');
    writeFileSync(
      path,
      'environments:\n  staging:\n    project: Acme\n    region: us-central1\n    sqlInstance: db\n    services: []\nescalation: { ackTimeout: 15 }\n',
    );
    const bot = WarroomProcess.spawn({ WARROOM_CONFIG: path, PORT: '0' }, [], { entry: 'source' });
    const exit = await bot.exited();
    expect(exit.code).toBe(2);
    expect(bot.output).toContain('SLACK_BOT_TOKEN is not set');
    expect(bot.output).toContain('environments.staging.project');
    expect(bot.output).toContain('environments.staging.services');
    expect(bot.output).toContain('escalation.ackTimeout');
    expect(bot.output).not.toContain('Warroom started');
  });

  it('stops cleanly on SIGTERM within 10 s', async () => {
    const config = writeTestConfig();
    const env = botProcessEnv({ slackUrl: slack.url, configPath: config.path });
    const bot = WarroomProcess.spawn(env, [], { entry: 'source' });
    const port = await bot.started();
    const help = await postSlashCommand(`http://127.0.0.1:${port}`, SIGNING_SECRET, { text: 'help' });
    expect(help.status).toBe(200);
    const signalledAt = Date.now();
    bot.kill('SIGTERM');
    const exit = await bot.exited();
    // On failure, the bot's own log says why it did not stop cleanly.
    expect({ code: exit.code, log: exit.code === 0 ? '' : bot.output }).toEqual({ code: 0, log: '' });
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    expect(bot.output).toContain('Warroom stopped');
    expect(bot.output).not.toContain(BOT_TOKEN);
    expect(bot.output).not.toContain(SIGNING_SECRET);
    await config.cleanup();
  });

  it('is not ready while Redis is down, says so once, and recovers when Redis comes back', async () => {
    const port = await freePort();
    const redisUrl = `redis://127.0.0.1:${port}`;
    const config = writeTestConfig();
    const env = botProcessEnv({ slackUrl: slack.url, configPath: config.path, redisUrl });
    const bot = WarroomProcess.spawn(env, [], { entry: 'source' });
    let redis: ReturnType<typeof spawn> | undefined;
    try {
      const httpPort = await bot.started();
      const base = `http://127.0.0.1:${httpPort}`;
      const notReady = await fetch(`${base}/readyz`);
      expect(notReady.status).toBe(503);
      expect(JSON.stringify(await notReady.json())).toContain('redis: Redis does not answer');
      expect((await fetch(`${base}/healthz`)).status).toBe(200);

      const refused = await postSlashCommand(base, SIGNING_SECRET, {
        text: 'diag staging',
        trigger_id: 'during-outage',
      });
      expect((refused.json as { text: string }).text).toContain('cannot reach its job queue');
      expect((refused.json as { text: string }).text).toContain('nothing changed');

      // Every further attempt to reach Redis fails too: a few of them, counted, and still one line.
      const standIn = await resettingListener(port);
      await waitUntil(() => standIn.attempts() >= 3, 15_000, 'three more attempts to reach Redis');
      await standIn.close();
      // One line per process: the Slack app's, and its worker process's (which carries "worker").
      const unreachable = bot.output.split('\n').filter((line) => line.includes('Redis is unreachable'));
      expect(unreachable.filter((line) => !line.includes('"worker":1'))).toHaveLength(1);
      expect(unreachable.filter((line) => line.includes('"worker":1')).length).toBeLessThanOrEqual(1);

      redis = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: 'ignore' },
      );
      await slack.waitFor(() => bot.output.includes('Redis is reachable again'), 15_000);
      await waitForStatus(`${base}/readyz`, 200, 10_000);
      const accepted = await postSlashCommand(base, SIGNING_SECRET, { text: 'help' });
      expect(accepted.status).toBe(200);
    } finally {
      bot.kill('SIGTERM');
      await bot.exited();
      redis?.kill();
    }
  });
});

function waitForStatus(url: string, status: number, timeoutMs: number): Promise<void> {
  return waitUntil(
    async () => (await fetch(url).catch(() => undefined))?.status === status,
    timeoutMs,
    `${url} to answer ${status}`,
  );
}

/**
 * Listens on `port` in Redis's place and resets each connection as it comes, counting them: every
 * one is an attempt of the bot to reach Redis, and it fails as it would with nothing there.
 */
async function resettingListener(port: number): Promise<{ attempts(): number; close(): Promise<void> }> {
  let attempts = 0;
  const server = createServer((socket) => {
    attempts++;
    socket.resetAndDestroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    attempts: () => attempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
