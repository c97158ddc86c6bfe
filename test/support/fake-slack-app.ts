/** The fake's methods about the app itself: who it is (`auth.test`), its Socket Mode connection and its modals. */
import { nowSec } from './fake-slack-shapes';
import type { Args, MethodTable } from './fake-slack-types';
import type { WorkspaceState } from './fake-slack-workspace-state';
import { FAKE_WORKSPACE as W } from './fake-workspace';
import { SlackApiError } from './slack-api-error';

export function appMethods(state: WorkspaceState): MethodTable {
  return {
    'auth.test': () => ({
      url: W.baseUrl,
      team: W.teamName,
      user: W.botName,
      team_id: W.teamId,
      user_id: W.botUserId,
      bot_id: W.botId,
      is_enterprise_install: false,
    }),
    'apps.connections.open': (_args, socketMode) => {
      if (!socketMode) throw new SlackApiError('socket_mode_not_attached_to_fake_slack');
      return { url: socketMode.connectionUrl() };
    },
    'views.open': (args) => {
      if (typeof args.trigger_id !== 'string' || args.trigger_id === '')
        throw new SlackApiError('invalid_arguments');
      const view = args.view;
      if (!view || typeof view !== 'object' || !('type' in view))
        throw new SlackApiError('invalid_arguments');
      const id = `V${String(state.nextSeq()).padStart(10, '0')}`;
      state.openedViews.push({ id, trigger_id: args.trigger_id, view: view as Args });
      return {
        view: {
          id,
          team_id: W.teamId,
          private_metadata: '',
          callback_id: '',
          external_id: '',
          state: { values: {} },
          hash: `${nowSec()}.${id}`,
          clear_on_close: false,
          notify_on_close: false,
          root_view_id: id,
          previous_view_id: null,
          app_id: W.appId,
          bot_id: W.botId,
          ...view,
        },
      };
    },
  };
}
