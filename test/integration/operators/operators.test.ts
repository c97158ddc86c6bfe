import { adminCookieValue } from '../../../src/http/admin-auth';
import { CloudSimulator } from '../../../src/simulator/cloud-simulator';
import { FakeSlack } from '../../support/fake-slack';
import { postSlashCommand, SLACK_TEST_IDS } from '../../support/slack-signing';
import {
  APP_TOKEN,
  BOT_TOKEN,
  SIGNING_SECRET,
  startTestWarroom,
  type TestWarroom,
} from '../../support/test-warroom';
import { waitUntil } from '../../support/wait-for';

const ADMIN_TOKEN = 'operators-test-admin-token-5b2e9d07c4a1';
const QUEUES = ['diag-start', 'incident', 'remediation', 'verify', 'diag', 'diag-check'];

describe('operators: /metrics and /admin/queues', () => {
  let simulator: CloudSimulator;
  let slack: FakeSlack;
  let bot: TestWarroom;

  beforeAll(async () => {
    simulator = await CloudSimulator.start({ scenario: 'staging-outage' });
    slack = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
    bot = await startTestWarroom({
      mode: 'http',
      slack,
      env: { GCP_EMULATOR_HOST: simulator.emulatorHost, WARROOM_ADMIN_TOKEN: ADMIN_TOKEN },
    });
  });
  afterAll(async () => {
    await bot.stop();
    await slack.close();
    await simulator.close();
  });

  describe('GET /metrics', () => {
    let text: string;
    let contentType: string | null;

    beforeAll(async () => {
      const ack = await postSlashCommand(bot.baseUrl, SIGNING_SECRET, {
        text: 'diag staging',
        trigger_id: 'operators-diag',
      });
      expect(ack.status).toBe(200);
      await slack.waitFor(
        () => slack.messages(SLACK_TEST_IDS.channelId).some((m) => m.text.includes('verdict:')),
        25_000,
      );
      await waitUntil(() => bot.warroom.isIdle(), 20_000, 'the bot to be idle');
      const response = await fetch(`${bot.baseUrl}/metrics`);
      expect(response.status).toBe(200);
      contentType = response.headers.get('content-type');
      text = await response.text();
    });

    it('answers in Prometheus text format', () => {
      expect(contentType).toMatch(/^text\/plain/);
      expect(text).toMatch(/^# HELP warroom_command_ack_seconds /m);
    });

    it('times the ack of the diag command under its subcommand name', () => {
      expect(text).toMatch(/^warroom_command_ack_seconds_count\{subcommand="diag"\} 1$/m);
    });

    it('times Google calls by method, not by resource', () => {
      expect(text).toMatch(
        /^warroom_google_call_duration_seconds_count\{operation="getConnector",outcome="ok"\} \d+$/m,
      );
      expect(text).not.toContain('projects/');
    });

    it('times the diag checks run by the workers', () => {
      expect(text).toMatch(
        /^warroom_job_duration_seconds_count\{queue="diag-check",name="vpc-connector",outcome="completed"\} 1$/m,
      );
    });

    it('counts Slack calls made by the outbox', () => {
      expect(text).toMatch(/^warroom_slack_calls_total\{method="chat.postMessage",outcome="ok"\} [1-9]\d*$/m);
      expect(text).toMatch(/^warroom_slack_rate_limited_total 0$/m);
    });

    it('counts the jobs of every queue, by state', () => {
      for (const queue of QUEUES) {
        expect(text).toMatch(new RegExp(`^warroom_queue_jobs\\{queue="${queue}",state="waiting"\\} 0$`, 'm'));
      }
      expect(text).toMatch(/^warroom_queue_jobs\{queue="diag-check",state="completed"\} [1-9]\d*$/m);
    });

    it('includes the process metrics', () => {
      expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    });

    it('shows no token or secret', () => {
      for (const secret of [
        BOT_TOKEN,
        APP_TOKEN,
        SIGNING_SECRET,
        ADMIN_TOKEN,
        adminCookieValue(ADMIN_TOKEN),
      ]) {
        expect(text).not.toContain(secret);
      }
    });
  });

  describe('/admin/queues', () => {
    const dashboard = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${bot.baseUrl}${path}`, { headers, redirect: 'manual' });

    it.each([
      ['no token', {}],
      ['a wrong bearer token', { authorization: 'Bearer not-the-admin-token' }],
      ['a forged cookie', { cookie: 'warroom_admin=forged' }],
    ])('refuses a request with %s with 403 and an explanation', async (_name, headers) => {
      const response = await dashboard('/admin/queues', headers);
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await response.text()).toContain('Authorization: Bearer <token>');
      // Everything below the prefix is guarded too, the API included.
      expect((await dashboard('/admin/queues/api/queues', headers)).status).toBe(403);
    });

    it('serves the dashboard with the bearer token', async () => {
      const response = await dashboard('/admin/queues', { authorization: `Bearer ${ADMIN_TOKEN}` });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await response.text();
      expect(html).toContain('<base href="/admin/queues/" />');
      // Its assets are served below the prefix, behind the same guard.
      const script = /src="(static\/js\/main\.[^"]+)"/.exec(html)?.[1];
      const asset = await dashboard(`/admin/queues/${script}`, { authorization: `Bearer ${ADMIN_TOKEN}` });
      expect(asset.status).toBe(200);
      expect((await dashboard(`/admin/queues/${script}`)).status).toBe(403);
    });

    it('lists every queue Warroom has', async () => {
      const response = await dashboard('/admin/queues/api/queues', {
        authorization: `Bearer ${ADMIN_TOKEN}`,
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { queues: Array<{ name: string }> };
      expect(body.queues.map((q) => q.name).sort()).toEqual([...QUEUES].sort());
    });

    it('trades ?token= for a cookie that does not hold the token, and drops it from the address', async () => {
      const response = await dashboard(`/admin/queues?token=${ADMIN_TOKEN}`);
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/admin/queues');
      const setCookie = response.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(/^warroom_admin=[\w-]+; /);
      expect(setCookie).toContain('HttpOnly');
      expect(setCookie).toContain('SameSite=Strict');
      expect(setCookie).toContain('Path=/admin/queues');
      expect(setCookie).not.toContain(ADMIN_TOKEN);

      const cookie = setCookie.split(';')[0] ?? '';
      const page = await dashboard('/admin/queues', { cookie });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');
      expect((await dashboard('/admin/queues/api/queues', { cookie })).status).toBe(200);
    });

    it('refuses a wrong ?token= without setting a cookie', async () => {
      const response = await dashboard('/admin/queues?token=not-the-admin-token');
      expect(response.status).toBe(403);
      expect(response.headers.get('set-cookie')).toBeNull();
    });

    it('keeps the admin token out of the logs', () => {
      expect(bot.logs()).toContain('queue dashboard refused a request');
      expect(bot.logs()).not.toContain(ADMIN_TOKEN);
    });
  });
});

describe('/admin/queues without WARROOM_ADMIN_TOKEN', () => {
  let bot: TestWarroom;

  beforeAll(async () => {
    bot = await startTestWarroom({ mode: 'http' });
  });
  afterAll(async () => {
    await bot.stop();
  });

  it.each(['/admin/queues', '/admin/queues/api/queues', `/admin/queues?token=${ADMIN_TOKEN}`])(
    'answers %s with 404, whatever the credentials',
    async (path) => {
      const response = await fetch(`${bot.baseUrl}${path}`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        redirect: 'manual',
      });
      expect(response.status).toBe(404);
    },
  );

  it('still serves /metrics', async () => {
    const response = await fetch(`${bot.baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('warroom_queue_jobs{queue="diag",state="waiting"} 0');
  });
});
