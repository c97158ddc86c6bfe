import { fixing } from './env-readers';
import type { ConfigProblem } from './load-config';
import type { WarroomEnv } from './warroom-env';

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
