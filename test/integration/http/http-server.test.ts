import type { Server } from 'node:http';
import { closeServer, createHttpServer, listen, type Route, sendJson } from '../../../src/http/http-server';
import { createLogger } from '../../../src/log/logger';
import { rawSend } from '../../support/raw-http';

describe('createHttpServer', () => {
  let server: Server;
  let port: number;
  let logged = '';
  const log = createLogger({
    level: 'debug',
    destination: {
      write: (line: string) => {
        logged += line;
      },
    },
  });
  const routes: Route[] = [
    { methods: ['GET'], path: '/ok', handler: (_req, res) => sendJson(res, 200, { ok: true }) },
    { methods: ['POST'], path: '/ok', handler: (_req, res) => sendJson(res, 201, { created: true }) },
    {
      methods: ['GET'],
      path: '/throws',
      handler: () => {
        throw new Error('synchronous failure');
      },
    },
    {
      methods: ['GET'],
      path: '/rejects',
      handler: async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        throw new Error('asynchronous failure');
      },
    },
    {
      methods: ['GET'],
      path: '/fails-midway',
      handler: async (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('partial');
        throw new Error('failure after the headers');
      },
    },
    { methods: ['GET', 'PUT'], path: '/tree', prefix: true, handler: (_req, res) => sendJson(res, 200, {}) },
  ];

  beforeAll(async () => {
    server = createHttpServer(routes, log);
    port = await listen(server, 0, '127.0.0.1');
  });
  afterAll(() => closeServer(server));

  const send = (method: string, target: string, headers: Array<[string, string]> = []) =>
    rawSend(port, method, target, headers);

  it('routes by path and method', async () => {
    expect((await send('GET', '/ok')).status).toBe(200);
    expect((await send('POST', '/ok', [['content-length', '0']])).status).toBe(201);
    expect((await send('PUT', '/tree/below/it')).status).toBe(200);
  });

  it.each([
    ['DELETE', '/ok', 'GET, POST'],
    ['HEAD', '/ok', 'GET, POST'],
    ['OPTIONS', '/ok', 'GET, POST'],
    ['PROPFIND', '/tree/x', 'GET, PUT'],
  ])('answers %s %s with 405 and Allow: %s', async (method, target, allow) => {
    const response = await send(method, target);
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe(allow);
  });

  it.each(['/nowhere', '/ok/', '/treetop', '/ok#fragment'])(
    'answers an unknown path %s with 404',
    async (target) => {
      expect((await send('GET', target)).status).toBe(404);
    },
  );

  it.each([
    ['an absolute-form target', 'GET', 'http://example.com/ok'],
    ['an asterisk target', 'OPTIONS', '*'],
    ['broken percent-encoding', 'GET', '//%zz'],
    ['broken percent-encoding below a prefix', 'GET', '/tree/%E0%A4%A'],
    ['a control character', 'GET', '/ok\u0001'],
    ['a lowercase method', 'get', '/ok'],
    ['an unknown method', 'BREW', '/ok'],
  ])('answers %s with 400', async (_name, method, target) => {
    expect((await send(method, target)).status).toBe(400);
  });

  it('answers headers over Node’s limit with 431', async () => {
    expect((await send('GET', '/ok', [['x-padding', 'a'.repeat(20_000)]])).status).toBe(431);
  });

  it('answers CONNECT with 405 instead of dropping the connection', async () => {
    expect((await send('CONNECT', 'example.com:443')).status).toBe(405);
  });

  it.each([
    ['/throws', 'synchronous failure'],
    ['/rejects', 'asynchronous failure'],
  ])(
    'turns a handler that fails (%s) into a 500 with a reference, logged at error level',
    async (target, reason) => {
      const response = await send('GET', target);
      expect(response.status).toBe(500);
      const body = JSON.parse(response.body) as { error: string; ref: string };
      expect(body).toEqual({ error: 'internal error', ref: expect.stringMatching(/^[0-9a-f]{12}$/) });
      const line = logged.split('\n').find((l) => l.includes(body.ref));
      expect(JSON.parse(line ?? '{}')).toMatchObject({ level: 'error', ref: body.ref, reason, path: target });
    },
  );

  it('ends a response whose headers were sent when its handler fails', async () => {
    const response = await send('GET', '/fails-midway');
    expect(response.status).toBe(200);
    expect(response.incomplete).toBeUndefined();
    expect(logged).toContain('failure after the headers');
  });

  it('keeps serving after all of that', async () => {
    expect((await send('GET', '/ok')).status).toBe(200);
  });
});
