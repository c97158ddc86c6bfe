import { FakeSlack } from '../../support/fake-slack';
import { FakeSocketMode } from '../../support/fake-socket-mode';
import { freePort } from '../../support/free-port';
import { startSurfaceBot } from '../../support/surface-bot';
import { APP_TOKEN, BOT_TOKEN, startTestWarroom, type TestWarroom } from '../../support/test-warroom';

const METRICS_TOKEN = 'metrics-listener-test-token-0a1b2c3d4e5f';
const PUBLIC_PORT_WARNING = '/metrics and the reasons of GET /readyz are served on the public port';
const bearer = { authorization: `Bearer ${METRICS_TOKEN}` };

describe('/metrics without METRICS_PORT or METRICS_TOKEN (HTTP mode)', () => {
  let bot: TestWarroom;
  beforeAll(async () => {
    bot = await startTestWarroom({ mode: 'http' });
  });
  afterAll(() => bot.stop());

  it('serves /metrics on the public port, as before', async () => {
    const response = await fetch(`${bot.baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('warroom_queue_jobs');
  });

  it('warns once at start-up, naming the variables that fix it', () => {
    const warnings = bot
      .logs()
      .split('\n')
      .filter((line) => line.includes(PUBLIC_PORT_WARNING));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0] ?? '{}')).toMatchObject({ level: 'warn' });
    expect(warnings[0]).toContain('METRICS_PORT');
    expect(warnings[0]).toContain('METRICS_TOKEN');
  });
});

describe('/metrics without METRICS_PORT or METRICS_TOKEN, in Socket Mode', () => {
  it('does not warn: the port takes no requests from Slack', async () => {
    const socketMode = await FakeSocketMode.start();
    const slack = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
    slack.attachSocketMode(socketMode);
    const bot = await startTestWarroom({ mode: 'socket', slack });
    try {
      await socketMode.connected();
      expect(bot.logs()).toContain('Warroom started');
      expect(bot.logs()).not.toContain(PUBLIC_PORT_WARNING);
    } finally {
      await bot.stop();
      await socketMode.close();
      await slack.close();
    }
  });
});

describe('/metrics with METRICS_TOKEN only', () => {
  let bot: TestWarroom;
  beforeAll(async () => {
    bot = await startTestWarroom({ mode: 'http', env: { METRICS_TOKEN } });
  });
  afterAll(() => bot.stop());

  it('asks for the bearer token on the public port', async () => {
    const refused = await fetch(`${bot.baseUrl}/metrics`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(await refused.text()).not.toContain('warroom_');
    expect(
      (await fetch(`${bot.baseUrl}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status,
    ).toBe(401);
    const served = await fetch(`${bot.baseUrl}/metrics`, { headers: bearer });
    expect(served.status).toBe(200);
    expect(await served.text()).toContain('warroom_queue_jobs');
  });

  it('does not warn, and keeps the token out of the log', () => {
    expect(bot.logs()).not.toContain(PUBLIC_PORT_WARNING);
    expect(bot.logs()).not.toContain(METRICS_TOKEN);
  });
});

describe('/metrics with METRICS_PORT', () => {
  it('serves /metrics on its own port only, and closes that port on stop', async () => {
    const metricsPort = await freePort();
    const bot = await startTestWarroom({ mode: 'http', env: { METRICS_PORT: String(metricsPort) } });
    const metricsUrl = `http://127.0.0.1:${metricsPort}`;
    try {
      expect(bot.warroom.metricsPort).toBe(metricsPort);
      expect((await fetch(`${bot.baseUrl}/metrics`)).status).toBe(404);
      const served = await fetch(`${metricsUrl}/metrics`);
      expect(served.status).toBe(200);
      expect(await served.text()).toContain('warroom_queue_jobs');
      expect(await (await fetch(`${metricsUrl}/readyz`)).json()).toEqual({ status: 'ready' });
      expect(bot.logs()).not.toContain(PUBLIC_PORT_WARNING);
    } finally {
      await bot.stop();
    }
    await expect(fetch(`${metricsUrl}/metrics`)).rejects.toThrow();
  });

  it('binds to 127.0.0.1 unless METRICS_HOST says otherwise', async () => {
    const bot = await startTestWarroom({ mode: 'http', env: { METRICS_PORT: '0' } });
    try {
      const started = bot
        .logs()
        .split('\n')
        .find((line) => line.includes('"msg":"Warroom started"'));
      expect(JSON.parse(started ?? '{}')).toMatchObject({ metricsPort: bot.warroom.metricsPort });
      const local = await fetch(`http://127.0.0.1:${bot.warroom.metricsPort}/metrics`);
      expect(local.status).toBe(200);
    } finally {
      await bot.stop();
    }
  });
});

describe('/readyz while Redis is down, with METRICS_PORT', () => {
  it('gives its status alone on the public port and the reasons on the metrics port', async () => {
    const deadRedis = `redis://127.0.0.1:${await freePort()}`;
    const surface = await startSurfaceBot({ REDIS_URL: deadRedis, METRICS_TOKEN: '' });
    try {
      const publicAnswer = await fetch(`http://127.0.0.1:${surface.port}/readyz`);
      expect(publicAnswer.status).toBe(503);
      expect(await publicAnswer.json()).toEqual({ status: 'not ready' });
      const internal = await fetch(`http://127.0.0.1:${surface.metricsPort}/readyz`);
      expect(internal.status).toBe(503);
      const body = (await internal.json()) as { reasons: string[] };
      expect(body.reasons.join('\n')).toContain('redis: Redis does not answer');
    } finally {
      // Nothing to shut down cleanly without Redis.
      surface.process.kill('SIGKILL');
      await surface.stop();
    }
  });
});
