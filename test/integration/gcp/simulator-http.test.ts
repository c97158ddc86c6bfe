import { CloudSimulator } from '../../../src/simulator/cloud-simulator';

describe('CloudSimulator over HTTP', () => {
  let simulator: CloudSimulator;
  beforeAll(async () => {
    simulator = await CloudSimulator.start({ scenario: 'staging-outage' });
  });
  afterAll(() => simulator.close());

  it('answers health endpoints with the statuses the scenario gives', async () => {
    const status = async (name: string) =>
      (await fetch(`http://${simulator.emulatorHost}/sim/health/${name}`)).status;
    expect(await status('backend')).toBe(503);
    simulator.setScenario('healthy');
    expect(await status('backend')).toBe(200);
    expect(await status('payments')).toBe(404);
  });

  it('records every request and counts them by path prefix', async () => {
    const before = simulator.requestCount('/v1/');
    await fetch(`http://${simulator.emulatorHost}/v1/projects/acme-staging/instances/staging-db`);
    expect(simulator.requestCount('/v1/')).toBe(before + 1);
    expect(simulator.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: '/v1/projects/acme-staging/instances/staging-db',
    });
  });

  it('answers enums by name unless the client asks for enum-encoding=int', async () => {
    const url = `http://${simulator.emulatorHost}/v1/projects/acme-staging/locations/us-central1/connectors/staging-connector`;
    const state = async (href: string) => ((await (await fetch(href)).json()) as { state: unknown }).state;
    expect(await state(url)).toBe('READY');
    expect(await state(`${url}?$alt=json%3Benum-encoding=int`)).toBe(1);
  });

  it("answers unknown paths with Google's JSON error format", async () => {
    const res = await fetch(`http://${simulator.emulatorHost}/v9/nothing`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: expect.objectContaining({ code: 404, status: 'NOT_FOUND' }) });
  });

  it('rejects a Monitoring query without a metric type, as Monitoring does', async () => {
    const end = encodeURIComponent(new Date().toISOString());
    const res = await fetch(
      `http://${simulator.emulatorHost}/v3/projects/acme-staging/timeSeries?interval.endTime=${end}`,
    );
    expect(res.status).toBe(400);
  });
});
