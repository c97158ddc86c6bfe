import type { ChatMessage } from './message';

/** Where channel output is finally delivered: Slack's Web API or the shell's terminal. */
export interface ChatSink {
  /** Posts a new message; `key` is carried with it (Slack message metadata) so a retry can find it. */
  postMessage(request: PostRequest): Promise<{ ts: string }>;
  updateMessage(request: { channel: string; ts: string; message: ChatMessage }): Promise<void>;
  /**
   * Looks for a message this bot posted earlier with the given key, for a post whose outcome is
   * unknown (the process died between sending and recording). Undefined when it is not there.
   * `threadTs` is given for a thread reply, whose message is not in the channel's own history.
   */
  findPostedMessage(
    channel: string,
    key: string,
    options?: { threadTs?: string },
  ): Promise<{ ts: string } | undefined>;
}

export interface PostRequest {
  channel: string;
  key: string;
  message: ChatMessage;
  /** Parent message of a thread reply. */
  threadTs?: string;
}

/**
 * The chat service asked us to wait: nothing may be sent to that channel for `retryAfterMs`.
 * The outbox reschedules the channel instead of retrying in place, so other channels go on.
 */
export class ChatRateLimitedError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`Rate limited by the chat service; retry after ${retryAfterMs} ms`);
    this.name = 'ChatRateLimitedError';
  }
}

/**
 * A call the chat service refused or could not complete. `code` is the service's error code
 * (e.g. Slack's `channel_not_found`); `permanent` means retrying the same call cannot succeed,
 * so the outbox drops the operation instead of blocking the channel behind it.
 */
export class ChatDeliveryError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'ChatDeliveryError';
  }
}
