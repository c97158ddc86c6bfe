import { GcpError } from '../../../src/gcp/cloud-gateway';
import { requiredRoleFor } from '../../../src/gcp/required-role';
import {
  CALLS,
  healthyWith,
  METHODS,
  PROJECT,
  REGION,
  type SimulatedCloud,
  startSimulatedCloud,
} from './simulated-cloud';

/** Runs a gateway call that must fail and returns the GcpError it failed with. */
async function failure(call: Promise<unknown>): Promise<GcpError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof GcpError)) throw new Error(`expected a GcpError, got ${String(error)}`);
  return error;
}

describe('GoogleCloudGateway failures', () => {
  let cloud: SimulatedCloud;
  beforeAll(async () => {
    cloud = await startSimulatedCloud('healthy', { attempts: 3, baseDelayMs: 10 });
  });
  afterAll(() => cloud.stop());

  /** Requests the simulator received while `run` ran. */
  async function requestsDuring(run: () => Promise<unknown>): Promise<number> {
    const before = cloud.simulator.requestCount();
    await run();
    return cloud.simulator.requestCount() - before;
  }

  it.each(METHODS)(
    'names the missing permission and its role when %s is denied, without retrying',
    async (method) => {
      cloud.simulator.setScenario(healthyWith({ permissionDenied: [method] }));
      let error: GcpError | undefined;
      const requests = await requestsDuring(async () => {
        error = await failure(CALLS[method](cloud.gateway));
      });
      expect(error).toMatchObject({ kind: 'permission-denied', status: 403, permission: method });
      expect(requiredRoleFor(error?.permission ?? '')).toMatch(
        /^roles\/(\w+\.viewer|browser|iam\.securityReviewer|compute\.networkViewer)$/,
      );
      expect(requests).toBe(1);
    },
  );

  it('takes the permission from the ErrorInfo and the message Google sends', async () => {
    cloud.simulator.setScenario(healthyWith({ permissionDenied: ['vpcaccess.connectors.get'] }));
    const error = await failure(cloud.gateway.getConnector(PROJECT, REGION, 'staging-connector'));
    expect(error.message).toContain("Permission 'vpcaccess.connectors.get' denied");
    expect(requiredRoleFor(error.permission ?? '')).toBe('roles/vpcaccess.viewer');
  });

  it('reports a missing resource as not-found', async () => {
    cloud.simulator.setScenario('healthy');
    const results = await Promise.all([
      failure(cloud.gateway.getConnector(PROJECT, REGION, 'other-connector')),
      failure(cloud.gateway.getService(PROJECT, REGION, 'payments')),
      failure(cloud.gateway.listRevisions(PROJECT, REGION, 'payments')),
      failure(cloud.gateway.getSqlInstance(PROJECT, 'other-db')),
    ]);
    for (const error of results) expect(error).toMatchObject({ kind: 'not-found', status: 404 });
  });

  it.each(METHODS)('reports 429 on %s as rate-limited and does not retry it', async (method) => {
    cloud.simulator.setScenario(healthyWith({ errors: [{ method, status: 429 }] }));
    let error: GcpError | undefined;
    const requests = await requestsDuring(async () => {
      error = await failure(CALLS[method](cloud.gateway));
    });
    expect(error).toMatchObject({ kind: 'rate-limited', status: 429 });
    expect(requests).toBe(1);
  });

  it.each(METHODS)('retries %s after a 500 and succeeds', async (method) => {
    cloud.simulator.setScenario(healthyWith({ errors: [{ method, status: 500, times: 1 }] }));
    const requests = await requestsDuring(() => CALLS[method](cloud.gateway));
    expect(requests).toBe(2);
  });

  it.each(METHODS)('gives up on %s as unavailable after 3 attempts of 500', async (method) => {
    cloud.simulator.setScenario(healthyWith({ errors: [{ method, status: 500 }] }));
    let error: GcpError | undefined;
    const requests = await requestsDuring(async () => {
      error = await failure(CALLS[method](cloud.gateway));
    });
    expect(error).toMatchObject({ kind: 'unavailable', status: 500 });
    expect(requests).toBe(3);
  });

  it('retries a dropped connection', async () => {
    cloud.simulator.setScenario(healthyWith({ resets: [{ method: 'run.services.get', times: 2 }] }));
    const requests = await requestsDuring(() => cloud.gateway.getService(PROJECT, REGION, 'backend'));
    expect(requests).toBe(3);
  });

  it('never retries a 4xx', async () => {
    for (const status of [400, 401, 403, 404, 409]) {
      cloud.simulator.setScenario(healthyWith({ errors: [{ method: 'cloudsql.instances.get', status }] }));
      const requests = await requestsDuring(() =>
        failure(cloud.gateway.getSqlInstance(PROJECT, 'staging-db')),
      );
      expect({ status, requests }).toEqual({ status, requests: 1 });
    }
  });

  it('reports 401 as unauthenticated', async () => {
    cloud.simulator.setScenario(healthyWith({ errors: [{ method: 'run.services.get', status: 401 }] }));
    const error = await failure(cloud.gateway.getService(PROJECT, REGION, 'backend'));
    expect(error).toMatchObject({ kind: 'unauthenticated', status: 401 });
  });

  it.each(METHODS)('reports a truncated JSON answer to %s as malformed', async (method) => {
    cloud.simulator.setScenario(healthyWith({ malformedJson: [method] }));
    const error = await failure(CALLS[method](cloud.gateway));
    expect(error.kind).toBe('malformed');
  });

  it.each(METHODS)('rejects a hanging %s with a timeout within 100 ms of the abort', async (method) => {
    cloud.simulator.setScenario(healthyWith({ hang: [method] }));
    const started = Date.now();
    const error = await failure(CALLS[method](cloud.gateway, AbortSignal.timeout(300)));
    expect(error.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(400);
  });

  it('stops retrying at the deadline instead of waiting for the next attempt', async () => {
    const slowRetries = await startSimulatedCloud(
      healthyWith({ errors: [{ method: 'run.services.get', status: 503 }] }),
      {
        attempts: 5,
        baseDelayMs: 1_000,
      },
    );
    try {
      const started = Date.now();
      const error = await failure(
        slowRetries.gateway.getService(PROJECT, REGION, 'backend', { signal: AbortSignal.timeout(200) }),
      );
      expect(error.kind).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(300);
      expect(slowRetries.simulator.requestCount()).toBe(1);
    } finally {
      await slowRetries.stop();
    }
  });

  it('never lets a client-library error or a stack out', async () => {
    cloud.simulator.setScenario(
      healthyWith({ errors: [{ method: 'vpcaccess.connectors.get', status: 503 }] }),
    );
    const error = await failure(cloud.gateway.getConnector(PROJECT, REGION, 'staging-connector'));
    expect(Object.getPrototypeOf(error)).toBe(GcpError.prototype);
    expect(error).not.toHaveProperty('cause');
    expect(error.message).not.toMatch(/\n\s+at /);
    expect(error.message).not.toContain('{"error"');
  });
});
