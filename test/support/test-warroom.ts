import { readFileSync } from 'node:fs';
import { parseConfig } from '../../src/config/load-config';
import { readEnv } from '../../src/config/read-env';
import type { Config } from '../../src/config/schema';
import { secretValues } from '../../src/config/secret-values';
import type { CloudGateway } from '../../src/gcp/cloud-gateway';
import { createLogger } from '../../src/log/logger';
import { type Role, type RunningWarroom, startWarroom, type WarroomOptions } from '../../src/warroom';
import { FakeSlack } from './fake-slack';
import { REDIS_URL, type TestConfig, writeTestConfig } from './test-config';

export const BOT_TOKEN = 'xoxb-test-bot-token-0000000000';
export const APP_TOKEN = 'xapp-1-test-app-token-0000000000';
export const SIGNING_SECRET = 'test-signing-secret-3f1c9a7e';

export interface TestWarroom {
  warroom: RunningWarroom;
  slack: FakeSlack;
  config: Config;
  testConfig: TestConfig;
  baseUrl: string;
  /** Every log line the bot wrote, as text. */
  logs: () => string;
  stop(): Promise<void>;
}

export interface TestWarroomOptions {
  mode?: 'http' | 'socket';
  role?: Role;
  configExtra?: string;
  /** Lines added under `environments.staging` (indentation is added). */
  environmentExtra?: string[];
  /** The environment's connector; null for Direct VPC egress (none). */
  connector?: string | null;
  env?: Record<string, string>;
  gateway?: CloudGateway;
  slack?: FakeSlack;
  checkDeadlineMs?: number;
  /** Reuse a config (and so its Redis prefix): a restarted bot finds what the previous one left. */
  testConfig?: TestConfig;
  remediationTiming?: WarroomOptions['remediationTiming'];
  watchEveryMs?: number;
  healthThresholdMs?: number;
  clock?: WarroomOptions['clock'];
  pagerDutyEvents?: WarroomOptions['pagerDutyEvents'];
}

/** The real bot in this process, pointed at a fake Slack on loopback and the real Redis. */
export async function startTestWarroom(options: TestWarroomOptions = {}): Promise<TestWarroom> {
  const slack = options.slack ?? (await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN }));
  const testConfig =
    options.testConfig ?? writeTestConfig(options.configExtra, options.environmentExtra, options.connector);
  const parsed = parseConfig(readFileSync(testConfig.path, 'utf8'), testConfig.path);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const envResult = readEnv({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    ...(options.mode === 'socket'
      ? { SLACK_APP_TOKEN: APP_TOKEN }
      : { SLACK_SIGNING_SECRET: SIGNING_SECRET }),
    SLACK_API_URL: slack.url,
    REDIS_URL,
    WARROOM_CONFIG: testConfig.path,
    PORT: '0',
    LOG_LEVEL: 'debug',
    ...options.env,
  });
  if (!envResult.ok) throw new Error(JSON.stringify(envResult.problems));
  let captured = '';
  const log = createLogger({
    level: 'debug',
    secrets: secretValues(envResult.env),
    destination: {
      write: (line: string) => {
        captured += line;
      },
    },
  });
  const warroom = await startWarroom({
    env: envResult.env,
    config: parsed.config,
    role: options.role ?? 'all',
    log,
    gateway: options.gateway,
    checkDeadlineMs: options.checkDeadlineMs,
    remediationTiming: options.remediationTiming,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.pagerDutyEvents ? { pagerDutyEvents: options.pagerDutyEvents } : {}),
    ...(options.watchEveryMs ? { watchEveryMs: options.watchEveryMs } : {}),
    ...(options.healthThresholdMs ? { healthThresholdMs: options.healthThresholdMs } : {}),
  });
  return {
    warroom,
    slack,
    config: parsed.config,
    testConfig,
    baseUrl: `http://127.0.0.1:${warroom.port}`,
    logs: () => captured,
    async stop() {
      await warroom.stop();
      if (!options.slack) await slack.close();
      if (!options.testConfig) await testConfig.cleanup();
    },
  };
}

/** Resolves once the bot is idle (no job waiting or running, every message delivered); throws at the timeout. */
export async function waitUntilIdle(warroom: RunningWarroom, timeoutMs = 20_000): Promise<void> {
  if (!(await warroom.waitUntilIdle(timeoutMs))) throw new Error('the bot did not become idle');
}
