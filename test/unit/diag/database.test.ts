import { classifyDbError, type DatabaseProbe, judgeDatabase } from '../../../src/diag/checks/database';
import { dsnParts, redact } from '../../../src/diag/checks/dsn';

const NOW = new Date('2026-01-15T10:00:00Z');
const probe = (over: Partial<DatabaseProbe>): DatabaseProbe => ({
  target: '10.20.0.3:5432',
  urlEnv: 'STAGING_DATABASE_URL',
  connected: false,
  connectTimeoutMs: 18_000,
  ...over,
});

describe('database judge', () => {
  it.each<[string, DatabaseProbe, string, RegExp, Record<string, unknown>]>([
    [
      'passes a quick connection',
      probe({ connected: true, connectMs: 850 }),
      'ok',
      /^connected to 10\.20\.0\.3:5432 in 850 ms \(target < 35 s\), SELECT 1 ok$/,
      { dbConnected: true, dbConnectMs: 850 },
    ],
    [
      'warns above half of the 35 s target',
      probe({ connected: true, connectMs: 20_000 }),
      'warn',
      /in 20 s/,
      { dbConnected: true, dbConnectMs: 20_000 },
    ],
    [
      'fails above the target',
      probe({ connected: true, connectMs: 36_000 }),
      'fail',
      /in 36 s/,
      { dbConnectMs: 36_000 },
    ],
    [
      'fails a connection that never completed',
      probe({ errorKind: 'timeout', elapsedMs: 18_000 }),
      'fail',
      /^no connection to 10\.20\.0\.3:5432 within 18 s \(target < 35 s\)$/,
      { dbConnected: false, dbReachable: false, dbErrorKind: 'timeout' },
    ],
    [
      'fails a refused connection',
      probe({ errorKind: 'refused' }),
      'fail',
      /^connection refused by 10\.20\.0\.3:5432$/,
      { dbErrorKind: 'refused' },
    ],
    [
      'fails when PostgreSQL has no slots left, and flags it',
      probe({ errorKind: 'too-many-clients' }),
      'fail',
      /too many clients/,
      { tooManyClients: 1, dbReachable: true },
    ],
    [
      "cannot judge when the probe's credentials are wrong, but notes the server answered",
      probe({ errorKind: 'auth', elapsedMs: 40 }),
      'unknown',
      /answered in 40 ms but rejected the probe \(authentication failed\)/,
      { dbReachable: true, dbErrorKind: 'auth' },
    ],
    [
      'fails when SELECT 1 fails after connecting',
      probe({ errorKind: 'query' }),
      'fail',
      /but SELECT 1 failed/,
      { dbErrorKind: 'query' },
    ],
  ])('%s', (_title, input, status, summary, signals) => {
    const finding = judgeDatabase(input, NOW);
    expect(finding.status).toBe(status);
    expect(finding.summary).toMatch(summary);
    expect(finding.evidence).toMatchObject(signals);
  });

  it('names the variable to fix when the credentials are wrong', () => {
    expect(judgeDatabase(probe({ errorKind: 'auth' }), NOW).cannotRun?.fix).toBe(
      'update the DSN in STAGING_DATABASE_URL',
    );
  });
});

describe('database errors', () => {
  const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });
  it.each<[string, unknown, string]>([
    ['wrong password', withCode('28P01'), 'auth'],
    ['unknown database', withCode('3D000'), 'no-database'],
    ['too many connections', withCode('53300'), 'too-many-clients'],
    ['starting up', withCode('57P03'), 'starting-up'],
    ['refused', withCode('ECONNREFUSED'), 'refused'],
    ['no route', withCode('EHOSTUNREACH'), 'unreachable'],
    ["pg's own connect timeout", new Error('Connection terminated due to connection timeout'), 'timeout'],
    ['something else', new Error('self-signed certificate'), 'other'],
  ])('%s → %s', (_title, error, kind) => {
    expect(classifyDbError(error)).toBe(kind);
  });
});

describe('DSN handling', () => {
  it.each<[string, string, string[]]>([
    ['postgres://app:s3cr%40t@10.20.0.3:6432/app', '10.20.0.3:6432', ['app', 's3cr%40t', 's3cr@t']],
    ['postgresql://app@db.internal/app', 'db.internal:5432', ['app']],
    ['host=10.20.0.3 port=5433 user=app password=hunter22 dbname=app', '10.20.0.3:5433', ['hunter22', 'app']],
  ])('shows %j as %s and treats the credentials as secrets', (dsn, target, secrets) => {
    const parts = dsnParts(dsn);
    expect(parts.target).toBe(target);
    for (const secret of secrets) expect(parts.secrets).toContain(secret);
    expect(parts.secrets).toContain(dsn);
  });

  it('removes every secret and URL credentials from a message', () => {
    const { secrets } = dsnParts('postgres://app:hunter22@10.20.0.3:5432/app');
    const text = redact(
      'password authentication failed for user "app" (hunter22) at postgres://x:y@host',
      secrets,
    );
    expect(text).not.toMatch(/hunter22|"app"|x:y/);
    expect(text).toContain('//***@host');
  });
});
