import { appMethods } from './fake-slack-app';
import { conversationMethods } from './fake-slack-conversations';
import { imMethods } from './fake-slack-ims';
import { messageMethods } from './fake-slack-messages';
import { messageView } from './fake-slack-shapes';
import type {
  Args,
  ChannelView,
  EphemeralView,
  MessageView,
  MethodTable,
  OpenedView,
  SeedChannel,
  SeedUser,
  SeedUserGroup,
} from './fake-slack-types';
import { userMethods } from './fake-slack-users';
import { WorkspaceState } from './fake-slack-workspace-state';
import type { FakeSocketMode } from './fake-socket-mode';
import { FAKE_WORKSPACE as W } from './fake-workspace';
import { SlackApiError } from './slack-api-error';

/**
 * The simulated workspace: channels, messages, users and user groups, and the Web API methods over them with
 * Slack's response shapes and error codes. Channel IDs (C…/G…) nobody has seen yet are registered on first use as
 * public channels the bot is not in, like a channel the app was never invited to: posting works (chat:write.public),
 * reading history needs a join. Channel names (`#ops`, `ops`) must exist. DM channels (D…) exist once
 * `conversations.open` has opened them.
 *
 * The methods live in one file per family (`fake-slack-messages.ts`, `fake-slack-conversations.ts`, …), all over
 * the same `WorkspaceState`.
 */
export class SlackWorkspace {
  private readonly state = new WorkspaceState();
  readonly openedViews: OpenedView[] = this.state.openedViews;

  private readonly handlers: MethodTable = {
    ...appMethods(this.state),
    ...messageMethods(this.state),
    ...conversationMethods(this.state),
    ...imMethods(this.state),
    ...userMethods(this.state),
  };

  /** Every Web API method this fake answers. */
  get methods(): string[] {
    return Object.keys(this.handlers);
  }

  knows(method: string): boolean {
    return Object.hasOwn(this.handlers, method);
  }

  /** Answers a Web API call; throws SlackApiError for Slack's `ok: false` answers. */
  call(method: string, args: Args, socketMode?: FakeSocketMode): Args {
    const handler = this.handlers[method];
    if (!handler) throw new SlackApiError('unknown_method');
    return handler(args, socketMode);
  }

  /** Forgets everything; the bot user and alice are seeded again. */
  clear(): void {
    this.state.clear();
  }

  // --- seeding ----------------------------------------------------------------------------------------------------

  addUser(seed: SeedUser): void {
    this.state.addUser(seed);
  }

  addUserGroup(group: SeedUserGroup): void {
    this.state.addUserGroup(group);
  }

  addChannel(seed: SeedChannel): string {
    return this.state.addChannel(seed);
  }

  addMessage(channelRef: string, seed: { text: string; user?: string; thread_ts?: string }): string {
    return this.state.addMessage(channelRef, seed);
  }

  addReaction(channelRef: string, ts: string, name: string, user: string): void {
    this.state.addReaction(channelRef, ts, name, user);
  }

  // --- inspection -------------------------------------------------------------------------------------------------

  /** The channel ID a reference names, without registering anything; the reference itself when unknown. */
  channelId(ref: string): string {
    return this.state.lookup(ref)?.id ?? ref;
  }

  channelView(ref: string): ChannelView | undefined {
    const channel = this.state.lookup(ref);
    if (!channel) return undefined;
    return {
      id: channel.id,
      name: channel.name,
      isPrivate: channel.isPrivate,
      isArchived: channel.isArchived,
      topic: channel.topic.value,
      members: [...channel.members],
      botIsMember: channel.members.has(W.botUserId),
    };
  }

  messages(ref: string): MessageView[] {
    return (this.state.lookup(ref)?.messages ?? []).map(messageView);
  }

  thread(ref: string, ts: string): MessageView[] {
    const channel = this.state.lookup(ref);
    if (!channel) return [];
    return channel.messages.filter((m) => m.ts === ts || m.threadTs === ts).map(messageView);
  }

  ephemerals(ref: string): EphemeralView[] {
    return [...(this.state.lookup(ref)?.ephemerals ?? [])];
  }
}
