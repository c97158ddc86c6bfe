import { isIP } from 'node:net';
import type { ConfigProblem } from './load-config';
import { FIX_MARKER } from './schema';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How the Slack app receives events: Socket Mode, HTTP requests, or not at all (shell, worker). */
export type SlackMode = 'socket' | 'http' | 'none';

/** Process settings read from environment variables. Secrets live only here, never in the config file. */
export interface WarroomEnv {
  slack: {
    /** SLACK_BOT_TOKEN (xoxb-…). */
    botToken?: string;
    /** SLACK_APP_TOKEN (xapp-…), for Socket Mode. */
    appToken?: string;
    /** SLACK_SIGNING_SECRET, for HTTP mode. */
    signingSecret?: string;
    /** SLACK_API_URL: Web API base URL, always ending in a slash. */
    apiUrl?: string;
  };
  /** socket when SLACK_APP_TOKEN is set, else http when SLACK_SIGNING_SECRET is set, else none. */
  slackMode: SlackMode;
  /** REDIS_URL, default redis://127.0.0.1:6379. */
  redisUrl: string;
  /** WARROOM_CONFIG, default ./warroom.yml. */
  configPath: string;
  /** GCP_EMULATOR_HOST: where the Google Cloud stand-in listens, when one is used. */
  gcpEmulator?: { host: string; port: number };
  /** PORT, default 3000; 0 picks a free port. */
  port: number;
  /** LOG_LEVEL, default info. */
  logLevel: LogLevel;
  /**
   * Incident pages: WARROOM_PUBLIC_URL (the base URL people reach the bot at) and WARROOM_WEB_SECRET
   * (signs the links). Absent when no secret is set: the pages are off and messages carry no links.
   */
  web?: { publicUrl: string; secret: string };
  /** WARROOM_ADMIN_TOKEN: opens `/admin/queues`; absent, the dashboard is off (404). */
  adminToken?: string;
  /**
   * METRICS_PORT and METRICS_HOST (default 127.0.0.1): a listener of its own for `/metrics` and a
   * `/readyz` with reasons, off the public port. Absent: both are served on PORT.
   */
  metricsListener?: { port: number; host: string };
  /** METRICS_TOKEN: `/metrics` asks for `Authorization: Bearer <token>`, wherever it is served. */
  metricsToken?: string;
}

export type EnvResult = { ok: true; env: WarroomEnv } | { ok: false; problems: ConfigProblem[] };

const fixing = (path: string, message: string, fix: string): ConfigProblem => ({
  path,
  message,
  fix: `${FIX_MARKER}${fix}`,
});

/**
 * Reads Warroom's settings from environment variables (pass your own object in tests). Reports every
 * bad variable at once; never echoes a value that could be a secret. Empty variables count as unset.
 */
export function readEnv(env: NodeJS.ProcessEnv = process.env): EnvResult {
  const problems: ConfigProblem[] = [];
  const get = (name: string): string | undefined => env[name]?.trim() || undefined;

  const slack = {
    botToken: get('SLACK_BOT_TOKEN'),
    appToken: get('SLACK_APP_TOKEN'),
    signingSecret: get('SLACK_SIGNING_SECRET'),
    apiUrl: readApiUrl(get('SLACK_API_URL'), problems),
  };
  const redisUrl = get('REDIS_URL') ?? 'redis://127.0.0.1:6379';
  checkRedisUrl(redisUrl, problems);
  const port = readPort('PORT', get('PORT'), problems) ?? 3000;
  const metricsListener = readMetricsListener(get('METRICS_PORT'), get('METRICS_HOST'), port, problems);
  const gcpEmulator = readEmulatorHost(get('GCP_EMULATOR_HOST'), problems);
  const web = readWeb(get('WARROOM_PUBLIC_URL'), get('WARROOM_WEB_SECRET'), problems);
  const adminToken = readToken('WARROOM_ADMIN_TOKEN', get('WARROOM_ADMIN_TOKEN'), ADMIN_TOKEN_USE, problems);
  const metricsToken = readToken('METRICS_TOKEN', get('METRICS_TOKEN'), METRICS_TOKEN_USE, problems);
  const level = (get('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    problems.push(
      fixing(
        'LOG_LEVEL',
        `LOG_LEVEL "${level}" is not a log level.`,
        `set it to one of: ${LOG_LEVELS.join(', ')}.`,
      ),
    );
  }
  if (problems.length > 0) return { ok: false, problems };

  const slackMode: SlackMode = slack.appToken ? 'socket' : slack.signingSecret ? 'http' : 'none';
  return {
    ok: true,
    env: {
      slack,
      slackMode,
      redisUrl,
      configPath: get('WARROOM_CONFIG') ?? './warroom.yml',
      gcpEmulator,
      ...(web ? { web } : {}),
      ...(adminToken ? { adminToken } : {}),
      ...(metricsListener ? { metricsListener } : {}),
      ...(metricsToken ? { metricsToken } : {}),
      port,
      logLevel: level as LogLevel,
    },
  };
}

/** What is missing or malformed for the Slack app to start in `env.slackMode`; empty when it can. */
export function requireSlack(env: WarroomEnv): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const { botToken, appToken } = env.slack;
  if (!botToken) {
    problems.push(
      fixing(
        'SLACK_BOT_TOKEN',
        'SLACK_BOT_TOKEN is not set.',
        'set it to the Bot User OAuth Token (xoxb-…) from the app\'s "OAuth & Permissions" page.',
      ),
    );
  } else if (!botToken.startsWith('xoxb-')) {
    problems.push(
      fixing(
        'SLACK_BOT_TOKEN',
        'SLACK_BOT_TOKEN is not a bot token (it does not start with xoxb-).',
        'use the Bot User OAuth Token from "OAuth & Permissions", not a user token or an app-level token.',
      ),
    );
  }
  if (env.slackMode === 'socket' && !appToken?.startsWith('xapp-')) {
    problems.push(
      fixing(
        'SLACK_APP_TOKEN',
        'SLACK_APP_TOKEN is not an app-level token (it does not start with xapp-).',
        'create an app-level token with the connections:write scope under "Basic Information" and set SLACK_APP_TOKEN to it.',
      ),
    );
  }
  if (env.slackMode === 'none') {
    problems.push(
      fixing(
        'SLACK_APP_TOKEN',
        'Neither SLACK_APP_TOKEN nor SLACK_SIGNING_SECRET is set, so Slack cannot reach Warroom.',
        'set SLACK_APP_TOKEN for Socket Mode or SLACK_SIGNING_SECRET for HTTP mode.',
      ),
    );
  }
  return problems;
}

/** Every secret value in `env`, for the logger to scrub: tokens, the signing secret, the Redis password. */
export function secretValues(env: WarroomEnv): string[] {
  const { botToken, appToken, signingSecret } = env.slack;
  const secrets = [
    botToken,
    appToken,
    signingSecret,
    env.web?.secret,
    env.adminToken,
    env.metricsToken,
    ...urlPasswords(env.redisUrl),
  ];
  return [...new Set(secrets.filter((value): value is string => Boolean(value)))];
}

/** The password of a URL both as written (percent-encoded) and decoded, since either may be logged. */
export function urlPasswords(url: string): string[] {
  try {
    const { password } = new URL(url);
    return password ? [password, decodeURIComponent(password)] : [];
  } catch {
    return [];
  }
}

function readApiUrl(value: string | undefined, problems: ConfigProblem[]): string | undefined {
  if (value === undefined) return undefined;
  const url = parseUrl(value);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    problems.push(
      fixing(
        'SLACK_API_URL',
        'SLACK_API_URL is not an http(s) URL.',
        'set it to the Web API base URL, e.g. https://slack.com/api/, or unset it to use Slack itself.',
      ),
    );
    return undefined;
  }
  return value.endsWith('/') ? value : `${value}/`;
}

function checkRedisUrl(value: string, problems: ConfigProblem[]): void {
  const url = parseUrl(value);
  const redis = url?.protocol === 'redis:' || url?.protocol === 'rediss:';
  if (redis && url?.hostname) return;
  // Say what is wrong without showing the URL: it may hold a password.
  const what = redis ? 'REDIS_URL has no host.' : 'REDIS_URL does not start with redis:// or rediss://.';
  const fix =
    'set it to redis://host:6379, or rediss://host:6380 for TLS, with user:password@ before the host if needed.';
  problems.push(fixing('REDIS_URL', what, fix));
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** `name` as a port number, 0 to 65535 (0 picks a free port); undefined when unset or bad. */
function readPort(name: string, value: string | undefined, problems: ConfigProblem[]): number | undefined {
  if (value === undefined) return undefined;
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (port >= 0 && port <= 65535) return port;
  problems.push(
    fixing(
      name,
      `${name} "${value}" is not a port number.`,
      'set it to a whole number from 0 to 65535 (0 picks a free port).',
    ),
  );
  return undefined;
}

/** A host name or an IP address: no scheme, no port, no path. */
const HOST_NAME = /^[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*$/;
const isBindHost = (host: string) => isIP(host) !== 0 || HOST_NAME.test(host);

function readMetricsListener(
  portValue: string | undefined,
  host: string | undefined,
  publicPort: number,
  problems: ConfigProblem[],
): WarroomEnv['metricsListener'] {
  const port = readPort('METRICS_PORT', portValue, problems);
  if (host !== undefined && !isBindHost(host)) {
    problems.push(
      fixing(
        'METRICS_HOST',
        `METRICS_HOST "${host}" is not a host name or an IP address.`,
        'set it to the address the metrics listener binds to, e.g. 127.0.0.1 (the default) or 0.0.0.0 for a Prometheus in another pod or container.',
      ),
    );
    return undefined;
  }
  if (host !== undefined && portValue === undefined) {
    problems.push(
      fixing(
        'METRICS_HOST',
        'METRICS_HOST is set but METRICS_PORT is not, so there is no metrics listener to bind.',
        'set METRICS_PORT to the port /metrics should be served on, or unset METRICS_HOST.',
      ),
    );
    return undefined;
  }
  if (port === undefined) return undefined;
  if (port !== 0 && port === publicPort) {
    problems.push(
      fixing(
        'METRICS_PORT',
        `METRICS_PORT is the same port as PORT (${port}), so /metrics would not leave the public port.`,
        'set METRICS_PORT to another port, e.g. 9464, or unset it to serve /metrics on PORT.',
      ),
    );
    return undefined;
  }
  return { port, host: host ?? '127.0.0.1' };
}

/** The shortest WARROOM_WEB_SECRET accepted: 32 characters, e.g. `openssl rand -hex 32` gives 64. */
const WEB_SECRET_MIN = 32;

function readWeb(
  publicUrl: string | undefined,
  secret: string | undefined,
  problems: ConfigProblem[],
): WarroomEnv['web'] {
  if (secret === undefined) return undefined;
  let ok = true;
  if (secret.length < WEB_SECRET_MIN) {
    ok = false;
    problems.push(
      fixing(
        'WARROOM_WEB_SECRET',
        `WARROOM_WEB_SECRET is shorter than ${WEB_SECRET_MIN} characters, too short to sign page links.`,
        'set it to a long random value, e.g. the output of `openssl rand -hex 32`, or unset it to turn the incident pages off.',
      ),
    );
  }
  const url = publicUrl === undefined ? undefined : parseUrl(publicUrl);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) {
    ok = false;
    problems.push(
      fixing(
        'WARROOM_PUBLIC_URL',
        publicUrl === undefined
          ? 'WARROOM_WEB_SECRET is set but WARROOM_PUBLIC_URL is not, so page links cannot be built.'
          : 'WARROOM_PUBLIC_URL is not an http(s) URL without credentials.',
        'set it to the base URL people reach Warroom at, e.g. https://warroom.example.com.',
      ),
    );
  }
  return ok && url ? { publicUrl: `${url.origin}${url.pathname}`.replace(/\/+$/, ''), secret } : undefined;
}

/**
 * The shortest token accepted: WARROOM_ADMIN_TOKEN guards a dashboard that can retry and remove
 * jobs, METRICS_TOKEN what the queues hold and how the bot runs.
 */
const TOKEN_MIN = 32;
const ADMIN_TOKEN_USE = { guards: 'the queue dashboard', unset: 'to turn /admin/queues off' };
const METRICS_TOKEN_USE = { guards: '/metrics', unset: 'to serve /metrics without a token' };

function readToken(
  name: string,
  value: string | undefined,
  use: { guards: string; unset: string },
  problems: ConfigProblem[],
): string | undefined {
  if (value === undefined || value.length >= TOKEN_MIN) return value;
  problems.push(
    fixing(
      name,
      `${name} is shorter than ${TOKEN_MIN} characters, too short to guard ${use.guards}.`,
      `set it to a long random value, e.g. the output of \`openssl rand -hex 32\`, or unset it ${use.unset}.`,
    ),
  );
  return undefined;
}

function readEmulatorHost(value: string | undefined, problems: ConfigProblem[]): WarroomEnv['gcpEmulator'] {
  if (value === undefined) return undefined;
  // host:port, with IPv6 hosts in brackets: [::1]:8085.
  const match = /^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):(\d{1,5})$/.exec(value);
  const port = match ? Number(match[2]) : Number.NaN;
  if (match?.[1] && port >= 1 && port <= 65535) return { host: match[1].replace(/^\[|\]$/g, ''), port };
  problems.push(
    fixing(
      'GCP_EMULATOR_HOST',
      `GCP_EMULATOR_HOST "${value}" is not a host:port pair.`,
      'set it to host:port without a scheme, e.g. 127.0.0.1:8085, or unset it to use Google Cloud.',
    ),
  );
  return undefined;
}
