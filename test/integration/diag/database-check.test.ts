import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import type { EnvironmentConfig } from '../../../src/config/schema';
import { createDatabaseCheck } from '../../../src/diag/checks/database';
import type { CheckContext } from '../../../src/diag/finding';
import type { CloudGateway } from '../../../src/gcp/cloud-gateway';

const PG_HOST = process.env.PGHOST ?? '127.0.0.1';
const PG_PORT = process.env.PGPORT ?? '5432';
const REACHABLE = `postgres://postgres@${PG_HOST}:${PG_PORT}/test`;
const VAR = 'WARROOM_TEST_DSN';

/** The database probe must not touch Google: any call fails the test loudly. */
const noGoogle = new Proxy({} as CloudGateway, {
  get: (_target, method) => () => {
    throw new Error(`the database check called Google (${String(method)})`);
  },
});

const environment: EnvironmentConfig = {
  name: 'staging',
  project: 'acme-staging',
  region: 'us-central1',
  sqlInstance: 'staging-db',
  services: ['backend'],
  healthChecks: [],
  database: { urlEnv: VAR },
  remediation: { approval: 'required' },
  verify: { steps: [] },
};

function context(
  dsn: string | undefined,
  signal = AbortSignal.timeout(10_000),
  env = environment,
): CheckContext {
  return {
    environmentName: 'staging',
    environment: env,
    gateway: noGoogle,
    signal,
    now: new Date(),
    env: { [VAR]: dsn },
  };
}

describe('database check against a real PostgreSQL', () => {
  it('connects, runs SELECT 1 and reports the connect time', async () => {
    const finding = await createDatabaseCheck().run(context(REACHABLE));
    expect(finding.status).toBe('ok');
    expect(finding.summary).toMatch(
      new RegExp(`^connected to ${PG_HOST}:${PG_PORT} in \\d+ ms \\(target < 35 s\\), SELECT 1 ok$`),
    );
    expect(finding.evidence).toMatchObject({ dbConnected: true, dbReachable: true });
    expect(typeof finding.evidence.dbConnectMs).toBe('number');
  });

  it('fails with a clear reason when nothing listens on the port', async () => {
    const finding = await createDatabaseCheck().run(context(`postgres://postgres@127.0.0.1:1/test`));
    expect(finding).toMatchObject({ status: 'fail', summary: 'connection refused by 127.0.0.1:1' });
    expect(finding.evidence).toMatchObject({ dbConnected: false, dbErrorKind: 'refused' });
  });

  it('never shows the password or user when the server rejects the login', async () => {
    const password = 'hunter22-do-not-leak';
    const user = 'warroom_no_such_role';
    const finding = await createDatabaseCheck().run(
      context(`postgres://${user}:${password}@${PG_HOST}:${PG_PORT}/test`),
    );
    const text = JSON.stringify(finding);
    expect(text).not.toContain(password);
    expect(text).not.toContain(user);
    expect(finding.status).toBe('unknown');
    expect(finding.summary).toMatch(
      new RegExp(`${PG_HOST}:${PG_PORT} answered in \\d+ ms but rejected the probe`),
    );
    expect(finding.cannotRun?.fix).toBe(`update the DSN in ${VAR}`);
    expect(finding.evidence).toMatchObject({ dbReachable: true, dbErrorKind: 'auth' });
  });

  describe('against a server that accepts and never answers', () => {
    let server: Server;
    const sockets = new Set<Socket>();
    let port: number;
    beforeAll(async () => {
      server = createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    });

    it("fails after pg's connect timeout, saying how long it waited", async () => {
      const started = Date.now();
      const finding = await createDatabaseCheck({ connectTimeoutMs: 300 }).run(
        context(`postgres://postgres:secret-pw@127.0.0.1:${port}/test`),
      );
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(finding).toMatchObject({
        status: 'fail',
        summary: `no connection to 127.0.0.1:${port} within 300 ms (target < 35 s)`,
      });
      expect(JSON.stringify(finding)).not.toContain('secret-pw');
    });

    it("answers at the check's deadline even when pg would wait longer", async () => {
      const started = Date.now();
      const finding = await createDatabaseCheck({ connectTimeoutMs: 60_000 }).run(
        context(`postgres://postgres@127.0.0.1:${port}/test`, AbortSignal.timeout(300)),
      );
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(finding.status).toBe('unknown');
      expect(finding.cannotRun?.reason).toMatch(/deadline/);
    });
  });

  it('cannot run without the DSN variable, and names it', async () => {
    const finding = await createDatabaseCheck().run(context(undefined));
    expect(finding).toMatchObject({
      status: 'unknown',
      cannotRun: { reason: `environment variable ${VAR} is not set` },
    });
    expect(finding.cannotRun?.fix).toContain(VAR);
  });

  it('is skipped when no probe is configured', async () => {
    const finding = await createDatabaseCheck().run(
      context(REACHABLE, undefined, { ...environment, database: undefined }),
    );
    expect(finding.status).toBe('skipped');
  });
});
