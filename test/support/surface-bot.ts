import { FakeSlack } from './fake-slack';
import { signSlackRequest } from './slack-signing';
import { type TestConfig, writeTestConfig } from './test-config';
import { BOT_TOKEN, SIGNING_SECRET } from './test-warroom';
import { botProcessEnv, WarroomProcess } from './warroom-process';

export const WEB_SECRET = 'surface-test-web-secret-0123456789abcdef0123456789';
export const ADMIN_TOKEN = 'surface-test-admin-token-7f3a9c1e5b2d4a6f';
export const METRICS_TOKEN = 'surface-test-metrics-token-2c4e6a8b0d1f3e5a';

/** The real bot as a child process in HTTP mode, every route of its HTTP surface turned on. */
export interface SurfaceBot {
  process: WarroomProcess;
  slack: FakeSlack;
  config: TestConfig;
  port: number;
  /** The metrics listener's port (METRICS_PORT=0 picks one). */
  metricsPort?: number;
  /** Sends nothing more and cleans up: stops the bot, the fake Slack and the Redis keys. */
  stop(): Promise<void>;
}

/**
 * Starts `--role all` with the incident pages (WARROOM_WEB_SECRET), the queue dashboard
 * (WARROOM_ADMIN_TOKEN) and, unless `env` says otherwise, a metrics listener of its own behind
 * METRICS_TOKEN.
 */
export async function startSurfaceBot(env: Record<string, string> = {}): Promise<SurfaceBot> {
  const slack = await FakeSlack.start({ botToken: BOT_TOKEN });
  const config = writeTestConfig();
  const bot = WarroomProcess.spawn(
    {
      ...botProcessEnv({ slackUrl: slack.url, configPath: config.path }),
      WARROOM_WEB_SECRET: WEB_SECRET,
      WARROOM_PUBLIC_URL: 'http://warroom.test',
      WARROOM_ADMIN_TOKEN: ADMIN_TOKEN,
      METRICS_PORT: '0',
      METRICS_TOKEN,
      ...env,
    },
    ['--role', 'all'],
    { entry: 'source' },
  );
  const port = await bot.started();
  const started = bot.output.split('\n').find((line) => line.includes('"msg":"Warroom started"'));
  const { metricsPort } = JSON.parse(started ?? '{}') as { metricsPort?: number };
  return {
    process: bot,
    slack,
    config,
    port,
    ...(metricsPort ? { metricsPort } : {}),
    async stop() {
      bot.kill('SIGTERM');
      await bot.exited();
      await slack.close();
      await config.cleanup();
    },
  };
}

/** `running`, or how the process ended and the last lines it wrote. */
export async function stillRunning(bot: WarroomProcess, graceMs = 200): Promise<string> {
  const ended = await Promise.race([
    bot.exited(),
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), graceMs)),
  ]);
  if (!ended) return 'running';
  const last = bot.output.trim().split('\n').slice(-6).join('\n');
  return `exited (${ended.code ?? ended.signal}):\n${last}`;
}

/** The headers Slack signs a request with, for `body`, now. */
export function signedHeaders(body: string, contentType: string): Array<[string, string]> {
  const signature = signSlackRequest(body, SIGNING_SECRET);
  return [
    ['content-type', contentType],
    ['x-slack-signature', signature['x-slack-signature']],
    ['x-slack-request-timestamp', signature['x-slack-request-timestamp']],
  ];
}
