import { judgeSql, type SqlEvidence } from '../../../src/diag/checks/cloud-sql';
import { defaultMaxConnections, tierMemoryGib } from '../../../src/diag/checks/sql-defaults';
import type { SqlInstance, TimeSeries } from '../../../src/gcp/cloud-gateway';

const NOW = new Date('2026-01-15T10:00:00Z');
const at = (minutesFromNow: number) => new Date(NOW.getTime() + minutesFromNow * 60_000).toISOString();

/** num_backends, one series per database, one point per minute (int64 as a string, as in JSON). */
const backends = (perDatabase: number[][]): TimeSeries[] =>
  perDatabase.map((values, db) => ({
    metric: { labels: { database: `db${db}` } },
    points: values.map((v, i) => ({ interval: { endTime: at(-i) }, value: { int64Value: String(v) } })),
  }));

const instance = (over: Partial<SqlInstance> = {}, settings: SqlInstance['settings'] = {}): SqlInstance => ({
  name: 'staging-db',
  state: 'RUNNABLE',
  ...over,
  settings: {
    tier: 'db-custom-2-7680',
    activationPolicy: 'ALWAYS',
    ipConfiguration: { privateNetwork: 'projects/acme-staging/global/networks/default' },
    ...settings,
  },
});

const evidence = (
  i: SqlInstance | null,
  b: SqlEvidence['backends'] = backends([[100, 80]]),
): SqlEvidence => ({
  project: 'acme-staging',
  name: 'staging-db',
  instance: i,
  backends: b,
  expectsPrivateIp: true,
});

describe('cloud-sql judge', () => {
  it.each<[string, SqlEvidence, string, RegExp, Record<string, unknown>]>([
    [
      'passes a RUNNABLE instance with headroom (db-custom-2-7680 → 400 by default)',
      evidence(instance()),
      'ok',
      /^RUNNABLE, 100\/400 connections \(25 %\)$/,
      {
        sqlState: 'RUNNABLE',
        sqlActivationPolicy: 'ALWAYS',
        sqlConnectionRatio: 0.25,
        sqlMaxConnections: 400,
      },
    ],
    [
      'fails a SUSPENDED instance',
      evidence(instance({ state: 'SUSPENDED' })),
      'fail',
      /^SUSPENDED/,
      { sqlState: 'SUSPENDED' },
    ],
    [
      'fails during maintenance',
      evidence(instance({ state: 'MAINTENANCE' })),
      'fail',
      /^MAINTENANCE/,
      { sqlMaintenance: true },
    ],
    [
      'fails a stopped instance (activation policy NEVER)',
      evidence(instance({}, { activationPolicy: 'NEVER' })),
      'fail',
      /activation NEVER/,
      { sqlActivationPolicy: 'NEVER' },
    ],
    [
      'warns when maintenance starts within the hour',
      evidence(instance({ scheduledMaintenance: { startTime: at(25) } })),
      'warn',
      /maintenance in 25 min/,
      { sqlMaintenance: true },
    ],
    [
      'warns when maintenance started less than an hour ago',
      evidence(instance({ scheduledMaintenance: { startTime: at(-10) } })),
      'warn',
      /maintenance started 10 min ago/,
      { sqlMaintenance: true },
    ],
    [
      'ignores maintenance three hours away',
      evidence(instance({ scheduledMaintenance: { startTime: at(180) } })),
      'ok',
      /^RUNNABLE, 100\/400/,
      { sqlMaintenance: false },
    ],
    [
      'fails at ≥ 90 % of the max_connections flag',
      evidence(instance({}, { databaseFlags: [{ name: 'max_connections', value: '50' }] }), backends([[46]])),
      'fail',
      /46\/50 connections \(92 %\)/,
      { sqlMaxConnections: 50, sqlConnectionRatio: 0.92 },
    ],
    [
      'warns at ≥ 80 % of the tier default (db-f1-micro → 25)',
      evidence(instance({}, { tier: 'db-f1-micro' }), backends([[21]])),
      'warn',
      /21\/25 connections \(84 %\)/,
      { sqlMaxConnections: 25 },
    ],
    [
      'adds up num_backends across databases per timestamp',
      evidence(
        instance({}, { tier: 'db-g1-small' }),
        backends([
          [30, 5],
          [16, 5],
        ]),
      ),
      'fail',
      /46\/50 connections/,
      { backendsPeak: 46 },
    ],
    [
      'judges the state alone when Monitoring is unavailable',
      evidence(instance(), { unavailable: 'permission denied', fix: 'grant roles/monitoring.viewer' }),
      'ok',
      /^RUNNABLE, connections not measured$/,
      {
        sqlMetrics: false,
        sqlConnectionRatio: null,
        sqlMetricsGap: 'permission denied — grant roles/monitoring.viewer',
      },
    ],
    [
      'cannot size an unknown tier without the flag',
      evidence(instance({}, { tier: 'db-perf-optimized-N-8' })),
      'ok',
      /connections not measured/,
      { sqlMaxConnections: null, sqlConnectionRatio: null },
    ],
    [
      'fails an instance that does not exist',
      evidence(null),
      'fail',
      /^staging-db not found$/,
      { sqlState: 'NOT_FOUND' },
    ],
    [
      'warns when there is no private IP but a connector is configured',
      evidence(instance({}, { ipConfiguration: {} })),
      'warn',
      /no private IP/,
      { privateNetwork: null },
    ],
    [
      'warns when the state is missing',
      evidence(instance({ state: undefined })),
      'warn',
      /^state not reported/,
      { sqlState: null },
    ],
  ])('%s', (_title, input, status, summary, signals) => {
    const finding = judgeSql(input, NOW);
    expect(finding.status).toBe(status);
    expect(finding.summary).toMatch(summary);
    expect(finding.evidence).toMatchObject(signals);
  });
});

describe('Cloud SQL default max_connections', () => {
  it.each<[string, number | undefined, number | undefined]>([
    ['db-f1-micro', 0.6, 25],
    ['db-g1-small', 1.7, 50],
    ['db-custom-1-3840', 3.75, 100],
    ['db-custom-2-7680', 7.5, 400],
    ['db-custom-4-15360', 15, 500],
    ['db-custom-8-30720', 30, 600],
    ['db-n1-standard-1', 3.75, 100],
    ['db-n1-highmem-16', 104, 800],
    ['db-custom-32-122880', 120, 1000],
    ['db-perf-optimized-N-8', undefined, undefined],
  ])('%s has %s GiB and %s connections', (tier, gib, connections) => {
    expect(tierMemoryGib(tier)).toBe(gib);
    expect(defaultMaxConnections(tier)).toBe(connections);
  });
});
