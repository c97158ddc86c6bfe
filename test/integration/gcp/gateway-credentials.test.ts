import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GcpError } from '../../../src/gcp/cloud-gateway';
import { GoogleCloudGateway } from '../../../src/gcp/google-cloud-gateway';
import { CALLS, METHODS, type SimulatedCloud, startSimulatedCloud } from './simulated-cloud';

/**
 * With GOOGLE_APPLICATION_CREDENTIALS naming a file that does not exist and the metadata server
 * redirected to a recorder, any credential lookup either fails or shows up in the recorder.
 */
describe('GoogleCloudGateway credentials', () => {
  const saved = { ...process.env };
  let metadata: Server;
  const metadataRequests: string[] = [];
  let cloud: SimulatedCloud;

  beforeAll(async () => {
    metadata = createServer((req, res) => {
      metadataRequests.push(req.url ?? '');
      res.writeHead(404).end();
    });
    await new Promise<void>((done) => metadata.listen(0, '127.0.0.1', done));
    const port = (metadata.address() as AddressInfo).port;
    process.env.GOOGLE_APPLICATION_CREDENTIALS = '/nonexistent/warroom-test-key.json';
    process.env.GCE_METADATA_HOST = `127.0.0.1:${port}`;
    process.env.GCE_METADATA_IP = `127.0.0.1:${port}`;
    cloud = await startSimulatedCloud('healthy');
  });

  afterAll(async () => {
    process.env = saved;
    await cloud.stop();
    await new Promise((done) => metadata.close(done));
  });

  it('calls the simulator without looking up any credentials', async () => {
    for (const method of METHODS) await CALLS[method](cloud.gateway);
    expect(cloud.simulator.requestCount()).toBe(METHODS.length);
    expect(metadataRequests).toEqual([]);
  });

  it('runs the same methods in production mode and reports missing ADC as unauthenticated', async () => {
    const production = GoogleCloudGateway.create({ retry: { attempts: 1, baseDelayMs: 10 } });
    try {
      for (const method of METHODS) {
        const error = await CALLS[method](production).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(GcpError);
        expect(error).toMatchObject({ kind: 'unauthenticated' });
        expect((error as GcpError).message).toContain('GOOGLE_APPLICATION_CREDENTIALS');
      }
      expect(metadataRequests).toEqual([]);
    } finally {
      await production.close();
    }
  });
});
