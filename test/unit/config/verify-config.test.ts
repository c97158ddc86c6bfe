// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} here is the config's placeholder syntax, meant literally.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type ConfigProblem, parseConfig } from '../../../src/config/load-config';
import type { VerifyStep } from '../../../src/config/schema';
import { stagingYaml } from '../../support/staging-yaml';

type Data = Record<string, unknown>;

/** The smallest valid file with `steps` as environments.staging.verify.steps. */
const withSteps = (steps: unknown, verify: Data = {}): string =>
  stagingYaml({ verify: { steps, ...verify } });

function stepsOf(text: string): VerifyStep[] {
  const result = parseConfig(text, 'warroom.yml');
  if (!result.ok) throw new Error(`expected a valid config, got ${JSON.stringify(result.problems, null, 2)}`);
  return result.config.environments.staging.verify.steps;
}

function problemsOf(text: string): ConfigProblem[] {
  const result = parseConfig(text, 'warroom.yml');
  if (result.ok) throw new Error('expected problems, but the config is valid');
  return result.problems;
}

const login = {
  name: 'login',
  method: 'POST',
  url: 'https://auth.staging.example.com/api/login',
  headers: { 'content-type': 'application/json' },
  body: '{"email":"${env:VERIFY_USER}","password":"${env:VERIFY_PASSWORD}"}',
  expectStatus: 200,
  capture: { token: 'access_token' },
  timeout: '10s',
};
const aiResponse = {
  name: 'ai-response',
  method: 'POST',
  url: 'https://backend.staging.example.com/api/ai/chat',
  headers: { authorization: 'Bearer ${token}' },
  body: '{"prompt":"ping"}',
  expectStatus: [200, 201],
};
const get = (name: string, extra: Data = {}) => ({ name, url: `https://${name}.example.com/`, ...extra });

describe('environments.<name>.verify', () => {
  it('defaults to no steps when the key is left out or has no steps', () => {
    const bare = stringify({
      environments: {
        staging: { project: 'acme-staging', region: 'us-central1', sqlInstance: 'db', services: ['backend'] },
      },
    });
    expect(parseConfig(bare, 'warroom.yml')).toMatchObject({
      ok: true,
      config: { environments: { staging: { verify: { steps: [] } } } },
    });
    expect(stepsOf(bare.replace('services: [backend]', 'services: [backend]\n    verify: {}'))).toEqual([]);
  });

  it('reads a login step that captures a token and a step that sends it', () => {
    expect(stepsOf(withSteps([login, aiResponse]))).toEqual<VerifyStep[]>([
      {
        name: 'login',
        method: 'POST',
        url: 'https://auth.staging.example.com/api/login',
        headers: { 'content-type': 'application/json' },
        body: '{"email":"${env:VERIFY_USER}","password":"${env:VERIFY_PASSWORD}"}',
        expectStatus: [200],
        capture: { token: 'access_token' },
        timeoutMs: 10_000,
      },
      {
        name: 'ai-response',
        method: 'POST',
        url: 'https://backend.staging.example.com/api/ai/chat',
        headers: { authorization: 'Bearer ${token}' },
        body: '{"prompt":"ping"}',
        expectStatus: [200, 201],
        capture: {},
        timeoutMs: 10_000,
      },
    ]);
  });

  it('fills in GET, 200, no headers, no capture and 10 s', () => {
    expect(stepsOf(withSteps([get('health')]))).toEqual([
      {
        name: 'health',
        method: 'GET',
        url: 'https://health.example.com/',
        headers: {},
        expectStatus: [200],
        capture: {},
        timeoutMs: 10_000,
      },
    ]);
  });

  it.each<[string, Data]>([
    ['an environment variable for the host', { url: 'https://${env:STAGING_HOST}/health' }],
    ['a captured value in the path', { url: 'https://a.example.com/users/${user_id}' }],
    [
      'an authorization header from the environment',
      { headers: { authorization: 'Bearer ${env:API_TOKEN}' } },
    ],
    ['an x-api-key header from the environment', { headers: { 'x-api-key': '${env:API_KEY}' } }],
    ['a plain header with a literal value', { headers: { accept: 'application/json' } }],
    ['a 60 s timeout', { timeout: '60s' }],
    ['a 1 s timeout', { timeout: '1s' }],
    ['a list of statuses', { expectStatus: [200, 204, 302] }],
    ['a HEAD request', { method: 'HEAD' }],
    ['a deep capture path with a list index', { capture: { first_id: 'data.items.0.id' } }],
  ])('accepts %s', (_, extra) => {
    const first = { name: 'setup', url: 'https://a.example.com/', capture: { user_id: 'id' } };
    expect(parseConfig(withSteps([first, get('step', extra)]), 'warroom.yml')).toMatchObject({ ok: true });
  });

  it('accepts ten steps', () => {
    const steps = Array.from({ length: 10 }, (_, i) => get(`step-${i}`));
    expect(stepsOf(withSteps(steps))).toHaveLength(10);
  });

  it('accepts the commented example in warroom.example.yml once uncommented', () => {
    const example = readFileSync(join(__dirname, '../../../warroom.example.yml'), 'utf8');
    const lines = example.split('\n');
    const start = lines.indexOf('    # verify:');
    expect(start).toBeGreaterThan(0);
    let end = start + 1;
    while (lines[end]?.startsWith('    #   ')) end += 1;
    const uncommented = lines.map((line, i) =>
      i >= start && i < end ? line.replace('    # ', '    ') : line,
    );
    const steps = stepsOf(uncommented.join('\n'));
    expect(steps.map((s) => s.name)).toEqual(['login', 'ai-response']);
    expect(steps[1]?.headers.authorization).toBe('Bearer ${token}');
  });
});

describe('environments.<name>.verify validation', () => {
  const at = (path: string) => `environments.staging.verify.steps${path}`;

  it.each<[string, unknown, string, string]>([
    // description, steps, path, part of the message
    [
      'a variable no step captures',
      [get('a', { headers: { authorization: 'Bearer ${token}' } })],
      at('[0].headers.authorization'),
      'Step "a" uses ${token}, but no earlier step captures it',
    ],
    [
      'a variable only a later step captures',
      [get('a', { url: 'https://a.example.com/${id}' }), get('b', { capture: { id: 'id' } })],
      at('[0].url'),
      'Step "a" uses ${id}, but no earlier step captures it',
    ],
    [
      'a variable the step captures from its own response',
      [get('a', { body: '{"t":"${token}"}', method: 'POST', capture: { token: 't' } })],
      at('[0].body'),
      'its own capture only happens after the request',
    ],
    [
      'a variable captured twice',
      [get('a', { capture: { token: 't' } }), get('b', { capture: { token: 'u' } })],
      at('[1].capture.token'),
      '"token" is already captured by step "a"',
    ],
    [
      'a placeholder with spaces',
      [get('a', { headers: { 'x-trace': '${ token }' } })],
      at('[0].headers.x-trace'),
      '"${ token }" is not a placeholder',
    ],
    [
      'an unclosed placeholder',
      [get('a', { url: 'https://a.example.com/${id' })],
      at('[0].url'),
      'placeholder',
    ],
    [
      'eleven steps',
      Array.from({ length: 11 }, (_, i) => get(`step-${i}`)),
      at(''),
      '11 steps are listed; at most 10 are allowed',
    ],
    ['two steps with one name', [get('a'), get('a')], at('[1]'), '"a" is listed twice'],
    ['a step name in capitals', [get('Login')], at('[0].name'), '"Login" is not a valid step name'],
    ['a lowercase method', [get('a', { method: 'post' })], at('[0].method'), '"post" is not an HTTP method'],
    ['an ftp URL', [get('a', { url: 'ftp://a.example.com/' })], at('[0].url'), 'is not a valid step URL'],
    [
      'a URL that is only a placeholder',
      [get('a', { url: '${env:BASE}/api' })],
      at('[0].url'),
      'is not a valid step URL',
    ],
    ['a body on a GET', [get('a', { body: '{}' })], at('[0].body'), 'A GET request cannot have a body'],
    [
      'a capture from a HEAD',
      [get('a', { method: 'HEAD', capture: { t: 't' } })],
      at('[0].capture'),
      'A HEAD response has no body',
    ],
    ['a status below 100', [get('a', { expectStatus: 99 })], at('[0].expectStatus'), 'is not an HTTP status'],
    [
      'an empty status list',
      [get('a', { expectStatus: [] })],
      at('[0].expectStatus'),
      'is not an HTTP status',
    ],
    [
      'a status in quotes',
      [get('a', { expectStatus: '200' })],
      at('[0].expectStatus'),
      'is not an HTTP status',
    ],
    ['a timeout over a minute', [get('a', { timeout: '2m' })], at('[0].timeout'), '"2m" is too long'],
    ['a timeout under a second', [get('a', { timeout: '500ms' })], at('[0].timeout'), '"500ms" is too short'],
    ['a timeout without a unit', [get('a', { timeout: '10' })], at('[0].timeout'), 'is not a duration'],
    [
      'an empty segment in a capture path',
      [get('a', { capture: { t: 'data..token' } })],
      at('[0].capture.t'),
      'JSON path',
    ],
    [
      'a capture name starting with a digit',
      [get('a', { capture: { '1t': 't' } })],
      at('[0].capture.1t'),
      'variable name',
    ],
    [
      'a header name with a space',
      [get('a', { headers: { 'x trace': 'a' } })],
      at('[0].headers.x trace'),
      'header name',
    ],
    ['steps given as a mapping', { login: get('a') }, at(''), 'Expected a list of steps'],
  ])('rejects %s', (_, steps, path, message) => {
    const problems = problemsOf(withSteps(steps));
    expect(problems).toContainEqual(
      expect.objectContaining({ path, message: expect.stringContaining(message) }),
    );
    for (const problem of problems) expect(problem.fix).toMatch(/^To resolve, /);
  });

  it('names an unknown key in a step and lists the allowed ones', () => {
    const [problem] = problemsOf(withSteps([get('a', { retries: 3 })]));
    expect(problem).toMatchObject({ path: at('[0].retries'), message: 'Unknown key.' });
    expect(problem?.fix).toContain('name, method, url, headers, body, expectStatus, capture, timeout');
  });

  it('names an unknown key under verify', () => {
    const [problem] = problemsOf(withSteps([], { watch: '30m' }));
    expect(problem).toMatchObject({ path: 'environments.staging.verify.watch', message: 'Unknown key.' });
  });

  it('gives the line of the step that uses an uncaptured variable', () => {
    const text = [
      'environments:',
      '  staging:',
      '    project: acme-staging',
      '    region: us-central1',
      '    sqlInstance: staging-db',
      '    services: [backend]',
      '    verify:',
      '      steps:',
      '        - name: ai-response',
      '          url: https://backend.staging.example.com/api/ai/chat',
      '          headers: { authorization: "Bearer ${token}" }',
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({ path: at('[0].headers.authorization'), line: 11 }),
    ]);
  });
});

describe('environments.<name>.verify with a credential in the file', () => {
  const secret = 'eyJhbGciOiJIUzI1NiJ9-do-not-leak';

  it.each<[string, Data, string]>([
    [
      'a bearer token in authorization',
      { headers: { authorization: `Bearer ${secret}` } },
      '.headers.authorization',
    ],
    [
      'a capitalised Authorization header',
      { headers: { Authorization: `Basic ${secret}` } },
      '.headers.Authorization',
    ],
    ['a session cookie', { headers: { cookie: `session=${secret}` } }, '.headers.cookie'],
    ['an API key header', { headers: { 'x-api-key': secret } }, '.headers.x-api-key'],
    ['an auth token header', { headers: { 'x-auth-token': secret } }, '.headers.x-auth-token'],
    [
      'a password in a JSON body',
      { method: 'POST', body: `{"email":"a@example.com","password":"${secret}"}` },
      '.body',
    ],
  ])('rejects %s without repeating it', (_, extra, path) => {
    const problems = problemsOf(withSteps([get('login', extra)]));
    expect(problems).toEqual([
      expect.objectContaining({
        path: `environments.staging.verify.steps[0]${path}`,
        message: expect.stringContaining('holds a credential written into the file'),
        fix: expect.stringContaining('${env:NAME}'),
      }),
    ]);
    expect(JSON.stringify(problems)).not.toContain(secret);
  });

  it('does not repeat a header value written as a bare number', () => {
    const problems = problemsOf(withSteps([get('login', { headers: { 'x-api-key': 918273645546 } })]));
    expect(problems).toEqual([
      expect.objectContaining({
        path: 'environments.staging.verify.steps[0].headers.x-api-key',
        message: 'Expected a header value, found a number.',
      }),
    ]);
    expect(JSON.stringify(problems)).not.toContain('918273645546');
  });

  it('rejects a URL with a password like any other, without repeating it', () => {
    const problems = problemsOf(withSteps([get('login', { url: `https://ops:${secret}@a.example.com/` })]));
    expect(problems[0]?.message).toContain('connection string (DSN) or a URL with credentials');
    expect(JSON.stringify(problems)).not.toContain(secret);
  });
});

describe('a form-encoded login body', () => {
  it('may reference its password through a placeholder, but not spell it out', () => {
    const form = (body: string) => [
      { ...login, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, capture: {} },
    ];
    expect(stepsOf(withSteps(form('user=${env:VERIFY_USER}&password=${env:VERIFY_PASSWORD}')))[0]?.body).toBe(
      'user=${env:VERIFY_USER}&password=${env:VERIFY_PASSWORD}',
    );
    expect(problemsOf(withSteps(form('user=ops&password=hunter2'))).length).toBeGreaterThan(0);
  });
});
