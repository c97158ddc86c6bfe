// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} here is the config's placeholder syntax, meant literally.
import type { VerifyStep } from '../../../src/config/schema';
import { runSteps, type StepResult } from '../../../src/verify/steps';

const TOKEN = 'tok-3f9a1c7e-captured-secret';
const PASSWORD = 'correct-horse-battery-staple';
const env = { VERIFY_USER: 'ops@example.com', VERIFY_PASSWORD: PASSWORD };

const step = (name: string, extra: Partial<VerifyStep> = {}): VerifyStep => ({
  name,
  method: 'GET',
  url: `https://${name}.example.com/api`,
  headers: {},
  expectStatus: [200],
  capture: {},
  timeoutMs: 1_000,
  ...extra,
});
const login = step('login', {
  method: 'POST',
  body: '{"email":"${env:VERIFY_USER}","password":"${env:VERIFY_PASSWORD}"}',
  capture: { token: 'access_token' },
});
const chat = step('chat', {
  method: 'POST',
  headers: { authorization: 'Bearer ${token}' },
  body: '{"prompt":"ping"}',
});

interface Sent {
  url: string;
  method?: string;
  headers: Record<string, string>;
  body?: string;
}

/** A fetch that answers from a table by host and records what was sent. */
function fakeFetch(answers: Record<string, () => Response | Promise<Response>>) {
  const sent: Sent[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    sent.push({
      url,
      method: init?.method,
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      body: typeof init?.body === 'string' ? init.body : undefined,
    });
    const answer = answers[new URL(url).hostname];
    if (!answer) throw new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } });
    return answer();
  }) as typeof fetch;
  return { fetchImpl, sent };
}

const json = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });

/** Every string a result could show, for leak checks. */
const shown = (results: StepResult[]) => JSON.stringify(results);

describe('runSteps', () => {
  it('logs in, captures the token and sends it to the next step', async () => {
    const { fetchImpl, sent } = fakeFetch({
      'login.example.com': () => json({ access_token: TOKEN }),
      'chat.example.com': () => json({ answer: 'pong' }),
    });
    const results = await runSteps([login, chat], { env, fetchImpl });
    expect(results).toEqual([
      expect.objectContaining({
        name: 'login',
        method: 'POST',
        url: 'https://login.example.com/api',
        status: 200,
        outcome: 'pass',
      }),
      expect.objectContaining({ name: 'chat', status: 200, outcome: 'pass' }),
    ]);
    expect(sent[0]?.body).toBe(`{"email":"ops@example.com","password":"${PASSWORD}"}`);
    expect(sent[1]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(sent[1]?.headers['user-agent']).toBe('warroom-verify');
    expect(shown(results)).not.toContain(TOKEN);
    expect(shown(results)).not.toContain(PASSWORD);
  });

  it('fails a step on an unexpected status and skips the rest, naming the variable they lack', async () => {
    const { fetchImpl, sent } = fakeFetch({
      'login.example.com': () => json({ error: 'bad password' }, 401),
    });
    const results = await runSteps([login, chat, step('after')], { env, fetchImpl });
    expect(results.map((r) => [r.name, r.outcome, r.status, r.reason])).toEqual([
      ['login', 'fail', 401, 'answered 401, expected 200'],
      ['chat', 'skipped', undefined, 'not run: step login failed, so ${token} is not available'],
      ['after', 'skipped', undefined, 'not run: step login failed'],
    ]);
    expect(sent).toHaveLength(1);
  });

  it('accepts any of several expected statuses', async () => {
    const { fetchImpl } = fakeFetch({ 'a.example.com': () => new Response(null, { status: 204 }) });
    const [result] = await runSteps([step('a', { expectStatus: [200, 204] })], { env, fetchImpl });
    expect(result).toMatchObject({ outcome: 'pass', status: 204 });
  });

  it.each<[string, () => Response, string]>([
    [
      'a body that is not JSON',
      () => new Response('<html>ok</html>', { status: 200 }),
      'the response body is not JSON, so token cannot be captured',
    ],
    [
      'a body without the path',
      () => json({ token: TOKEN }),
      'the response body has no value at access_token, so token cannot be captured',
    ],
    ['an object at the path', () => json({ access_token: { value: TOKEN } }), 'no value at access_token'],
  ])('fails a capture from %s without showing the body', async (_, answer, reason) => {
    const { fetchImpl } = fakeFetch({ 'login.example.com': answer });
    const [result, next] = await runSteps([login, chat], { env, fetchImpl });
    expect(result).toMatchObject({ outcome: 'fail', status: 200, reason: expect.stringContaining(reason) });
    expect(next).toMatchObject({ outcome: 'skipped' });
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });

  it('does not send a step whose environment variable is unset', async () => {
    const { fetchImpl, sent } = fakeFetch({ 'login.example.com': () => json({ access_token: TOKEN }) });
    const [result] = await runSteps([login], { env: { VERIFY_USER: 'ops@example.com' }, fetchImpl });
    expect(result).toMatchObject({
      outcome: 'fail',
      reason: 'not sent: environment variable VERIFY_PASSWORD is not set',
    });
    expect(sent).toHaveLength(0);
  });

  it('fails a step that reads a value no earlier step captured', async () => {
    const { fetchImpl, sent } = fakeFetch({});
    const [result] = await runSteps([chat], { env, fetchImpl });
    expect(result).toMatchObject({
      outcome: 'fail',
      reason: 'not sent: ${token} was not captured by an earlier step',
    });
    expect(sent).toHaveLength(0);
  });

  it('reports a network error by its code', async () => {
    const { fetchImpl } = fakeFetch({});
    const [result] = await runSteps([step('nowhere')], { env, fetchImpl });
    expect(result).toMatchObject({ outcome: 'fail', reason: 'request failed: ENOTFOUND' });
  });

  it('gives up on a step at its timeout', async () => {
    const hang = ((_: unknown, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      })) as typeof fetch;
    const [result] = await runSteps([step('slow', { timeoutMs: 50 })], { env, fetchImpl: hang });
    expect(result).toMatchObject({ outcome: 'fail', reason: 'no answer within 50 ms' });
    expect(result?.ms).toBeGreaterThanOrEqual(40);
  });

  it('stops when the caller aborts and skips the rest', async () => {
    const controller = new AbortController();
    controller.abort();
    const { fetchImpl } = fakeFetch({ 'a.example.com': () => json({}) });
    const abortable = ((input: string, init?: RequestInit) =>
      init?.signal?.aborted ? Promise.reject(init.signal.reason) : fetchImpl(input, init)) as typeof fetch;
    const results = await runSteps([step('a'), step('b')], {
      env,
      fetchImpl: abortable,
      signal: controller.signal,
    });
    expect(results.map((r) => r.outcome)).toEqual(['fail', 'skipped']);
    expect(results[0]?.reason).toMatch(/^stopped before it finished/);
  });

  it('never shows a secret, even when an error message repeats it', async () => {
    const leaky = ((input: string, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      if (String(input).includes('login')) return Promise.resolve(json({ access_token: TOKEN }));
      // Like undici's "invalid header value" TypeError, which quotes the value.
      return Promise.reject(
        new TypeError(`Headers.append: "${headers.get('authorization')}" is an invalid header value.`),
      );
    }) as typeof fetch;
    const url = step('chat', { url: 'https://chat.example.com/users/${token}?key=${env:VERIFY_PASSWORD}' });
    const results = await runSteps([login, { ...chat, url: url.url }], { env, fetchImpl: leaky });
    expect(results[1]).toMatchObject({ outcome: 'fail', url: 'https://chat.example.com/users/${token}' });
    expect(results[1]?.reason).toContain('***');
    expect(shown(results)).not.toContain(TOKEN);
    expect(shown(results)).not.toContain(PASSWORD);
  });

  it('never shows a captured secret cut in half by a long error message', async () => {
    const leaky = ((input: string) =>
      String(input).includes('login')
        ? Promise.resolve(json({ access_token: TOKEN }))
        : Promise.reject(
            new TypeError('fetch failed', {
              cause: { message: `${'x'.repeat(180)} sent ${TOKEN} and was refused` },
            }),
          )) as typeof fetch;
    const results = await runSteps([login, chat], { env, fetchImpl: leaky });
    expect(results[1]).toMatchObject({ outcome: 'fail' });
    expect(shown(results)).not.toContain(TOKEN.slice(0, 8));
  });

  it.each([
    [
      'a Google access token in a URL',
      'connect to https://api.example.com/v1?access_token=ya29.a0AfH6SMBx3d failed',
    ],
    [
      'a bearer token nobody captured',
      'upstream said: Authorization: Bearer eyJhbGciOi.eyJzdWIiOi.c2ln is expired',
    ],
    ['a DSN password', 'proxy at postgres://svc:pw-from-config-77@10.0.0.9/db refused'],
  ])('never shows a credential an error message quotes: %s', async (_, message) => {
    const failing = (() =>
      Promise.reject(new TypeError('fetch failed', { cause: { message } }))) as typeof fetch;
    const [result] = await runSteps([step('a')], { env, fetchImpl: failing });
    expect(result?.reason).toMatch(/^request failed: /);
    for (const secret of ['ya29.a0AfH6SMBx3d', 'eyJhbGciOi.eyJzdWIiOi', 'pw-from-config-77'])
      expect(result?.reason).not.toContain(secret);
  });

  it('runs nothing for no steps', async () => {
    expect(await runSteps([], { env })).toEqual([]);
  });
});
