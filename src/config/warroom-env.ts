import type { RedisSettings } from './redis-settings';

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
  /** REDIS_URL (default redis://127.0.0.1:6379), REDIS_CLUSTER_NODES or REDIS_SENTINELS: see RedisSettings. */
  redis: RedisSettings;
  /** WARROOM_CONFIG, default ./warroom.yml. */
  configPath: string;
  /** GCP_EMULATOR_HOST: where the Google Cloud stand-in listens, when one is used. */
  gcpEmulator?: { host: string; port: number };
  /** PORT, default 3000; 0 picks a free port. */
  port: number;
  /**
   * WARROOM_WORKER_PROCESSES, default 1: the worker processes `--role all` starts beside the Slack
   * app, at a lower OS priority, so job work never delays an acknowledgement. 0 runs the workers in
   * the app's own process.
   */
  workerProcesses: number;
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
  /**
   * PAGERDUTY_EVENTS_URL (default https://events.pagerduty.com): where Events API v2 events go.
   * PAGERDUTY_WEBHOOK_SECRET: the webhook subscription's signing secret; absent, `POST
   * /webhooks/pagerduty` is not served.
   */
  pagerduty: { eventsUrl: string; webhookSecret?: string };
  /** METRICS_TOKEN: `/metrics` asks for `Authorization: Bearer <token>`, wherever it is served. */
  metricsToken?: string;
  /**
   * Every variable Warroom was started with. The config names some (an environment's `dsnEnv`,
   * `${env:NAME}` in verify steps); checks and steps read them here, never from `process.env`.
   */
  variables: Readonly<Record<string, string | undefined>>;
}
