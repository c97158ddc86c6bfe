/** The fake's message methods: `chat.*`, plus `pins.add` and `reactions.get`, which act on one message. */
import { optionalString, truthy } from './fake-slack-args';
import { messageJson } from './fake-slack-shapes';
import type { Args, EphemeralView, MessageContent, MessageMetadata, MethodTable } from './fake-slack-types';
import type { WorkspaceState } from './fake-slack-workspace-state';
import { FAKE_WORKSPACE as W } from './fake-workspace';
import { SlackApiError } from './slack-api-error';

export function messageMethods(state: WorkspaceState): MethodTable {
  return {
    'chat.postMessage': (args) => postMessage(state, args),
    'chat.update': (args) => update(state, args),
    'chat.delete': (args) => {
      const { channel, message } = state.ownMessage(args, 'cant_delete_message');
      channel.messages.splice(channel.messages.indexOf(message), 1);
      return { channel: channel.id, ts: message.ts };
    },
    'chat.postEphemeral': (args) => {
      const channel = state.visibleChannel(args.channel);
      if (typeof args.user !== 'string' || args.user === '') throw new SlackApiError('user_not_found');
      const content = messageContent(args);
      const ephemeral: EphemeralView = {
        message_ts: state.nextTs(),
        user: args.user,
        text: content.text,
        blocks: content.blocks,
        thread_ts: optionalString(args.thread_ts),
      };
      channel.ephemerals.push(ephemeral);
      return { message_ts: ephemeral.message_ts };
    },
    'chat.getPermalink': (args) => {
      const channel = state.visibleChannel(args.channel);
      const message = state.findMessage(channel, args.message_ts);
      const thread = message.threadTs && message.threadTs !== message.ts ? message.threadTs : undefined;
      const query = thread ? `?thread_ts=${thread}&cid=${channel.id}` : '';
      return {
        channel: channel.id,
        permalink: `${W.baseUrl}archives/${channel.id}/p${message.ts.replace('.', '')}${query}`,
      };
    },
    'pins.add': (args) => {
      const channel = state.visibleChannel(args.channel);
      if (args.timestamp === undefined) throw new SlackApiError('no_item_specified');
      const message = state.findMessage(channel, args.timestamp);
      if (message.pinned) throw new SlackApiError('already_pinned');
      message.pinned = true;
      return {};
    },
    'reactions.get': (args) => {
      const channel = state.visibleChannel(args.channel);
      const message = state.findMessage(channel, args.timestamp);
      return { type: 'message', channel: channel.id, message: messageJson(channel, message, false) };
    },
  };
}

function postMessage(state: WorkspaceState, args: Args): Args {
  const channel = state.visibleChannel(args.channel);
  if (channel.isArchived) throw new SlackApiError('is_archived');
  const message = state.newMessage(W.botUserId, true, messageContent(args));
  message.metadata = metadataOf(args.metadata);
  if (args.thread_ts !== undefined && args.thread_ts !== '') {
    message.threadTs = state.threadParent(channel, args.thread_ts);
    message.replyBroadcast = truthy(args.reply_broadcast);
  }
  channel.messages.push(message);
  return { channel: channel.id, ts: message.ts, message: messageJson(channel, message, false) };
}

function update(state: WorkspaceState, args: Args): Args {
  const { channel, message } = state.ownMessage(args, 'cant_update_message');
  if (args.text === undefined && args.blocks === undefined && args.attachments === undefined) {
    throw new SlackApiError('no_text');
  }
  // Slack keeps whatever the update leaves out.
  const content = messageContent({
    text: message.text,
    blocks: message.blocks,
    attachments: message.attachments,
    ...args,
  });
  Object.assign(message, content);
  if (args.metadata !== undefined) message.metadata = metadataOf(args.metadata);
  message.updateCount += 1;
  message.editedTs = state.nextTs();
  return {
    channel: channel.id,
    ts: message.ts,
    text: message.text,
    message: messageJson(channel, message, false),
  };
}

/** Text, blocks and attachments of a post or update, validated as strictly as Slack does the common cases. */
function messageContent(args: Args): MessageContent {
  const text = args.text === undefined || args.text === null ? '' : String(args.text);
  const blocks = args.blocks;
  const attachments = args.attachments;
  if (blocks !== undefined && !validBlocks(blocks)) throw new SlackApiError('invalid_blocks');
  if (attachments !== undefined && !Array.isArray(attachments))
    throw new SlackApiError('invalid_attachments');
  const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
  const hasAttachments = Array.isArray(attachments) && attachments.length > 0;
  if (text === '' && !hasBlocks && !hasAttachments) throw new SlackApiError('no_text');
  if (text.length > 40000) throw new SlackApiError('msg_too_long');
  return { text, blocks: blocks as unknown[] | undefined, attachments: attachments as unknown[] | undefined };
}

function validBlocks(blocks: unknown): blocks is unknown[] {
  if (!Array.isArray(blocks) || blocks.length > 50) return false;
  const blockIds = new Set<string>();
  for (const block of blocks as Array<Record<string, unknown>>) {
    if (!block || typeof block.type !== 'string') return false;
    if (typeof block.block_id === 'string') {
      if (blockIds.has(block.block_id)) return false;
      blockIds.add(block.block_id);
    }
    const text = block.text as { type?: unknown; text?: unknown } | undefined;
    if (block.type === 'section' && text && String(text.text ?? '').length > 3000) return false;
    if (block.type === 'header' && (text?.type !== 'plain_text' || String(text.text ?? '').length > 150))
      return false;
  }
  return true;
}

function metadataOf(value: unknown): MessageMetadata | undefined {
  if (value === undefined) return undefined;
  const metadata = value as Partial<MessageMetadata> | null;
  if (!metadata || typeof metadata.event_type !== 'string' || typeof metadata.event_payload !== 'object') {
    throw new SlackApiError('invalid_metadata_format');
  }
  return { event_type: metadata.event_type, event_payload: metadata.event_payload };
}
