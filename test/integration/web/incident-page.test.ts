import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { Browser } from 'playwright-core';
import { CHECK_NAMES } from '../../../src/diag/finding';
import { BOT_ACTOR } from '../../../src/incident/incident';
import { RedisIncidentStore } from '../../../src/incident/redis-incident-store';
import { KeyPrefix } from '../../../src/queue/key-prefix';
import { CloudSimulator } from '../../../src/simulator/cloud-simulator';
import { signToken } from '../../../src/web/incident-links';
import { launchBrowser } from '../../support/browser';
import { FakeSlack } from '../../support/fake-slack';
import { postSlashCommand, SLACK_TEST_IDS } from '../../support/slack-signing';
import { REDIS_URL } from '../../support/test-config';
import { BOT_TOKEN, SIGNING_SECRET, startTestWarroom, type TestWarroom } from '../../support/test-warroom';
import { waitUntil } from '../../support/wait-for';

const WEB_SECRET = 'web-secret-for-tests-0123456789abcdef0123456789';
const ARTIFACTS = join(__dirname, '..', '..', '..', 'test-artifacts');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('the incident page, in a real browser', () => {
  let slack: FakeSlack;
  let bot: TestWarroom;
  let browser: Browser;
  let base: string;
  let redis: Redis;
  let simulator: CloudSimulator;

  beforeAll(async () => {
    simulator = await CloudSimulator.start({ scenario: 'staging-outage' });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    slack = await FakeSlack.start({ botToken: BOT_TOKEN });
    slack.addUser({ id: 'U0ONCALL', name: 'oncall' });
    bot = await startTestWarroom({
      mode: 'http',
      slack,
      configExtra: 'contacts:\n  infra-oncall: { tier: primary, slack: [U0ONCALL] }',
      env: {
        PORT: String(port),
        WARROOM_PUBLIC_URL: base,
        WARROOM_WEB_SECRET: WEB_SECRET,
        GCP_EMULATOR_HOST: simulator.emulatorHost,
      },
    });
    browser = await launchBrowser();
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await browser?.close();
    await bot?.stop();
    await slack?.close();
    redis?.disconnect();
    await simulator?.close();
  });

  let n = 0;
  const command = (text: string, channel: string = SLACK_TEST_IDS.channelId) =>
    postSlashCommand(bot.baseUrl, SIGNING_SECRET, {
      text,
      channel_id: channel,
      trigger_id: `web-${++n}-${Date.now()}`,
    });

  /** Opens an incident and returns its channel and the page link from the pinned header. */
  async function openIncident(title: string) {
    const before = slack.callsTo('conversations.create').length;
    await command(`open staging "${title}" --sev P1`);
    await slack.waitFor(() => slack.callsTo('conversations.create').length > before, 15_000);
    const created = slack.callsTo('conversations.create')[before];
    const channel = slack.channel(String(created?.args.name))?.id as string;
    await slack.waitFor(
      () => JSON.stringify(slack.messages(channel)[0]?.blocks ?? '').includes('incident page'),
      15_000,
    );
    const header = JSON.stringify(slack.messages(channel)[0]?.blocks);
    const link = /<(http:[^|>]+)\|incident page>/.exec(header)?.[1]?.replace(/\\u0026|&amp;/g, '&') ?? '';
    const incidentId = /\/incidents\/([^?]+)\?/.exec(link)?.[1] ?? '';
    return { channel, link, incidentId };
  }

  it('opens through the header’s link: phase chart, timeline and paging, with no token in the page', async () => {
    const { channel, link, incidentId } = await openIncident('Every staging endpoint answers 503');
    expect(link.startsWith(`${base}/incidents/`)).toBe(true);
    await command('phase restoration', channel);
    await command('note connector recreated by hand', channel);

    const page = await browser.newPage();
    const response = await page.goto(link);
    expect(response?.status()).toBe(200);
    // The token was traded for a cookie: it is in neither the address bar nor the page.
    expect(page.url()).toBe(`${base}/incidents/${incidentId}`);
    const html = await page.content();
    const token = new URL(link).searchParams.get('token') ?? '';
    expect(html).not.toContain(token);
    expect(html).not.toContain(WEB_SECRET);

    expect(await page.locator('svg.phase-chart g.phase').count()).toBe(3);
    expect(await page.locator('svg.phase-chart g.phase.done').getAttribute('data-phase')).toBe('diagnostic');
    await page.locator('#timeline-rows tr[data-kind="note"]').waitFor();
    expect(String(await page.locator('#timeline-rows').textContent())).toContain(
      'connector recreated by hand',
    );
    expect(String(await page.locator('#paging').textContent())).toContain('primary');

    // Live: a note typed in Slack appears without a reload.
    await page.locator('#live-state', { hasText: 'live' }).waitFor();
    await command('note appears live on the page', channel);
    await page
      .locator('#timeline-rows tr[data-kind="note"]', { hasText: 'appears live on the page' })
      .waitFor({ timeout: 10_000 });
    await command('status services restarting', channel);
    await page.locator('#timeline-rows tr[data-kind="status"]').waitFor({ timeout: 10_000 });

    // A diagnosis run in the channel shows with every check and the verdict.
    await command('diag staging', channel);
    await page.locator('#diag .verdict', { hasText: 'vpc-connector-down' }).waitFor({ timeout: 20_000 });
    expect(await page.locator('#diag table.checks tbody tr').count()).toBe(CHECK_NAMES.length);
    // Each check's result is on the timeline too, and arrived live.
    await waitUntil(
      async () =>
        (await page.locator('#timeline-rows tr[data-kind="finding"]').count()) === CHECK_NAMES.length,
      10_000,
      'a finding per check on the live timeline',
    );

    // The filter keeps only one kind.
    await page.selectOption('#kind-filter', 'note');
    await page.waitForURL(/kind=note/);
    const kinds = await page
      .locator('#timeline-rows tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')));
    expect(new Set(kinds)).toEqual(new Set(['note']));

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.goto(`${base}/incidents/${incidentId}`);
    await page.screenshot({ path: join(ARTIFACTS, 'incident-page.png'), fullPage: true });
    await page.close();
  });

  it('answers 403 to a missing, forged, expired or other incident’s token, and to no cookie', async () => {
    const { incidentId, link } = await openIncident('Staging login fails');
    const other = await openIncident('Staging AI answers slowly');
    const status = async (url: string) => (await fetch(url, { redirect: 'manual' })).status;
    expect(await status(`${base}/incidents/${incidentId}`)).toBe(403);
    expect(await status(`${base}/incidents/${incidentId}?token=123.abc`)).toBe(403);
    const expired = signToken(WEB_SECRET, { incidentId }, new Date(Date.now() - 60_000));
    const expiredPage = await fetch(`${base}/incidents/${incidentId}?token=${expired}`);
    expect(expiredPage.status).toBe(403);
    expect(await expiredPage.text()).toContain('expired');
    const forged = signToken(
      'another-secret-another-secret-another',
      { incidentId },
      new Date(Date.now() + 60_000),
    );
    expect(await status(`${base}/incidents/${incidentId}?token=${forged}`)).toBe(403);
    const token = new URL(other.link).searchParams.get('token');
    expect(await status(`${base}/incidents/${incidentId}?token=${token}`)).toBe(403);
    expect(await status(`${base}/incidents/${incidentId}/events`)).toBe(403);
    // The real link works, in a browser too.
    expect(await status(link)).toBe(303);
    const page = await browser.newPage();
    expect((await page.goto(`${base}/incidents/${incidentId}?token=bad`))?.status()).toBe(403);
    await page.close();
  });

  it('lists incidents through the link /incident links gives, and that link opens each incident', async () => {
    const { incidentId } = await openIncident('Staging database slow');
    const links = await command('links');
    const listLink = /<(http:[^|>]+)\|All incidents>/.exec((links.json as { text: string }).text)?.[1] ?? '';
    expect(listLink.startsWith(`${base}/incidents?token=`)).toBe(true);
    const exchanged = await fetch(listLink, { redirect: 'manual' });
    expect(exchanged.status).toBe(303);
    const cookie = (exchanged.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(exchanged.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Lax/);
    const list = await fetch(`${base}/incidents`, { headers: { cookie } });
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain('Staging database slow');
    expect(html).toContain(`href="/incidents/${incidentId}"`);
    expect((await fetch(`${base}/incidents/${incidentId}`, { headers: { cookie } })).status).toBe(200);
    // A list token is not an incident token.
    const token = new URL(listLink).searchParams.get('token');
    expect(
      (await fetch(`${base}/incidents/${incidentId}?token=${token}`, { redirect: 'manual' })).status,
    ).toBe(403);
  });

  it('renders an incident of 5,000 timeline entries a page at a time, without freezing', async () => {
    const { incidentId, link } = await openIncident('A very long incident');
    const store = new RedisIncidentStore(redis, KeyPrefix.of(bot.testConfig.prefix));
    const start = Date.now() - 5000 * 1000;
    for (let i = 0; i < 5000; i += 500) {
      await Promise.all(
        Array.from({ length: 500 }, (_, j) =>
          store.append(incidentId, {
            at: new Date(start + (i + j) * 1000).toISOString(),
            actor: BOT_ACTOR,
            kind: 'note',
            text: `entry ${i + j}: connector instances ${(i + j) % 3}`,
            data: {},
          }),
        ),
      );
    }
    const page = await browser.newPage();
    await page.goto(link, { waitUntil: 'load' });
    // The newest entries first: the last of 26 pages of 200.
    expect(String(await page.locator('.pager').first().textContent())).toMatch(/page 26 of 26/);
    const started = Date.now();
    await page.goto(`${base}/incidents/${incidentId}?page=1`, { waitUntil: 'load' });
    const loadedMs = Date.now() - started;
    expect(await page.locator('#timeline-rows tr').count()).toBe(200);
    expect(String(await page.locator('#timeline-rows tr').first().textContent())).toContain('entry 0:');
    // The page stays responsive: a script round trip is quick right after load.
    const roundTrip = await page.evaluate(
      () =>
        new Promise<number>((r) => {
          const t = performance.now();
          setTimeout(() => r(performance.now() - t), 0);
        }),
    );
    expect(roundTrip).toBeLessThan(1000);
    const bytes = (await page.content()).length;
    console.log(`incident page with 5,000 entries: ${loadedMs} ms to load, ${bytes} bytes of HTML`);
    await page.close();
  }, 60_000);
});
