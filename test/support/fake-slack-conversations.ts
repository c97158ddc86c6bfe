/**
 * The fake's `conversations.*` methods: listing and reading channels and threads, and creating, joining and changing
 * channels. (`conversations.open`, for DMs, is in fake-slack-ims.ts.)
 */
import { truthy } from './fake-slack-args';
import { channelJson, messageJson, nowSec } from './fake-slack-shapes';
import type { Args, MethodTable } from './fake-slack-types';
import type { WorkspaceState } from './fake-slack-workspace-state';
import { FAKE_WORKSPACE as W } from './fake-workspace';
import { SlackApiError } from './slack-api-error';

export function conversationMethods(state: WorkspaceState): MethodTable {
  return {
    'conversations.list': (args) => list(state, args),
    'conversations.history': (args) => history(state, args),
    'conversations.replies': (args) => {
      const channel = state.memberChannel(args.channel);
      const found = channel.messages.find((m) => m.ts === args.ts);
      if (!found) throw new SlackApiError('thread_not_found');
      const parentTs = found.threadTs ?? found.ts;
      const thread = channel.messages.filter((m) => m.ts === parentTs || m.threadTs === parentTs);
      const withMetadata = truthy(args.include_all_metadata);
      return { messages: thread.map((m) => messageJson(channel, m, withMetadata)), has_more: false };
    },
    'conversations.join': (args) => {
      const channel = state.visibleChannel(args.channel);
      if (channel.isPrivate) throw new SlackApiError('method_not_supported_for_channel_type');
      if (channel.isArchived) throw new SlackApiError('is_archived');
      if (channel.members.has(W.botUserId)) {
        return {
          channel: channelJson(channel),
          warning: 'already_in_channel',
          response_metadata: { warnings: ['already_in_channel'] },
        };
      }
      channel.members.add(W.botUserId);
      return { channel: channelJson(channel) };
    },
    'conversations.create': (args) => {
      const name = typeof args.name === 'string' ? args.name : '';
      const invalid = channelNameError(name);
      if (invalid) throw new SlackApiError(invalid);
      if (state.byName(name)) throw new SlackApiError('name_taken');
      const id = state.addChannel({
        id: `C1${String(state.nextSeq()).padStart(9, '0')}`,
        name,
        isPrivate: truthy(args.is_private),
      });
      return { channel: channelJson(state.requireChannel(id)) };
    },
    'conversations.invite': (args) => {
      const channel = state.memberChannel(args.channel);
      if (channel.isArchived) throw new SlackApiError('is_archived');
      const users = (Array.isArray(args.users) ? args.users.map(String) : String(args.users ?? '').split(','))
        .map((user) => user.trim())
        .filter(Boolean);
      if (users.length === 0) throw new SlackApiError('no_user');
      if (users.includes(W.botUserId)) throw new SlackApiError('cant_invite_self');
      const unknown = users.find((user) => !state.users.has(user));
      if (unknown)
        throw new SlackApiError('user_not_found', {
          errors: [{ user: unknown, ok: false, error: 'user_not_found' }],
        });
      if (users.every((user) => channel.members.has(user))) throw new SlackApiError('already_in_channel');
      for (const user of users) channel.members.add(user);
      return { channel: channelJson(channel) };
    },
    'conversations.setTopic': (args) => {
      const channel = state.memberChannel(args.channel);
      if (channel.isArchived) throw new SlackApiError('is_archived');
      const topic = String(args.topic ?? '');
      if (topic.length > 250) throw new SlackApiError('too_long');
      channel.topic = { value: topic, creator: W.botUserId, last_set: nowSec() };
      return { channel: channelJson(channel) };
    },
    'conversations.archive': (args) => {
      const channel = state.memberChannel(args.channel);
      if (channel.isArchived) throw new SlackApiError('already_archived');
      channel.isArchived = true;
      return {};
    },
    'conversations.info': (args) => {
      const channel = state.visibleChannel(args.channel);
      const json = channelJson(channel);
      if (truthy(args.include_num_members)) json.num_members = channel.members.size;
      return { channel: json };
    },
  };
}

function history(state: WorkspaceState, args: Args): Args {
  const channel = state.memberChannel(args.channel);
  const limit = Math.min(Math.max(Number(args.limit ?? 100) || 100, 1), 999);
  const offset = cursorOffset(args.cursor);
  const inclusive = truthy(args.inclusive);
  const inRange = (ts: string) =>
    (args.oldest === undefined || (inclusive ? ts >= String(args.oldest) : ts > String(args.oldest))) &&
    (args.latest === undefined || (inclusive ? ts <= String(args.latest) : ts < String(args.latest)));
  const topLevel = channel.messages
    .filter((m) => (m.threadTs === undefined || m.threadTs === m.ts || m.replyBroadcast) && inRange(m.ts))
    .reverse();
  const page = topLevel.slice(offset, offset + limit);
  const hasMore = offset + limit < topLevel.length;
  const withMetadata = truthy(args.include_all_metadata);
  return {
    messages: page.map((m) => messageJson(channel, m, withMetadata)),
    has_more: hasMore,
    pin_count: channel.messages.filter((m) => m.pinned).length,
    channel_actions_ts: null,
    channel_actions_count: 0,
    ...(hasMore ? { response_metadata: { next_cursor: cursorAt(offset + limit) } } : {}),
  };
}

/** Channels the bot can see, oldest first, in Slack's pages; never DMs (D…): the `im` type is not simulated. */
function list(state: WorkspaceState, args: Args): Args {
  const types = String(args.types ?? 'public_channel').split(',');
  const limit = Math.min(Math.max(Number(args.limit ?? 100) || 100, 1), 1000);
  const offset = cursorOffset(args.cursor);
  const listed = [...state.channels.values()].filter(
    (c) =>
      !c.id.startsWith('D') &&
      !(truthy(args.exclude_archived) && c.isArchived) &&
      (c.isPrivate
        ? types.includes('private_channel') && c.members.has(W.botUserId)
        : types.includes('public_channel')),
  );
  const hasMore = offset + limit < listed.length;
  return {
    channels: listed.slice(offset, offset + limit).map(channelJson),
    // Slack always sends next_cursor, empty on the last page.
    response_metadata: { next_cursor: hasMore ? cursorAt(offset + limit) : '' },
  };
}

function cursorAt(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64');
}

function cursorOffset(cursor: unknown): number {
  return cursor ? Number(Buffer.from(String(cursor), 'base64').toString().replace('offset:', '')) : 0;
}

/** Slack's channel naming rules, with the error each broken rule produces. */
function channelNameError(name: string): string | undefined {
  if (name === '') return 'invalid_name_required';
  if (name.length > 80) return 'invalid_name_maxlength';
  if (/[^a-z0-9_-]/.test(name)) return 'invalid_name_specials';
  if (/^[_-]+$/.test(name)) return 'invalid_name_punctuation';
  return undefined;
}
