import type { ChatSink } from '../chat/chat-sink';
import type { WarroomEnv } from '../config/warroom-env';
import type { Logger } from '../log/logger';
import type { CommandBase } from '../router/subcommand';
import { boltLogger } from '../slack/bolt-logger';
import type { AckObserver } from '../slack/incident-command';
import type { SlackApp } from '../slack/slack-app';
import { createSlackWebClient, type SlackCallObserver, SlackChatSink } from '../slack/slack-chat-sink';
import type { SlackWorkspace } from '../slack/slack-workspace';
import { createWebApiWorkspace } from '../slack/web-api-workspace';

/** Slack's Web API for channels, invites, topics, pins and DMs; absent without a bot token. */
export function slackWorkspace(env: WarroomEnv, log: Logger): SlackWorkspace | undefined {
  if (!env.slack.botToken) return undefined;
  return createWebApiWorkspace({
    token: env.slack.botToken,
    slackApiUrl: env.slack.apiUrl,
    logger: boltLogger(log),
  });
}

/** Channel output through Slack's Web API: one client that retries, one that leaves retries to the outbox. */
export function slackSink(env: WarroomEnv, log: Logger, observer: SlackCallObserver): ChatSink {
  if (!env.slack.botToken) throw new Error('SLACK_BOT_TOKEN is required to post to Slack');
  const options = { token: env.slack.botToken, slackApiUrl: env.slack.apiUrl, logger: boltLogger(log) };
  const client = createSlackWebClient(options);
  return new SlackChatSink(client, createSlackWebClient({ ...options, retry: false }), observer);
}

/**
 * The Slack app that takes slash commands and clicks, over Socket Mode or HTTP. Loaded only where
 * commands are taken: Bolt and its receivers are tens of MB a worker never needs.
 */
export async function slackAdapter(
  env: WarroomEnv,
  log: Logger,
  commands: CommandBase,
  ackObserver: AckObserver,
): Promise<SlackApp> {
  if (env.slackMode === 'none' || !env.slack.botToken) throw new Error('Slack credentials are missing');
  const { createSlackApp } = await import('../slack/slack-app');
  return createSlackApp({
    mode: env.slackMode,
    botToken: env.slack.botToken,
    appToken: env.slack.appToken,
    signingSecret: env.slack.signingSecret,
    apiUrl: env.slack.apiUrl,
    log,
    commands,
    ackObserver,
  });
}
