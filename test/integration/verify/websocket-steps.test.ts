// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} here is the config's placeholder syntax, meant literally.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { EnvironmentConfig, VerifyStep } from '../../../src/config/schema';
import type { WebSocketVerifyStep } from '../../../src/config/verify-schema';
import type { CloudGateway } from '../../../src/gcp/cloud-gateway';
import { renderVerifyResult } from '../../../src/verify/render-verify';
import { runSteps } from '../../../src/verify/steps';
import { runVerification } from '../../../src/verify/verify';
import type { CriterionResult, VerifyResult } from '../../../src/verify/verify-result';
import { freePort } from '../../support/free-port';

const TOKEN = 'tok-8c2e41d7-websocket-secret';
const ROOM = 'room-ops-7731';

/** What the real-time server was sent on one connection. */
interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  messages: string[];
}

/**
 * Stands in for the product's real-time endpoint, by path: /chat greets with `ready`, answers a
 * subscription with an `event: message` and `ping` with the text "pong"; /silent only greets;
 * /closes greets and hangs up; /reject refuses the handshake with 401.
 */
function realtimeServer(received: Received[]): { http: Server; wss: WebSocketServer } {
  const http = createServer((_request, response) => response.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/reject') {
      socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const seen: Received = { path, headers: request.headers, messages: [] };
      received.push(seen);
      converse(ws, path, seen);
    });
  });
  return { http, wss };
}

function converse(ws: WebSocket, path: string, seen: Received): void {
  ws.send(JSON.stringify({ type: 'ready' }));
  if (path === '/closes') {
    ws.close(1011, 'going away');
    return;
  }
  ws.on('message', (data) => {
    const text = String(data);
    seen.messages.push(text);
    if (path !== '/chat') return;
    if (text.startsWith('{')) ws.send(JSON.stringify({ event: 'message', data: { text: 'hello' } }));
    if (text === 'ping') ws.send('pong from the server');
  });
}

// No Cloud Run service is configured, so the gateway is never called.
const noGateway = {} as CloudGateway;

const everything = (result: VerifyResult) =>
  JSON.stringify(result) + JSON.stringify(renderVerifyResult(result, { requestedBy: 'U0ALICE' }));

describe('/incident verify with a WebSocket step, against a real server', () => {
  const received: Received[] = [];
  let server: ReturnType<typeof realtimeServer>;
  let base: string;
  const env = { WS_TOKEN: TOKEN, WS_ROOM: ROOM };

  beforeAll(async () => {
    server = realtimeServer(received);
    await new Promise<void>((resolve) => server.http.listen(0, '127.0.0.1', resolve));
    base = `ws://127.0.0.1:${(server.http.address() as AddressInfo).port}`;
  });

  afterEach(() => {
    received.length = 0;
  });

  afterAll(async () => {
    for (const client of server.wss.clients) client.terminate();
    await new Promise((resolve) => server.wss.close(resolve));
    server.http.closeAllConnections();
    await new Promise((resolve) => server.http.close(resolve));
  });

  /** The sockets still open on the server, once it has had half a second to see a close. */
  async function openServerSockets(): Promise<number> {
    for (let i = 0; i < 50 && server.wss.clients.size > 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return server.wss.clients.size;
  }

  const chat = (patch: Partial<WebSocketVerifyStep> = {}): WebSocketVerifyStep => ({
    name: 'chat',
    url: `${base}/chat?token=\${env:WS_TOKEN}`,
    headers: { authorization: 'Bearer ${env:WS_TOKEN}', 'x-room': '${env:WS_ROOM}' },
    send: ['{"type":"subscribe","room":"${env:WS_ROOM}"}', 'ping'],
    expectEvents: ['ready', 'message', 'pong'],
    timeoutMs: 2_000,
    ...patch,
  });

  async function verifySteps(steps: VerifyStep[], options: { env?: NodeJS.ProcessEnv } = {}) {
    const environment: EnvironmentConfig = {
      name: 'staging',
      project: 'acme-staging',
      region: 'us-central1',
      sqlInstance: 'staging-db',
      services: [],
      healthChecks: [],
      remediation: { approval: 'required' },
      verify: { steps },
    };
    const result = await runVerification({
      environment,
      gateway: noGateway,
      env: options.env ?? env,
      now: new Date(),
    });
    const stepsCriterion = result.criteria.find((c) => c.criterion === 'steps') as CriterionResult;
    expect(everything(result)).not.toContain(TOKEN);
    return { result, steps: stepsCriterion };
  }

  it('passes once every event has arrived, with the time each took', async () => {
    const { steps } = await verifySteps([chat()]);
    expect(steps.status).toBe('pass');
    expect(steps.summary).toMatch(/^1\/1 steps passed, slowest chat \d+ ms/);
    expect(steps.details).toEqual([
      expect.stringMatching(
        new RegExp(
          `^chat: WS ${base}/chat → 101 in \\d+ ms; ready after \\d+ ms, message after \\d+ ms, pong after \\d+ ms$`,
        ),
      ),
    ]);
    const [result] = await runSteps([chat()], { env });
    expect(result).toMatchObject({ outcome: 'pass', status: 101, method: 'WS' });
    expect(result?.events).toEqual([
      { name: 'ready', ms: expect.any(Number) },
      { name: 'message', ms: expect.any(Number) },
      { name: 'pong', ms: expect.any(Number) },
    ]);
    for (const event of result?.events ?? []) expect(event.ms).toBeLessThan(2_000);
    expect(await openServerSockets()).toBe(0);
  });

  it('substitutes placeholders in the headers, the URL and the messages it sends', async () => {
    await verifySteps([chat()]);
    const [conversation] = received;
    expect(conversation?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(conversation?.headers['x-room']).toBe(ROOM);
    expect(conversation?.headers['user-agent']).toBe('warroom-verify');
    expect(conversation?.messages).toEqual([`{"type":"subscribe","room":"${ROOM}"}`, 'ping']);
  });

  it('names the events that never came when the timeout passes, and cuts the socket off', async () => {
    const { steps } = await verifySteps([chat({ url: `${base}/silent`, timeoutMs: 300 })]);
    expect(steps.status).toBe('fail');
    expect(steps.details).toEqual([
      expect.stringMatching(
        new RegExp(
          `^chat: WS ${base}/silent failed after \\d+ ms: timed out after 300 ms waiting for message, pong \\(ready after \\d+ ms\\)$`,
        ),
      ),
    ]);
    expect(await openServerSockets()).toBe(0);
  });

  it('fails with the status when the server rejects the handshake', async () => {
    const { steps } = await verifySteps([chat({ url: `${base}/reject?token=\${env:WS_TOKEN}` })]);
    expect(steps.status).toBe('fail');
    expect(steps.summary).toContain('chat failed: handshake rejected: answered 401, expected 101');
  });

  it('fails when the server closes before every event has arrived', async () => {
    const { steps } = await verifySteps([chat({ url: `${base}/closes` })]);
    expect(steps.summary).toMatch(
      /chat failed: the server closed the socket \(code 1011\) before message, pong arrived \(ready after \d+ ms\)/,
    );
  });

  it('fails when nothing listens', async () => {
    const port = await freePort();
    const { steps } = await verifySteps([chat({ url: `ws://127.0.0.1:${port}/chat` })]);
    expect(steps.summary).toContain('chat failed: connection refused (ECONNREFUSED)');
  });

  it('fails on a URL that is invalid once filled in, without showing what it holds', async () => {
    const url = 'ws://${env:WS_HOST}/chat';
    const { steps } = await verifySteps([chat({ url })], { env: { ...env, WS_HOST: `bad host ${TOKEN}` } });
    expect(steps.summary).toContain(
      `chat failed: invalid URL: ${url} does not make a valid ws:// or wss:// URL once filled in`,
    );
  });

  it('fails on a header that is invalid once filled in, without showing what it holds', async () => {
    const { steps } = await verifySteps([chat()], { env: { ...env, WS_ROOM: `a\r\nx-injected: ${TOKEN}` } });
    expect(steps.summary).toContain('not sent: a header is not valid once filled in (ERR_INVALID_CHAR)');
  });

  it('is skipped after a failed HTTP step, naming the capture it would have sent', async () => {
    const login: VerifyStep = {
      name: 'login',
      method: 'POST',
      url: `http://127.0.0.1:${await freePort()}/api/login`,
      headers: {},
      expectStatus: [200],
      capture: { session: 'session' },
      timeoutMs: 1_000,
    };
    const results = await runSteps([login, chat({ send: ['{"type":"auth","session":"${session}"}'] })], {
      env,
    });
    expect(results[1]).toMatchObject({
      method: 'WS',
      outcome: 'skipped',
      reason: 'not run: step login failed, so ${session} is not available',
    });
  });

  it('stops waiting, and closes the socket, when the verification is cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const [result] = await runSteps([chat({ url: `${base}/silent` })], { env, signal: controller.signal });
    expect(result).toMatchObject({
      outcome: 'fail',
      reason: 'stopped before it finished (the verification was cancelled or ran out of time)',
      events: [{ name: 'ready', ms: expect.any(Number) }, { name: 'message' }, { name: 'pong' }],
    });
    expect(result?.ms).toBeLessThan(1_000);
    expect(await openServerSockets()).toBe(0);
  });

  it('never shows a secret from a header or the query string, passed or failed', async () => {
    // verifySteps checks every result and its rendered message; here both outcomes, side by side.
    for (const url of [`${base}/chat?token=\${env:WS_TOKEN}`, `${base}/reject?token=\${env:WS_TOKEN}`]) {
      const { result } = await verifySteps([chat({ url })]);
      expect(everything(result)).not.toContain(TOKEN);
      expect(everything(result)).not.toContain('token=');
    }
  });
});
