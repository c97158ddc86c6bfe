/** The fake's methods about people: `users.info` and the `usergroups.*` reads. */
import { truthy } from './fake-slack-args';
import { groupJson } from './fake-slack-shapes';
import type { MethodTable } from './fake-slack-types';
import type { WorkspaceState } from './fake-slack-workspace-state';
import { SlackApiError } from './slack-api-error';

export function userMethods(state: WorkspaceState): MethodTable {
  return {
    'users.info': (args) => {
      const user = typeof args.user === 'string' ? state.users.get(args.user) : undefined;
      if (!user) throw new SlackApiError('user_not_found');
      return { user };
    },
    'usergroups.list': (args) => ({
      usergroups: [...state.groups.values()].map((group) => ({
        ...groupJson(group),
        ...(truthy(args.include_users) ? { users: group.users } : {}),
      })),
    }),
    'usergroups.users.list': (args) => {
      const group = typeof args.usergroup === 'string' ? state.groups.get(args.usergroup) : undefined;
      if (!group) throw new SlackApiError('no_such_subteam');
      return { users: [...group.users] };
    },
  };
}
