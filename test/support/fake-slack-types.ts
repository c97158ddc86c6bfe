/**
 * The shapes the fake Slack works with: decoded arguments, what tests seed and inspect, and (internal to the fake)
 * the records its workspace keeps.
 */
import type { FakeSocketMode } from './fake-socket-mode';

export type Args = Record<string, unknown>;

export interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

/** A message as the fake currently holds it. */
export interface MessageView {
  ts: string;
  user: string;
  text: string;
  blocks: unknown[] | undefined;
  thread_ts: string | undefined;
  metadata: MessageMetadata | undefined;
  updateCount: number;
  pinned: boolean;
  reactions: Array<{ name: string; users: string[] }>;
}

export interface EphemeralView {
  message_ts: string;
  user: string;
  text: string;
  blocks: unknown[] | undefined;
  thread_ts: string | undefined;
}

export interface ChannelView {
  id: string;
  name: string;
  isPrivate: boolean;
  isArchived: boolean;
  topic: string;
  members: string[];
  botIsMember: boolean;
}

export interface SeedUser {
  id: string;
  name?: string;
  realName?: string;
  email?: string;
  tz?: string;
  isBot?: boolean;
  deleted?: boolean;
}

export interface SeedUserGroup {
  id: string;
  handle: string;
  name?: string;
  users: string[];
}

export interface SeedChannel {
  id?: string;
  name: string;
  isPrivate?: boolean;
  isArchived?: boolean;
  topic?: string;
  members?: string[];
  /** Default true: a channel a test sets up on purpose usually has the bot in it. */
  botIsMember?: boolean;
}

/** A modal opened with `views.open`, as the app sent it. */
export interface OpenedView {
  id: string;
  trigger_id: string;
  view: Args;
}

/** The workspace's record of a channel. */
export interface Channel {
  id: string;
  name: string;
  isPrivate: boolean;
  isArchived: boolean;
  created: number;
  creator: string;
  topic: { value: string; creator: string; last_set: number };
  members: Set<string>;
  messages: Message[];
  ephemerals: EphemeralView[];
}

/** Text, blocks and attachments of a post or update, once validated. */
export interface MessageContent {
  text: string;
  blocks: unknown[] | undefined;
  attachments: unknown[] | undefined;
}

/** The workspace's record of a message. */
export interface Message extends MessageContent {
  ts: string;
  user: string;
  fromBot: boolean;
  threadTs: string | undefined;
  replyBroadcast: boolean;
  metadata: MessageMetadata | undefined;
  updateCount: number;
  editedTs: string | undefined;
  pinned: boolean;
  reactions: Map<string, string[]>;
}

/** The workspace's record of a user group. */
export type UserGroup = SeedUserGroup & { created: number };

/** Answers one Web API method; throws SlackApiError for Slack's `ok: false` answers. */
export type Handler = (args: Args, socketMode: FakeSocketMode | undefined) => Args;

/** Web API method name → its handler. */
export type MethodTable = Record<string, Handler>;
