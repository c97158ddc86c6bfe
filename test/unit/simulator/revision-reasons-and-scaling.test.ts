import { renderRevisions, renderService } from '../../../src/simulator/cloud-run-resources';
import { enumEncoder } from '../../../src/simulator/enums';
import { loadScenario } from '../../../src/simulator/load-scenario';
import { scenarioView } from '../../../src/simulator/service-view';

const NOW = new Date('2026-12-03T07:00:00Z');

/** The backend service and its revisions of `scenario` as Cloud Run's REST JSON renders them. */
function backendOf(scenario: string, numeric = false) {
  const s = loadScenario(scenario);
  const svc = s.services.backend;
  if (!svc) throw new Error('no backend');
  const ctx = { scenario: s, now: NOW, enc: enumEncoder(numeric) };
  const view = scenarioView(s, 'backend', svc);
  return {
    service: renderService(ctx, 'backend', svc, view),
    revisions: renderRevisions(ctx, 'backend', svc, view),
  };
}

describe('simulated Cloud Run condition reasons and scaling', () => {
  it('renders CONTAINER_MISSING as the reason of the service and of its newest revision', () => {
    const { service, revisions } = backendOf('image-missing');
    expect(service.terminalCondition).toMatchObject({
      state: 'CONDITION_FAILED',
      reason: 'CONTAINER_MISSING',
    });
    expect(service.latestReadyRevision).toMatch(/backend-00042-kav$/);
    expect(revisions[0]).toMatchObject({
      name: expect.stringMatching(/backend-00043-img$/),
      conditions: [expect.objectContaining({ reason: 'CONTAINER_MISSING' })],
    });
  });

  it('encodes the reasons as numbers when the client asks for numeric enums', () => {
    const { service } = backendOf('image-missing', true);
    expect(service.terminalCondition).toMatchObject({ state: 3, reason: 6 });
    const outage = backendOf('staging-outage', true);
    expect(outage.revisions[0]?.conditions).toEqual([expect.objectContaining({ revisionReason: 6 })]);
  });

  it("serves each service's maxInstances as template.scaling.maxInstanceCount, 3 by default", () => {
    expect(backendOf('connection-budget').service.template).toMatchObject({
      scaling: { minInstanceCount: 0, maxInstanceCount: 20 },
    });
    expect(backendOf('connection-budget').revisions[0]).toMatchObject({ scaling: { maxInstanceCount: 20 } });
    expect(backendOf('healthy').service.template).toMatchObject({ scaling: { maxInstanceCount: 3 } });
  });

  it('has the connection-budget scenario over max_connections only at full scale', () => {
    const s = loadScenario('connection-budget');
    const instances = Object.values(s.services).reduce((sum, svc) => sum + svc.maxInstances, 0);
    expect(instances * 10).toBe(600);
    expect(s.sql?.maxConnections).toBe(400);
    expect(Math.max(...(s.sql?.numBackends ?? []))).toBeLessThan(400 * 0.8);
  });
});
