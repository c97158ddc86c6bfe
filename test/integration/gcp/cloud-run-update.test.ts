import { type CloudRunOperation, type CloudRunService, GcpError } from '../../../src/gcp/cloud-gateway';
import { requiredRoleFor } from '../../../src/gcp/required-role';
import { loadScenario } from '../../../src/simulator/load-scenario';
import type { Scenario, SimulatedMethod } from '../../../src/simulator/scenario';
import { waitUntil } from '../../support/wait-for';
import { PROJECT, REGION, type SimulatedCloud, startSimulatedCloud } from './simulated-cloud';

const SERVICE = `projects/${PROJECT}/locations/${REGION}/services/backend`;
const RESTARTED_AT = 'warroom.dev/restarted-at';

/** The staging outage, with the rollout of a new revision ending as `rollout` says. */
function outageWith(
  rollout: Partial<Scenario['rollout']>,
  faults: Partial<Scenario['faults']> = {},
): Scenario {
  const base = loadScenario('staging-outage');
  return { ...base, rollout: { ...base.rollout, ...rollout }, faults: { ...base.faults, ...faults } };
}

/** Runs a gateway call that must fail and returns the GcpError it failed with. */
async function failure(call: Promise<unknown>): Promise<GcpError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof GcpError)) throw new Error(`expected a GcpError, got ${String(error)}`);
  return error;
}

/** The service as read, with a template annotation added: what `gcloud run services update` does to restart. */
function restartOf(service: CloudRunService): CloudRunService {
  const template = service.template ?? {};
  return {
    ...service,
    template: {
      ...template,
      revision: '',
      annotations: { ...(template.annotations ?? {}), [RESTARTED_AT]: '2026-01-15T10:00:00Z' },
    },
  };
}

describe('GoogleCloudGateway.updateService and getOperation against the simulator', () => {
  let cloud: SimulatedCloud;
  beforeAll(async () => {
    cloud = await startSimulatedCloud(outageWith({ outcome: 'ready', readyAfterMs: 200 }));
  });
  afterAll(() => cloud.stop());
  beforeEach(() => {
    cloud.simulator.requests.length = 0;
  });

  const getBackend = () => cloud.gateway.getService(PROJECT, REGION, 'backend');
  const patches = () => cloud.simulator.requests.filter((r) => r.method === 'PATCH');
  async function settle(operation: CloudRunOperation): Promise<CloudRunOperation> {
    let latest = operation;
    await waitUntil(
      async () => {
        latest = await cloud.gateway.getOperation(operation.name);
        return latest.done;
      },
      5000,
      `operation ${operation.name}`,
    );
    return latest;
  }

  it('restarts a service: a new revision reconciles, then serves with the annotation', async () => {
    // Long enough to read the service and its revisions while the rollout runs.
    cloud.simulator.setScenario(outageWith({ outcome: 'ready', readyAfterMs: 1000 }));
    const before = await getBackend();
    expect(before.etag).toBe('"2"');
    const operation = await cloud.gateway.updateService(restartOf(before));
    expect(operation).toEqual({
      name: expect.stringMatching(
        /^projects\/acme-staging\/locations\/us-central1\/operations\/[0-9a-f-]{36}$/,
      ),
      done: false,
    });

    const rolling = await getBackend();
    expect(rolling).toMatchObject({
      reconciling: true,
      generation: '3',
      observedGeneration: '2',
      etag: '"3"',
      terminalCondition: { type: 'Ready', state: 'CONDITION_RECONCILING' },
      latestReadyRevision: `${SERVICE}/revisions/backend-00042-kav`,
    });
    const created = rolling.latestCreatedRevision ?? '';
    expect(created).toMatch(/\/revisions\/backend-00043-[a-z]{3}$/);
    const revisions = await cloud.gateway.listRevisions(PROJECT, REGION, 'backend');
    expect(revisions[0]).toMatchObject({
      name: created,
      conditions: [{ type: 'Ready', state: 'CONDITION_RECONCILING' }],
    });

    expect(await settle(operation)).toEqual({ name: operation.name, done: true });
    const after = await getBackend();
    expect(after).toMatchObject({
      reconciling: false,
      observedGeneration: '3',
      terminalCondition: { type: 'Ready', state: 'CONDITION_SUCCEEDED' },
      latestReadyRevision: created,
      latestCreatedRevision: created,
    });
    expect(after.conditions?.map((c) => [c.type, c.state])).toEqual([
      ['ConfigurationsReady', 'CONDITION_SUCCEEDED'],
      ['RoutesReady', 'CONDITION_SUCCEEDED'],
    ]);
    expect(after.template?.annotations).toEqual({ [RESTARTED_AT]: '2026-01-15T10:00:00Z' });

    const [patch, ...more] = patches();
    expect(more).toHaveLength(0);
    expect(patch?.path).toBe(`/v2/${SERVICE}`);
    // The name travels in the path: GAPIC's transcoding takes it out of the body.
    expect(patch?.body).toMatchObject({
      etag: '"2"',
      template: { annotations: { [RESTARTED_AT]: '2026-01-15T10:00:00Z' } },
    });
  });

  it('makes no revision when the template is unchanged', async () => {
    cloud.simulator.setScenario(outageWith({ outcome: 'ready', readyAfterMs: 200 }));
    const operation = await cloud.gateway.updateService(await getBackend());
    await settle(operation);
    const after = await getBackend();
    expect(after.generation).toBe('3');
    expect(after.latestCreatedRevision).toBe(`${SERVICE}/revisions/backend-00042-kav`);
  });

  it('refuses a stale etag as a conflict, without retrying', async () => {
    cloud.simulator.setScenario(outageWith({ outcome: 'ready', readyAfterMs: 200 }));
    const read = await getBackend();
    await cloud.gateway.updateService(restartOf(read));
    const error = await failure(cloud.gateway.updateService(restartOf(read)));
    expect(error).toMatchObject({ kind: 'conflict', status: 409 });
    expect(error.message).toContain('etag "2"');
    expect(patches()).toHaveLength(2);
  });

  it('checks a validateOnly request and changes nothing', async () => {
    cloud.simulator.setScenario(outageWith({ outcome: 'ready', readyAfterMs: 200 }));
    const operation = await cloud.gateway.updateService(restartOf(await getBackend()), {
      validateOnly: true,
    });
    expect(operation.done).toBe(true);
    expect(operation.error).toBeUndefined();
    expect(patches()[0]?.query).toContain('validateOnly=true');
    const after = await getBackend();
    expect(after).toMatchObject({ generation: '2', reconciling: false });
    expect(after.template?.annotations).toEqual({});
    expect(await cloud.gateway.getOperation(operation.name)).toEqual({ name: operation.name, done: true });
  });

  it('validates a stale etag even with validateOnly', async () => {
    cloud.simulator.setScenario(outageWith({ outcome: 'ready', readyAfterMs: 200 }));
    const stale = { ...(await getBackend()), etag: '"1"' };
    const error = await failure(cloud.gateway.updateService(stale, { validateOnly: true }));
    expect(error.kind).toBe('conflict');
  });

  it('ends the operation with an error when the new revision fails, and keeps the ready revision', async () => {
    cloud.simulator.setScenario(outageWith({ outcome: 'failed', readyAfterMs: 200 }));
    const operation = await cloud.gateway.updateService(restartOf(await getBackend()));
    const done = await settle(operation);
    const after = await getBackend();
    const created = after.latestCreatedRevision?.split('/').pop() ?? '';
    expect(created).toMatch(/^backend-00043-[a-z]{3}$/);
    expect(done).toEqual({
      name: operation.name,
      done: true,
      error: { code: 9, message: expect.stringContaining(`Revision '${created}' is not ready`) },
    });
    expect(after).toMatchObject({
      reconciling: false,
      observedGeneration: '3',
      terminalCondition: {
        type: 'Ready',
        state: 'CONDITION_FAILED',
        severity: 'ERROR',
        reason: 'REVISION_FAILED',
        message: expect.stringContaining(`Revision '${created}' is not ready and cannot serve traffic.`),
      },
      latestReadyRevision: `${SERVICE}/revisions/backend-00042-kav`,
    });
    const [newest] = await cloud.gateway.listRevisions(PROJECT, REGION, 'backend');
    expect(newest?.conditions?.[0]).toMatchObject({
      state: 'CONDITION_FAILED',
      revisionReason: 'HEALTH_CHECK_CONTAINER_ERROR',
    });
  });

  it('rolls traffic back to an older revision by name', async () => {
    cloud.simulator.setScenario(outageWith({ outcome: 'ready', readyAfterMs: 1000 }));
    const read = await getBackend();
    const started = Date.now();
    const operation = await cloud.gateway.updateService({
      ...read,
      traffic: [
        { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: 'backend-00041-wuz', percent: 100 },
      ],
    });
    const done = await settle(operation);
    expect(done.error).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(900); // a traffic change starts no revision
    const after = await getBackend();
    const pinned = {
      type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION',
      revision: 'backend-00041-wuz',
      percent: 100,
    };
    expect(after.traffic).toEqual([expect.objectContaining(pinned)]);
    expect(after.trafficStatuses).toEqual([expect.objectContaining(pinned)]);
    expect(after).toMatchObject({
      observedGeneration: '3',
      latestCreatedRevision: read.latestCreatedRevision,
    });
    const { lastTransitionTime: _, ...condition } = read.terminalCondition ?? {};
    expect(after.terminalCondition).toMatchObject(condition);
  });

  it('refuses traffic to a revision that does not exist, or not adding up to 100', async () => {
    cloud.simulator.setScenario(outageWith({ outcome: 'ready', readyAfterMs: 200 }));
    const read = await getBackend();
    const target = (revision: string, percent: number) => ({
      type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION' as const,
      revision,
      percent,
    });
    for (const traffic of [[target('backend-00007-zzz', 100)], [target('backend-00041-wuz', 50)]]) {
      const error = await failure(cloud.gateway.updateService({ ...read, traffic }));
      expect(error).toMatchObject({ kind: 'invalid-argument', status: 400 });
    }
    expect((await getBackend()).generation).toBe('2');
  });

  it('reports a missing service as not-found', async () => {
    cloud.simulator.setScenario(outageWith({}));
    const error = await failure(cloud.gateway.updateService({ name: `${SERVICE.slice(0, -7)}payments` }));
    expect(error).toMatchObject({ kind: 'not-found', status: 404 });
    const unknown = `projects/${PROJECT}/locations/${REGION}/operations/00000000-0000-4000-8000-000000000000`;
    expect(await failure(cloud.gateway.getOperation(unknown))).toMatchObject({ kind: 'not-found' });
  });

  it('reports a 412 as a conflict, without retrying', async () => {
    cloud.simulator.setScenario(
      outageWith({}, { errors: [{ method: 'run.services.update', status: 412, times: 1 }] }),
    );
    const error = await failure(cloud.gateway.updateService(restartOf(await getBackend())));
    expect(error).toMatchObject({ kind: 'conflict', status: 412 });
    expect(patches()).toHaveLength(1);
  });

  it('answers the health endpoint 200 once a restart made the service ready', async () => {
    cloud.simulator.setScenario(outageWith({ outcome: 'ready', readyAfterMs: 200 }));
    const health = async (name: string) =>
      (await fetch(`http://${cloud.simulator.emulatorHost}/sim/health/${name}`)).status;
    expect(await health('backend')).toBe(503);
    const operation = await cloud.gateway.updateService(restartOf(await getBackend()));
    expect(await health('backend')).toBe(503); // still rolling out
    await settle(operation);
    expect([await health('backend'), await health('auth')]).toEqual([200, 503]);
  });

  it('leaves the health endpoint failing when the restarted revision fails', async () => {
    cloud.simulator.setScenario(outageWith({ outcome: 'failed', readyAfterMs: 200 }));
    await settle(await cloud.gateway.updateService(restartOf(await getBackend())));
    expect((await fetch(`http://${cloud.simulator.emulatorHost}/sim/health/backend`)).status).toBe(503);
  });

  it('forgets updates when the scenario is set again', async () => {
    cloud.simulator.setScenario(outageWith({ outcome: 'ready', readyAfterMs: 200 }));
    await cloud.gateway.updateService(restartOf(await getBackend()));
    cloud.simulator.setScenario(outageWith({ outcome: 'ready', readyAfterMs: 200 }));
    expect((await getBackend()).generation).toBe('2');
  });
});

describe('faults on the Cloud Run writes', () => {
  let cloud: SimulatedCloud;
  beforeAll(async () => {
    cloud = await startSimulatedCloud('staging-outage', { attempts: 3, baseDelayMs: 10 });
  });
  afterAll(() => cloud.stop());

  /** One call of each write method; getOperation looks at an operation a validateOnly update left. */
  async function callOnce(method: SimulatedMethod, signal?: AbortSignal): Promise<unknown> {
    const service = await cloud.gateway.getService(PROJECT, REGION, 'backend');
    if (method === 'run.services.update') return cloud.gateway.updateService(service, { signal });
    const { name } = await cloud.gateway.updateService(service, { validateOnly: true });
    return cloud.gateway.getOperation(name, { signal });
  }
  const WRITES: SimulatedMethod[] = ['run.services.update', 'run.operations.get'];
  const count = (method: SimulatedMethod) =>
    cloud.simulator.requests.filter((r) =>
      method === 'run.services.update' ? r.method === 'PATCH' : r.path.includes('/operations/'),
    ).length;
  const faulty = (faults: Partial<Scenario['faults']>) => {
    const base = loadScenario('staging-outage');
    cloud.simulator.setScenario({ ...base, faults: { ...base.faults, ...faults } });
    cloud.simulator.requests.length = 0;
  };

  it.each(WRITES)('names %s and the role that grants it when it is denied', async (method) => {
    faulty({ permissionDenied: [method] });
    const error = await failure(callOnce(method));
    expect(error).toMatchObject({ kind: 'permission-denied', status: 403, permission: method });
    expect(requiredRoleFor(method)).toBe(
      method === 'run.services.update' ? 'roles/run.developer' : 'roles/run.viewer',
    );
    expect(count(method)).toBe(1);
  });

  it.each(WRITES)('retries %s after a 503 and succeeds', async (method) => {
    faulty({ errors: [{ method, status: 503, times: 1 }] });
    await callOnce(method);
    expect(count(method)).toBe(2);
  });

  it.each(WRITES)('reports a truncated JSON answer to %s as malformed', async (method) => {
    faulty({ malformedJson: [method] });
    expect((await failure(callOnce(method))).kind).toBe('malformed');
  });

  it.each(WRITES)('rejects a hanging %s with a timeout at the deadline', async (method) => {
    faulty({ hang: [method] });
    const started = Date.now();
    const error = await failure(callOnce(method, AbortSignal.timeout(300)));
    expect(error.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(500);
  });
});
