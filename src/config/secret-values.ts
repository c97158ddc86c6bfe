import { redisSecrets } from './redis-env';
import type { WarroomEnv } from './warroom-env';

/**
 * Every secret value in `env`, for the logger to scrub: tokens, the signing secrets (Slack's and
 * PagerDuty's webhook secret), the Redis password.
 */
export function secretValues(env: WarroomEnv): string[] {
  const { botToken, appToken, signingSecret } = env.slack;
  const secrets = [
    botToken,
    appToken,
    signingSecret,
    env.web?.secret,
    env.adminToken,
    env.metricsToken,
    env.pagerduty?.webhookSecret,
    ...(env.redis.mode === 'single' ? urlPasswords(env.redis.url) : redisSecrets(env.redis)),
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
