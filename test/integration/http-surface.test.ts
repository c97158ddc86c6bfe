import { rawRequest, rawSend, requestBytes } from '../support/raw-http';
import { SLACK_TEST_IDS, slashCommandBody } from '../support/slack-signing';
import {
  ADMIN_TOKEN,
  METRICS_TOKEN,
  type SurfaceBot,
  signedHeaders,
  startSurfaceBot,
  stillRunning,
} from '../support/surface-bot';
import { SIGNING_SECRET } from '../support/test-warroom';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

describe('the HTTP surface of the bot process (HTTP mode, --role all)', () => {
  let surface: SurfaceBot;

  beforeAll(async () => {
    surface = await startSurfaceBot();
  });
  afterAll(() => surface.stop());

  afterEach(async () => {
    // Whatever a test sent, the process is still there and still healthy.
    expect(await stillRunning(surface.process)).toBe('running');
    expect((await send('GET', '/healthz')).status).toBe(200);
  });

  const send = (method: string, target: string, headers: Array<[string, string]> = [], body = '') =>
    rawSend(surface.port, method, target, headers, body);
  const postSigned = (body: string, contentType: string) =>
    send(
      'POST',
      '/slack/events',
      [...signedHeaders(body, contentType), ['content-length', String(Buffer.byteLength(body))]],
      body,
    );
  const interaction = (payload: unknown) =>
    postSigned(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM);

  describe('methods and paths', () => {
    it.each(['GET', 'HEAD', 'PUT', 'OPTIONS'])(
      'answers %s /slack/events with 405 and Allow: POST, and keeps running',
      async (method) => {
        const response = await send(method, '/slack/events');
        const health = await send('GET', '/healthz');
        expect({
          status: response.status,
          allow: response.headers.allow,
          health: health.status,
          process: await stillRunning(surface.process),
        }).toEqual({ status: 405, allow: 'POST', health: 200, process: 'running' });
      },
    );

    it.each([
      ['POST', '/healthz', 'GET'],
      ['HEAD', '/healthz', 'GET'],
      ['TRACE', '/readyz', 'GET'],
      ['DELETE', '/incidents', 'GET'],
      ['HEAD', '/incidents/20260101-db/events', 'GET'],
      ['DELETE', '/admin/queues/api/queues', 'GET, POST, PUT, PATCH'],
    ])('answers %s %s with 405 and Allow: %s', async (method, target, allow) => {
      const response = await send(method, target);
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe(allow);
    });

    it('answers CONNECT with 405', async () => {
      expect((await send('CONNECT', 'warroom:443')).status).toBe(405);
    });

    it.each([
      ['GET', '/favicon.ico'],
      ['PROPFIND', '/nowhere'],
      ['GET', '/slack/events/'],
      ['GET', '/incidents/a/b/c'],
    ])('answers %s %s with 404', async (method, target) => {
      expect((await send(method, target)).status).toBe(404);
    });
  });

  describe('malformed requests', () => {
    it.each([
      ['a lowercase method', 'get', '/healthz'],
      ['an unknown method', 'FROB', '/healthz'],
      ['a path with broken percent-encoding', 'GET', '//%zz'],
      ['an absolute-form target', 'GET', 'http://x/y'],
      ['a control character in the URL', 'GET', '/healthz\u0007'],
      ['an incident id with broken percent-encoding', 'GET', '/incidents/%zz'],
      ['an event stream id with broken percent-encoding', 'GET', '/incidents/%E0%A4%A/events'],
    ])('answers %s with 400', async (_name, method, target) => {
      expect((await send(method, target)).status).toBe(400);
    });

    it('answers headers over Node’s limit with 431', async () => {
      expect((await send('GET', '/healthz', [['cookie', 'x'.repeat(20_000)]])).status).toBe(431);
    });
  });

  describe('POST /slack/events with a body Slack would not send', () => {
    it.each([
      ['that is not JSON, unsigned', '{"type":', [['content-type', JSON_TYPE]]],
      ['without signature headers', '{"type":"event_callback"}', [['content-type', JSON_TYPE]]],
      [
        'with a forged signature',
        '{"event":{"type":"app_mention"}}',
        [
          ['content-type', JSON_TYPE],
          ['x-slack-signature', 'v0=garbage'],
          ['x-slack-request-timestamp', 'not-a-time'],
        ],
      ],
      [
        'signed with another secret',
        'ssl_check=0',
        [
          ['content-type', FORM],
          ['x-slack-signature', 'v0=00'],
        ],
      ],
    ] as Array<[string, string, Array<[string, string]>]>)(
      'answers a body %s with 401',
      async (_name, body, headers) => {
        const length: [string, string] = ['content-length', String(body.length)];
        expect((await send('POST', '/slack/events', [...headers, length], body)).status).toBe(401);
      },
    );

    it.each([
      ['not JSON', '{"type":', JSON_TYPE],
      ['JSON null', 'null', JSON_TYPE],
      ['a JSON list', '[]', JSON_TYPE],
      ['a number', '42', JSON_TYPE],
      ['a form whose payload is not JSON', 'payload=%7Bnope', FORM],
      ['a form whose payload is null', 'payload=null', FORM],
      ['an event that is null', '{"type":"event_callback","event":null}', JSON_TYPE],
      ['an event whose item is a number', '{"event":{"type":"reaction_added","item":5}}', JSON_TYPE],
      ['a command that is not text', '{"command":{"a":1}}', JSON_TYPE],
      [
        'actions without a user',
        JSON.stringify({ payload: 1, type: 'block_actions', actions: [{}] }),
        JSON_TYPE,
      ],
      [
        'an empty list of actions',
        JSON.stringify({ type: 'block_actions', user: { id: 'U1' }, actions: [] }),
        JSON_TYPE,
      ],
      ['a view submission without a view', '{"type":"view_submission","user":{"id":"U1"}}', JSON_TYPE],
      ['a kind Slack does not send', '{"type":"nonsense"}', JSON_TYPE],
      ['a command whose team id an object inherits', slashCommandBody({ team_id: 'toString' }), FORM],
      ['an event whose team id is __proto__', '{"team_id":"__proto__","event":{"type":"x"}}', JSON_TYPE],
    ])('answers a signed body that is %s with 400', async (_name, body, contentType) => {
      expect((await postSigned(body, contentType)).status).toBe(400);
    });

    it('answers a body over 1 MiB with 413', async () => {
      const body = `{"pad":"${'a'.repeat(1024 * 1024)}"}`;
      expect((await postSigned(body, JSON_TYPE)).status).toBe(413);
    });

    it('answers a chunked body over 1 MiB with 413', async () => {
      const chunk = 'a'.repeat(64 * 1024);
      const chunks = `${`${chunk.length.toString(16)}\r\n${chunk}\r\n`.repeat(17)}0\r\n\r\n`;
      const response = await send(
        'POST',
        '/slack/events',
        [
          ['content-type', JSON_TYPE],
          ['transfer-encoding', 'chunked'],
        ],
        chunks,
      );
      expect(response.status).toBe(413);
    });

    it('answers a body shorter than its Content-Length with 400 once the client stops sending', async () => {
      const request = requestBytes(
        'POST',
        '/slack/events',
        [
          ['host', 'warroom'],
          ['content-type', JSON_TYPE],
          ['content-length', '500'],
        ],
        '{"short":true}',
      );
      expect((await rawRequest(surface.port, request, { endAfterWrite: true })).status).toBe(400);
    });
  });

  describe('signed payloads of the wrong shape', () => {
    beforeEach(() => surface.slack.reset());

    it.each([
      ['no user_id', { user_id: '' }],
      ['a user_id that is not an id', { user_id: 'U1; DROP' }],
      ['a channel_id that is not an id', { channel_id: '../../etc' }],
      ['a text over 8,000 characters', { text: 'help '.repeat(2000) }],
    ])('acknowledges a slash command with %s and ignores it', async (problem, fields) => {
      const response = await logsOnce(surface, 'ignored a slash command of the wrong shape', () =>
        postSigned(slashCommandBody(fields), FORM),
      );
      expect(response.status).toBe(200);
      expect(response.body).toBe('');
      const line = surface.process.output.split('\n').findLast((l) => l.includes('ignored a slash command'));
      expect(line).toContain(problem.startsWith('no user') ? 'user_id' : problem.split(' ')[1]);
      expect(line).not.toContain('DROP');
    });

    it('acknowledges a slash command whose text is given twice and ignores it', async () => {
      const body = `${slashCommandBody({ text: 'help' })}&text=open`;
      const response = await postSigned(body, FORM);
      expect(response.status).toBe(200);
      expect(response.body).toBe('');
    });

    it('still answers a well-formed slash command', async () => {
      const response = await postSigned(slashCommandBody({ text: 'help' }), FORM);
      expect(response.status).toBe(200);
      expect(response.body).toContain('/incident help');
    });

    const click = (actionId: string, value: unknown, user: unknown = { id: SLACK_TEST_IDS.userId }) => ({
      type: 'block_actions',
      user,
      team: { id: SLACK_TEST_IDS.teamId },
      actions: [{ type: 'button', action_id: actionId, block_id: 'b', value }],
      container: { type: 'message', channel_id: SLACK_TEST_IDS.channelId, message_ts: '1.1' },
      response_url: surface.slack.responseUrl(`click-${actionId}`),
    });

    it.each([
      ['an Acknowledge button', 'incident_ack', { incidentId: 7 }],
      ['an Approve button', 'remediation_approve', ['r0123456789']],
      ['a Deny button', 'remediation_deny', 12],
    ])(
      'acknowledges a click on %s whose value is not text and ignores it',
      async (_name, actionId, value) => {
        const response = await logsOnce(surface, 'ignored a click of the wrong shape', () =>
          interaction(click(actionId, value)),
        );
        expect(response.status).toBe(200);
        expect(surface.slack.responses).toHaveLength(0);
      },
    );

    it('acknowledges a click by a user that is not an id and ignores it', async () => {
      const response = await logsOnce(surface, 'ignored a click of the wrong shape', () =>
        interaction(click('incident_ack', '{}', { id: ['U1'] })),
      );
      expect(response.status).toBe(200);
    });

    it('answers a click for a page Warroom does not know as before', async () => {
      expect(
        (await interaction(click('incident_ack', '{"incidentId":"nope","tier":"primary"}'))).status,
      ).toBe(200);
      await surface.slack.waitFor(() => surface.slack.responses.length > 0, 5000);
      expect(JSON.stringify(surface.slack.responses[0]?.body)).toContain('no longer known');
    });

    it('acknowledges an event of a type it does not listen to', async () => {
      const body = JSON.stringify({
        type: 'event_callback',
        team_id: 'T0001',
        event: { type: 'emoji_changed' },
      });
      expect((await postSigned(body, JSON_TYPE)).status).toBe(200);
    });

    it('recorded nothing in Slack for any of it', () => {
      expect(surface.slack.calls.filter((c) => c.method.startsWith('chat.'))).toEqual([]);
    });
  });

  describe('metrics on a listener of their own', () => {
    const metricsGet = (target: string, headers: Array<[string, string]> = []) =>
      rawSend(surface.metricsPort ?? 0, 'GET', target, headers);

    it('answers 404 for /metrics on the public port, whatever the credentials', async () => {
      expect((await send('GET', '/metrics', [['authorization', `Bearer ${METRICS_TOKEN}`]])).status).toBe(
        404,
      );
    });

    it('serves /metrics on METRICS_PORT with the bearer token', async () => {
      const response = await metricsGet('/metrics', [['authorization', `Bearer ${METRICS_TOKEN}`]]);
      expect(response.status).toBe(200);
      expect(response.body).toContain('warroom_queue_jobs');
    });

    it.each([
      ['no token', []],
      ['a wrong token', [['authorization', 'Bearer not-the-token']]],
      ['the admin token', [['authorization', `Bearer ${ADMIN_TOKEN}`]]],
      ['the token in another scheme', [['authorization', `Basic ${METRICS_TOKEN}`]]],
    ] as Array<[string, Array<[string, string]>]>)(
      'refuses /metrics with %s: 401 and WWW-Authenticate',
      async (_name, headers) => {
        const response = await metricsGet('/metrics', headers);
        expect(response.status).toBe(401);
        expect(response.headers['www-authenticate']).toMatch(/^Bearer /);
      },
    );

    it('serves /readyz on both ports and nothing else on METRICS_PORT', async () => {
      expect((await metricsGet('/readyz')).status).toBe(200);
      expect((await send('GET', '/readyz')).status).toBe(200);
      expect((await metricsGet('/healthz')).status).toBe(404);
      expect((await metricsGet('/slack/events')).status).toBe(404);
    });

    it('keeps the metrics token out of the log', () => {
      expect(surface.process.output).not.toContain(METRICS_TOKEN);
      expect(surface.process.output).not.toContain(SIGNING_SECRET);
      expect(surface.process.output).not.toContain(
        '/metrics and the reasons of GET /readyz are served on the public port',
      );
    });
  });
});

/** Runs `send` and waits until the bot has written one more line containing `text`. */
async function logsOnce<T>(surface: SurfaceBot, text: string, send: () => Promise<T>): Promise<T> {
  const count = () => surface.process.output.split(text).length;
  const before = count();
  const result = await send();
  await surface.slack.waitFor(() => count() > before, 5000);
  return result;
}
