import type { Scenario } from './scenario';

/** One Monitoring v3 `TimeSeries` before its points are cut to the requested interval. */
interface SeriesSpec {
  metric: { type: string; labels: Record<string, string> };
  resource: { type: string; labels: Record<string, string> };
  metricKind: 'GAUGE';
  valueType: 'DOUBLE' | 'INT64' | 'DISTRIBUTION';
  unit: string;
  /** Oldest first, one a minute, the last one at "now". */
  values: number[];
}

/**
 * The metric series a scenario implies: connector instances and CPU, Cloud SQL backends and CPU,
 * and the instance count of each service that gives one.
 */
export function seriesOf(s: Scenario): SeriesSpec[] {
  const specs: SeriesSpec[] = Object.entries(s.services).flatMap(([service, svc]) =>
    svc.instanceCount ? [instanceCountSeries(s, service, svc.latestCreatedRevision, svc.instanceCount)] : [],
  );
  if (s.connector) {
    const resource = {
      type: 'vpc_access_connector',
      labels: { project_id: s.project, location: s.region, connector_name: s.connector.name },
    };
    specs.push(
      {
        metric: { type: 'vpcaccess.googleapis.com/connector/instances', labels: {} },
        resource,
        metricKind: 'GAUGE',
        valueType: 'INT64',
        unit: '1',
        values: s.connector.currentInstances,
      },
      {
        metric: { type: 'vpcaccess.googleapis.com/connector/cpu/utilizations', labels: {} },
        resource,
        metricKind: 'GAUGE',
        valueType: 'DISTRIBUTION',
        unit: '10^2.%',
        values: s.connector.cpuUtilization,
      },
    );
  }
  if (s.sql) {
    const resource = {
      type: 'cloudsql_database',
      labels: { project_id: s.project, database_id: `${s.project}:${s.sql.name}`, region: s.region },
    };
    specs.push(
      {
        metric: {
          type: 'cloudsql.googleapis.com/database/postgresql/num_backends',
          labels: { database: 'app' },
        },
        resource,
        metricKind: 'GAUGE',
        valueType: 'INT64',
        unit: '1',
        values: s.sql.numBackends,
      },
      {
        metric: { type: 'cloudsql.googleapis.com/database/cpu/utilization', labels: {} },
        resource,
        metricKind: 'GAUGE',
        valueType: 'DOUBLE',
        unit: '10^2.%',
        values: s.sql.cpuUtilization,
      },
    );
  }
  return specs;
}

/** Cloud Run's instance_count of a service's latest revision, all instances active. */
function instanceCountSeries(s: Scenario, service: string, revision: string, values: number[]): SeriesSpec {
  return {
    metric: { type: 'run.googleapis.com/container/instance_count', labels: { state: 'active' } },
    resource: {
      type: 'cloud_run_revision',
      labels: {
        project_id: s.project,
        service_name: service,
        revision_name: revision,
        location: s.region,
        configuration_name: service,
      },
    },
    metricKind: 'GAUGE',
    valueType: 'INT64',
    unit: '1',
    values,
  };
}

/** A point's value as the discovery JSON carries it: int64 as a string, distributions summarised. */
function pointValue(spec: SeriesSpec, value: number, instances: number): Record<string, unknown> {
  if (spec.valueType === 'INT64') return { int64Value: String(Math.round(value)) };
  if (spec.valueType === 'DOUBLE') return { doubleValue: value };
  // One sample per connector instance, all in the bucket holding the mean: enough for a reader
  // of `mean`, and a well-formed distribution for a reader of the buckets.
  const count = Math.max(1, instances);
  const bucketCounts = Array.from({ length: 12 }, () => '0');
  bucketCounts[Math.min(11, 1 + Math.floor(value * 10))] = String(count);
  return {
    distributionValue: {
      count: String(count),
      mean: value,
      sumOfSquaredDeviation: 0,
      bucketOptions: { linearBuckets: { numFiniteBuckets: 10, width: 0.1, offset: 0 } },
      bucketCounts,
    },
  };
}

/** The series with points inside [start, end], newest point first as Monitoring returns them. */
export function renderSeries(spec: SeriesSpec, s: Scenario, now: Date, start: Date, end: Date) {
  const instances = s.connector?.currentInstances.at(-1) ?? 1;
  const points = spec.values
    .map((value, index) => ({
      value,
      at: new Date(now.getTime() - (spec.values.length - 1 - index) * 60_000),
    }))
    .filter(({ at }) => at >= start && at <= end)
    .reverse()
    .map(({ value, at }) => ({
      interval: { startTime: at.toISOString(), endTime: at.toISOString() },
      value: pointValue(spec, value, instances),
    }));
  return {
    metric: spec.metric,
    resource: spec.resource,
    metricKind: spec.metricKind,
    valueType: spec.valueType,
    unit: spec.unit,
    points,
  };
}
