/**
 * The shapes of what Slack sends, checked before anything reads them. A valid signature proves who
 * sent a request, not that its body is sane: Bolt reads fields of the envelope (`event`, `user`,
 * `actions`, `channel`, …) without checking them, and so would our listeners. Every check says what
 * was wrong in its own words and never repeats the body.
 */

type Fields = Record<string, unknown>;

/**
 * Slack's ids (users, channels, teams, enterprises): capital letters and digits, U0123ABCD. Never
 * a name an object inherits (`toString`, `__proto__`): Bolt keys a plain object by team id.
 */
const SLACK_ID = /^[A-Z0-9]{1,64}$/;
/** Slack's trigger ids are about 60 characters; the id ends up in Redis keys, so it stays short. */
const MAX_TRIGGER_ID = 512;
/** Far beyond what anyone types after /incident; a longer text is not a command. */
export const MAX_COMMAND_TEXT = 8000;
/** Our button values are short JSON or ids; 2,000 is Slack's own limit for them. */
const MAX_BUTTON_VALUE = 2000;

const isFields = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const optional = (value: unknown, check: (v: unknown) => boolean) => value === undefined || check(value);
const isSlackId = (value: unknown): value is string => typeof value === 'string' && SLACK_ID.test(value);

/**
 * What is wrong with a request body for Bolt to route it, or undefined when it has the shape of
 * something Slack sends: an SSL check, a URL verification, an Events API callback, a slash command
 * or an interaction (actions, options, shortcuts, views), told apart in the order Bolt does.
 */
export function envelopeProblem(body: unknown): string | undefined {
  if (!isFields(body)) return 'the body is not an object';
  if (body.ssl_check === '1' || body.type === 'url_verification') return undefined;
  const ids = workspaceIdsProblem(body);
  if (ids) return ids;
  if (body.event !== undefined) return eventProblem(body);
  if (body.command !== undefined) return typeof body.command === 'string' ? undefined : 'command is not text';
  const actions = body.actions !== undefined || body.type === 'dialog_submission';
  const view = body.type === 'view_submission' || body.type === 'view_closed';
  const interaction =
    body.name !== undefined ||
    actions ||
    view ||
    ['block_suggestion', 'shortcut', 'message_action'].includes(body.type as string);
  if (!interaction) return 'the body is not a kind of request Slack sends';
  if (!isFields(body.user)) return 'user is not an object';
  if (!optional(body.team, (t) => t === null || isFields(t))) return 'team is not an object';
  if (!optional(body.enterprise, (e) => e === null || isFields(e))) return 'enterprise is not an object';
  if (!optional(body.channel, isFields)) return 'channel is not an object';
  if (!optional(body.response_urls, (urls) => Array.isArray(urls) && urls.every(isFields)))
    return 'response_urls is not a list of objects';
  if (
    body.actions !== undefined &&
    !(Array.isArray(body.actions) && body.actions.length > 0 && body.actions.every(isFields))
  )
    return 'actions is not a list of objects';
  if (view && !isFields(body.view)) return 'view is not an object';
  return undefined;
}

/** The team and enterprise ids Bolt reads, wherever Slack puts them: absent, null or a Slack id. */
function workspaceIdsProblem(body: Fields): string | undefined {
  const nested = (value: unknown, key: string) => (isFields(value) ? value[key] : undefined);
  const first = Array.isArray(body.authorizations) ? body.authorizations[0] : undefined;
  const places: Array<[string, unknown]> = [
    ['team_id', body.team_id],
    ['enterprise_id', body.enterprise_id],
    ['team.id', nested(body.team, 'id')],
    ['team.enterprise_id', nested(body.team, 'enterprise_id')],
    ['user.team_id', nested(body.user, 'team_id')],
    ['enterprise.id', nested(body.enterprise, 'id')],
    ['authorizations[0].team_id', nested(first, 'team_id')],
    ['authorizations[0].enterprise_id', nested(first, 'enterprise_id')],
  ];
  const bad = places.find(([, id]) => id !== undefined && id !== null && !isSlackId(id));
  return bad ? `${bad[0]} is not a Slack id` : undefined;
}

function eventProblem(body: Fields): string | undefined {
  const { event, authorizations } = body;
  if (!isFields(event)) return 'event is not an object';
  if (typeof event.type !== 'string') return 'event.type is not text';
  const textOrObject = (v: unknown) => typeof v === 'string' || isFields(v);
  if (!optional(event.channel, textOrObject)) return 'event.channel is neither an id nor an object';
  if (!optional(event.user, textOrObject)) return 'event.user is neither an id nor an object';
  if (!optional(event.item, isFields)) return 'event.item is not an object';
  if (!optional(event.subteam, isFields)) return 'event.subteam is not an object';
  if (!optional(authorizations, (a) => Array.isArray(a) && a.every(isFields)))
    return 'authorizations is not a list of objects';
  return undefined;
}

/** A slash command's fields, as `/incident` uses them. */
export interface SlashCommand {
  userId: string;
  channelId: string;
  teamId?: string;
  /** Absent when Slack sent none (the caller makes one up). */
  triggerId?: string;
  text: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/** The fields of a slash command payload, if each has the type and size Slack gives it. */
export function readSlashCommand(payload: unknown): Checked<SlashCommand> {
  const fail = (problem: string) => ({ ok: false, problem }) as const;
  if (!isFields(payload)) return fail('the command is not an object');
  const { user_id, channel_id, team_id, trigger_id, text = '' } = payload;
  if (!isSlackId(user_id)) return fail('user_id is not a Slack id');
  if (!isSlackId(channel_id)) return fail('channel_id is not a Slack id');
  if (!optional(team_id, isSlackId)) return fail('team_id is not a Slack id');
  if (!optional(trigger_id, (t) => typeof t === 'string' && t.length <= MAX_TRIGGER_ID))
    return fail('trigger_id is not a trigger id');
  if (typeof text !== 'string') return fail('text is not text');
  if (text.length > MAX_COMMAND_TEXT) return fail(`text is longer than ${MAX_COMMAND_TEXT} characters`);
  return {
    ok: true,
    value: {
      userId: user_id,
      channelId: channel_id,
      text,
      ...(team_id ? { teamId: team_id as string } : {}),
      ...(trigger_id ? { triggerId: trigger_id as string } : {}),
    },
  };
}

/** A click on one of our buttons: who clicked, and the button's value (empty when it has none). */
export interface ButtonClick {
  userId: string;
  value: string;
  /** The channel of the message the button is on, when Slack says. */
  channelId?: string;
  /** Slack's id of this click, when it sent one: it keys the click's record, as a command's. */
  triggerId?: string;
}

/**
 * Who clicked and the value of the clicked button, if both have the shape Slack gives them, and
 * the click can be answered (it came with a response URL).
 */
export function readButtonClick(body: unknown, action: unknown): Checked<ButtonClick> {
  const fail = (problem: string) => ({ ok: false, problem }) as const;
  if (!isFields(body) || !isFields(body.user) || !isSlackId(body.user.id))
    return fail('user.id is not a Slack id');
  if (typeof body.response_url !== 'string') return fail('there is no response_url to answer on');
  const value = isFields(action) ? (action.value ?? '') : undefined;
  if (typeof value !== 'string' || value.length > MAX_BUTTON_VALUE)
    return fail('the button value is not text');
  const channel = isFields(body.channel) ? body.channel.id : undefined;
  const trigger = body.trigger_id;
  return {
    ok: true,
    value: {
      userId: body.user.id,
      value,
      ...(isSlackId(channel) ? { channelId: channel } : {}),
      ...(typeof trigger === 'string' && trigger.length > 0 && trigger.length <= MAX_TRIGGER_ID
        ? { triggerId: trigger }
        : {}),
    },
  };
}
