import { type ConnectorEvidence, judgeConnector } from '../../../src/diag/checks/vpc-connector';
import type { TimeSeries, VpcConnector } from '../../../src/gcp/cloud-gateway';

const NOW = new Date('2026-01-15T10:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

/** One series with a point per minute, newest first, as Monitoring returns them. */
function series(
  values: number[],
  as: 'int64' | 'double' | 'distribution' = 'double',
  offset = 0,
): TimeSeries {
  return {
    points: values.map((v, i) => ({
      interval: { startTime: minutesAgo(i + offset + 1), endTime: minutesAgo(i + offset) },
      value:
        as === 'int64'
          ? { int64Value: String(v) }
          : as === 'distribution'
            ? { distributionValue: { count: '3', mean: v } }
            : { doubleValue: v },
    })),
  };
}

const connector = (over: VpcConnector = {}): VpcConnector => ({
  name: 'projects/acme-staging/locations/us-central1/connectors/staging-connector',
  network: 'default',
  state: 'READY',
  minInstances: 2,
  maxInstances: 10,
  machineType: 'e2-micro',
  ...over,
});

function evidence(
  over: Partial<VpcConnector> | null,
  metrics: ConnectorEvidence['metrics'] = {
    instances: [series([3, 3], 'int64')],
    cpu: [series([0.3, 0.25])],
  },
): ConnectorEvidence {
  return {
    project: 'acme-staging',
    region: 'us-central1',
    name: 'staging-connector',
    connector: over === null ? null : connector(over),
    metrics,
  };
}

describe('vpc-connector judge', () => {
  it.each<[string, ConnectorEvidence, string, RegExp, Record<string, unknown>]>([
    [
      'passes a READY connector with headroom',
      evidence({}),
      'ok',
      /^READY, 3\/10 instances, CPU 0\.30$/,
      { connectorState: 'READY', connectorAtMax: false, connectorSaturated: false, connectorMetrics: true },
    ],
    [
      'fails a connector in ERROR',
      evidence({ state: 'ERROR' }),
      'fail',
      /^ERROR, /,
      { connectorState: 'ERROR' },
    ],
    [
      'reads a numeric state from the GAPIC client (4 = ERROR)',
      evidence({ state: 4 }),
      'fail',
      /^ERROR/,
      { connectorState: 'ERROR' },
    ],
    ['reads a numeric READY (1)', evidence({ state: 1 }), 'ok', /^READY/, { connectorState: 'READY' }],
    [
      'fails while CREATING: anything but READY fails',
      evidence({ state: 'CREATING' }),
      'fail',
      /^CREATING/,
      {},
    ],
    [
      'fails a connector that does not exist',
      evidence(null),
      'fail',
      /^staging-connector not found in us-central1$/,
      { connectorState: 'NOT_FOUND' },
    ],
    [
      'warns at max instances with moderate CPU',
      evidence({ maxInstances: 3 }, { instances: [series([3, 3, 2], 'int64')], cpu: [series([0.5])] }),
      'warn',
      /^READY, 3\/3 instances \(max\), CPU 0\.50$/,
      { connectorAtMax: true, connectorSaturated: false },
    ],
    [
      'fails at max instances with high CPU (the outage shape)',
      evidence({ maxInstances: 3 }, { instances: [series([3, 3], 'int64')], cpu: [series([0.94, 0.88])] }),
      'fail',
      /^READY, 3\/3 instances \(max\), CPU 0\.94$/,
      { connectorAtMax: true, connectorSaturated: true, connectorCpu: 0.94 },
    ],
    [
      'fails on CPU ≥ 0.9 even below max',
      evidence({}, { instances: [series([4], 'int64')], cpu: [series([0.92])] }),
      'fail',
      /CPU 0\.92/,
      { connectorSaturated: true, connectorAtMax: false },
    ],
    [
      'warns on CPU ≥ 0.7 below max',
      evidence({}, { instances: [series([4], 'int64')], cpu: [series([0.75])] }),
      'warn',
      /CPU 0\.75/,
      { connectorSaturated: false },
    ],
    [
      'reads CPU from a distribution mean (the metric is a distribution)',
      evidence({}, { instances: [series([2], 'int64')], cpu: [series([0.4, 0.91], 'distribution')] }),
      'fail',
      /CPU 0\.91/,
      { connectorCpu: 0.91 },
    ],
    [
      'judges on state alone when Monitoring is denied, and says so',
      evidence(
        {},
        {
          unavailable: 'permission denied (monitoring.timeSeries.list)',
          fix: 'grant roles/monitoring.viewer',
        },
      ),
      'ok',
      /^READY, no Monitoring data \(permission denied \(monitoring\.timeSeries\.list\)\)$/,
      {
        connectorMetrics: false,
        connectorInstances: null,
        connectorCpu: null,
        connectorMetricsGap: 'permission denied (monitoring.timeSeries.list) — grant roles/monitoring.viewer',
      },
    ],
    [
      'ignores points older than the 10-minute window',
      evidence({}, { instances: [series([10], 'int64', 30)], cpu: [series([0.99], 'double', 30)] }),
      'ok',
      /no Monitoring data \(no data points in the window\)/,
      { connectorMetrics: false },
    ],
    [
      'warns when the connector reports no state',
      evidence({ state: null }),
      'warn',
      /^state not reported/,
      { connectorState: null },
    ],
    [
      'still reads a state when instance bounds are missing',
      evidence({ minInstances: null, maxInstances: null }),
      'ok',
      /^READY, 3\/\? instances/,
      { connectorAtMax: false, connectorMaxInstances: null },
    ],
  ])('%s', (_title, input, status, summary, signals) => {
    const finding = judgeConnector(input, NOW);
    expect(finding.status).toBe(status);
    expect(finding.summary).toMatch(summary);
    expect(finding.evidence).toMatchObject(signals);
    expect(finding.check).toBe('vpc-connector');
  });

  it('reports throughput when the byte counters are available', () => {
    const finding = judgeConnector(
      evidence(
        {},
        {
          instances: [series([3], 'int64')],
          cpu: [series([0.3])],
          sentBytes: [series([60_000_000, 60_000_000], 'int64')],
          receivedBytes: [series([6_000], 'int64')],
        },
      ),
      NOW,
    );
    expect(finding.details.join('\n')).toMatch(
      /Throughput \(10-min average\): 200 kB\/s sent, 10 B\/s received/,
    );
  });

  it('names the project and region so next steps can quote commands', () => {
    expect(judgeConnector(evidence({}), NOW).evidence).toMatchObject({
      project: 'acme-staging',
      region: 'us-central1',
      connectorName: 'staging-connector',
    });
  });
});
