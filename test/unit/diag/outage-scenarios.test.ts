import { judgeCloudRun } from '../../../src/diag/checks/cloud-run';
import type { ServiceEvidence } from '../../../src/diag/checks/cloud-run-service';
import { judgeSql } from '../../../src/diag/checks/cloud-sql';
import { judgeHealth } from '../../../src/diag/checks/health';
import type { Judgement } from '../../../src/diag/checks/judgement';
import { judgeLogs } from '../../../src/diag/checks/logs';
import { judgeNetwork } from '../../../src/diag/checks/network';
import { type ConnectorEvidence, judgeConnector } from '../../../src/diag/checks/vpc-connector';
import type { Finding } from '../../../src/diag/finding';
import { decideVerdict } from '../../../src/diag/verdict';
import type { CloudRunService, LogEntry, TimeSeries, VpcConnector } from '../../../src/gcp/cloud-gateway';

/** Judges → verdict on Google-shaped data, as `/incident diag staging` would see the staging outage. */
const NOW = new Date('2026-01-15T10:00:00Z');
const BASE = 'projects/acme-staging/locations/us-central1';
const RECENT = new Date(NOW.getTime() - 5 * 60_000).toISOString();
const timed = (j: Judgement): Finding => ({ ...j, durationMs: 5 });
const perMinute = (values: number[], key: 'int64Value' | 'doubleValue'): TimeSeries => ({
  points: values.map((v, i) => ({
    interval: { endTime: new Date(NOW.getTime() - i * 60_000).toISOString() },
    value: { [key]: key === 'int64Value' ? String(v) : v },
  })),
});

const connector: VpcConnector = {
  name: `${BASE}/connectors/staging-connector`,
  network: 'default',
  state: 'READY',
  minInstances: 2,
  maxInstances: 3,
  machineType: 'e2-micro',
};
const connectorEvidence = (metrics: ConnectorEvidence['metrics']): ConnectorEvidence => ({
  project: 'acme-staging',
  region: 'us-central1',
  name: 'staging-connector',
  connector,
  metrics,
});
const sqlInstance = {
  name: 'staging-db',
  state: 'RUNNABLE',
  settings: {
    tier: 'db-custom-1-3840',
    activationPolicy: 'ALWAYS',
    ipConfiguration: { privateNetwork: 'projects/acme-staging/global/networks/default' },
  },
};
const runService = (name: string, failed: boolean): CloudRunService => ({
  name: `${BASE}/services/${name}`,
  terminalCondition: failed
    ? { type: 'Ready', state: 'CONDITION_FAILED', message: 'Container called exit(3).' }
    : { type: 'Ready', state: 'CONDITION_SUCCEEDED' },
  template: {
    vpcAccess: { connector: `${BASE}/connectors/staging-connector`, egress: 'PRIVATE_RANGES_ONLY' },
  },
});
const services = (failed: boolean): ServiceEvidence[] =>
  ['backend', 'auth'].map((name) => ({ name, service: runService(name, failed), revisions: [] }));
const entry = (textPayload: string): LogEntry => ({ textPayload, severity: 'ERROR', timestamp: RECENT });

function findings(options: {
  connector: ConnectorEvidence['metrics'];
  logs: LogEntry[];
  failed: boolean;
}): Finding[] {
  const expected = { region: 'us-central1', connector: 'staging-connector' };
  return [
    timed(judgeConnector(connectorEvidence(options.connector), NOW)),
    timed(
      judgeSql(
        {
          project: 'acme-staging',
          name: 'staging-db',
          instance: sqlInstance,
          backends: [perMinute([40, 35], 'int64Value')],
          expectsPrivateIp: true,
        },
        NOW,
      ),
    ),
    timed(judgeCloudRun(services(options.failed), expected, NOW)),
    timed(judgeLogs([{ service: 'backend', entries: options.logs, truncated: false }], NOW)),
    timed(
      judgeNetwork(
        {
          project: 'acme-staging',
          region: 'us-central1',
          connector: { name: 'staging-connector', resource: connector },
          sql: { name: 'staging-db', resource: sqlInstance },
          services: services(false).map((s) => ({ name: s.name, resource: s.service })),
        },
        NOW,
      ),
    ),
    timed(
      judgeHealth(
        {
          thresholdMs: 10_000,
          endpoints: [
            {
              name: 'backend',
              url: 'https://backend.example.com/health',
              status: options.failed ? 503 : 200,
              ms: 40,
            },
          ],
        },
        NOW,
      ),
    ),
    // The firewall and the IAM policy allow the path (their judges have tests of their own).
    { check: 'firewall', status: 'ok', summary: 'no rule blocks', details: [], evidence: {}, durationMs: 0 },
    { check: 'iam', status: 'ok', summary: 'roles granted', details: [], evidence: {}, durationMs: 0 },
    {
      check: 'database',
      status: 'skipped',
      summary: 'no connect probe configured',
      details: [],
      evidence: {},
      durationMs: 0,
    },
  ];
}

const socketFailures = Array.from({ length: 649 }, () =>
  entry('Socket connection failed for 10.20.0.3:5432'),
);

describe('the staging outage, end to end', () => {
  it('blames the saturated connector when Monitoring shows it at max with high CPU', () => {
    const verdict = decideVerdict(
      findings({
        connector: {
          instances: [perMinute([3, 3, 3], 'int64Value')],
          cpu: [perMinute([0.94, 0.91], 'doubleValue')],
        },
        logs: socketFailures,
        failed: true,
      }),
    );
    expect(verdict.code).toBe('vpc-connector-saturated');
    expect(verdict.evidence).toContain('vpc-connector: READY, 3/3 instances (max), CPU 0.94');
    expect(verdict.evidence).toContain(
      'cloud-run: 2/2 services not ready: backend, auth exited during start-up (exit code 3)',
    );
  });

  it('does not guess when Monitoring could not be read: inconclusive, naming what is missing', () => {
    const verdict = decideVerdict(
      findings({
        connector: {
          unavailable: 'permission denied (monitoring.timeSeries.list)',
          fix: 'grant roles/monitoring.viewer',
        },
        logs: socketFailures,
        failed: true,
      }),
    );
    expect(verdict.code).toBe('inconclusive');
    expect(verdict.missing).toEqual([
      'vpc-connector: no Monitoring data for instances and CPU (permission denied (monitoring.timeSeries.list) — grant roles/monitoring.viewer)',
    ]);
    expect(verdict.explanation).toMatch(
      /^2\/2 services not ready \(exit code 3\), 649 connectivity errors in the logs/,
    );
  });

  it('calls a code regression an application error when the infrastructure checks pass', () => {
    const tracebacks = Array.from({ length: 30 }, () =>
      entry("Traceback (most recent call last):\nKeyError: 'tenant_id'"),
    );
    const verdict = decideVerdict(
      findings({
        connector: { instances: [perMinute([2], 'int64Value')], cpu: [perMinute([0.2], 'doubleValue')] },
        logs: tracebacks,
        failed: true,
      }),
    );
    expect(verdict.code).toBe('application-error');
    expect(verdict.explanation).toMatch(/30 application errors against 0 connectivity errors/);
  });
});
