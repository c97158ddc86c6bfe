import { cannotRunJudgement } from '../../../src/diag/checks/cannot-run';
import { judgeCloudRun } from '../../../src/diag/checks/cloud-run';
import { judgeLogs } from '../../../src/diag/checks/logs';
import { runJudged } from '../../../src/diag/checks/with-deadline';
import { GcpError, type LogEntry } from '../../../src/gcp/cloud-gateway';

const NOW = new Date('2026-01-15T10:00:00Z');
const RECENT = new Date(NOW.getTime() - 5 * 60_000).toISOString();
const STDERR = 'projects/acme-staging/logs/run.googleapis.com%2Fstderr';
const BASE = 'projects/acme-staging/locations/us-central1';

const PASSWORD = 'Hunter2-9f8e7d';
const BEARER = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvcHMifQ.c2lnbmF0dXJl';
const KEY = 'AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY';
const SECRETS = [PASSWORD, BEARER, KEY, 'sk-live-00aa11bb'];
/** Log lines an application might write when its database or an API refuses it. */
const LINES = [
  `could not connect to postgres://app:${PASSWORD}@10.20.0.3:5432/app`,
  `connection "host=10.20.0.3 user=app password=${PASSWORD}" refused`,
  `upstream 401 for Authorization: Bearer ${BEARER}`,
  `GET https://maps.googleapis.com/maps/api/geocode/json?address=x&key=${KEY} failed`,
  'POST /v1/chat {"model":"x","api_key":"sk-live-00aa11bb"} answered 500',
];

const everything = (value: unknown) => JSON.stringify(value);
const expectNoSecret = (value: unknown) => {
  for (const secret of SECRETS) expect(everything(value)).not.toContain(secret);
};

describe('diagnostics never show a credential they read', () => {
  it('in the log lines the logs check quotes', () => {
    const entries: LogEntry[] = LINES.flatMap((textPayload) =>
      Array.from({ length: 3 }, () => ({
        textPayload,
        severity: 'ERROR',
        logName: STDERR,
        timestamp: RECENT,
      })),
    );
    const judged = judgeLogs([{ service: 'backend', entries, truncated: false }], NOW);
    expect(judged.details.join('\n')).toContain('postgres://app:[redacted]@');
    expectNoSecret(judged);
  });

  it('in a JSON log line quoted whole', () => {
    const entry: LogEntry = {
      jsonPayload: { level: 'error', context: { password: PASSWORD, authorization: `Bearer ${BEARER}` } },
      severity: 'ERROR',
      logName: STDERR,
      timestamp: RECENT,
    };
    expectNoSecret(judgeLogs([{ service: 'backend', entries: [entry], truncated: false }], NOW));
  });

  it('in a revision condition message, which quotes the container', () => {
    const message = `Container called exit(1). ${LINES[0]}`;
    const judged = judgeCloudRun(
      [
        {
          name: 'backend',
          service: {
            name: `${BASE}/services/backend`,
            terminalCondition: { type: 'Ready', state: 'CONDITION_FAILED', message },
            latestCreatedRevision: `${BASE}/services/backend/revisions/backend-00043-xyz`,
          },
          revisions: [],
        },
      ],
      { region: 'us-central1' },
      NOW,
    );
    expect(judged.details.join('\n')).toContain('exit(1)');
    expectNoSecret(judged);
  });

  it.each([
    ['a Google error', new GcpError(`getService: bad request near "password=${PASSWORD}"`, 'other', 400)],
    ['a not-found error', new GcpError(`getService: ${LINES[2]} not found`, 'not-found', 404)],
    ['any other error', new Error(LINES[1])],
  ])('in why a check could not run: %s', (_, error) => {
    expectNoSecret(cannotRunJudgement('cloud-run', error));
  });

  it('in whatever a check returns, as the runner hands it on', async () => {
    const finding = await runJudged('logs', { signal: new AbortController().signal }, async () => ({
      check: 'logs',
      status: 'fail',
      summary: LINES[0] ?? '',
      details: LINES,
      evidence: { sample: LINES[2] ?? '', count: 3 },
      cannotRun: { reason: LINES[3] ?? '', fix: LINES[4] },
    }));
    expect(finding.evidence.count).toBe(3);
    expect(finding.details).toHaveLength(LINES.length);
    expectNoSecret(finding);
  });
});
