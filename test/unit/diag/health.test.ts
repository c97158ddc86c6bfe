import { type EndpointResult, judgeHealth } from '../../../src/diag/checks/health';

const NOW = new Date('2026-01-15T10:00:00Z');
const endpoint = (name: string, over: Partial<EndpointResult>): EndpointResult => ({
  name,
  url: `https://${name}.example.com/health`,
  ms: 120,
  ...over,
});

describe('health judge', () => {
  it.each<[string, EndpointResult[], string, string, Record<string, unknown>]>([
    [
      'passes endpoints answering 200 within 10 s',
      [endpoint('backend', { status: 200, ms: 120 }), endpoint('auth', { status: 200, ms: 480 })],
      'ok',
      '2/2 endpoints OK, slowest auth 200 in 480 ms',
      { healthTotal: 2, healthFailing: 0, 'ms:auth': 480 },
    ],
    [
      'fails a 503 (the outage)',
      [endpoint('backend', { status: 503, ms: 35 }), endpoint('auth', { status: 200 })],
      'fail',
      '1/2 endpoints failing: backend 503 in 35 ms',
      { healthFailing: 1 },
    ],
    [
      'fails an endpoint that did not answer within the threshold',
      [endpoint('backend', { ms: 10_002, error: 'timeout' })],
      'fail',
      '1/1 endpoints failing: backend no answer within 10 s',
      { healthFailing: 1 },
    ],
    [
      'fails a 200 that arrived after the threshold',
      [endpoint('backend', { status: 200, ms: 12_500 })],
      'fail',
      '1/1 endpoints failing: backend 200 in 13 s',
      { healthFailing: 1 },
    ],
    [
      'fails a refused connection, naming the error code',
      [endpoint('backend', { ms: 3, error: 'ECONNREFUSED' })],
      'fail',
      '1/1 endpoints failing: backend ECONNREFUSED after 3 ms',
      { healthFailing: 1 },
    ],
    [
      'says when the check deadline cut the probe short',
      [endpoint('backend', { ms: 20_000, error: 'deadline' })],
      'fail',
      "1/1 endpoints failing: backend no answer before the check's deadline",
      { healthFailing: 1 },
    ],
    [
      'accepts other 2xx answers',
      [endpoint('backend', { status: 204 })],
      'ok',
      '1/1 endpoints OK, slowest backend 204 in 120 ms',
      {},
    ],
    [
      'fails a redirect that was not followed to a 2xx',
      [endpoint('backend', { status: 302 })],
      'fail',
      '1/1 endpoints failing: backend 302 in 120 ms',
      {},
    ],
  ])('%s', (_title, endpoints, status, summary, signals) => {
    const finding = judgeHealth({ thresholdMs: 10_000, endpoints }, NOW);
    expect(finding.status).toBe(status);
    expect(finding.summary).toBe(summary);
    expect(finding.evidence).toMatchObject(signals);
  });
});
