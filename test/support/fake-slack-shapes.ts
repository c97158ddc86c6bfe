/** Slack's response shapes for the workspace's records, and the views tests inspect. */
import type { Args, Channel, Message, MessageView, SeedUser, UserGroup } from './fake-slack-types';
import { FAKE_WORKSPACE as W } from './fake-workspace';

/** The workspace clock, in the whole seconds Slack's `created`/`updated` fields use. */
export function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}

export function messageJson(channel: Channel, m: Message, withMetadata: boolean): Args {
  const json: Args = { type: 'message', user: m.user, text: m.text, ts: m.ts, team: W.teamId };
  if (m.fromBot) Object.assign(json, { bot_id: W.botId, app_id: W.appId });
  if (m.blocks) json.blocks = m.blocks;
  if (m.attachments) json.attachments = m.attachments;
  if (m.replyBroadcast) json.subtype = 'thread_broadcast';
  if (m.threadTs && m.threadTs !== m.ts) {
    json.thread_ts = m.threadTs;
    json.parent_user_id = channel.messages.find((p) => p.ts === m.threadTs)?.user;
  }
  const replies = channel.messages.filter((r) => r.threadTs === m.ts && r.ts !== m.ts);
  if (replies.length > 0) {
    const replyUsers = [...new Set(replies.map((r) => r.user))];
    Object.assign(json, {
      thread_ts: m.ts,
      reply_count: replies.length,
      reply_users_count: replyUsers.length,
      reply_users: replyUsers,
      latest_reply: replies[replies.length - 1]?.ts,
    });
  }
  if (m.editedTs) json.edited = { user: m.user, ts: m.editedTs };
  if (m.pinned) json.pinned_to = [channel.id];
  if (m.reactions.size > 0) {
    json.reactions = [...m.reactions].map(([name, users]) => ({ name, users, count: users.length }));
  }
  if (withMetadata && m.metadata) json.metadata = m.metadata;
  return json;
}

export function channelJson(c: Channel): Args {
  return {
    id: c.id,
    name: c.name,
    is_channel: true,
    is_group: false,
    is_im: false,
    is_mpim: false,
    is_private: c.isPrivate,
    created: c.created,
    is_archived: c.isArchived,
    is_general: false,
    unlinked: 0,
    name_normalized: c.name,
    is_shared: false,
    is_org_shared: false,
    is_ext_shared: false,
    is_pending_ext_shared: false,
    pending_shared: [],
    context_team_id: W.teamId,
    updated: c.created * 1000,
    parent_conversation: null,
    creator: c.creator,
    is_member: c.members.has(W.botUserId),
    topic: { ...c.topic },
    purpose: { value: '', creator: '', last_set: 0 },
    previous_names: [],
  };
}

export function groupJson(group: UserGroup): Args {
  return {
    id: group.id,
    team_id: W.teamId,
    is_usergroup: true,
    is_subteam: true,
    name: group.name ?? group.handle,
    description: '',
    handle: group.handle,
    is_external: false,
    date_create: group.created,
    date_update: group.created,
    date_delete: 0,
    auto_type: null,
    created_by: W.userId,
    updated_by: W.userId,
    deleted_by: null,
    prefs: { channels: [], groups: [] },
    user_count: group.users.length,
  };
}

/** The user object `users.info` answers, stamped as updated now. */
export function userJson(seed: SeedUser): Args {
  const name = seed.name ?? seed.id.toLowerCase();
  const realName = seed.realName ?? name;
  return {
    id: seed.id,
    team_id: W.teamId,
    name,
    deleted: seed.deleted ?? false,
    color: '9f69e7',
    real_name: realName,
    tz: seed.tz ?? 'Europe/London',
    tz_label: 'Greenwich Mean Time',
    tz_offset: 0,
    profile: {
      real_name: realName,
      real_name_normalized: realName,
      display_name: name,
      display_name_normalized: name,
      ...(seed.email ? { email: seed.email } : {}),
      ...(seed.isBot ? { bot_id: W.botId, api_app_id: W.appId } : {}),
      team: W.teamId,
    },
    is_admin: false,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: seed.isBot ?? false,
    is_app_user: false,
    updated: nowSec(),
  };
}

export function messageView(m: Message): MessageView {
  return {
    ts: m.ts,
    user: m.user,
    text: m.text,
    blocks: m.blocks,
    thread_ts: m.threadTs,
    metadata: m.metadata,
    updateCount: m.updateCount,
    pinned: m.pinned,
    reactions: [...m.reactions].map(([name, users]) => ({ name, users: [...users] })),
  };
}
