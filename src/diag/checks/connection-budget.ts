import type { CloudRunService } from '../../gcp/cloud-gateway';
import type { CheckContext } from '../finding';
import { gapText, needs, type Unavailable, unavailableBecause } from './cannot-run';
import { toNumber } from './google-values';

/** Cloud Run's max instances when `template.scaling.maxInstanceCount` is unset (RevisionScaling in vendor_settings.proto). */
export const CLOUD_RUN_DEFAULT_MAX_INSTANCES = 100;

/** How far one service can scale: its `template.scaling.maxInstanceCount`, undefined when unset. */
export interface ServiceScale {
  name: string;
  maxInstances?: number;
}

/** What the budget compares: every service at its max, each instance holding a full pool. */
export interface BudgetEvidence {
  /** The environment's services, or why they could not be read. */
  services: ServiceScale[] | Unavailable;
  poolSize: number;
}

/** The budget, judged: the connections the services may open at full scale and how they are counted. */
export interface Budget {
  connections?: number;
  /** More than max_connections. */
  over: boolean;
  /** "3 services × max 20 instances × pool 10 = 600 connections > max_connections 400", or why not judged. */
  line: string;
}

/** The max instance count a service runs up to (Cloud Run's default when unset or 0). */
export const maxInstancesOf = (service: CloudRunService): number | undefined =>
  toNumber(service.template?.scaling?.maxInstanceCount) || undefined;

/** Compares max instances × pool size with max_connections. Pure. */
export function judgeBudget(evidence: BudgetEvidence, maxConnections: number | undefined): Budget {
  if (!Array.isArray(evidence.services))
    return { over: false, line: `Connection budget not judged: ${gapText(evidence.services)}.` };
  if (maxConnections === undefined)
    return { over: false, line: 'Connection budget not judged: max_connections unknown.' };
  const maxes = evidence.services.map((s) => s.maxInstances ?? CLOUD_RUN_DEFAULT_MAX_INSTANCES);
  const instances = maxes.reduce((a, b) => a + b, 0);
  const connections = instances * evidence.poolSize;
  const defaulted = evidence.services.filter((s) => s.maxInstances === undefined).map((s) => s.name);
  const count = evidence.services.length;
  const scale =
    new Set(maxes).size <= 1
      ? `${count} service${count === 1 ? '' : 's'} × max ${maxes[0] ?? 0} instances`
      : `${evidence.services.map((s, i) => `${s.name} max ${maxes[i]}`).join(' + ')} = ${instances} instances`;
  const over = connections > maxConnections;
  const unset =
    defaulted.length > 0 ? ` (${defaulted.join(', ')}: max instances unset, Cloud Run's default)` : '';
  return {
    connections,
    over,
    line: `${scale} × pool ${evidence.poolSize} = ${connections} connections ${over ? '>' : '≤'} max_connections ${maxConnections}${unset}`,
  };
}

/** Reads each service's max instances; a failure leaves the budget unjudged, never the check. */
export async function collectBudget(context: CheckContext, poolSize: number): Promise<BudgetEvidence> {
  const { gateway, environment, signal } = context;
  try {
    const services = await Promise.all(
      environment.services.map(async (name) => {
        const service = await needs(
          'run.services.get',
          gateway.getService(environment.project, environment.region, name, { signal }),
        );
        return { name, maxInstances: maxInstancesOf(service) };
      }),
    );
    return { services, poolSize };
  } catch (error) {
    return { services: unavailableBecause(error), poolSize };
  }
}
