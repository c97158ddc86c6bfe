// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} here is the config's placeholder syntax, meant literally.
import { type ConfigProblem, parseConfig } from '../../../src/config/load-config';
import type { VerifyStep } from '../../../src/config/schema';
import { stagingYaml } from '../../support/staging-yaml';

type Data = Record<string, unknown>;

const withSteps = (steps: unknown): string => stagingYaml({ verify: { steps } });

function parse(steps: unknown) {
  return parseConfig(withSteps(steps), 'warroom.yml');
}

function stepsOf(steps: unknown): VerifyStep[] {
  const result = parse(steps);
  if (!result.ok) throw new Error(`expected a valid config, got ${JSON.stringify(result.problems, null, 2)}`);
  return result.config.environments.staging.verify.steps;
}

function problemsOf(steps: unknown): ConfigProblem[] {
  const result = parse(steps);
  if (result.ok) throw new Error('expected problems, but the config is valid');
  return result.problems;
}

const chat = (extra: Data = {}) => ({
  name: 'chat',
  url: 'wss://realtime.staging.example.com/socket',
  expectEvents: ['ready'],
  ...extra,
});
const at = (path: string) => `environments.staging.verify.steps${path}`;

describe('a WebSocket step in environments.<name>.verify', () => {
  it('reads a ws step with headers, messages and events, and the HTTP timeout by default', () => {
    const steps = stepsOf([
      {
        name: 'login',
        url: 'https://auth.staging.example.com/api/login',
        capture: { token: 'access_token' },
      },
      chat({
        headers: { authorization: 'Bearer ${token}' },
        send: ['{"type":"subscribe","room":"${env:ROOM}"}', 'ping'],
        expectEvents: ['ready', 'pong'],
      }),
    ]);
    expect(steps[1]).toEqual({
      name: 'chat',
      url: 'wss://realtime.staging.example.com/socket',
      headers: { authorization: 'Bearer ${token}' },
      send: ['{"type":"subscribe","room":"${env:ROOM}"}', 'ping'],
      expectEvents: ['ready', 'pong'],
      timeoutMs: 10_000,
    });
  });

  it('fills in no headers and nothing to send, and reads a ws:// URL and a timeout', () => {
    expect(stepsOf([chat({ url: 'ws://127.0.0.1:8080/socket', timeout: '30s' })])).toEqual([
      {
        name: 'chat',
        url: 'ws://127.0.0.1:8080/socket',
        headers: {},
        send: [],
        expectEvents: ['ready'],
        timeoutMs: 30_000,
      },
    ]);
  });

  it('accepts a placeholder for the host of a wss URL', () => {
    expect(stepsOf([chat({ url: 'wss://${env:REALTIME_HOST}/socket' })])).toHaveLength(1);
  });

  it.each<[string, Data, string, string]>([
    ['a method', { method: 'GET' }, '.method', 'method applies to HTTP steps only'],
    ['a body', { body: '{"type":"hello"}' }, '.body', 'body applies to HTTP steps only'],
    ['an expected status', { expectStatus: 101 }, '.expectStatus', 'expectStatus applies to HTTP steps only'],
    ['a capture', { capture: { token: 'token' } }, '.capture', 'capture applies to HTTP steps only'],
    ['no expectEvents', { expectEvents: undefined }, '.expectEvents', 'A WebSocket step needs expectEvents'],
    ['an empty expectEvents', { expectEvents: [] }, '.expectEvents', 'expectEvents is empty'],
    ['an event listed twice', { expectEvents: ['ready', 'ready'] }, '.expectEvents[1]', 'listed twice'],
    ['an empty event name', { expectEvents: [''] }, '.expectEvents[0]', 'is not a valid event name'],
    ['events given as text', { expectEvents: 'ready' }, '.expectEvents', 'Expected a list of events'],
    ['send given as text', { send: 'hello' }, '.send', 'Expected a list of messages'],
    [
      'a password written into a message',
      { send: ['{"type":"auth","password":"hunter2-literal"}'] },
      '.send[0]',
      'The message holds a credential written into the file',
    ],
    [
      'a literal token in a header',
      { headers: { authorization: 'Bearer eyJhbGciOi-literal' } },
      '.headers.authorization',
      'holds a credential written into the file',
    ],
    ['a malformed placeholder in a message', { send: ['${ token }'] }, '.send[0]', 'is not a placeholder'],
    ['a ws URL without a host', { url: 'ws://' }, '.url', 'is not a valid step URL'],
    [
      'a ws URL with a fragment',
      { url: 'wss://a.example.com/socket#live' },
      '.url',
      'is not a valid step URL',
    ],
  ])('rejects %s on a ws step, worded as a fix', (_, extra, path, message) => {
    const problems = problemsOf([chat(extra)]);
    expect(problems).toContainEqual(
      expect.objectContaining({ path: at(`[0]${path}`), message: expect.stringContaining(message) }),
    );
    for (const problem of problems) expect(problem.fix).toMatch(/^To resolve, /);
    expect(JSON.stringify(problems)).not.toContain('hunter2-literal');
    expect(JSON.stringify(problems)).not.toContain('eyJhbGciOi-literal');
  });

  it('tells how to fix a method on a ws step', () => {
    const [problem] = problemsOf([chat({ method: 'POST', expectStatus: [101] })]);
    expect(problem?.fix).toBe(
      'To resolve, remove method: a WebSocket step connects, sends its send messages and waits for its expectEvents.',
    );
  });

  it.each<[string, Data, string]>([
    ['expectEvents', { expectEvents: ['ready'] }, '.expectEvents'],
    ['send', { send: ['hello'] }, '.send'],
  ])('rejects %s on an http step and says to use a ws URL or remove it', (key, extra, path) => {
    const problems = problemsOf([{ name: 'health', url: 'https://a.example.com/', ...extra }]);
    expect(problems).toEqual([
      expect.objectContaining({
        path: at(`[0]${path}`),
        message: `${key} applies to WebSocket steps only, and this step's URL is http:// or https://.`,
        fix: `To resolve, remove ${key}, or give the step a ws:// or wss:// URL if it should open a WebSocket.`,
      }),
    ]);
  });

  it('checks the placeholders of messages against earlier captures', () => {
    const problems = problemsOf([chat({ send: ['{"token":"${token}"}'] })]);
    expect(problems).toEqual([
      expect.objectContaining({
        path: at('[0].send[0]'),
        message: expect.stringContaining('Step "chat" uses ${token}, but no earlier step captures it'),
      }),
    ]);
  });

  it('names send and expectEvents among the keys a step allows', () => {
    const [problem] = problemsOf([chat({ retries: 3 })]);
    expect(problem).toMatchObject({ path: at('[0].retries'), message: 'Unknown key.' });
    expect(problem?.fix).toContain('timeout, send, expectEvents');
  });

  it('still rejects a scheme that is neither HTTP nor WebSocket, naming both', () => {
    const [problem] = problemsOf([chat({ url: 'ftp://a.example.com/' })]);
    expect(problem).toMatchObject({ path: at('[0].url') });
    expect(problem?.fix).toContain('ws:// or wss://');
  });
});
