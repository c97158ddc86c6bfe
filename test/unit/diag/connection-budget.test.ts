import { judgeSql } from '../../../src/diag/checks/cloud-sql';
import { type BudgetEvidence, judgeBudget, maxInstancesOf } from '../../../src/diag/checks/connection-budget';
import type { TimeSeries } from '../../../src/gcp/cloud-gateway';

const NOW = new Date('2026-01-15T10:00:00Z');
const three = (max?: number) => ['backend', 'auth', 'ai'].map((name) => ({ name, maxInstances: max }));

describe('connection budget', () => {
  it.each<[string, BudgetEvidence, number | undefined, boolean, string]>([
    [
      'warns when every service at its max, each with a full pool, exceeds max_connections',
      { services: three(20), poolSize: 10 },
      400,
      true,
      '3 services × max 20 instances × pool 10 = 600 connections > max_connections 400',
    ],
    [
      'adds up services with different maxima',
      {
        services: [
          { name: 'backend', maxInstances: 20 },
          { name: 'auth', maxInstances: 5 },
        ],
        poolSize: 5,
      },
      100,
      true,
      'backend max 20 + auth max 5 = 25 instances × pool 5 = 125 connections > max_connections 100',
    ],
    [
      'is within budget at exactly max_connections',
      { services: three(4), poolSize: 10 },
      120,
      false,
      '3 services × max 4 instances × pool 10 = 120 connections ≤ max_connections 120',
    ],
    [
      "counts an unset maximum as Cloud Run's default of 100, and says so",
      { services: [{ name: 'backend' }], poolSize: 10 },
      400,
      true,
      "1 service × max 100 instances × pool 10 = 1000 connections > max_connections 400 (backend: max instances unset, Cloud Run's default)",
    ],
  ])('%s', (_title, evidence, maxConnections, over, line) => {
    expect(judgeBudget(evidence, maxConnections)).toMatchObject({ over, line });
  });

  it('is not judged when the services could not be read or max_connections is unknown', () => {
    const denied = {
      services: { unavailable: 'permission denied', fix: 'grant roles/run.viewer' },
      poolSize: 10,
    };
    expect(judgeBudget(denied, 400)).toEqual({
      over: false,
      line: expect.stringMatching(/^Connection budget not judged: permission denied/),
    });
    expect(judgeBudget({ services: three(20), poolSize: 10 }, undefined)).toEqual({
      over: false,
      line: 'Connection budget not judged: max_connections unknown.',
    });
  });

  it('reads template.scaling.maxInstanceCount as a number, an int64 string or unset', () => {
    expect(maxInstancesOf({ template: { scaling: { maxInstanceCount: 20 } } })).toBe(20);
    // As the JSON of a REST answer may carry it: a string where the type says number.
    expect(maxInstancesOf(JSON.parse('{"template":{"scaling":{"maxInstanceCount":"7"}}}'))).toBe(7);
    expect(maxInstancesOf({ template: { scaling: { maxInstanceCount: 0 } } })).toBeUndefined();
    expect(maxInstancesOf({})).toBeUndefined();
  });
});

describe('cloud-sql judge with the connection budget', () => {
  const backends: TimeSeries[] = [
    { points: [{ interval: { endTime: NOW.toISOString() }, value: { int64Value: '40' } }] },
  ];
  const judge = (budget: BudgetEvidence) =>
    judgeSql(
      {
        project: 'acme-staging',
        name: 'staging-db',
        instance: {
          state: 'RUNNABLE',
          settings: {
            tier: 'db-custom-2-7680',
            activationPolicy: 'ALWAYS',
            ipConfiguration: { privateNetwork: 'projects/acme-staging/global/networks/staging-vpc' },
          },
        },
        backends,
        expectsPrivateIp: true,
        budget,
      },
      NOW,
    );

  it('shows a budget over max_connections as a warning line, before any connection is refused', () => {
    const judged = judge({ services: three(20), poolSize: 10 });
    expect(judged.status).toBe('ok');
    expect(judged.summary).toBe(
      'RUNNABLE, 40/400 connections (10 %), warning: 3 services × max 20 instances × pool 10 = 600 connections > max_connections 400',
    );
    expect(judged.details).toContain(
      'Warning: 3 services × max 20 instances × pool 10 = 600 connections > max_connections 400. At full scale the services can ask for more connections than the instance accepts; lower max instances or database.poolSize, or raise max_connections.',
    );
    expect(judged.evidence).toMatchObject({ connectionBudget: 600, connectionBudgetOver: true });
  });

  it('keeps a budget within max_connections out of the summary', () => {
    const judged = judge({ services: three(3), poolSize: 10 });
    expect(judged.summary).toBe('RUNNABLE, 40/400 connections (10 %)');
    expect(judged.details).toContain(
      '3 services × max 3 instances × pool 10 = 90 connections ≤ max_connections 400.',
    );
    expect(judged.evidence).toMatchObject({ connectionBudget: 90, connectionBudgetOver: false });
  });
});
