import { classifyEntry, normaliseMessage } from '../../../src/diag/checks/log-classify';
import { judgeLogs, logFilter, type ServiceLogs } from '../../../src/diag/checks/logs';
import type { LogEntry } from '../../../src/gcp/cloud-gateway';

const NOW = new Date('2026-01-15T10:00:00Z');
const RECENT = new Date(NOW.getTime() - 5 * 60_000).toISOString();
const SYSTEM = 'projects/acme-staging/logs/run.googleapis.com%2Fvarlog%2Fsystem';
const REQUESTS = 'projects/acme-staging/logs/run.googleapis.com%2Frequests';
const STDERR = 'projects/acme-staging/logs/run.googleapis.com%2Fstderr';

const text = (textPayload: string, severity: LogEntry['severity'] = 'ERROR', logName = STDERR): LogEntry => ({
  textPayload,
  severity,
  logName,
  timestamp: RECENT,
});
/** An entry as the GAPIC client may hand it over: the severity a number, though the type says text. */
const numericSeverity = (entry: LogEntry, severity: number): LogEntry => Object.assign(entry, { severity });
const times = (n: number, entry: (i: number) => LogEntry) => Array.from({ length: n }, (_, i) => entry(i));

/** What the staging outage looked like in one service's logs. */
const outage = (): LogEntry[] => [
  ...times(649, (i) => text(`Socket connection failed for 10.20.0.${i % 7}:5432`)),
  text(
    'Traceback (most recent call last):\n  File "main.py"\nsqlalchemy.exc.OperationalError: Connection timed out',
  ),
  text('Application startup failed. Exiting.'),
  text('Container called exit(3).', 'WARNING', SYSTEM),
  text(
    'Default STARTUP TCP probe failed 1 time consecutively for container "backend" on port 8080.',
    'ERROR',
    SYSTEM,
  ),
];

const logs = (service: string, entries: LogEntry[], truncated = false): ServiceLogs => ({
  service,
  entries,
  truncated,
});

describe('logs judge', () => {
  it.each<[string, ServiceLogs[], string, RegExp, Record<string, unknown>]>([
    [
      'passes quiet services',
      [logs('backend', []), logs('auth', [])],
      'ok',
      /^no errors in 30 min across 2 services$/,
      { errorCount: 0 },
    ],
    [
      'separates connectivity from application errors in the outage',
      [logs('backend', outage())],
      'fail',
      /^651 errors in 30 min, 650 connectivity \(Socket connection failed ×649, Connection timed out ×1\), 1 application, 2 start-up failures$/,
      { connectivityErrors: 650, applicationErrors: 1, startupFailures: 2, logsTruncated: false },
    ],
    [
      'fails on many application errors with no connectivity signature',
      [
        logs(
          'backend',
          times(12, () => text('Traceback (most recent call last):\nKeyError: user_id')),
        ),
      ],
      'fail',
      /^12 errors in 30 min, 12 application$/,
      { applicationErrors: 12, connectivityErrors: 0 },
    ],
    [
      'warns on several application errors',
      [
        logs(
          'backend',
          times(6, () => text('ValueError: bad input')),
        ),
      ],
      'warn',
      /^6 errors in 30 min, 6 application$/,
      { applicationErrors: 6 },
    ],
    [
      'passes a few sporadic application errors as background noise, still counting them',
      [
        logs(
          'backend',
          times(2, () => text('ValueError: bad input')),
        ),
      ],
      'ok',
      /^2 errors in 30 min, 2 application$/,
      { applicationErrors: 2 },
    ],
    [
      'reports 1000+ when paging stopped at the cap',
      [
        logs(
          'backend',
          times(1000, () => text('Socket connection failed')),
          true,
        ),
      ],
      'fail',
      /^1000\+ errors in 30 min/,
      { logsTruncated: true, errorCount: 1000 },
    ],
    [
      'finds signatures in JSON payloads (ETIMEDOUT from Node)',
      [
        logs('auth', [
          {
            jsonPayload: { message: 'connect ETIMEDOUT 10.20.0.3:5432' },
            severity: 'ERROR',
            timestamp: RECENT,
          },
        ]),
      ],
      'fail',
      /1 connectivity \(ETIMEDOUT ×1\)/,
      { connectivityErrors: 1 },
    ],
    [
      'counts "too many clients" apart, for the connection verdict',
      [logs('backend', [text('FATAL: sorry, too many clients already')])],
      'fail',
      /too many clients ×1/,
      { tooManyClients: 1 },
    ],
    [
      'ignores entries below ERROR and routine system warnings',
      [logs('backend', [text('slow request', 'WARNING'), text('Starting new instance', 'WARNING', SYSTEM)])],
      'ok',
      /^no errors/,
      { errorCount: 0 },
    ],
    [
      'ignores entries older than the window',
      [logs('backend', [{ ...text('Socket connection failed'), timestamp: '2026-01-15T08:00:00Z' }])],
      'ok',
      /^no errors/,
      { connectivityErrors: 0 },
    ],
    [
      'counts 5xx in the request log as failed requests, not application errors',
      [
        logs(
          'backend',
          times(5, () =>
            text('The request failed because either the HTTP response was malformed', 'ERROR', REQUESTS),
          ),
        ),
      ],
      'fail',
      /^5 errors in 30 min, 0 application, 5 failed requests$/,
      { failedRequests: 5, applicationErrors: 0 },
    ],
    [
      'accepts numeric severities (500 = ERROR)',
      [logs('backend', [numericSeverity(text('RuntimeError: boom'), 500)])],
      'ok',
      /1 application/,
      { applicationErrors: 1 },
    ],
  ])('%s', (_title, services, status, summary, signals) => {
    const finding = judgeLogs(services, NOW);
    expect(finding.status).toBe(status);
    expect(finding.summary).toMatch(summary);
    expect(finding.evidence).toMatchObject(signals);
  });

  it('lists the top three distinct messages per service, ids and numbers stripped', () => {
    const details = judgeLogs([logs('backend', outage())], NOW).details;
    expect(details[0]).toBe(
      'backend: 651 errors (650 connectivity, 1 application, 0 failed requests), 2 start-up failures.',
    );
    expect(details[1]).toBe('backend: 649× Socket connection failed for #.#.#.#:#');
    expect(details).toHaveLength(4);
  });
});

/** How the Auth Proxy, Cloud Run's Cloud SQL connection and the connector libraries word a refusal for lack of IAM permission. */
const REFUSALS: Array<[source: string, message: string]> = [
  [
    'Auth Proxy v2 (boss::NOT_AUTHORIZED)',
    'failed to connect to instance: Refresh error: failed to get instance metadata (connection name = "acme-staging:us-central1:staging-db"): googleapi: Error 403: boss::NOT_AUTHORIZED: Not authorized to access resource. Possibly missing permission cloudsql.instances.get on resource instances/staging-db., forbidden',
  ],
  [
    'Auth Proxy v1 (notAuthorized)',
    'couldn\'t connect to "acme-staging:us-central1:staging-db": ensure that the account has access to "acme-staging:us-central1:staging-db" (and make sure there\'s no typo in that name). Error during createEphemeral for acme-staging:us-central1:staging-db: googleapi: Error 403: The client is not authorized to make this request., notAuthorized',
  ],
  [
    "Cloud Run's Cloud SQL connection",
    'Cloud SQL connection failed. Please see https://cloud.google.com/sql/docs/postgres/connect-run for additional details: ensure that the account has access to "acme-staging:us-central1:staging-db". Error during generateEphemeral: googleapi: Error 403: The client is not authorized to make this request.',
  ],
  [
    'a missing connect permission',
    'Error 403: missing permission cloudsql.instances.connect on instances/staging-db',
  ],
  [
    'the Python connector',
    "aiohttp.client_exceptions.ClientResponseError: 403, message=\"Forbidden: Authenticated IAM principal does not seeem authorized to make API request. Verify 'Cloud SQL Admin API' is enabled within your GCP project and 'Cloud SQL Client' role has been granted to IAM principal.\"",
  ],
  [
    'the Java connector',
    'com.google.cloud.sql.core.TerminalException: [acme-staging:us-central1:staging-db] The Google Cloud SQL Admin API failed for the project "acme-staging". Reason: 403 Forbidden',
  ],
];

describe('logs judge on Cloud SQL refusals', () => {
  it.each(REFUSALS)('counts %s as sqlNotAuthorized, not as connectivity', (_source, message) => {
    const finding = judgeLogs([logs('backend', [text(message)])], NOW);
    expect(finding.status).toBe('fail');
    expect(finding.evidence).toMatchObject({
      sqlNotAuthorized: 1,
      connectivityErrors: 0,
      applicationErrors: 0,
    });
    expect(finding.summary).toBe(
      '1 errors in 30 min, 1 Cloud SQL not authorized (NOT_AUTHORIZED), 0 application',
    );
  });

  it('finds a refusal in a JSON payload and in a traceback line', () => {
    const entries: LogEntry[] = [
      {
        jsonPayload: { message: 'db refresh failed', error: 'boss::NOT_AUTHORIZED' },
        severity: 'ERROR',
        timestamp: RECENT,
      },
      text('Traceback (most recent call last):\n  File "db.py"\nRuntimeError: 403 notAuthorized'),
    ];
    expect(judgeLogs([logs('auth', entries)], NOW).evidence).toMatchObject({ sqlNotAuthorized: 2 });
  });

  it('names the refusals in a detail line with the top message, cut to the reason', () => {
    const finding = judgeLogs(
      [
        logs('backend', [
          ...times(40, () => text(REFUSALS[0]?.[1] ?? '')),
          text('Container called exit(1).', 'ERROR', SYSTEM),
        ]),
      ],
      NOW,
    );
    expect(finding.details).toEqual([
      'backend: 40 errors (0 connectivity, 0 application, 0 failed requests, 40 Cloud SQL not authorized), 1 start-up failures.',
      'backend: 40 Cloud SQL connections not authorized (IAM: the runtime service account may not connect), most often 40× …aging-db"): googleapi: Error #: boss::NOT_AUTHORIZED: Not authorized to access resource. Possibly m…',
      'backend: 1× Container called exit(#).',
    ]);
  });

  it('keeps a refusal apart from connectivity errors it sits among', () => {
    const finding = judgeLogs(
      [logs('backend', [text(REFUSALS[1]?.[1] ?? ''), text('connect ECONNREFUSED 10.20.0.3:5432')])],
      NOW,
    );
    expect(finding.evidence).toMatchObject({ sqlNotAuthorized: 1, connectivityErrors: 1 });
    expect(finding.summary).toBe(
      '2 errors in 30 min, 1 connectivity (ECONNREFUSED ×1), 1 Cloud SQL not authorized (NOT_AUTHORIZED), 0 application',
    );
  });

  it('ignores a refusal below ERROR in the application log, counts one in the system log', () => {
    const finding = judgeLogs(
      [logs('backend', [text('403 notAuthorized', 'WARNING'), text('403 notAuthorized', 'WARNING', SYSTEM)])],
      NOW,
    );
    expect(finding.evidence).toMatchObject({ sqlNotAuthorized: 1 });
  });

  it.each<[string, string]>([
    ['a PostgreSQL password failure', 'FATAL: password authentication failed for user "app"'],
    ['an unrelated 403', 'HTTPError: 403 Forbidden for url https://api.example.com/v1/users'],
    ['a mention of the role in prose', 'tip: grant roles/cloudsql.client to the runtime account'],
  ])('does not count %s', (_title, message) => {
    expect(judgeLogs([logs('backend', [text(message)])], NOW).evidence).toMatchObject({
      sqlNotAuthorized: 0,
    });
  });
});

describe('log entry classification', () => {
  it.each<[string, LogEntry, string]>([
    [
      'a start-up probe failure in the system log',
      text('STARTUP HTTP probe failed 3 times', 'ERROR', SYSTEM),
      'startup',
    ],
    ['exit(3) in the system log', text('Container called exit(3).', 'WARNING', SYSTEM), 'startup'],
    [
      'a traceback that hides a connectivity error',
      text('Traceback …\npsycopg2.OperationalError: could not connect to server'),
      'connectivity',
    ],
    ['a plain exception', text('TypeError: undefined is not a function'), 'application'],
    ['a platform error in the system log', text('Memory limit exceeded', 'ERROR', SYSTEM), 'ignore'],
    ['an INFO entry', text('GET /health 200', 'INFO'), 'ignore'],
    [
      'a NOT_AUTHORIZED refusal',
      text('googleapi: Error 403: boss::NOT_AUTHORIZED: Not authorized to access resource.'),
      'sql-not-authorized',
    ],
    [
      "Cloud Run's Cloud SQL connection that cannot reach a private-IP-only instance",
      text(
        'Cloud SQL connection failed. Please see https://cloud.google.com/sql/docs/postgres/connect-run for additional details: failed to connect to instance: Config error: instance does not have IP of type "PUBLIC"',
      ),
      'connectivity',
    ],
    [
      "Cloud Run's Cloud SQL connection refused for lack of permission",
      text(
        'Cloud SQL connection failed. Please see https://cloud.google.com/sql/docs/mysql/connect-run for additional details: googleapi: Error 403: The client is not authorized to make this request., notAuthorized',
      ),
      'sql-not-authorized',
    ],
    [
      'the application finding no proxy socket under /cloudsql',
      text(
        'psycopg2.OperationalError: connection to server on socket "/cloudsql/acme-staging:us-central1:staging-db/.s.PGSQL.5432" failed: No such file or directory',
      ),
      'connectivity',
    ],
  ])('%s → %s', (_title, entry, kind) => {
    expect(classifyEntry(entry).kind).toBe(kind);
  });

  it.each<[string, string]>([
    ['Socket connection failed for 10.0.0.3:5432', 'Socket connection failed for #.#.#.#:#'],
    ['request 3f2b8c1e-1111-4a2b-9c3d-0123456789ab failed', 'request <id> failed'],
    ['trace deadbeefcafebabe1234 lost', 'trace <id> lost'],
    ['\n\n  first   line \nsecond', 'first line'],
  ])('normalises %j', (message, normalised) => {
    expect(normaliseMessage(message)).toBe(normalised);
  });

  it('builds the Cloud Logging filter per service', () => {
    expect(logFilter('acme-staging', 'backend', new Date('2026-01-15T09:30:00Z'))).toBe(
      'resource.type="cloud_run_revision" AND resource.labels.service_name="backend" AND timestamp>="2026-01-15T09:30:00.000Z" AND (severity>=ERROR OR (logName="projects/acme-staging/logs/run.googleapis.com%2Fvarlog%2Fsystem" AND severity>=WARNING) OR (logName="projects/acme-staging/logs/run.googleapis.com%2Frequests" AND (httpRequest.status=429 OR httpRequest.status=500)))',
    );
  });
});
