import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EnvironmentConfig } from '../../../src/config/schema';
import { createHealthCheck } from '../../../src/diag/checks/health';
import type { CheckContext } from '../../../src/diag/finding';
import type { CloudGateway } from '../../../src/gcp/cloud-gateway';

const THRESHOLD_MS = 300;

/** The health probe must not touch Google: any call fails the test loudly. */
const noGoogle = new Proxy({} as CloudGateway, {
  get: (_target, method) => () => {
    throw new Error(`the health check called Google (${String(method)})`);
  },
});

describe('health check against a real HTTP server', () => {
  let server: Server;
  let base: string;
  const timers = new Set<NodeJS.Timeout>();

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/ok') response.writeHead(200).end('ok');
      else if (request.url === '/down') response.writeHead(503).end('Service Unavailable');
      else if (request.url === '/slow') {
        const timer = setTimeout(() => response.writeHead(200).end('late'), THRESHOLD_MS * 4);
        timers.add(timer);
      } else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const timer of timers) clearTimeout(timer);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  function context(paths: Record<string, string>): CheckContext {
    const environment: EnvironmentConfig = {
      name: 'staging',
      project: 'acme-staging',
      region: 'us-central1',
      sqlInstance: 'staging-db',
      services: ['backend'],
      healthChecks: Object.entries(paths).map(([name, path]) => ({ name, url: `${base}${path}` })),
      remediation: { approval: 'required' },
      verify: { steps: [] },
    };
    return {
      environmentName: 'staging',
      environment,
      gateway: noGoogle,
      signal: AbortSignal.timeout(5_000),
      now: new Date(),
      env: {},
    };
  }

  const check = createHealthCheck({ thresholdMs: THRESHOLD_MS });

  it('passes an endpoint answering 200 in time, recording its time', async () => {
    const finding = await check.run(context({ backend: '/ok' }));
    expect(finding.status).toBe('ok');
    expect(finding.summary).toMatch(/^1\/1 endpoints OK, slowest backend 200 in \d+ ms$/);
    expect(typeof finding.evidence['ms:backend']).toBe('number');
  });

  it('fails an endpoint answering 503', async () => {
    const finding = await check.run(context({ backend: '/down' }));
    expect(finding.status).toBe('fail');
    expect(finding.summary).toMatch(/^1\/1 endpoints failing: backend 503 in \d+ ms$/);
  });

  it('fails an endpoint slower than the threshold, without waiting for it', async () => {
    const started = Date.now();
    const finding = await check.run(context({ backend: '/slow' }));
    expect(Date.now() - started).toBeLessThan(THRESHOLD_MS * 3);
    expect(finding).toMatchObject({
      status: 'fail',
      summary: '1/1 endpoints failing: backend no answer within 300 ms',
    });
  });

  it('probes every endpoint in parallel and counts the failing ones', async () => {
    const finding = await check.run(context({ backend: '/ok', auth: '/down', ai: '/slow' }));
    expect(finding.evidence).toMatchObject({ healthTotal: 3, healthFailing: 2 });
    expect(finding.details).toHaveLength(3);
  });

  it('fails a refused connection with its error code', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const environment = {
      ...context({}).environment,
      healthChecks: [{ name: 'gone', url: `http://127.0.0.1:${port}/health` }],
    };
    const finding = await check.run({ ...context({}), environment });
    expect(finding.summary).toMatch(/^1\/1 endpoints failing: gone ECONNREFUSED after \d+ ms$/);
  });

  it('is skipped when no endpoints are configured', async () => {
    expect((await check.run(context({}))).status).toBe('skipped');
  });
});
