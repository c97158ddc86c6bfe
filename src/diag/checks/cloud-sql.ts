import { DEFAULT_POOL_SIZE } from '../../config/pool-size';
import type { SqlInstance, TimeSeries } from '../../gcp/cloud-gateway';
import type { Check, CheckContext, FindingStatus } from '../finding';
import { gapText, isNotFound, needs, type Unavailable, unavailableBecause } from './cannot-run';
import { type BudgetEvidence, collectBudget, judgeBudget } from './connection-budget';
import { toMillis, toNumber } from './google-values';
import { type Judgement, percent, worst } from './judgement';
import { maxOf, metricFilter, sumByTime } from './metrics';
import type { SignalEvidence } from './signals';
import { defaultMaxConnections } from './sql-defaults';
import { runJudged } from './with-deadline';

/** Window over which the peak backend count is taken. */
export const SQL_WINDOW_MS = 10 * 60_000;
/** Connection use (peak backends / max_connections) that warns and fails. */
export const SQL_CONNECTIONS = { warn: 0.8, fail: 0.9 } as const;
/** Scheduled maintenance this close to now (either side) is worth a line. */
export const MAINTENANCE_NEAR_MS = 60 * 60_000;
const METRICS_BUDGET_MS = 12_000;

/** Everything the Cloud SQL judge looks at. */
export interface SqlEvidence {
  project: string;
  name: string;
  /** null when the instance does not exist. */
  instance: SqlInstance | null;
  /** `num_backends` series (one per database), or why Monitoring could not be read. */
  backends: TimeSeries[] | Unavailable;
  /** A connector is configured, so services reach the instance over its private IP. */
  expectsPrivateIp: boolean;
  /** The services' max instances and pool size, for the connection budget; absent: not judged. */
  budget?: BudgetEvidence;
}

/** Judges the instance's state, maintenance and connection headroom. Pure. */
export function judgeSql(evidence: SqlEvidence, now: Date): Judgement {
  const base: SignalEvidence = { project: evidence.project, sqlInstance: evidence.name };
  const { instance } = evidence;
  if (instance === null) {
    return {
      check: 'cloud-sql',
      status: 'fail',
      summary: `${evidence.name} not found`,
      details: [`The configured Cloud SQL instance ${evidence.name} does not exist in ${evidence.project}.`],
      evidence: { ...base, sqlState: 'NOT_FOUND', sqlMetrics: false },
    };
  }
  const state = instance.state || null;
  const policy = instance.settings?.activationPolicy || null;
  const statuses: FindingStatus[] = [];
  const details: string[] = [];
  const parts: string[] = [state ?? 'state not reported'];

  if (state !== 'RUNNABLE') {
    statuses.push(state ? 'fail' : 'warn');
    details.push(
      state === 'MAINTENANCE'
        ? 'Maintenance is in progress.'
        : `State is ${state ?? 'not reported'}, not RUNNABLE.`,
    );
  }
  if (policy !== 'ALWAYS') {
    statuses.push(policy ? 'fail' : 'warn');
    parts.push(`activation ${policy ?? 'not reported'}`);
    details.push(
      `Activation policy is ${policy ?? 'not reported'}; it must be ALWAYS for the instance to be on.`,
    );
  }

  const privateNetwork = instance.settings?.ipConfiguration?.privateNetwork || null;
  if (!privateNetwork && evidence.expectsPrivateIp) {
    statuses.push('warn');
    parts.push('no private IP');
    details.push('No private network: traffic through the VPC connector cannot reach this instance.');
  }

  const maintenance = maintenanceNear(instance, now);
  if (maintenance) {
    statuses.push('warn');
    parts.push(maintenance);
    details.push(`Scheduled maintenance ${maintenance}.`);
  }

  const flag = instance.settings?.databaseFlags?.find((f) => f.name === 'max_connections')?.value;
  const maxConnections = toNumber(flag) ?? defaultMaxConnections(instance.settings?.tier);
  const source =
    toNumber(flag) !== undefined ? 'flag' : `default for ${instance.settings?.tier ?? 'unknown tier'}`;
  const since = now.getTime() - SQL_WINDOW_MS;
  const peak = Array.isArray(evidence.backends)
    ? maxOf(sumByTime(evidence.backends).filter((sample) => sample.at >= since))
    : undefined;
  const ratio = peak !== undefined && maxConnections ? peak / maxConnections : undefined;
  let why: string | undefined;
  if (ratio !== undefined && peak !== undefined) {
    statuses.push(ratio >= SQL_CONNECTIONS.fail ? 'fail' : ratio >= SQL_CONNECTIONS.warn ? 'warn' : 'ok');
    parts.push(`${peak}/${maxConnections} connections (${percent(ratio)})`);
    details.push(
      `Connections: peak ${peak} backends in 10 min of max_connections ${maxConnections} (${source}).`,
    );
  } else {
    why = !Array.isArray(evidence.backends)
      ? gapText(evidence.backends)
      : maxConnections === undefined
        ? `max_connections unknown for tier ${instance.settings?.tier ?? 'not reported'}`
        : 'no data points in the window';
    parts.push('connections not measured');
    details.push(`Connection use not judged: ${why}.`);
  }
  if (privateNetwork) details.push(`Private network: ${privateNetwork}.`);
  // A warning ahead of exhaustion: it does not change the status, so a quiet hour still reads healthy.
  const budget = evidence.budget ? judgeBudget(evidence.budget, maxConnections) : undefined;
  if (budget?.over) {
    parts.push(`warning: ${budget.line}`);
    details.push(
      `Warning: ${budget.line}. At full scale the services can ask for more connections than the instance accepts; lower max instances or database.poolSize, or raise max_connections.`,
    );
  } else if (budget) details.push(`${budget.line}.`);

  return {
    check: 'cloud-sql',
    status: worst(statuses),
    summary: parts.join(', '),
    details,
    evidence: {
      ...base,
      sqlState: state,
      sqlActivationPolicy: policy,
      sqlMaintenance: state === 'MAINTENANCE' || maintenance !== undefined,
      sqlMaxConnections: maxConnections ?? null,
      sqlConnectionRatio: ratio === undefined ? null : Math.round(ratio * 1000) / 1000,
      sqlMetrics: Array.isArray(evidence.backends),
      sqlMetricsGap: why ?? null,
      backendsPeak: peak ?? null,
      privateNetwork,
      tier: instance.settings?.tier ?? null,
      connectionBudget: budget?.connections ?? null,
      connectionBudgetOver: budget?.over ?? null,
    } satisfies SignalEvidence & Record<string, unknown>,
  };
}

/** "maintenance in 25 min" / "maintenance started 10 min ago" when within ±1 h, else undefined. */
function maintenanceNear(instance: SqlInstance, now: Date): string | undefined {
  const start = toMillis(instance.scheduledMaintenance?.startTime);
  if (start === undefined) return undefined;
  const delta = start - now.getTime();
  if (Math.abs(delta) > MAINTENANCE_NEAR_MS) return undefined;
  const minutes = Math.round(Math.abs(delta) / 60_000);
  return delta >= 0 ? `maintenance in ${minutes} min` : `maintenance started ${minutes} min ago`;
}

async function collect(context: CheckContext): Promise<SqlEvidence> {
  const { gateway, environment, signal } = context;
  const { project, sqlInstance: name } = environment;
  const expectsPrivateIp = Boolean(environment.connector);
  let instance: SqlInstance | null;
  try {
    instance = await needs('cloudsql.instances.get', gateway.getSqlInstance(project, name, { signal }));
  } catch (error) {
    if (!isNotFound(error)) throw error;
    return { project, name, instance: null, backends: { unavailable: 'no instance' }, expectsPrivateIp };
  }
  const budget = collectBudget(context, environment.database?.poolSize ?? DEFAULT_POOL_SIZE);
  try {
    const backends = await needs(
      'monitoring.timeSeries.list',
      gateway.listTimeSeries(
        {
          projectId: project,
          filter: metricFilter('cloudsql.googleapis.com/database/postgresql/num_backends', {
            database_id: `${project}:${name}`,
          }),
          startTime: new Date(context.now.getTime() - SQL_WINDOW_MS),
          endTime: context.now,
        },
        { signal: AbortSignal.any([signal, AbortSignal.timeout(METRICS_BUDGET_MS)]) },
      ),
    );
    return { project, name, instance, backends, expectsPrivateIp, budget: await budget };
  } catch (error) {
    return {
      project,
      name,
      instance,
      backends: unavailableBecause(error),
      expectsPrivateIp,
      budget: await budget,
    };
  }
}

/** Cloud SQL instance: state, activation, maintenance and connection headroom. */
export const cloudSqlCheck: Check = {
  name: 'cloud-sql',
  run: (context) => runJudged('cloud-sql', context, async (ctx) => judgeSql(await collect(ctx), ctx.now)),
};
