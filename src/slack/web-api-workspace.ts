import type { Logger as SlackLogger, WebClient } from '@slack/web-api';
import { createSlackWebClient } from './slack-chat-sink';
import {
  type CreateChannelResult,
  type DirectMessageResult,
  type InviteResult,
  type MessageContent,
  type SlackWorkspace,
  truncateTopic,
} from './slack-workspace';
import { malformedResponse, type Outcome, workspaceAttempt, workspaceCall } from './workspace-call';

/** Slack's largest conversations.list page; ten pages cover a 2,000-channel workspace. */
const LIST_PAGE_SIZE = 200;
const MAX_LIST_PAGES = 10;

/** conversations.invite refusals about one user, not the call: the others can still be invited. */
const INVITE_SKIPS = [
  'already_in_channel',
  'user_not_found',
  'cant_invite',
  'cant_invite_self',
  'user_is_restricted',
  'user_is_ultra_restricted',
  'ura_max_channels',
  'invitee_cant_see_channel',
];

/** conversations.open refusals about the person, which paging reports and moves past. */
const DM_REFUSALS = ['user_not_found', 'user_not_visible', 'user_disabled', 'cannot_dm_bot'];

/**
 * The workspace on Slack's Web API with the standard client (5xx and network failures retried briefly, 429s
 * returned at once so the job can back off). conversations.create goes through a client that does not retry:
 * a retried create whose first try reached Slack would answer `name_taken` for our own channel, and the caller
 * would move on to the next name and leave that one behind. A failed create throws a transient error instead,
 * and the job's retry adopts the channel with `findChannelByName`.
 */
export function createWebApiWorkspace(options: {
  token: string;
  slackApiUrl?: string;
  logger?: SlackLogger;
}): WebApiWorkspace {
  return new WebApiWorkspace(
    createSlackWebClient(options),
    createSlackWebClient({ ...options, retry: false }),
  );
}

/** {@link SlackWorkspace} on the official WebClient; see {@link createWebApiWorkspace}. */
export class WebApiWorkspace implements SlackWorkspace {
  constructor(
    private readonly client: WebClient,
    /** For conversations.create: should not retry on its own (see createWebApiWorkspace). */
    private readonly createClient: WebClient = client,
  ) {}

  async createChannel(name: string): Promise<CreateChannelResult> {
    const created = await workspaceAttempt(
      'conversations.create',
      () => this.createClient.conversations.create({ name, is_private: false }),
      ['name_taken'],
    );
    if (!created.ok) return { ok: false, reason: 'name_taken' };
    const id = created.value.channel?.id;
    if (!id) throw malformedResponse('conversations.create', 'no channel id');
    return { ok: true, id };
  }

  async findChannelByName(name: string): Promise<string | undefined> {
    let cursor: string | undefined;
    // Bounded: past that, the caller creates a new channel, which beats scanning a huge workspace per incident.
    for (let page = 0; page < MAX_LIST_PAGES; page += 1) {
      const result = await workspaceCall('conversations.list', () =>
        this.client.conversations.list({
          exclude_archived: true,
          types: 'public_channel,private_channel',
          limit: LIST_PAGE_SIZE,
          ...(cursor ? { cursor } : {}),
        }),
      );
      const found = result.channels?.find((c) => c.name === name && !c.is_archived);
      if (found?.id) return found.id;
      cursor = result.response_metadata?.next_cursor || undefined;
      if (!cursor) return undefined;
    }
    return undefined;
  }

  async invite(channel: string, users: string[]): Promise<InviteResult> {
    const unique = [...new Set(users.filter((user) => user !== ''))];
    if (unique.length === 0) return { invited: [], skipped: [] };
    const batch = await this.inviteUsers(channel, unique);
    if (batch.ok) return { invited: unique, skipped: [] };
    // Slack answers a batch with one code for the whole call (and for some codes invites the others anyway), so
    // the users go one at a time to learn each outcome. Only happens when someone is refused.
    const result: InviteResult = { invited: [], skipped: [] };
    for (const user of unique) {
      const one = unique.length === 1 ? batch : await this.inviteUsers(channel, [user]);
      if (one.ok) result.invited.push(user);
      else result.skipped.push({ user, reason: one.code });
    }
    return result;
  }

  async setTopic(channel: string, topic: string): Promise<void> {
    await workspaceCall('conversations.setTopic', () =>
      this.client.conversations.setTopic({ channel, topic: truncateTopic(topic) }),
    );
  }

  async pin(channel: string, ts: string): Promise<void> {
    await workspaceAttempt('pins.add', () => this.client.pins.add({ channel, timestamp: ts }), [
      'already_pinned',
    ]);
  }

  async archive(channel: string): Promise<void> {
    await workspaceAttempt('conversations.archive', () => this.client.conversations.archive({ channel }), [
      'already_archived',
    ]);
  }

  async expandUserGroup(id: string): Promise<string[]> {
    // Contacts are configured as users (U…/W…) or user groups (S…); only groups need a call.
    if (!id.startsWith('S')) return [id];
    const result = await workspaceCall('usergroups.users.list', () =>
      this.client.usergroups.users.list({ usergroup: id }),
    );
    return result.users ?? [];
  }

  /** users.info: the name a person reads in Slack (display name, else real name, else handle). */
  async userName(id: string): Promise<string | undefined> {
    const result = await workspaceCall('users.info', () => this.client.users.info({ user: id }));
    const user = result.user;
    return (
      user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name || undefined
    );
  }

  /** usergroups.list: each user group's handle, by id. */
  async userGroupNames(): Promise<Record<string, string>> {
    const result = await workspaceCall('usergroups.list', () => this.client.usergroups.list({}));
    return Object.fromEntries(
      (result.usergroups ?? [])
        .filter((g) => typeof g.id === 'string' && typeof (g.handle || g.name) === 'string')
        .map((g) => [g.id as string, (g.handle || g.name) as string]),
    );
  }

  async openDirectMessage(user: string): Promise<DirectMessageResult> {
    const opened = await workspaceAttempt(
      'conversations.open',
      () => this.client.conversations.open({ users: user }),
      DM_REFUSALS,
    );
    if (!opened.ok) return { ok: false, error: opened.code };
    const channel = opened.value.channel?.id;
    if (!channel) throw malformedResponse('conversations.open', 'no channel id');
    return { ok: true, channel };
  }

  async permalink(channel: string, ts: string): Promise<string | undefined> {
    const result = await workspaceAttempt(
      'chat.getPermalink',
      () => this.client.chat.getPermalink({ channel, message_ts: ts }),
      ['message_not_found', 'channel_not_found'],
    );
    return result.ok ? result.value.permalink : undefined;
  }

  async message(channel: string, ts: string): Promise<MessageContent | undefined> {
    const history = await workspaceCall('conversations.history', () =>
      this.client.conversations.history({ channel, latest: ts, inclusive: true, limit: 1 }),
    );
    const top = history.messages?.find((m) => m.ts === ts);
    if (top) return contentOf(top);
    // A thread reply is not in the channel's history; conversations.replies accepts any ts in a thread. Two, in
    // case Slack puts the thread's parent first.
    const replies = await workspaceAttempt(
      'conversations.replies',
      () => this.client.conversations.replies({ channel, ts, oldest: ts, inclusive: true, limit: 2 }),
      ['thread_not_found'],
    );
    const reply = replies.ok ? replies.value.messages?.find((m) => m.ts === ts) : undefined;
    return reply ? contentOf(reply) : undefined;
  }

  private inviteUsers(channel: string, users: string[]): Promise<Outcome<unknown>> {
    return workspaceAttempt(
      'conversations.invite',
      () => this.client.conversations.invite({ channel, users: users.join(',') }),
      INVITE_SKIPS,
    );
  }
}

function contentOf(m: { text?: string; user?: string }): MessageContent {
  return m.user ? { text: m.text ?? '', user: m.user } : { text: m.text ?? '' };
}
