import { postSlashCommand, signSlackRequest, slashCommandBody } from '../support/slack-signing';
import {
  BOT_TOKEN,
  SIGNING_SECRET,
  startTestWarroom,
  type TestWarroom,
  waitUntilIdle,
} from '../support/test-warroom';

describe('Warroom in HTTP mode', () => {
  let bot: TestWarroom;

  beforeAll(async () => {
    bot = await startTestWarroom({ mode: 'http' });
  });
  afterAll(async () => {
    await bot.stop();
  });

  it('acknowledges a signed /incident help with the command list, within Slack’s 3 s', async () => {
    const response = await postSlashCommand(bot.baseUrl, SIGNING_SECRET, { text: 'help' });
    expect(response.status).toBe(200);
    expect(response.elapsedMs).toBeLessThan(3000);
    const body = response.json as { response_type: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('/incident diag <env>');
    expect(body.text).toContain('/incident help [subcommand]');
  });

  it('answers an unknown subcommand with usage, never silence', async () => {
    const response = await postSlashCommand(bot.baseUrl, SIGNING_SECRET, { text: 'reboot everything' });
    expect(response.status).toBe(200);
    expect((response.json as { text: string }).text).toContain('Unknown subcommand "reboot"');
  });

  it.each([
    [
      'a forged signature',
      { signature: 'v0=0000000000000000000000000000000000000000000000000000000000000000' },
    ],
    ['a timestamp older than 5 minutes', { timestampSec: Math.floor(Date.now() / 1000) - 6 * 60 }],
  ])('refuses %s with 401 and does nothing', async (_name, opts) => {
    bot.slack.reset();
    const response = await postSlashCommand(bot.baseUrl, SIGNING_SECRET, { text: 'diag staging' }, opts);
    expect(response.status).toBe(401);
    // Had anything been queued, the bot is idle only once it ran and its messages went out.
    await waitUntilIdle(bot.warroom);
    expect(bot.slack.calls.filter((c) => c.method.startsWith('chat.'))).toHaveLength(0);
  });

  it('refuses a captured body replayed with a new timestamp', async () => {
    const body = slashCommandBody({ text: 'diag staging' });
    const captured = signSlackRequest(body, SIGNING_SECRET, Math.floor(Date.now() / 1000) - 400);
    const replay = await fetch(`${bot.baseUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)),
        'x-slack-signature': captured['x-slack-signature'],
      },
      body,
    });
    expect(replay.status).toBe(401);
    expect(await bot.warroom.isIdle()).toBe(true);
  });

  it('serves /healthz and /readyz on the same port', async () => {
    expect((await fetch(`${bot.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${bot.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('never writes the bot token or the signing secret to its logs', async () => {
    await postSlashCommand(bot.baseUrl, SIGNING_SECRET, { text: 'help' });
    await postSlashCommand(bot.baseUrl, 'wrong-secret', { text: 'help' });
    const logs = bot.logs();
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).toContain('command acknowledged');
    expect(logs).not.toContain(BOT_TOKEN);
    expect(logs).not.toContain(SIGNING_SECRET);
  });
});
