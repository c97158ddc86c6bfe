// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} here is the config's placeholder syntax, meant literally.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import type { EnvironmentConfig, VerifyStep } from '../../../src/config/schema';
import { GoogleCloudGateway } from '../../../src/gcp/google-cloud-gateway';
import { CloudSimulator } from '../../../src/simulator/cloud-simulator';
import { loadScenario } from '../../../src/simulator/load-scenario';
import { describeCoverage } from '../../../src/verify/describe-coverage';
import { renderVerifyResult } from '../../../src/verify/render-verify';
import { runVerification } from '../../../src/verify/verify';
import type { CriterionResult, VerifyResult } from '../../../src/verify/verify-result';

const THRESHOLD_MS = 300;
const PG_HOST = process.env.PGHOST ?? '127.0.0.1';
const PG_PORT = process.env.PGPORT ?? '5432';
const PG_USER = process.env.PGUSER ?? 'postgres';
const REACHABLE_DSN = `postgres://${PG_USER}@${PG_HOST}:${PG_PORT}/test`;
const DSN_VAR = 'WARROOM_VERIFY_TEST_DSN';

// Secrets the verification handles; none may appear in a result or a rendered message.
const PASSWORD = 'correct-horse-battery-staple-7431';
const TOKEN = 'tok-5b1f0c2e-9d7a-captured-secret';
const DB_PASSWORD = 'db-pass-never-shown-2290';

/** Stands in for the product: health endpoints, a login that hands out a token and an AI endpoint behind it. */
function productApi(request: IncomingMessage, response: ServerResponse, timers: Set<NodeJS.Timeout>): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    switch (new URL(request.url ?? '/', 'http://localhost').pathname) {
      case '/ok':
        response.writeHead(200).end('ok');
        return;
      case '/down':
        response.writeHead(503).end('Service Unavailable');
        return;
      case '/slow': {
        timers.add(setTimeout(() => response.writeHead(200).end('late'), THRESHOLD_MS * 4));
        return;
      }
      case '/api/login': {
        const { email, password } = JSON.parse(body || '{}') as { email?: string; password?: string };
        if (request.method !== 'POST' || email !== 'ops@example.com' || password !== PASSWORD) {
          response
            .writeHead(401, { 'content-type': 'application/json' })
            .end('{"error":"invalid credentials"}');
          return;
        }
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ access_token: TOKEN, data: { user: { id: 42 } } }));
        return;
      }
      case '/api/ai/chat':
        if (request.headers.authorization !== `Bearer ${TOKEN}`) {
          response.writeHead(401).end('{"error":"login required"}');
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"answer":"pong"}');
        return;
      default:
        response.writeHead(404).end();
    }
  });
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Every text a person could see: the result and the rendered message. */
const everything = (result: VerifyResult) =>
  JSON.stringify(result) + JSON.stringify(renderVerifyResult(result, { requestedBy: 'U0ALICE' }));

const byName = (result: VerifyResult) =>
  Object.fromEntries(result.criteria.map((c) => [c.criterion, c])) as Record<
    CriterionResult['criterion'],
    CriterionResult
  >;

describe('/incident verify against real servers', () => {
  let api: Server;
  let base: string;
  const timers = new Set<NodeJS.Timeout>();
  let healthy: CloudSimulator;
  let outage: CloudSimulator;
  let denied: CloudSimulator;
  const gateways = new Map<CloudSimulator, GoogleCloudGateway>();
  let deadPort: number;

  beforeAll(async () => {
    api = createServer((request, response) => productApi(request, response, timers));
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    // The first fetch in a process loads undici (~150 ms), which would eat into the 300 ms threshold.
    await (await fetch(`${base}/ok`)).text();
    const withoutRunAccess = loadScenario('healthy');
    [healthy, outage, denied] = await Promise.all([
      CloudSimulator.start({ scenario: 'healthy' }),
      CloudSimulator.start({ scenario: 'staging-outage' }),
      CloudSimulator.start({
        scenario: {
          ...withoutRunAccess,
          faults: { ...withoutRunAccess.faults, permissionDenied: ['run.services.get'] },
        },
      }),
    ]);
    for (const simulator of [healthy, outage, denied]) {
      const gateway = GoogleCloudGateway.create({
        emulator: { host: simulator.host, port: simulator.port },
        retry: { attempts: 2, baseDelayMs: 10 },
      });
      gateways.set(simulator, gateway);
      // Loads the client libraries now rather than while a verification is timing health probes.
      await gateway.getService('acme-staging', 'us-central1', 'backend').catch(() => undefined);
    }
    deadPort = await closedPort();
  });

  afterAll(async () => {
    for (const timer of timers) clearTimeout(timer);
    api.closeAllConnections();
    await new Promise((resolve) => api.close(resolve));
    await Promise.all([...gateways.values()].map((g) => g.close()));
    await Promise.all([healthy, outage, denied].map((s) => s.close()));
  });

  const login: VerifyStep = {
    name: 'login',
    method: 'POST',
    url: '', // set per test, once the server has a port
    headers: { 'content-type': 'application/json' },
    body: '{"email":"${env:VERIFY_USER}","password":"${env:VERIFY_PASSWORD}"}',
    expectStatus: [200],
    capture: { token: 'access_token', user_id: 'data.user.id' },
    timeoutMs: 2_000,
  };
  const aiResponse: VerifyStep = {
    name: 'ai-response',
    method: 'POST',
    url: '',
    headers: { 'content-type': 'application/json', authorization: 'Bearer ${token}' },
    body: '{"prompt":"ping"}',
    expectStatus: [200],
    capture: {},
    timeoutMs: 2_000,
  };

  function environment(patch: Partial<EnvironmentConfig> = {}): EnvironmentConfig {
    return {
      name: 'staging',
      project: 'acme-staging',
      region: 'us-central1',
      connector: 'staging-connector',
      sqlInstance: 'staging-db',
      services: ['backend', 'auth', 'ai'],
      healthChecks: [
        { name: 'backend', url: `${base}/ok` },
        { name: 'auth', url: `${base}/ok?probe=1` },
      ],
      database: { urlEnv: DSN_VAR },
      remediation: { approval: 'required' },
      verify: {
        steps: [
          { ...login, url: `${base}/api/login` },
          { ...aiResponse, url: `${base}/api/ai/chat` },
        ],
      },
      ...patch,
    };
  }

  const env = { [DSN_VAR]: REACHABLE_DSN, VERIFY_USER: 'ops@example.com', VERIFY_PASSWORD: PASSWORD };

  function verify(
    patch: Partial<EnvironmentConfig> = {},
    options: { simulator?: CloudSimulator; env?: NodeJS.ProcessEnv; healthThresholdMs?: number } = {},
  ) {
    return runVerification({
      environment: environment(patch),
      gateway: gateways.get(options.simulator ?? healthy) as GoogleCloudGateway,
      env: options.env ?? env,
      now: new Date(),
      healthThresholdMs: options.healthThresholdMs ?? THRESHOLD_MS,
    });
  }

  it('passes every criterion when the environment has recovered', async () => {
    const started = Date.now();
    // A generous threshold: this path is about passing, and a busy test machine can be slow.
    const result = await verify({}, { healthThresholdMs: 5_000 });
    const c = byName(result);
    expect(result.criteria.map((x) => [x.criterion, x.status])).toEqual([
      ['health', 'pass'],
      ['database', 'pass'],
      ['cloud-run', 'pass'],
      ['steps', 'pass'],
    ]);
    expect(result.passed).toBe(true);
    expect(Date.parse(result.at)).toBeGreaterThanOrEqual(started - 1_000);
    expect(c.health.summary).toMatch(
      /^2\/2 endpoints 200, slowest (backend|auth) \d+ ms \(target: 200 within 5\.0 s\)$/,
    );
    // The query string (which may hold a token) is not shown.
    expect(c.health.details[1]).toMatch(new RegExp(`^auth 200 in \\d+ ms \\(${base}/ok\\)$`));
    expect(c.database.summary).toMatch(
      new RegExp(`^connected to ${PG_HOST}:${PG_PORT} in \\d+ ms \\(target: connected in under 35 s\\)$`),
    );
    expect(c['cloud-run']).toMatchObject({
      summary: '3/3 services ready (target: every service ready)',
      details: ['backend: ready', 'auth: ready', 'ai: ready'],
    });
    expect(c.steps.summary).toMatch(/^2\/2 steps passed, slowest (login|ai-response) \d+ ms/);
    expect(c.steps.details).toEqual([
      expect.stringMatching(new RegExp(`^login: POST ${base}/api/login → 200 in \\d+ ms$`)),
      expect.stringMatching(new RegExp(`^ai-response: POST ${base}/api/ai/chat → 200 in \\d+ ms$`)),
    ]);
    for (const criterion of result.criteria) expect(criterion.durationMs).toBeGreaterThanOrEqual(0);
    expect(describeCoverage(result)).toBe(
      'Checks health (2 URLs), database connect time, Cloud Run (3 services) and 2 verify steps.',
    );
    const shown = everything(result);
    for (const secret of [PASSWORD, TOKEN, 'ops@example.com', '?probe=1'])
      expect(shown).not.toContain(secret);
  });

  it('fails health on a 503 and on an answer slower than the threshold, naming both', async () => {
    const result = await verify({
      healthChecks: [
        { name: 'backend', url: `${base}/ok` },
        { name: 'auth', url: `${base}/down` },
        { name: 'ai', url: `${base}/slow` },
      ],
    });
    const { health } = byName(result);
    expect(result.passed).toBe(false);
    expect(health.status).toBe('fail');
    expect(health.summary).toMatch(
      /^2\/3 endpoints failing: auth 503 in \d+ ms, ai no answer within 300 ms \(target: 200 within 300 ms\)$/,
    );
    expect(health.details).toHaveLength(3);
    expect(renderVerifyResult(result, {}).text).toMatch(/^staging fails 1 of 4 criteria\./);
  });

  it('fails the database criterion when nothing listens, without showing the DSN', async () => {
    const dsn = `postgres://warroom_probe:${DB_PASSWORD}@127.0.0.1:${deadPort}/app`;
    const result = await verify({}, { env: { ...env, [DSN_VAR]: dsn } });
    const { database } = byName(result);
    expect(database).toMatchObject({
      status: 'fail',
      summary: `connection refused by 127.0.0.1:${deadPort} (target: connected in under 35 s)`,
    });
    const shown = everything(result);
    expect(shown).not.toContain(DB_PASSWORD);
    expect(shown).not.toContain('warroom_probe');
  });

  it('fails the database criterion naming the variable that is not set', async () => {
    const result = await verify({}, { env: { VERIFY_USER: 'ops@example.com', VERIFY_PASSWORD: PASSWORD } });
    expect(byName(result).database).toMatchObject({
      status: 'fail',
      summary: `cannot connect: environment variable ${DSN_VAR} is not set (target: connected in under 35 s)`,
      details: [expect.stringContaining(`set ${DSN_VAR} in Warroom's environment`)],
    });
  });

  it('reads Cloud Run through the simulator and fails on the staging outage', async () => {
    const result = await verify({}, { simulator: outage });
    expect(byName(result)['cloud-run']).toEqual({
      criterion: 'cloud-run',
      status: 'fail',
      summary:
        '3/3 services not ready: backend, auth, ai exited during start-up (exit code 3) (target: every service ready)',
      details: [
        'backend: not ready — exited during start-up (exit code 3)',
        'auth: not ready — exited during start-up (exit code 3)',
        'ai: not ready — exited during start-up (exit code 3)',
      ],
      durationMs: expect.any(Number),
    });
  });

  it('fails Cloud Run with the missing role when Google denies access', async () => {
    const result = await verify({}, { simulator: denied });
    const cloudRun = byName(result)['cloud-run'];
    expect(cloudRun.status).toBe('fail');
    expect(cloudRun.summary).toBe(
      "could not read Cloud Run: permission denied (run.services.get); to fix, grant roles/run.viewer to Warroom's service account (target: every service ready)",
    );
    expect(cloudRun.details).toEqual(['backend: not checked', 'auth: not checked', 'ai: not checked']);
  });

  it('fails the steps at a rejected login and skips the AI request that needs its token', async () => {
    const result = await verify({}, { env: { ...env, VERIFY_PASSWORD: 'wrong-password-1234' } });
    const { steps } = byName(result);
    expect(steps.status).toBe('fail');
    expect(steps.summary).toBe(
      '0/2 steps passed; login failed: answered 401, expected 200; 1 later step skipped (target: every step answers its expected status)',
    );
    expect(steps.details).toEqual([
      expect.stringMatching(
        new RegExp(`^login: POST ${base}/api/login failed after \\d+ ms: answered 401, expected 200$`),
      ),
      'ai-response: not run: step login failed, so ${token} is not available',
    ]);
    expect(everything(result)).not.toContain('wrong-password-1234');
  });

  it('fails the AI step when the token is not sent', async () => {
    const unauthenticated = { ...aiResponse, url: `${base}/api/ai/chat`, headers: {} };
    const result = await verify({ verify: { steps: [unauthenticated] } });
    expect(byName(result).steps.details).toEqual([
      expect.stringMatching(/^ai-response: POST .* failed after \d+ ms: answered 401, expected 200$/),
    ]);
  });

  it('marks what the environment does not configure as not checked, and passes on the rest', async () => {
    const result = await verify({ healthChecks: [], database: undefined, verify: { steps: [] } });
    expect(result.criteria.map((c) => [c.criterion, c.status, c.summary])).toEqual([
      ['health', 'not-checked', 'no health URLs configured: add healthChecks to environments.staging'],
      [
        'database',
        'not-checked',
        'no database probe configured: add database: { urlEnv: <VARIABLE> } to environments.staging',
      ],
      ['cloud-run', 'pass', '3/3 services ready (target: every service ready)'],
      [
        'steps',
        'not-checked',
        'no steps configured: add verify.steps to environments.staging (e.g. log in, then ask for an AI response)',
      ],
    ]);
    expect(result.passed).toBe(true);
    expect(describeCoverage(result)).toBe(
      'Checks Cloud Run (3 services); no health URLs, database probe or steps configured, so endpoint health, connect time and the login path are not verified.',
    );
  });

  it('never rejects, even when the gateway throws', async () => {
    const broken = new Proxy({} as GoogleCloudGateway, {
      get: () => () => {
        throw new Error('gateway exploded at https://user:pw@example.com');
      },
    });
    const result = await runVerification({
      environment: environment({ healthChecks: [], database: undefined, verify: { steps: [] } }),
      gateway: broken,
      env,
      now: new Date(),
    });
    expect(byName(result)['cloud-run']).toMatchObject({
      status: 'fail',
      summary: expect.stringMatching(
        /^could not read Cloud Run: unexpected error: gateway exploded at https:\/\/\*\*\*@/,
      ),
    });
    expect(result.passed).toBe(false);
  });
});
