import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import { answerInternalError, type Route } from '../http/http-server';
import { SLACK_BODY_LIMIT, SLACK_EVENTS_PATH, slackEventsRoute } from '../http/slack-events-route';
import type { Logger } from '../log/logger';
import type { CommandBase } from '../router/subcommand';
import { boltLogger } from './bolt-logger';
import { type AckObserver, registerIncidentCommand } from './incident-command';
import { registerIncidentInteractions } from './incident-interactions';
import { registerRemediationInteractions } from './remediation-interactions';
import { toSlackApiError } from './slack-api-error';

export interface SlackAppOptions {
  mode: 'socket' | 'http';
  botToken: string;
  appToken?: string;
  signingSecret?: string;
  apiUrl?: string;
  log: Logger;
  commands: CommandBase;
  /** Times each slash command's acknowledgement (metrics). */
  ackObserver?: AckObserver;
}

export interface SlackApp {
  app: App;
  /** In HTTP mode, `POST /slack/events`: the body checked, then Bolt's listener (signature checks included). */
  route?: Route;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The Bolt app in Socket Mode (no ingress needed) or HTTP mode. The receiver only moves bytes and
 * acks; what a command does lives in the listeners. The token is not verified against Slack at
 * start-up, so the bot starts even while Slack's API is degraded; it is checked in the background.
 */
export function createSlackApp(options: SlackAppOptions): SlackApp {
  const logger = boltLogger(options.log);
  const clientOptions = options.apiUrl ? { slackApiUrl: options.apiUrl } : {};
  const receiver =
    options.mode === 'socket'
      ? new SocketModeReceiver({
          appToken: options.appToken ?? '',
          logger,
          installerOptions: { clientOptions },
        })
      : new HTTPReceiver({
          signingSecret: options.signingSecret ?? '',
          endpoints: SLACK_EVENTS_PATH,
          logger,
          processBeforeResponse: false,
          unhandledRequestTimeoutMillis: 2900,
          bodyLimit: SLACK_BODY_LIMIT,
          // Bolt failing on a request before any listener ran: a 500 with a reference, like the server's.
          processEventErrorHandler: async ({ error, response }) => {
            const { code } = error as { code?: string };
            answerInternalError(response, options.log, error, { path: SLACK_EVENTS_PATH, code });
            return false;
          },
        });
  // Our own authorize: Bolt's single-token mode without start-up verification calls auth.test on
  // every event, a Slack round trip on the ack path. The identity is learned once, in the background.
  const identity: BotIdentity = {};
  const app = new App({
    receiver,
    logger,
    clientOptions,
    // Bolt's conversation store is unused here and costs a lookup on every event.
    convoStore: false,
    authorize: async () => ({ botToken: options.botToken, ...identity }),
  });
  registerIncidentCommand(app, options.commands, options.ackObserver);
  registerIncidentInteractions(app, options.commands, options.log);
  registerRemediationInteractions(app, options.commands, options.log);
  app.error(async (error) => {
    options.log.error({ code: error.code, reason: error.message }, 'Slack listener error');
  });
  const learnIdentity = () => verifyToken(app, options.botToken, identity, options.log);
  if (receiver instanceof HTTPReceiver) {
    // HTTP mode: our server owns the port and hands Slack's requests to Bolt's listener.
    return {
      app,
      route: slackEventsRoute(
        (req, res) => receiver.requestListener(req, res),
        options.signingSecret ?? '',
        options.log,
      ),
      start: async () => {
        void learnIdentity();
      },
      stop: async () => {},
    };
  }
  return {
    app,
    start: async () => {
      await app.start();
      void learnIdentity();
    },
    stop: async () => {
      await app.stop();
    },
  };
}

interface BotIdentity {
  botId?: string;
  botUserId?: string;
}

/** Checks the bot token once, in the background, and says plainly when Slack rejects it. */
async function verifyToken(app: App, token: string, identity: BotIdentity, log: Logger): Promise<void> {
  try {
    const auth = await app.client.auth.test({ token });
    if (auth.bot_id) identity.botId = auth.bot_id;
    if (auth.user_id) identity.botUserId = auth.user_id;
    log.info({ team: auth.team, botUser: auth.user_id }, 'Slack bot token accepted');
  } catch (error) {
    log.error(
      { reason: toSlackApiError(error, 'auth.test').code },
      'Slack did not accept SLACK_BOT_TOKEN; commands will not be able to post. To resolve, reinstall the app and copy the Bot User OAuth Token (xoxb-…) into SLACK_BOT_TOKEN.',
    );
  }
}
