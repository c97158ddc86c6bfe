/**
 * The fake's direct messages: `conversations.open` gives the bot a DM channel (D…) with one person, registered like
 * any channel so the app can then post to it, and found again on the next open.
 */
import type { MethodTable } from './fake-slack-types';
import type { WorkspaceState } from './fake-slack-workspace-state';
import { SlackApiError } from './slack-api-error';

export function imMethods(state: WorkspaceState): MethodTable {
  return {
    'conversations.open': (args) => {
      const users = String(args.users ?? '')
        .split(',')
        .map((user) => user.trim())
        .filter(Boolean);
      if (users.length === 0) throw new SlackApiError('users_list_not_supplied');
      // Group DMs would need their own channel shape; nothing calls for them yet.
      if (users.length > 1) throw new SlackApiError('fake_slack_does_not_simulate_group_dms');
      const user = users[0] as string;
      const profile = state.users.get(user);
      if (!profile) throw new SlackApiError('user_not_found');
      if (profile.deleted === true) throw new SlackApiError('user_disabled');
      if (profile.is_bot === true) throw new SlackApiError('cannot_dm_bot');
      const open = [...state.channels.values()].find((c) => c.id.startsWith('D') && c.members.has(user));
      if (open) return { no_op: true, already_open: true, channel: { id: open.id } };
      const id = `D1${String(state.nextSeq()).padStart(9, '0')}`;
      // Named by its id: upper case, so it can never meet a channel created by name (always lower case).
      state.addChannel({ id, name: id, members: [user] });
      return { channel: { id } };
    },
  };
}
