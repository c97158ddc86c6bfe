import {
  ADMIN_TOKEN_USE,
  fixing,
  METRICS_TOKEN_USE,
  readApiUrl,
  readEmulatorHost,
  readMetricsListener,
  readPagerDuty,
  readPort,
  readToken,
  readWeb,
  readWorkerProcesses,
} from './env-readers';
import type { ConfigProblem } from './load-config';
import { readRedisSettings } from './redis-env';
import { LOG_LEVELS, type LogLevel, type SlackMode, type WarroomEnv } from './warroom-env';

export type EnvResult = { ok: true; env: WarroomEnv } | { ok: false; problems: ConfigProblem[] };

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
  const redis = readRedisSettings(get, problems);
  const port = readPort('PORT', get('PORT'), problems) ?? 3000;
  const metricsListener = readMetricsListener(get('METRICS_PORT'), get('METRICS_HOST'), port, problems);
  const gcpEmulator = readEmulatorHost(get('GCP_EMULATOR_HOST'), problems);
  const web = readWeb(get('WARROOM_PUBLIC_URL'), get('WARROOM_WEB_SECRET'), problems);
  const adminToken = readToken('WARROOM_ADMIN_TOKEN', get('WARROOM_ADMIN_TOKEN'), ADMIN_TOKEN_USE, problems);
  const metricsToken = readToken('METRICS_TOKEN', get('METRICS_TOKEN'), METRICS_TOKEN_USE, problems);
  const workerProcesses = readWorkerProcesses(get('WARROOM_WORKER_PROCESSES'), problems) ?? 1;
  const pagerduty = readPagerDuty(get('PAGERDUTY_EVENTS_URL'), get('PAGERDUTY_WEBHOOK_SECRET'), problems);
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
      redis,
      configPath: get('WARROOM_CONFIG') ?? './warroom.yml',
      gcpEmulator,
      ...(web ? { web } : {}),
      ...(adminToken ? { adminToken } : {}),
      ...(metricsListener ? { metricsListener } : {}),
      ...(metricsToken ? { metricsToken } : {}),
      pagerduty,
      port,
      workerProcesses,
      logLevel: level as LogLevel,
      variables: env,
    },
  };
}
