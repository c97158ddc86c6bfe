import { classifyEntry } from '../../../src/diag/checks/log-classify';
import { judgeLogs, type ServiceLogs } from '../../../src/diag/checks/logs';
import { type CapacityEvidence, judgeCapacity } from '../../../src/diag/checks/service-capacity';
import type { LogEntry, TimeSeries } from '../../../src/gcp/cloud-gateway';

const NOW = new Date('2026-01-15T10:00:00Z');
const SINCE = NOW.getTime() - 30 * 60_000;
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();
const REQUESTS = 'projects/acme-staging/logs/run.googleapis.com%2Frequests';
const STDOUT = 'projects/acme-staging/logs/run.googleapis.com%2Fstdout';
const ABORTED =
  'The request was aborted because there was no available instance. Additional troubleshooting documentation can be found at: https://cloud.google.com/run/docs/troubleshooting#abort-request';

const request = (status: number, severity: string, textPayload?: string, logName = REQUESTS): LogEntry => ({
  logName,
  severity,
  timestamp: minutesAgo(3),
  httpRequest: { requestMethod: 'GET', status },
  ...(textPayload ? { textPayload } : {}),
});

/** instance_count per state, one point a minute for `values.length` minutes ending now. */
const series = (state: string, values: number[]): TimeSeries => ({
  metric: { type: 'run.googleapis.com/container/instance_count', labels: { state } },
  points: values.map((value, i) => {
    const at = minutesAgo(values.length - 1 - i);
    return { interval: { startTime: at, endTime: at }, value: { int64Value: String(value) } };
  }),
});

const capacity = (over: Partial<CapacityEvidence>): CapacityEvidence => ({
  service: 'backend',
  maxInstances: 20,
  instances: [series('active', [4, 12, 18]), series('idle', [1, 1, 2])],
  ...over,
});

describe('rejections in the request log', () => {
  it.each<[string, LogEntry, string]>([
    ['a 429 at WARNING saying "no available instance"', request(429, 'WARNING', ABORTED), 'rejected'],
    ['a 500 saying it', request(500, 'ERROR', ABORTED), 'rejected'],
    [
      'a 429 whose status message in the payload says it',
      { ...request(429, 'WARNING'), jsonPayload: { message: 'no available instance' } },
      'rejected',
    ],
    ['a 503 with other words is a failed request', request(503, 'ERROR', 'Service Unavailable'), 'request'],
    ['a 503 saying it is not a capacity rejection', request(503, 'ERROR', ABORTED), 'request'],
    ['a 429 without the words is ignored', request(429, 'WARNING', 'Too Many Requests'), 'ignore'],
    [
      'the words in the application log are not a rejection',
      request(500, 'ERROR', ABORTED, STDOUT),
      'application',
    ],
  ])('%s → %s', (_title, entry, kind) => {
    expect(classifyEntry(entry).kind).toBe(kind);
  });
});

describe('capacity judge', () => {
  it.each<[string, CapacityEvidence, { atMax: boolean; peakInstances?: number; gap?: string }]>([
    [
      'sums active and idle instances and sees the max reached',
      capacity({}),
      { atMax: true, peakInstances: 20 },
    ],
    ['below max', capacity({ maxInstances: 40 }), { atMax: false, peakInstances: 20 }],
    [
      'a service pinned at min = max is not hitting a limit',
      capacity({ maxInstances: 20, minInstances: 20 }),
      { atMax: false, peakInstances: 20 },
    ],
    ['no max set', capacity({ maxInstances: undefined }), { atMax: false, peakInstances: 20 }],
    [
      'points older than the window do not count',
      capacity({ instances: [series('active', [25, ...Array(40).fill(3)])] }),
      { atMax: false, peakInstances: 3 },
    ],
    [
      'no data',
      capacity({ instances: [] }),
      { atMax: false, peakInstances: undefined, gap: 'no instance_count data in the window' },
    ],
    [
      'Monitoring denied',
      capacity({ instances: { unavailable: 'permission denied', fix: 'grant roles/monitoring.viewer' } }),
      { atMax: false, gap: 'permission denied — grant roles/monitoring.viewer' },
    ],
  ])('%s', (_title, evidence, expected) => {
    expect(judgeCapacity(evidence, SINCE)).toMatchObject(expected);
  });
});

describe('logs judge with capacity', () => {
  const backend = (entries: LogEntry[], over: Partial<CapacityEvidence> = {}): ServiceLogs => ({
    service: 'backend',
    entries,
    truncated: false,
    capacity: capacity(over),
  });

  it('fails on rejections and reports the figures per service', () => {
    const judgement = judgeLogs(
      [backend(Array.from({ length: 134 }, () => request(429, 'WARNING', ABORTED)))],
      NOW,
    );
    expect(judgement.status).toBe('fail');
    expect(judgement.summary).toBe(
      '0 errors in 30 min, 134 requests rejected (no available instance), backend at max 20 instances',
    );
    expect(judgement.evidence).toMatchObject({
      rejectedRequests: 134,
      servicesAtMaxInstances: 1,
      failedRequests: 0,
      'rejected:backend': 134,
      'peakInstances:backend': 20,
      'maxInstances:backend': 20,
    });
    expect(judgement.details).toContain(
      'backend: ran 20 of max 20 instances; 134 requests rejected with "no available instance" in 30 min.',
    );
  });

  it('warns when a service reached its max without rejecting anything', () => {
    const judgement = judgeLogs([backend([])], NOW);
    expect(judgement.status).toBe('warn');
    expect(judgement.summary).toBe('no errors in 30 min across 1 services, backend at max 20 instances');
    expect(judgement.evidence).toMatchObject({ rejectedRequests: 0, servicesAtMaxInstances: 1 });
  });

  it('stays ok below the max', () => {
    const judgement = judgeLogs([backend([], { maxInstances: 100 })], NOW);
    expect(judgement.status).toBe('ok');
    expect(judgement.evidence).toMatchObject({ servicesAtMaxInstances: 0, 'maxInstances:backend': 100 });
  });
});
