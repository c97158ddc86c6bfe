import { readEnv } from '../../../src/config/read-env';
import { requireSlack } from '../../../src/config/require-slack';
import { secretValues } from '../../../src/config/secret-values';
import type { WarroomEnv } from '../../../src/config/warroom-env';

const BOT = 'xoxb-1111-2222-abcdefABCDEF';
const APP = 'xapp-1-A0123-4567-abcdef';
const SIGNING = '8f742231b10e8888abcd99yyyzzz85a5';

function envOf(vars: NodeJS.ProcessEnv): WarroomEnv {
  const result = readEnv(vars);
  if (!result.ok) throw new Error(`expected a valid environment, got ${JSON.stringify(result.problems)}`);
  return result.env;
}

function problemsOf(vars: NodeJS.ProcessEnv) {
  const result = readEnv(vars);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

describe('readEnv', () => {
  it('uses the defaults when nothing is set', () => {
    expect(envOf({})).toEqual<WarroomEnv>({
      slack: { botToken: undefined, appToken: undefined, signingSecret: undefined, apiUrl: undefined },
      slackMode: 'none',
      redis: { mode: 'single', url: 'redis://127.0.0.1:6379' },
      configPath: './warroom.yml',
      gcpEmulator: undefined,
      pagerduty: { eventsUrl: 'https://events.pagerduty.com' },
      port: 3000,
      workerProcesses: 1,
      logLevel: 'info',
      variables: {},
    });
  });

  it('reads every variable', () => {
    const variables = {
      SLACK_BOT_TOKEN: BOT,
      SLACK_APP_TOKEN: APP,
      SLACK_SIGNING_SECRET: SIGNING,
      SLACK_API_URL: 'http://127.0.0.1:4000/api/',
      REDIS_URL: 'rediss://default:s3cret@redis.internal:6380',
      WARROOM_CONFIG: '/etc/warroom/warroom.yml',
      GCP_EMULATOR_HOST: '127.0.0.1:8085',
      PORT: '8080',
      WARROOM_WORKER_PROCESSES: '4',
      LOG_LEVEL: 'debug',
      PAGERDUTY_EVENTS_URL: 'http://127.0.0.1:4010/',
      PAGERDUTY_WEBHOOK_SECRET: 'pd-webhook-secret',
    };
    const env = envOf(variables);
    expect(env).toEqual<WarroomEnv>({
      slack: { botToken: BOT, appToken: APP, signingSecret: SIGNING, apiUrl: 'http://127.0.0.1:4000/api/' },
      slackMode: 'socket',
      redis: { mode: 'single', url: 'rediss://default:s3cret@redis.internal:6380' },
      configPath: '/etc/warroom/warroom.yml',
      gcpEmulator: { host: '127.0.0.1', port: 8085 },
      pagerduty: { eventsUrl: 'http://127.0.0.1:4010', webhookSecret: 'pd-webhook-secret' },
      port: 8080,
      workerProcesses: 4,
      logLevel: 'debug',
      variables,
    });
  });

  it.each<[string, NodeJS.ProcessEnv, WarroomEnv['slackMode']]>([
    ['an app token means Socket Mode', { SLACK_APP_TOKEN: APP, SLACK_SIGNING_SECRET: SIGNING }, 'socket'],
    ['a signing secret alone means HTTP mode', { SLACK_SIGNING_SECRET: SIGNING }, 'http'],
    ['neither means no Slack app', { SLACK_BOT_TOKEN: BOT }, 'none'],
    ['empty variables count as unset', { SLACK_APP_TOKEN: '', SLACK_SIGNING_SECRET: '  ' }, 'none'],
  ])('picks the Slack mode: %s', (_, vars, mode) => {
    expect(envOf(vars).slackMode).toBe(mode);
  });

  it.each([
    ['http://127.0.0.1:4000/api', 'http://127.0.0.1:4000/api/'],
    ['https://slack.com/api/', 'https://slack.com/api/'],
  ])('ends SLACK_API_URL %p with a slash', (value, apiUrl) => {
    expect(envOf({ SLACK_API_URL: value }).slack.apiUrl).toBe(apiUrl);
  });

  it.each([
    ['0', 0],
    ['65535', 65535],
  ])('accepts PORT=%p', (value, port) => {
    expect(envOf({ PORT: value }).port).toBe(port);
  });

  it.each([
    ['[::1]:8085', { host: '::1', port: 8085 }],
    ['gcp-stub:9000', { host: 'gcp-stub', port: 9000 }],
  ])('splits GCP_EMULATOR_HOST=%p', (value, emulator) => {
    expect(envOf({ GCP_EMULATOR_HOST: value }).gcpEmulator).toEqual(emulator);
  });

  it('takes 0 worker processes, to run the workers in the app process', () => {
    expect(envOf({ WARROOM_WORKER_PROCESSES: '0' }).workerProcesses).toBe(0);
  });

  it.each(['-1', '17', '1.5', 'two', '0x2', '100'])(
    'refuses WARROOM_WORKER_PROCESSES=%s with the range',
    (value) => {
      const [problem] = problemsOf({ WARROOM_WORKER_PROCESSES: value });
      expect(problem?.path).toBe('WARROOM_WORKER_PROCESSES');
      expect(problem?.fix).toContain('from 0 to 16');
    },
  );

  it('accepts LOG_LEVEL in capitals', () => {
    expect(envOf({ LOG_LEVEL: 'WARN' }).logLevel).toBe('warn');
  });

  it.each<[string, NodeJS.ProcessEnv, string, string]>([
    ['a PORT that is not a number', { PORT: 'http' }, 'PORT', 'PORT "http" is not a port number.'],
    ['a PORT out of range', { PORT: '65536' }, 'PORT', 'PORT "65536" is not a port number.'],
    ['a negative PORT', { PORT: '-1' }, 'PORT', 'PORT "-1" is not a port number.'],
    [
      'a REDIS_URL with another scheme',
      { REDIS_URL: 'http://redis:6379' },
      'REDIS_URL',
      'REDIS_URL does not start with redis:// or rediss://.',
    ],
    [
      'a REDIS_URL that is a bare host',
      { REDIS_URL: 'redis.internal:6379' },
      'REDIS_URL',
      'REDIS_URL does not start with redis:// or rediss://.',
    ],
    ['a REDIS_URL without a host', { REDIS_URL: 'redis://' }, 'REDIS_URL', 'REDIS_URL has no host.'],
    [
      'a REDIS_URL that is not a URL',
      { REDIS_URL: 'localhost' },
      'REDIS_URL',
      'REDIS_URL does not start with redis:// or rediss://.',
    ],
    [
      'a SLACK_API_URL that is not http(s)',
      { SLACK_API_URL: 'ftp://slack/api/' },
      'SLACK_API_URL',
      'SLACK_API_URL is not an http(s) URL.',
    ],
    [
      'a GCP_EMULATOR_HOST with a scheme',
      { GCP_EMULATOR_HOST: 'http://127.0.0.1:8085' },
      'GCP_EMULATOR_HOST',
      'is not a host:port pair',
    ],
    [
      'a GCP_EMULATOR_HOST without a port',
      { GCP_EMULATOR_HOST: '127.0.0.1' },
      'GCP_EMULATOR_HOST',
      'is not a host:port pair',
    ],
    [
      'a PAGERDUTY_EVENTS_URL that is not http(s)',
      { PAGERDUTY_EVENTS_URL: 'events.pagerduty.com' },
      'PAGERDUTY_EVENTS_URL',
      'PAGERDUTY_EVENTS_URL is not an http(s) URL without credentials.',
    ],
    [
      'a PAGERDUTY_EVENTS_URL with credentials',
      { PAGERDUTY_EVENTS_URL: 'https://user:pw@events.pagerduty.com' },
      'PAGERDUTY_EVENTS_URL',
      'PAGERDUTY_EVENTS_URL is not an http(s) URL without credentials.',
    ],
    [
      'an unknown LOG_LEVEL',
      { LOG_LEVEL: 'verbose' },
      'LOG_LEVEL',
      'LOG_LEVEL "verbose" is not a log level.',
    ],
  ])('rejects %s', (_, vars, path, message) => {
    const problems = problemsOf(vars);
    expect(problems).toEqual([
      { path, message: expect.stringContaining(message), fix: expect.stringMatching(/^To resolve, /) },
    ]);
  });

  it('lists every bad variable at once', () => {
    expect(problemsOf({ PORT: 'x', REDIS_URL: 'x', LOG_LEVEL: 'x' }).map((p) => p.path)).toEqual([
      'REDIS_URL',
      'PORT',
      'LOG_LEVEL',
    ]);
  });

  it('never repeats a password from a bad REDIS_URL', () => {
    const problems = problemsOf({ REDIS_URL: 'http://default:hunter2@redis:6379' });
    expect(JSON.stringify(problems)).not.toContain('hunter2');
  });
});

describe('requireSlack', () => {
  const paths = (vars: NodeJS.ProcessEnv) => requireSlack(envOf(vars)).map((problem) => problem.path);

  it.each<[string, NodeJS.ProcessEnv]>([
    ['Socket Mode with both tokens', { SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP }],
    ['HTTP mode with a signing secret', { SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SIGNING }],
  ])('is satisfied by %s', (_, vars) => {
    expect(requireSlack(envOf(vars))).toEqual([]);
  });

  it.each<[string, NodeJS.ProcessEnv, string[]]>([
    ['the bot token in Socket Mode', { SLACK_APP_TOKEN: APP }, ['SLACK_BOT_TOKEN']],
    ['the bot token in HTTP mode', { SLACK_SIGNING_SECRET: SIGNING }, ['SLACK_BOT_TOKEN']],
    [
      'a user token given as the bot token',
      { SLACK_BOT_TOKEN: 'xoxp-123-456', SLACK_APP_TOKEN: APP },
      ['SLACK_BOT_TOKEN'],
    ],
    [
      'a bot token given as the app token',
      { SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: BOT },
      ['SLACK_APP_TOKEN'],
    ],
    ['any way for Slack to reach the app', { SLACK_BOT_TOKEN: BOT }, ['SLACK_APP_TOKEN']],
    ['everything', {}, ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN']],
  ])('reports %s', (_, vars, expected) => {
    expect(paths(vars)).toEqual(expected);
  });

  it('offers both modes when neither is configured', () => {
    const [problem] = requireSlack(envOf({ SLACK_BOT_TOKEN: BOT }));
    expect(problem.fix).toBe(
      'To resolve, set SLACK_APP_TOKEN for Socket Mode or SLACK_SIGNING_SECRET for HTTP mode.',
    );
  });

  it('never repeats a token it rejects', () => {
    const env = envOf({ SLACK_BOT_TOKEN: 'xoxp-user-secret-1', SLACK_APP_TOKEN: 'xoxb-bot-secret-2' });
    const text = JSON.stringify(requireSlack(env));
    expect(text).not.toContain('user-secret-1');
    expect(text).not.toContain('bot-secret-2');
  });
});

describe('secretValues', () => {
  it('lists the tokens, the signing secret and the Redis password', () => {
    const env = envOf({
      SLACK_BOT_TOKEN: BOT,
      SLACK_APP_TOKEN: APP,
      SLACK_SIGNING_SECRET: SIGNING,
      REDIS_URL: 'redis://default:s3cret@redis:6379',
    });
    expect(secretValues(env).sort()).toEqual([APP, BOT, SIGNING, 's3cret'].sort());
  });

  it('lists a percent-encoded Redis password both as written and decoded', () => {
    const env = envOf({ REDIS_URL: 'redis://:p%40ss%2Fword@redis:6379' });
    expect(secretValues(env)).toEqual(['p%40ss%2Fword', 'p@ss/word']);
  });

  it('is empty when there are no secrets', () => {
    expect(secretValues(envOf({}))).toEqual([]);
  });
});

describe('WARROOM_ADMIN_TOKEN', () => {
  const TOKEN = 'f1e2d3c4b5a69788796a5b4c3d2e1f00';

  it('turns the queue dashboard on and is scrubbed from logs', () => {
    const env = envOf({ WARROOM_ADMIN_TOKEN: TOKEN });
    expect(env.adminToken).toBe(TOKEN);
    expect(secretValues(env)).toContain(TOKEN);
  });

  it('leaves the dashboard off when unset or empty', () => {
    expect(envOf({}).adminToken).toBeUndefined();
    expect(envOf({ WARROOM_ADMIN_TOKEN: '  ' }).adminToken).toBeUndefined();
  });

  it('refuses a short token with a fix, without repeating it', () => {
    const problems = problemsOf({ WARROOM_ADMIN_TOKEN: 'hunter2' });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe('WARROOM_ADMIN_TOKEN');
    expect(problems[0]?.fix).toContain('openssl rand -hex 32');
    expect(JSON.stringify(problems)).not.toContain('hunter2');
  });
});

describe('WARROOM_WEB_SECRET and WARROOM_PUBLIC_URL', () => {
  const SECRET = '0f1e2d3c4b5a69788796a5b4c3d2e1f0-page-links';

  it('turn the incident pages on, the URL without a trailing slash, the secret scrubbed from logs', () => {
    const env = envOf({ WARROOM_WEB_SECRET: SECRET, WARROOM_PUBLIC_URL: 'https://warroom.example.com/' });
    expect(env.web).toEqual({ publicUrl: 'https://warroom.example.com', secret: SECRET });
    expect(secretValues(env)).toContain(SECRET);
  });

  it('leave the pages off without a secret, even with a URL', () => {
    expect(envOf({ WARROOM_PUBLIC_URL: 'https://warroom.example.com' }).web).toBeUndefined();
  });

  it('refuse a short secret, a missing URL, and a URL with credentials, without repeating the secret', () => {
    expect(
      problemsOf({ WARROOM_WEB_SECRET: 'short', WARROOM_PUBLIC_URL: 'https://w.example.com' })[0]?.path,
    ).toBe('WARROOM_WEB_SECRET');
    expect(problemsOf({ WARROOM_WEB_SECRET: SECRET })[0]?.message).toContain('WARROOM_PUBLIC_URL is not');
    const withCredentials = problemsOf({
      WARROOM_WEB_SECRET: SECRET,
      WARROOM_PUBLIC_URL: 'https://a:b@w.example.com',
    });
    expect(withCredentials[0]?.path).toBe('WARROOM_PUBLIC_URL');
    expect(JSON.stringify(withCredentials)).not.toContain(SECRET);
  });
});

describe('METRICS_PORT, METRICS_HOST and METRICS_TOKEN', () => {
  const TOKEN = '9a8b7c6d5e4f30211203f4e5d6c7b8a9';

  it('leave /metrics on the public port, without a token, when unset', () => {
    const env = envOf({});
    expect(env.metricsListener).toBeUndefined();
    expect(env.metricsToken).toBeUndefined();
  });

  it.each<[NodeJS.ProcessEnv, WarroomEnv['metricsListener']]>([
    [{ METRICS_PORT: '9464' }, { port: 9464, host: '127.0.0.1' }],
    [
      { METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' },
      { port: 9464, host: '0.0.0.0' },
    ],
    [
      { METRICS_PORT: '9464', METRICS_HOST: '::' },
      { port: 9464, host: '::' },
    ],
    [
      { METRICS_PORT: '9464', METRICS_HOST: 'metrics.internal' },
      { port: 9464, host: 'metrics.internal' },
    ],
    [
      { METRICS_PORT: '0', PORT: '0' },
      { port: 0, host: '127.0.0.1' },
    ],
    [{ METRICS_PORT: '  ', METRICS_HOST: '' }, undefined],
  ])('reads a metrics listener from %p', (vars, listener) => {
    expect(envOf(vars).metricsListener).toEqual(listener);
  });

  it('takes METRICS_TOKEN and scrubs it from logs', () => {
    const env = envOf({ METRICS_TOKEN: TOKEN });
    expect(env.metricsToken).toBe(TOKEN);
    expect(secretValues(env)).toContain(TOKEN);
  });

  it.each<[string, NodeJS.ProcessEnv, string, string]>([
    [
      'a METRICS_PORT that is not a number',
      { METRICS_PORT: 'metrics' },
      'METRICS_PORT',
      'is not a port number',
    ],
    ['a METRICS_PORT out of range', { METRICS_PORT: '70000' }, 'METRICS_PORT', 'is not a port number'],
    [
      'a METRICS_PORT equal to PORT',
      { PORT: '8080', METRICS_PORT: '8080' },
      'METRICS_PORT',
      'same port as PORT',
    ],
    [
      'a METRICS_PORT equal to the default PORT',
      { METRICS_PORT: '3000' },
      'METRICS_PORT',
      'same port as PORT (3000)',
    ],
    [
      'a METRICS_HOST with a scheme',
      { METRICS_PORT: '9464', METRICS_HOST: 'http://0.0.0.0' },
      'METRICS_HOST',
      'is not a host name or an IP address',
    ],
    [
      'a METRICS_HOST with a port',
      { METRICS_PORT: '9464', METRICS_HOST: '127.0.0.1:9464' },
      'METRICS_HOST',
      'is not a host name or an IP address',
    ],
    [
      'a METRICS_HOST without METRICS_PORT',
      { METRICS_HOST: '0.0.0.0' },
      'METRICS_HOST',
      'METRICS_PORT is not',
    ],
    ['a short METRICS_TOKEN', { METRICS_TOKEN: 'hunter2' }, 'METRICS_TOKEN', 'shorter than 32 characters'],
  ])('rejects %s with a fix', (_, vars, path, message) => {
    expect(problemsOf(vars)).toEqual([
      { path, message: expect.stringContaining(message), fix: expect.stringMatching(/^To resolve, /) },
    ]);
  });

  it('never repeats a METRICS_TOKEN it rejects', () => {
    expect(JSON.stringify(problemsOf({ METRICS_TOKEN: 'short-secret' }))).not.toContain('short-secret');
  });
});
