import type { TimeSeries, VpcConnector } from '../../gcp/cloud-gateway';
import type { Check, CheckContext, FindingStatus } from '../finding';
import { gapText, isNotFound, needs, type Unavailable, unavailableBecause } from './cannot-run';
import { CONNECTOR_STATES, enumName, toNumber } from './google-values';
import { formatRate, type Judgement, worst } from './judgement';
import { latestOf, maxOf, metricFilter, type Sample, samplesOf, totalOf } from './metrics';
import type { SignalEvidence } from './signals';
import { runJudged } from './with-deadline';

/** How far back Monitoring is read: long enough to see a scale-up, short enough to be "now". */
export const CONNECTOR_WINDOW_MS = 10 * 60_000;
/** CPU thresholds on the window's highest per-minute mean across instances. */
export const CONNECTOR_CPU = { warn: 0.7, fail: 0.9 } as const;
// Monitoring may be slow while the connector itself answers; keep time to judge on state alone.
const METRICS_BUDGET_MS = 12_000;

/** Connector metrics as Monitoring returned them. */
export interface ConnectorMetrics {
  instances: TimeSeries[];
  cpu: TimeSeries[];
  /** Absent when the throughput metrics could not be read; they only add detail. */
  sentBytes?: TimeSeries[];
  receivedBytes?: TimeSeries[];
}

/** Everything the connector judge looks at. */
export interface ConnectorEvidence {
  project: string;
  region: string;
  name: string;
  /** null when the connector does not exist. */
  connector: VpcConnector | null;
  /** Or why Monitoring could not be read. */
  metrics: ConnectorMetrics | Unavailable;
}

/** Judges the connector's state and load. Pure. */
export function judgeConnector(evidence: ConnectorEvidence, now: Date): Judgement {
  const base: SignalEvidence = {
    project: evidence.project,
    region: evidence.region,
    connectorName: evidence.name,
  };
  const { connector } = evidence;
  if (connector === null) {
    return {
      check: 'vpc-connector',
      status: 'fail',
      summary: `${evidence.name} not found in ${evidence.region}`,
      details: [
        `The configured connector ${evidence.name} does not exist in ${evidence.project}/${evidence.region}.`,
      ],
      evidence: { ...base, connectorState: 'NOT_FOUND', connectorMetrics: false },
    };
  }
  const state = enumName(connector.state, CONNECTOR_STATES) ?? null;
  const min = toNumber(connector.minInstances);
  const max = toNumber(connector.maxInstances);
  const shape = `${min ?? '?'}–${max ?? '?'} instances ${connector.machineType || 'machine type not reported'}`;
  const details = [
    `Configuration: ${shape}, network ${connector.network || 'not reported'}, region ${evidence.region}.`,
  ];
  const statuses: FindingStatus[] = [state === 'READY' ? 'ok' : state === null ? 'warn' : 'fail'];
  if (state !== 'READY')
    details.push(state ? `State is ${state}, not READY.` : 'The connector reports no state.');

  const load = 'unavailable' in evidence.metrics ? undefined : readLoad(evidence.metrics, now);
  const signals: SignalEvidence = {
    ...base,
    connectorState: state,
    connectorMaxInstances: max ?? null,
    connectorInstances: load?.instances ?? null,
    connectorCpu: load?.cpu ?? null,
    connectorAtMax: false,
    connectorSaturated: false,
    connectorMetrics: load !== undefined && (load.instances !== undefined || load.cpu !== undefined),
  };
  let loadText: string;
  if (!load || (load.instances === undefined && load.cpu === undefined)) {
    const gap: Unavailable =
      'unavailable' in evidence.metrics ? evidence.metrics : { unavailable: 'no data points in the window' };
    loadText = `no Monitoring data (${gap.unavailable})`;
    signals.connectorMetricsGap = gapText(gap);
    details.push(`Instances and CPU not judged: ${gapText(gap)}.`);
  } else {
    const atMax = max !== undefined && load.peakInstances !== undefined && load.peakInstances >= max;
    const cpu = load.cpu;
    const saturated =
      cpu !== undefined && (cpu >= CONNECTOR_CPU.fail || (atMax && cpu >= CONNECTOR_CPU.warn));
    signals.connectorAtMax = atMax;
    signals.connectorSaturated = saturated;
    statuses.push(saturated ? 'fail' : atMax || (cpu ?? 0) >= CONNECTOR_CPU.warn ? 'warn' : 'ok');
    const instancesText =
      load.instances === undefined ? 'instances not reported' : `${load.instances}/${max ?? '?'} instances`;
    loadText = `${instancesText}${atMax ? ' (max)' : ''}, ${cpu === undefined ? 'CPU not reported' : `CPU ${cpu.toFixed(2)}`}`;
    details.push(
      `Instances: latest ${load.instances ?? '?'}, peak ${load.peakInstances ?? '?'} of max ${max ?? '?'}; CPU is the highest per-minute mean across instances in the last 10 min.`,
    );
    if (atMax)
      details.push('At max instances: the connector cannot scale further; new connections queue or fail.');
    if (load.sentRate !== undefined || load.receivedRate !== undefined) {
      details.push(
        `Throughput (10-min average): ${formatRate(load.sentRate ?? 0)} sent, ${formatRate(load.receivedRate ?? 0)} received.`,
      );
    }
  }
  return {
    check: 'vpc-connector',
    status: worst(statuses),
    summary: `${state ?? 'state not reported'}, ${loadText}`,
    details,
    evidence: { ...signals, minInstances: min ?? null, machineType: connector.machineType || null },
  };
}

interface Load {
  instances?: number;
  peakInstances?: number;
  cpu?: number;
  sentRate?: number;
  receivedRate?: number;
}

function readLoad(metrics: ConnectorMetrics, now: Date): Load {
  const since = now.getTime() - CONNECTOR_WINDOW_MS;
  const recent = (series: TimeSeries[]): Sample[] => samplesOf(series).filter((sample) => sample.at >= since);
  const rate = (series?: TimeSeries[]) =>
    series && series.length > 0 ? totalOf(recent(series)) / (CONNECTOR_WINDOW_MS / 1000) : undefined;
  const instances = recent(metrics.instances);
  return {
    instances: latestOf(instances),
    peakInstances: maxOf(instances),
    cpu: maxOf(recent(metrics.cpu)),
    sentRate: rate(metrics.sentBytes),
    receivedRate: rate(metrics.receivedBytes),
  };
}

const METRIC = 'vpcaccess.googleapis.com/connector';

async function collect(context: CheckContext, name: string): Promise<ConnectorEvidence> {
  const { gateway, environment, signal } = context;
  const { project, region } = environment;
  let connector: VpcConnector | null;
  try {
    connector = await needs(
      'vpcaccess.connectors.get',
      gateway.getConnector(project, region, name, { signal }),
    );
  } catch (error) {
    if (!isNotFound(error)) throw error;
    connector = null;
  }
  if (connector === null)
    return { project, region, name, connector, metrics: { unavailable: 'no connector' } };

  const metricsSignal = AbortSignal.any([signal, AbortSignal.timeout(METRICS_BUDGET_MS)]);
  const endTime = context.now;
  const startTime = new Date(endTime.getTime() - CONNECTOR_WINDOW_MS);
  const labels = { connector_name: name, location: region };
  const read = (metric: string) =>
    needs(
      'monitoring.timeSeries.list',
      gateway.listTimeSeries(
        { projectId: project, filter: metricFilter(`${METRIC}/${metric}`, labels), startTime, endTime },
        { signal: metricsSignal },
      ),
    );
  const [instances, cpu, sent, received] = await Promise.allSettled([
    read('instances'),
    read('cpu/utilizations'),
    read('sent_bytes_count'),
    read('received_bytes_count'),
  ]);
  if (instances.status === 'rejected' || cpu.status === 'rejected') {
    const reason = instances.status === 'rejected' ? instances.reason : (cpu as PromiseRejectedResult).reason;
    return { project, region, name, connector, metrics: unavailableBecause(reason) };
  }
  return {
    project,
    region,
    name,
    connector,
    metrics: {
      instances: instances.value,
      cpu: cpu.value,
      sentBytes: sent.status === 'fulfilled' ? sent.value : undefined,
      receivedBytes: received.status === 'fulfilled' ? received.value : undefined,
    },
  };
}

/** Serverless VPC Access connector: state, configuration and load. */
export const vpcConnectorCheck: Check = {
  name: 'vpc-connector',
  run: (outer) =>
    runJudged('vpc-connector', outer, async (context) => {
      const name = context.environment.connector;
      if (!name) {
        return {
          check: 'vpc-connector',
          status: 'skipped',
          summary: 'not configured: Direct VPC egress or none',
          details: [],
          evidence: {},
        };
      }
      return judgeConnector(await collect(context, name), context.now);
    }),
};
