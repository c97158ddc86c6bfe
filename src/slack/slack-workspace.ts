/**
 * The Slack workspace operations an incident job performs besides posting messages (those go through the outbox):
 * creating and adopting the channel, inviting people, the topic, pins, archiving, paging people by DM, and reading
 * back one message. Only the calls we make; `WebApiWorkspace` is the real one, `TerminalWorkspace` the shell's.
 */

/** Slack refuses a longer topic (`too_long`). */
const MAX_TOPIC_LENGTH = 250;

export type CreateChannelResult = { ok: true; id: string } | { ok: false; reason: 'name_taken' };

export interface InviteResult {
  invited: string[];
  /** `reason` is Slack's code for that user, e.g. `already_in_channel` or `user_not_found`. */
  skipped: { user: string; reason: string }[];
}

export type DirectMessageResult = { ok: true; channel: string } | { ok: false; error: string };

export interface MessageContent {
  text: string;
  /** Absent for some bot and system messages. */
  user?: string;
}

/**
 * Workspace operations for incident jobs. Failures other than the outcomes each method names throw
 * `SlackApiError` (slack-api-error.ts).
 */
export interface SlackWorkspace {
  /** Creates a public channel; `name_taken` is a result, not an error, so the caller can try the next name. */
  createChannel(name: string): Promise<CreateChannelResult>;
  /** The id of a non-archived channel with exactly this name, if any (to adopt a channel a crashed attempt created). */
  findChannelByName(name: string): Promise<string | undefined>;
  /** Invites users; users already in the channel, or unknown (user_not_found), are skipped and reported. */
  invite(channel: string, users: string[]): Promise<InviteResult>;
  /** Sets the topic, cut to {@link MAX_TOPIC_LENGTH} characters. */
  setTopic(channel: string, topic: string): Promise<void>;
  /** Pins a message; one already pinned counts as pinned. */
  pin(channel: string, ts: string): Promise<void>;
  /** Archives a channel; one already archived counts as archived. */
  archive(channel: string): Promise<void>;
  /** A user group's members (usergroups.users.list); a user id is returned as itself. */
  expandUserGroup(id: string): Promise<string[]>;
  /** Opens (or finds) the DM channel with a user; `user_not_found` and similar → { ok: false, error }. */
  openDirectMessage(user: string): Promise<DirectMessageResult>;
  /** The permalink of a message, for links in pages and the recap; undefined if the message or channel is gone. */
  permalink(channel: string, ts: string): Promise<string | undefined>;
  /** The text and author of one message (a 📌 reaction adds it to the timeline); undefined if it is not there. */
  message(channel: string, ts: string): Promise<MessageContent | undefined>;
}

/**
 * The topic cut to Slack's limit, ending in `…` when cut. Counted in UTF-16 units as the limit is, without splitting
 * an emoji's surrogate pair.
 */
export function truncateTopic(topic: string): string {
  if (topic.length <= MAX_TOPIC_LENGTH) return topic;
  let cut = '';
  for (const char of topic) {
    if (cut.length + char.length > MAX_TOPIC_LENGTH - 1) break;
    cut += char;
  }
  return `${cut}…`;
}
