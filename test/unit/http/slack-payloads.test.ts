import {
  envelopeProblem,
  MAX_COMMAND_TEXT,
  readButtonClick,
  readSlashCommand,
} from '../../../src/http/slack-payloads';

const user = { id: 'U0ALICE', team_id: 'T0001' };

describe('envelopeProblem', () => {
  it.each<[string, unknown]>([
    ['an SSL check', { ssl_check: '1', token: 'x' }],
    ['a URL verification', { type: 'url_verification', challenge: 'abc' }],
    [
      'an event callback',
      { type: 'event_callback', event: { type: 'reaction_added', item: { channel: 'C1' } } },
    ],
    ['an event with a user object', { event: { type: 'team_join', user: { id: 'U1' } } }],
    ['an event with authorizations', { event: { type: 'x' }, authorizations: [{ team_id: null }] }],
    ['a slash command', { command: '/incident', text: '', user_id: 'U1', channel_id: 'C1' }],
    ['a block action', { type: 'block_actions', user, team: null, actions: [{ action_id: 'a' }] }],
    ['a block action in a channel', { type: 'block_actions', user, channel: { id: 'C1' }, actions: [{}] }],
    ['a shortcut', { type: 'shortcut', user, callback_id: 'x' }],
    ['a view submission', { type: 'view_submission', user, view: { id: 'V1' } }],
    ['an options request', { type: 'block_suggestion', user, value: 'x' }],
  ])('accepts %s', (_name, body) => {
    expect(envelopeProblem(body)).toBeUndefined();
  });

  it.each<[string, unknown, string]>([
    ['null', null, 'the body is not an object'],
    ['a list', [], 'the body is not an object'],
    ['a string', 'hello', 'the body is not an object'],
    ['an event that is null', { event: null }, 'event is not an object'],
    ['an event without a type', { event: {} }, 'event.type is not text'],
    ['an event whose channel is a number', { event: { type: 'x', channel: 5 } }, 'event.channel'],
    ['an event whose user is null', { event: { type: 'x', user: null } }, 'event.user'],
    ['an event whose item is text', { event: { type: 'x', item: 'm' } }, 'event.item'],
    ['an event whose subteam is null', { event: { type: 'x', subteam: null } }, 'event.subteam'],
    ['authorizations of nulls', { event: { type: 'x' }, authorizations: [null] }, 'authorizations'],
    ['a command that is not text', { command: ['/incident'] }, 'command is not text'],
    ['actions without a user', { type: 'block_actions', actions: [{}] }, 'user is not an object'],
    ['actions by a user that is text', { actions: [{}], user: 'U1' }, 'user is not an object'],
    ['a team that is text', { actions: [{}], user, team: 'T1' }, 'team is not an object'],
    ['a channel that is null', { actions: [{}], user, channel: null }, 'channel is not an object'],
    ['an enterprise that is a number', { actions: [{}], user, enterprise: 1 }, 'enterprise is not an object'],
    ['response_urls that is null', { actions: [{}], user, response_urls: null }, 'response_urls'],
    ['no actions', { type: 'block_actions', user, actions: [] }, 'actions is not a list'],
    ['actions that are text', { user, actions: ['a'] }, 'actions is not a list'],
    ['a view submission without a view', { type: 'view_submission', user }, 'view is not an object'],
    ['an options request without a user', { name: 'x' }, 'user is not an object'],
    ['an unknown type', { type: 'app_rate_limited' }, 'not a kind of request Slack sends'],
    [
      'a team id an object inherits',
      { command: '/incident', team_id: 'toString' },
      'team_id is not a Slack id',
    ],
    [
      'a team id of __proto__',
      { actions: [{}], user, team: { id: '__proto__' } },
      'team.id is not a Slack id',
    ],
    ['a user team id that is a number', { actions: [{}], user: { id: 'U1', team_id: 5 } }, 'user.team_id'],
    [
      'an enterprise id in lowercase',
      { event: { type: 'x' }, enterprise_id: 'constructor' },
      'enterprise_id',
    ],
    [
      'an authorization for a team id an object inherits',
      { event: { type: 'x' }, authorizations: [{ team_id: 'hasOwnProperty' }] },
      'authorizations[0].team_id',
    ],
    ['an empty object', {}, 'not a kind of request Slack sends'],
  ])('refuses %s', (_name, body, problem) => {
    expect(envelopeProblem(body)).toContain(problem);
  });
});

describe('readSlashCommand', () => {
  const fields = {
    user_id: 'U0ALICE',
    channel_id: 'C0OPS',
    team_id: 'T0001',
    trigger_id: '1.2.abc',
    text: 'help',
  };

  it('reads the fields a command needs', () => {
    expect(readSlashCommand(fields)).toEqual({
      ok: true,
      value: { userId: 'U0ALICE', channelId: 'C0OPS', teamId: 'T0001', triggerId: '1.2.abc', text: 'help' },
    });
  });

  it('takes a missing text as empty and leaves out a missing team and trigger id', () => {
    expect(readSlashCommand({ user_id: 'U1', channel_id: 'C1', trigger_id: '' })).toEqual({
      ok: true,
      value: { userId: 'U1', channelId: 'C1', text: '' },
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no user_id', { user_id: undefined }, 'user_id'],
    ['an empty user_id', { user_id: '' }, 'user_id'],
    ['a user_id given twice', { user_id: ['U1', 'U2'] }, 'user_id'],
    ['a user_id with punctuation', { user_id: 'U1<script>' }, 'user_id'],
    ['a user_id in lowercase', { user_id: 'toString' }, 'user_id'],
    ['a user_id of 65 characters', { user_id: 'U'.repeat(65) }, 'user_id'],
    ['a channel_id that is a path', { channel_id: '../C1' }, 'channel_id'],
    ['a team_id that is a number', { team_id: 7 }, 'team_id'],
    ['a trigger_id of 513 characters', { trigger_id: 't'.repeat(513) }, 'trigger_id'],
    ['a text given twice', { text: ['help', 'open'] }, 'text is not text'],
    ['a text that is an object', { text: { a: 1 } }, 'text is not text'],
    ['a text over the limit', { text: 'x'.repeat(MAX_COMMAND_TEXT + 1) }, 'longer than'],
  ])('refuses %s, naming the field but not its value', (_name, change, problem) => {
    const result = readSlashCommand({ ...fields, ...change });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem).toContain(problem);
      expect(result.problem).not.toContain('<script>');
    }
  });

  it.each([null, 'text', ['a']])('refuses a command that is %p', (payload) => {
    expect(readSlashCommand(payload).ok).toBe(false);
  });
});

describe('readButtonClick', () => {
  const body = { user, response_url: 'https://hooks.slack.com/actions/x' };

  it('reads who clicked and the value', () => {
    expect(readButtonClick(body, { action_id: 'a', value: 'r0123456789' })).toEqual({
      ok: true,
      value: { userId: 'U0ALICE', value: 'r0123456789' },
    });
  });

  it('takes a button without a value as an empty value', () => {
    expect(readButtonClick(body, { action_id: 'a' })).toEqual({
      ok: true,
      value: { userId: 'U0ALICE', value: '' },
    });
  });

  it.each<[string, unknown, unknown, string]>([
    ['no user', { response_url: 'u' }, { value: 'v' }, 'user.id'],
    ['a user id that is a list', { ...body, user: { id: ['U1'] } }, { value: 'v' }, 'user.id'],
    ['a user that is text', { ...body, user: 'U1' }, { value: 'v' }, 'user.id'],
    ['no response_url', { user }, { value: 'v' }, 'response_url'],
    ['a value that is a number', body, { value: 7 }, 'button value'],
    ['a value that is an object', body, { value: { incidentId: 'x' } }, 'button value'],
    ['a value over 2,000 characters', body, { value: 'v'.repeat(2001) }, 'button value'],
    ['an action that is not an object', body, 'v', 'button value'],
  ])('refuses a click with %s', (_name, clickBody, action, problem) => {
    const result = readButtonClick(clickBody, action);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toContain(problem);
  });
});
