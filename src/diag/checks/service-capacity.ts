import type { TimeSeries } from '../../gcp/cloud-gateway';
import type { CheckContext, Finding } from '../finding';
import { gapText, needs, type Unavailable, unavailableBecause } from './cannot-run';
import { toNumber } from './google-values';
import { maxOf, metricFilter, sumByTime } from './metrics';

/** Cloud Run's instance count per revision and state (active, idle); summed, it is the service's. */
export const INSTANCE_COUNT_METRIC = 'run.googleapis.com/container/instance_count';
// Monitoring may be slow while Logging answers; the request log alone still names the fault.
const METRICS_BUDGET_MS = 12_000;

/** What was read about how far one service can scale and how far it did. */
export interface CapacityEvidence {
  service: string;
  /** `template.scaling.maxInstanceCount`; undefined when unset (Cloud Run's default applies) or unread. */
  maxInstances?: number;
  minInstances?: number;
  /** The instance_count series over the window, or why they were not read. */
  instances: TimeSeries[] | Unavailable;
}

/** One service's capacity, judged. */
export interface ServiceCapacity {
  service: string;
  maxInstances?: number;
  /** Highest instance count in the window. */
  peakInstances?: number;
  /** The peak reached a max the service can scale up to (a service pinned at min = max is not "hitting" it). */
  atMax: boolean;
  /** Why the comparison could not be made, when it could not. */
  gap?: string;
}

/** Compares the peak instance count in the window with the service's max instances. Pure. */
export function judgeCapacity(evidence: CapacityEvidence, since: number): ServiceCapacity {
  const { service, maxInstances: max, minInstances: min } = evidence;
  if ('unavailable' in evidence.instances)
    return { service, maxInstances: max, atMax: false, gap: gapText(evidence.instances) };
  const peak = maxOf(sumByTime(evidence.instances).filter((sample) => sample.at >= since));
  const scalable = max !== undefined && max > (min ?? 0);
  return {
    service,
    maxInstances: max,
    peakInstances: peak,
    atMax: scalable && peak !== undefined && peak >= max,
    ...(peak === undefined ? { gap: 'no instance_count data in the window' } : {}),
  };
}

/**
 * Reads the service's max instances and its instance_count series since `since`. Never rejects:
 * what could not be read is a gap, since the request log alone can show rejections.
 */
export async function collectCapacity(
  context: CheckContext,
  service: string,
  since: Date,
): Promise<CapacityEvidence> {
  const { gateway, environment, signal } = context;
  const { project, region } = environment;
  let maxInstances: number | undefined;
  let minInstances: number | undefined;
  try {
    const found = await needs('run.services.get', gateway.getService(project, region, service, { signal }));
    const scaling = found.template?.scaling;
    maxInstances = toNumber(scaling?.maxInstanceCount) || undefined;
    minInstances = toNumber(scaling?.minInstanceCount);
    if (maxInstances === undefined)
      return { service, minInstances, instances: { unavailable: 'no maxInstanceCount set' } };
    const instances = await needs(
      'monitoring.timeSeries.list',
      gateway.listTimeSeries(
        {
          projectId: project,
          filter: metricFilter(INSTANCE_COUNT_METRIC, { service_name: service, location: region }),
          startTime: since,
          endTime: context.now,
        },
        { signal: AbortSignal.any([signal, AbortSignal.timeout(METRICS_BUDGET_MS)]) },
      ),
    );
    return { service, maxInstances, minInstances, instances };
  } catch (error) {
    return { service, maxInstances, minInstances, instances: unavailableBecause(error) };
  }
}

/** A service that ran out of instances, with the logs check's figures for it. */
export interface CapacityFigures {
  service: string;
  rejected?: number;
  peak?: number;
  max?: number;
}

/** The services with rejections or at max, from the logs finding's `rejected:`, `peakInstances:` and `maxInstances:` evidence. */
export function servicesAtCapacity(logs: Finding | undefined): CapacityFigures[] {
  const evidence = logs?.evidence ?? {};
  const figure = (key: string) => {
    const value = evidence[key];
    return typeof value === 'number' ? value : undefined;
  };
  return Object.keys(evidence)
    .filter((key) => key.startsWith('rejected:'))
    .map((key) => key.slice('rejected:'.length))
    .map((service) => ({
      service,
      rejected: figure(`rejected:${service}`),
      peak: figure(`peakInstances:${service}`),
      max: figure(`maxInstances:${service}`),
    }))
    .filter((c) => (c.rejected ?? 0) > 0 || (c.peak !== undefined && c.max !== undefined && c.peak >= c.max));
}

/** "backend ran 20 of max 20 instances; 134 requests rejected with 'no available instance' in 30 min" */
export const capacityFigures = (c: CapacityFigures): string =>
  [
    c.peak !== undefined && c.max !== undefined
      ? `${c.service} ran ${c.peak} of max ${c.max} instances`
      : c.service,
    (c.rejected ?? 0) > 0
      ? `${c.rejected} requests rejected with 'no available instance' in 30 min`
      : undefined,
  ]
    .filter(Boolean)
    .join('; ');

/**
 * "backend ran 20 of max 20 instances; 134 requests rejected …: raise `--max-instances` (gcloud run
 * services update backend --max-instances=40 …) or concurrency". The suggestion doubles the max.
 */
export function capacityNextStep(full: readonly CapacityFigures[], region: string): string {
  const figures = full.map(capacityFigures).join('; ');
  const commands = (full.length > 0 ? full : [{ service: 'SERVICE' } as CapacityFigures]).map(
    (c) =>
      `\`gcloud run services update ${c.service} --max-instances=${c.max !== undefined ? c.max * 2 : 'N'} --region=${region}\``,
  );
  return `${figures ? `${figures}: raise` : 'Raise'} \`--max-instances\` (${commands.join(', ')}) or concurrency (\`--concurrency\`), keeping pool size × max instances under Cloud SQL's max_connections.`;
}
