import { nowSec, userJson } from './fake-slack-shapes';
import type {
  Args,
  Channel,
  Message,
  MessageContent,
  OpenedView,
  SeedChannel,
  SeedUser,
  SeedUserGroup,
  UserGroup,
} from './fake-slack-types';
import { FAKE_WORKSPACE as W } from './fake-workspace';
import { SlackApiError } from './slack-api-error';

/**
 * The records behind `SlackWorkspace`, shared by its Web API method families: seeding, the lookups each method
 * starts with (throwing Slack's error codes), and the clock and counters that mint timestamps and IDs.
 */
export class WorkspaceState {
  readonly openedViews: OpenedView[] = [];
  readonly channels = new Map<string, Channel>();
  readonly users = new Map<string, Args>();
  readonly groups = new Map<string, UserGroup>();
  private lastTsMicros = 0;
  private seq = 0;

  constructor() {
    this.clear();
  }

  /** Forgets everything; the bot user and alice are seeded again. */
  clear(): void {
    this.channels.clear();
    this.users.clear();
    this.groups.clear();
    this.openedViews.length = 0;
    this.addUser({ id: W.botUserId, name: W.botName, realName: 'Warroom', isBot: true });
    this.addUser({ id: W.userId, name: W.userName, realName: 'Alice Example', email: 'alice@example.com' });
  }

  // --- seeding ----------------------------------------------------------------------------------------------------

  addUser(seed: SeedUser): void {
    this.users.set(seed.id, userJson(seed));
  }

  addUserGroup(group: SeedUserGroup): void {
    this.groups.set(group.id, { ...group, users: [...group.users], created: nowSec() });
  }

  addChannel(seed: SeedChannel): string {
    const id = seed.id ?? `C1${String(this.nextSeq()).padStart(9, '0')}`;
    const members = new Set(seed.members ?? []);
    if (seed.botIsMember ?? true) members.add(W.botUserId);
    this.channels.set(id, {
      id,
      name: seed.name.replace(/^#/, ''),
      isPrivate: seed.isPrivate ?? false,
      isArchived: seed.isArchived ?? false,
      created: nowSec(),
      creator: W.botUserId,
      topic: {
        value: seed.topic ?? '',
        creator: seed.topic ? W.botUserId : '',
        last_set: seed.topic ? nowSec() : 0,
      },
      members,
      messages: [],
      ephemerals: [],
    });
    return id;
  }

  addMessage(channelRef: string, seed: { text: string; user?: string; thread_ts?: string }): string {
    const channel = this.resolve(channelRef);
    const message = this.newMessage(seed.user ?? W.userId, false, {
      text: seed.text,
      blocks: undefined,
      attachments: undefined,
    });
    message.threadTs = seed.thread_ts ? this.threadParent(channel, seed.thread_ts) : undefined;
    channel.messages.push(message);
    return message.ts;
  }

  addReaction(channelRef: string, ts: string, name: string, user: string): void {
    const message = this.findMessage(this.resolve(channelRef), ts);
    const users = message.reactions.get(name) ?? [];
    if (!users.includes(user)) users.push(user);
    message.reactions.set(name, users);
  }

  // --- lookups ----------------------------------------------------------------------------------------------------

  lookup(ref: string): Channel | undefined {
    return this.channels.get(ref) ?? this.byName(ref.replace(/^#/, ''));
  }

  byName(name: string): Channel | undefined {
    for (const channel of this.channels.values()) if (channel.name === name) return channel;
    return undefined;
  }

  requireChannel(id: string): Channel {
    const channel = this.channels.get(id);
    if (!channel) throw new SlackApiError('channel_not_found');
    return channel;
  }

  /** Finds a channel by ID or name, registering unseen C…/G… IDs (see `SlackWorkspace`). */
  resolve(ref: unknown): Channel {
    if (typeof ref !== 'string' || ref === '') throw new SlackApiError('channel_not_found');
    const known = this.lookup(ref);
    if (known) return known;
    if (!/^[CG][A-Z0-9]{2,}$/.test(ref)) throw new SlackApiError('channel_not_found');
    this.addChannel({ id: ref, name: ref.toLowerCase(), botIsMember: false });
    return this.requireChannel(ref);
  }

  /** Private channels the bot is not in are invisible to it, as in Slack. */
  visibleChannel(ref: unknown): Channel {
    const channel = this.resolve(ref);
    if (channel.isPrivate && !channel.members.has(W.botUserId)) throw new SlackApiError('channel_not_found');
    return channel;
  }

  memberChannel(ref: unknown): Channel {
    const channel = this.visibleChannel(ref);
    if (!channel.members.has(W.botUserId)) throw new SlackApiError('not_in_channel');
    return channel;
  }

  findMessage(channel: Channel, ts: unknown): Message {
    const message = channel.messages.find((m) => m.ts === ts);
    if (!message) throw new SlackApiError('message_not_found');
    return message;
  }

  ownMessage(args: Args, notOwnError: string): { channel: Channel; message: Message } {
    const channel = this.visibleChannel(args.channel);
    const message = this.findMessage(channel, args.ts);
    if (!message.fromBot) throw new SlackApiError(notOwnError);
    return { channel, message };
  }

  /** A reply to a reply joins the parent's thread, as in Slack; an unknown parent is an error here. */
  threadParent(channel: Channel, threadTs: unknown): string {
    const parent = channel.messages.find((m) => m.ts === String(threadTs));
    if (!parent) throw new SlackApiError('thread_not_found');
    return parent.threadTs ?? parent.ts;
  }

  // --- builders ---------------------------------------------------------------------------------------------------

  /** Unique and increasing, close to the wall clock, like Slack's. */
  nextTs(): string {
    this.lastTsMicros = Math.max(this.lastTsMicros + 100, Date.now() * 1000);
    return `${Math.floor(this.lastTsMicros / 1e6)}.${String(this.lastTsMicros % 1e6).padStart(6, '0')}`;
  }

  /** One counter for every ID the workspace mints (channels, views), so IDs never collide. */
  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  newMessage(user: string, fromBot: boolean, content: MessageContent): Message {
    return {
      ts: this.nextTs(),
      user,
      fromBot,
      ...content,
      threadTs: undefined,
      replyBroadcast: false,
      metadata: undefined,
      updateCount: 0,
      editedTs: undefined,
      pinned: false,
      reactions: new Map(),
    };
  }
}
