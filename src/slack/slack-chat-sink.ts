import { type RetryOptions, type Logger as SlackLogger, WebClient } from '@slack/web-api';
import { ChatDeliveryError, ChatRateLimitedError, type ChatSink, type PostRequest } from '../chat/chat-sink';
import type { ChatMessage } from '../chat/message';
import { type SlackApiError, toSlackApiError } from './slack-api-error';

/** Metadata event type that tags our posts, so a post of unknown outcome can be found again. */
const MESSAGE_EVENT_TYPE = 'warroom_message';

/**
 * 5xx and network failures are retried inside the client, briefly: a long in-client retry would
 * hold the channel's lease, and the outbox backs off on its own after this gives up.
 */
const RETRY_CONFIG: RetryOptions = {
  retries: 3,
  factor: 2,
  minTimeout: 500,
  maxTimeout: 5000,
  randomize: true,
};

/**
 * The standard WebClient for channel output: 429s come back at once (`rejectRateLimitedCalls`)
 * for the outbox to reschedule that channel alone, instead of pausing the whole client.
 */
export function createSlackWebClient(options: {
  token: string;
  slackApiUrl?: string;
  logger?: SlackLogger;
  /** False for posting: a retried chat.postMessage whose first try reached Slack posts twice. */
  retry?: boolean;
}): WebClient {
  return new WebClient(options.token, {
    ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: options.retry === false ? { retries: 0 } : RETRY_CONFIG,
    // A hung request must end so the channel can be retried; the outbox re-checks before re-posting.
    timeout: 30_000,
  });
}

/** Told how each Web API request of the sink ended (metrics); optional. */
export interface SlackCallObserver {
  slackCall(method: string, outcome: 'ok' | 'rate_limited' | 'error'): void;
}

/** {@link ChatSink} on Slack's Web API; Slack errors come out as ChatRateLimitedError / ChatDeliveryError. */
export class SlackChatSink implements ChatSink {
  /**
   * `postClient` should not retry on its own: the outbox retries a failed post itself, after
   * looking for it in the channel by its key, so a post that did reach Slack is not made twice.
   */
  constructor(
    private readonly client: WebClient,
    private readonly postClient: WebClient = client,
    private readonly observer?: SlackCallObserver,
  ) {}

  async postMessage(request: PostRequest): Promise<{ ts: string }> {
    const result = await this.call('chat.postMessage', request.channel, () =>
      this.postClient.chat.postMessage({
        channel: request.channel,
        ...messageFields(request.message),
        ...(request.threadTs ? { thread_ts: request.threadTs } : {}),
        unfurl_links: false,
        metadata: { event_type: MESSAGE_EVENT_TYPE, event_payload: { key: request.key } },
      }),
    );
    if (!result.ts)
      throw new ChatDeliveryError('Slack accepted chat.postMessage but returned no ts', 'missing_ts', false);
    return { ts: result.ts };
  }

  async updateMessage(request: { channel: string; ts: string; message: ChatMessage }): Promise<void> {
    await this.call('chat.update', request.channel, () =>
      this.client.chat.update({
        channel: request.channel,
        ts: request.ts,
        ...messageFields(request.message),
      }),
    );
  }

  async findPostedMessage(
    channel: string,
    key: string,
    options?: { threadTs?: string },
  ): Promise<{ ts: string } | undefined> {
    const page = options?.threadTs
      ? await this.call('conversations.replies', channel, () =>
          this.client.conversations.replies({
            channel,
            ts: options.threadTs as string,
            limit: 200,
            include_all_metadata: true,
          }),
        )
      : await this.call('conversations.history', channel, () =>
          this.client.conversations.history({ channel, limit: 200, include_all_metadata: true }),
        );
    const found = (page.messages ?? []).find((m) => outboxKeyOf(m.metadata) === key);
    return found?.ts ? { ts: found.ts } : undefined;
  }

  /** Runs a call, joining the channel once if the bot is not in it yet, and maps Slack's errors. */
  private async call<T>(method: string, channel: string, send: () => Promise<T>): Promise<T> {
    try {
      return await this.observed(method, send);
    } catch (error) {
      const failure = toSlackApiError(error, method);
      if (failure.code !== 'not_in_channel') throw asChatError(failure);
      try {
        await this.observed('conversations.join', () => this.client.conversations.join({ channel }));
        return await this.observed(method, send);
      } catch (retryError) {
        throw toChatError(retryError, method);
      }
    }
  }

  /** One request, its outcome told to the observer; the error is passed on unchanged. */
  private async observed<T>(method: string, send: () => Promise<T>): Promise<T> {
    if (!this.observer) return send();
    try {
      const result = await send();
      this.observer.slackCall(method, 'ok');
      return result;
    } catch (error) {
      const limited = toSlackApiError(error, method).retryAfterMs !== undefined;
      this.observer.slackCall(method, limited ? 'rate_limited' : 'error');
      throw error;
    }
  }
}

/** The outbox key a message was tagged with (the generated response types leave the payload untyped). */
function outboxKeyOf(metadata: { event_type?: string; event_payload?: object } | undefined): unknown {
  if (metadata?.event_type !== MESSAGE_EVENT_TYPE) return undefined;
  return (metadata.event_payload as { key?: unknown } | undefined)?.key;
}

function messageFields(message: ChatMessage): { text: string; blocks?: ChatMessage['blocks'] } {
  return message.blocks ? { text: message.text, blocks: message.blocks } : { text: message.text };
}

/** Whatever @slack/web-api threw, as the chat errors the outbox acts on (see {@link ChatSink}). */
export function toChatError(error: unknown, method: string): Error {
  return asChatError(toSlackApiError(error, method));
}

function asChatError(failure: SlackApiError): Error {
  return failure.retryAfterMs !== undefined
    ? new ChatRateLimitedError(failure.retryAfterMs)
    : new ChatDeliveryError(failure.message, failure.code, failure.permanent);
}
