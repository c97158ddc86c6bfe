import type { TimeSeries } from '../../gcp/cloud-gateway';
import { toMillis, toNumber } from './google-values';

/** One measurement: when (end of its interval) and its value. */
export interface Sample {
  at: number;
  value: number;
}

type Point = NonNullable<TimeSeries['points']>[number];

/** A point's value: double, int64 (a string in JSON), or a distribution's mean. */
export function pointValue(point: Point): number | undefined {
  const value = point.value;
  if (!value) return undefined;
  return (
    toNumber(value.doubleValue) ??
    toNumber(value.int64Value) ??
    (value.distributionValue ? toNumber(value.distributionValue.mean) : undefined)
  );
}

/** Every point of every series, flattened. */
export function samplesOf(series: readonly TimeSeries[]): Sample[] {
  const out: Sample[] = [];
  for (const one of series) {
    for (const point of one.points ?? []) {
      const value = pointValue(point);
      const at = toMillis(point.interval?.endTime) ?? toMillis(point.interval?.startTime);
      if (value !== undefined && at !== undefined) out.push({ at, value });
    }
  }
  return out;
}

/** Series that split one quantity (num_backends per database) added up per timestamp. */
export function sumByTime(series: readonly TimeSeries[]): Sample[] {
  const totals = new Map<number, number>();
  for (const { at, value } of samplesOf(series)) totals.set(at, (totals.get(at) ?? 0) + value);
  return [...totals].map(([at, value]) => ({ at, value })).sort((a, b) => a.at - b.at);
}

export const maxOf = (samples: readonly Sample[]): number | undefined =>
  samples.length === 0 ? undefined : Math.max(...samples.map((sample) => sample.value));

export function latestOf(samples: readonly Sample[]): number | undefined {
  let latest: Sample | undefined;
  for (const sample of samples) if (!latest || sample.at > latest.at) latest = sample;
  return latest?.value;
}

export const totalOf = (samples: readonly Sample[]): number => samples.reduce((sum, s) => sum + s.value, 0);

/** A Monitoring filter for one metric type on resources with the given labels. */
export function metricFilter(type: string, resourceLabels: Readonly<Record<string, string>>): string {
  const labels = Object.entries(resourceLabels).map(
    ([key, value]) => ` AND resource.labels.${key}="${value}"`,
  );
  return `metric.type="${type}"${labels.join('')}`;
}
