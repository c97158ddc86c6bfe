import { isIP } from 'node:net';
import type { ConfigProblem } from './load-config';
import { FIX_MARKER } from './schema';
import type { WarroomEnv } from './warroom-env';

/** A problem with a variable, worded as the fix. */
export const fixing = (path: string, message: string, fix: string): ConfigProblem => ({
  path,
  message,
  fix: `${FIX_MARKER}${fix}`,
});

export function readApiUrl(value: string | undefined, problems: ConfigProblem[]): string | undefined {
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

export function checkRedisUrl(value: string, problems: ConfigProblem[]): void {
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
export function readPort(
  name: string,
  value: string | undefined,
  problems: ConfigProblem[],
): number | undefined {
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

/** The most worker processes `--role all` starts beside the Slack app. */
export const MAX_WORKER_PROCESSES = 16;

/** WARROOM_WORKER_PROCESSES: how many worker processes `--role all` runs beside the Slack app (0: in it). */
export function readWorkerProcesses(
  value: string | undefined,
  problems: ConfigProblem[],
): number | undefined {
  if (value === undefined) return undefined;
  const count = /^\d{1,2}$/.test(value) ? Number(value) : Number.NaN;
  if (count >= 0 && count <= MAX_WORKER_PROCESSES) return count;
  problems.push(
    fixing(
      'WARROOM_WORKER_PROCESSES',
      `WARROOM_WORKER_PROCESSES "${value}" is not a number of worker processes.`,
      `set it to a whole number from 0 to ${MAX_WORKER_PROCESSES} (0 runs the workers inside the Slack app's process; unset means 1).`,
    ),
  );
  return undefined;
}

/** A host name or an IP address: no scheme, no port, no path. */
const HOST_NAME = /^[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*$/;
const isBindHost = (host: string) => isIP(host) !== 0 || HOST_NAME.test(host);

export function readMetricsListener(
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

export function readWeb(
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
export const ADMIN_TOKEN_USE = { guards: 'the queue dashboard', unset: 'to turn /admin/queues off' };
export const METRICS_TOKEN_USE = { guards: '/metrics', unset: 'to serve /metrics without a token' };

export function readToken(
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

export function readEmulatorHost(
  value: string | undefined,
  problems: ConfigProblem[],
): WarroomEnv['gcpEmulator'] {
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

/** Where PagerDuty's Events API is when PAGERDUTY_EVENTS_URL does not say. */
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com';

export function readPagerDuty(
  eventsUrl: string | undefined,
  webhookSecret: string | undefined,
  problems: ConfigProblem[],
): WarroomEnv['pagerduty'] {
  const url = parseUrl(eventsUrl ?? PAGERDUTY_EVENTS_URL);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) {
    problems.push(
      fixing(
        'PAGERDUTY_EVENTS_URL',
        'PAGERDUTY_EVENTS_URL is not an http(s) URL without credentials.',
        `set it to the Events API base URL, e.g. ${PAGERDUTY_EVENTS_URL} (Warroom adds /v2/enqueue), or unset it to use PagerDuty itself.`,
      ),
    );
  }
  const base = url ? `${url.origin}${url.pathname}`.replace(/\/+$/, '') : PAGERDUTY_EVENTS_URL;
  return { eventsUrl: base, ...(webhookSecret ? { webhookSecret } : {}) };
}
