import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { listScenarios, loadScenario, parseScenario } from '../../../src/simulator/load-scenario';
import { generateLogEntries } from '../../../src/simulator/log-entries';

const REQUIRED = [
  'healthy',
  'staging-outage',
  'connector-saturated',
  'cloud-sql-down',
  'connections-exhausted',
  'network-mismatch',
  'application-error',
  'permission-denied',
  'slow',
  'flaky',
  'connector-restored',
  'cloud-run-capacity',
  'firewall-blocked',
  'shared-vpc-ingress-missing',
  'firewall-denied',
  'sql-iam-denied',
  'sql-iam-policy',
  'iam-denied',
  'direct-vpc',
  'direct-vpc-mismatch',
  'auth-proxy-private-ip',
];

/** Scenarios of an environment without a connector: Direct VPC egress, or a Cloud SQL connection. */
const WITHOUT_CONNECTOR = ['direct-vpc', 'direct-vpc-mismatch', 'auth-proxy-private-ip'];

describe('bundled scenarios', () => {
  it('include every scenario the demo and the tests rely on', () => {
    expect(listScenarios()).toEqual(expect.arrayContaining(REQUIRED));
  });

  it.each(listScenarios())('%s loads, validates and describes acme-staging', (name) => {
    const scenario = loadScenario(name);
    expect(scenario.name).toBe(name);
    expect(scenario).toMatchObject({ project: 'acme-staging', region: 'us-central1' });
    expect(Object.keys(scenario.services).sort()).toEqual(['ai', 'auth', 'backend']);
    expect(scenario.connector?.name).toBe(WITHOUT_CONNECTOR.includes(name) ? undefined : 'staging-connector');
    expect(scenario.sql?.name).toBe('staging-db');
  });

  it('routes every Direct VPC scenario service through network interfaces, none through a connector', () => {
    for (const name of ['direct-vpc', 'direct-vpc-mismatch']) {
      const services = Object.values(loadScenario(name).services);
      expect(
        services.every((s) => s.vpcAccess?.networkInterfaces?.length === 1 && !s.vpcAccess.connector),
      ).toBe(true);
    }
    const proxied = Object.values(loadScenario('auth-proxy-private-ip').services);
    expect(proxied.every((s) => s.vpcAccess === undefined && s.cloudSqlInstances?.[0] === 'staging-db')).toBe(
      true,
    );
  });

  it('puts 649 "Socket connection failed" entries in the staging outage', () => {
    const outage = loadScenario('staging-outage');
    const socket = outage.logs.filter((g) => JSON.stringify(g).includes('Socket connection failed'));
    expect(socket.reduce((sum, g) => sum + g.count, 0)).toBe(649);
    expect(outage.connector?.state).toBe('ERROR');
    expect(Object.values(outage.health)).toEqual([503, 503, 503]);
  });

  it('fails a restart in the staging outage: the connector is still down', () => {
    expect(loadScenario('staging-outage').rollout).toEqual({ outcome: 'failed', readyAfterMs: 1500 });
  });

  it('restores the connector but leaves the services down in connector-restored', () => {
    const restored = loadScenario('connector-restored');
    expect(restored.connector).toMatchObject({ state: 'READY', maxInstances: 3 });
    expect(restored.connector?.currentInstances.slice(-10)).toEqual(Array(10).fill(2));
    expect(restored.connector?.cpuUtilization.slice(-10).every((cpu) => cpu < 0.2)).toBe(true);
    expect(restored.sql?.state).toBe('RUNNABLE');
    const ready = Object.values(restored.services).map((s) => s.conditions.find((c) => c.type === 'Ready'));
    expect(ready.map((c) => c?.state)).toEqual(['CONDITION_FAILED', 'CONDITION_FAILED', 'CONDITION_FAILED']);
    expect(restored.health).toEqual({ backend: 503, auth: 503, ai: 503 });
    expect(restored.rollout).toEqual({ outcome: 'ready', readyAfterMs: 1500 });

    const now = new Date('2026-01-15T10:00:00Z');
    const ages = generateLogEntries(restored, now).map(
      (e) => (now.getTime() - Date.parse(e.timestamp)) / 60_000,
    );
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...ages)).toBeLessThanOrEqual(30);
  });

  it('makes a new revision ready after a second when a scenario says nothing of rollouts', () => {
    expect(loadScenario('healthy').rollout).toEqual({ outcome: 'ready', readyAfterMs: 1000 });
  });

  it('shows the connector and Cloud SQL on different networks in network-mismatch', () => {
    const scenario = loadScenario('network-mismatch');
    expect(scenario.connector?.network).not.toBe(scenario.sql?.privateNetwork);
  });

  it('pins the connector at max instances with CPU of 0.9 or more in connector-saturated', () => {
    const { connector } = loadScenario('connector-saturated');
    expect(connector?.currentInstances.at(-1)).toBe(connector?.maxInstances);
    expect(connector?.cpuUtilization.slice(-10).every((cpu) => cpu >= 0.9)).toBe(true);
  });

  it('fills backends up to max_connections in connections-exhausted', () => {
    const { sql } = loadScenario('connections-exhausted');
    expect(sql?.numBackends.at(-1)).toBe(sql?.maxConnections);
  });

  it('inherits from the scenario it extends and overrides only what it names', () => {
    const slow = loadScenario('slow');
    expect(slow.faults.latencyMs).toEqual([300, 800]);
    expect(slow.connector).toEqual(loadScenario('healthy').connector);
  });

  it('lists the available scenarios when a name does not exist', () => {
    expect(() => loadScenario('staging-outgae')).toThrow(
      /no scenario named "staging-outgae".*healthy.*staging-outage/,
    );
  });

  it('loads a scenario from a YAML path', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'warroom-scenario-'));
    const file = path.join(dir, 'custom.yaml');
    writeFileSync(
      file,
      'name: custom\ndescription: nothing deployed\nproject: acme-dev\nregion: europe-west4\n',
    );
    expect(loadScenario(file)).toMatchObject({ name: 'custom', services: {}, faults: { flakyRate: 0 } });
  });

  it('rejects a scenario with a misspelled key, naming where', () => {
    expect(() =>
      parseScenario(
        { name: 'x', description: 'x', project: 'p', region: 'r', faults: { flakeyRate: 0.5 } },
        'x.yaml',
      ),
    ).toThrow(/x\.yaml is not a valid scenario:\n\s+faults: .*flakeyRate/);
  });

  it('rejects a rollout with an unknown outcome', () => {
    const base = { name: 'x', description: 'x', project: 'p', region: 'r' };
    expect(() => parseScenario({ ...base, rollout: { outcome: 'flaky' } })).toThrow(/rollout\.outcome/);
  });

  it('rejects a log group with both or neither payload', () => {
    const base = { name: 'x', description: 'x', project: 'p', region: 'r' };
    const group = { service: 'backend', severity: 'ERROR', count: 1 };
    expect(() => parseScenario({ ...base, logs: [group] })).toThrow(
      /exactly one of textPayload or jsonPayload/,
    );
  });
});
