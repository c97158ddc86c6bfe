import { GcpError } from '../../../src/gcp/cloud-gateway';
import { loadScenario } from '../../../src/simulator/load-scenario';
import { healthyWith, type SimulatedCloud, startSimulatedCloud } from './simulated-cloud';

const FOLDER = 'warroom-postmortems';
const HTML = '<html><body><h1>Staging answers 503</h1><p>a &amp; b</p></body></html>';

describe('Drive documents through googleapis, against the simulator', () => {
  let cloud: SimulatedCloud;
  afterEach(() => cloud.stop());

  it('creates a Google Doc in one multipart upload with the metadata and the HTML, and reads its link back', async () => {
    cloud = await startSimulatedCloud();
    const document = await cloud.gateway.createDocument({
      name: 'Postmortem inc-1',
      folderId: FOLDER,
      html: HTML,
    });
    expect(document.webViewLink).toBe(`https://docs.google.com/document/d/${document.id}/edit?usp=drivesdk`);
    const [request] = cloud.simulator.requests.filter((r) => r.path.includes('drive'));
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/upload/drive/v3/files');
    const query = new URLSearchParams(request?.query);
    expect(Object.fromEntries(query)).toEqual({
      uploadType: 'multipart',
      supportsAllDrives: 'true',
      fields: 'id,webViewLink',
    });
    const body = String(request?.body);
    expect(body).toContain(
      JSON.stringify({
        name: 'Postmortem inc-1',
        parents: [FOLDER],
        mimeType: 'application/vnd.google-apps.document',
      }),
    );
    expect(body).toMatch(/content-type: text\/html/i);
    const files = cloud.simulator.driveFiles();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({
      id: document.id,
      name: 'Postmortem inc-1',
      parents: [FOLDER],
      mimeType: 'application/vnd.google-apps.document',
      content: HTML,
      contentType: 'text/html',
      version: 1,
    });
  });

  it('replaces the contents in place with files.update and new media, and finds the document by name', async () => {
    cloud = await startSimulatedCloud();
    const created = await cloud.gateway.createDocument({
      name: "Postmortem it's",
      folderId: FOLDER,
      html: HTML,
    });
    const updated = await cloud.gateway.updateDocument(created.id, '<p>second</p>');
    expect(updated.id).toBe(created.id);
    const patch = cloud.simulator.requests.find((r) => r.method === 'PATCH');
    expect(patch?.path).toBe(`/upload/drive/v3/files/${created.id}`);
    expect(new URLSearchParams(patch?.query).get('uploadType')).toBe('media');
    expect(new URLSearchParams(patch?.query).get('supportsAllDrives')).toBe('true');
    expect(cloud.simulator.driveFiles()[0]).toMatchObject({ content: '<p>second</p>', version: 2 });
    expect(await cloud.gateway.findDocument(FOLDER, "Postmortem it's")).toEqual(created);
    expect(await cloud.gateway.findDocument(FOLDER, 'Postmortem other')).toBeUndefined();
  });

  it.each([
    ['a folder Drive does not know', () => loadScenario('healthy'), 'elsewhere', 'not-found', 404],
    [
      'a folder not shared with the account',
      () => healthyWith({ permissionDenied: ['drive.files.create'] }),
      FOLDER,
      'permission-denied',
      403,
    ],
    [
      'a quota used up',
      () => healthyWith({ errors: [{ method: 'drive.files.create', status: 429 }] }),
      FOLDER,
      'rate-limited',
      429,
    ],
  ])(
    'fails with a GcpError for %s, after one request, creating nothing',
    async (_what, scenario, folder, kind, status) => {
      cloud = await startSimulatedCloud(scenario());
      const error = await cloud.gateway
        .createDocument({ name: 'Postmortem inc-1', folderId: folder, html: HTML })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GcpError);
      expect(error).toMatchObject({ kind, status });
      expect(cloud.simulator.requestCount('/upload/drive')).toBe(1);
      expect(cloud.simulator.driveFiles()).toHaveLength(0);
    },
  );
});
