import { LogLevel, WebClient } from '@slack/web-api';
import { SlackApiError } from '../../../src/slack/slack-api-error';
import { createWebApiWorkspace, WebApiWorkspace } from '../../../src/slack/web-api-workspace';
import { FAKE_WORKSPACE, FakeSlack } from '../../support/fake-slack';

const BOT_TOKEN = 'xoxb-test-workspace-token';

describe('WebApiWorkspace on the real WebClient against the loopback Slack', () => {
  let slack: FakeSlack;
  let workspace: WebApiWorkspace;
  beforeEach(async () => {
    slack = await FakeSlack.start({ botToken: BOT_TOKEN });
    slack.addUser({ id: 'U0BOB', name: 'bob' });
    slack.addUser({ id: 'U0CAROL', name: 'carol' });
    workspace = createWebApiWorkspace({ token: BOT_TOKEN, slackApiUrl: slack.url });
  });
  afterEach(async () => {
    await slack.close();
  });

  describe('channels', () => {
    it('creates a public channel, and reports a taken name as a result', async () => {
      const created = await workspace.createChannel('inc-20240501-db-down');
      expect(created).toEqual({ ok: true, id: expect.stringMatching(/^C/) });
      const id = created.ok ? created.id : '';
      expect(slack.channel(id)).toMatchObject({ name: 'inc-20240501-db-down', isPrivate: false });

      expect(await workspace.createChannel('inc-20240501-db-down')).toEqual({
        ok: false,
        reason: 'name_taken',
      });
    });

    it('finds a live channel by its exact name across pages, ignoring archived ones', async () => {
      for (let i = 0; i < 205; i += 1) slack.addChannel({ name: `other-${i}` });
      slack.addChannel({ name: 'inc-1-old', isArchived: true });
      const wanted = slack.addChannel({ name: 'inc-1' });

      expect(await workspace.findChannelByName('inc-1')).toBe(wanted);
      expect(await workspace.findChannelByName('inc-1-old')).toBeUndefined();
      expect(await workspace.findChannelByName('inc')).toBeUndefined();
      const [first] = slack.callsTo('conversations.list');
      expect(first?.args).toMatchObject({
        exclude_archived: 'true',
        types: 'public_channel,private_channel',
        limit: '200',
      });
    });

    it('sets the topic, cutting it to 250 characters', async () => {
      const channel = slack.addChannel({ name: 'inc-2' });
      await workspace.setTopic(channel, 'SEV1 · prod · db down');
      expect(slack.channel(channel)?.topic).toBe('SEV1 · prod · db down');

      await workspace.setTopic(channel, 'x'.repeat(300));
      expect(slack.channel(channel)?.topic).toBe(`${'x'.repeat(249)}…`);
    });

    it('pins a message, and pinning it again is no error', async () => {
      const channel = slack.addChannel({ name: 'inc-3' });
      const ts = slack.addMessage(channel, { text: 'header' });
      await workspace.pin(channel, ts);
      await workspace.pin(channel, ts);
      expect(slack.messages(channel)[0]?.pinned).toBe(true);
      expect(slack.callsTo('pins.add').map((c) => c.error)).toEqual([undefined, 'already_pinned']);
    });

    it('archives a channel, and archiving it again is no error', async () => {
      const channel = slack.addChannel({ name: 'inc-4' });
      await workspace.archive(channel);
      await workspace.archive(channel);
      expect(slack.channel(channel)?.isArchived).toBe(true);
    });
  });

  describe('people', () => {
    it('invites users in one call', async () => {
      const channel = slack.addChannel({ name: 'inc-5' });
      expect(await workspace.invite(channel, ['U0BOB', 'U0CAROL', 'U0BOB'])).toEqual({
        invited: ['U0BOB', 'U0CAROL'],
        skipped: [],
      });
      expect(slack.channel(channel)?.members).toEqual(expect.arrayContaining(['U0BOB', 'U0CAROL']));
      expect(slack.callsTo('conversations.invite')).toHaveLength(1);
    });

    it('skips an unknown user and invites the others', async () => {
      const channel = slack.addChannel({ name: 'inc-6' });
      expect(await workspace.invite(channel, ['U0BOB', 'U0GHOST', 'U0CAROL'])).toEqual({
        invited: ['U0BOB', 'U0CAROL'],
        skipped: [{ user: 'U0GHOST', reason: 'user_not_found' }],
      });
      expect(slack.channel(channel)?.members).toEqual(expect.arrayContaining(['U0BOB', 'U0CAROL']));
    });

    it('skips users already in the channel', async () => {
      const channel = slack.addChannel({ name: 'inc-7', members: ['U0BOB', 'U0CAROL'] });
      expect(await workspace.invite(channel, ['U0BOB', 'U0CAROL'])).toEqual({
        invited: [],
        skipped: [
          { user: 'U0BOB', reason: 'already_in_channel' },
          { user: 'U0CAROL', reason: 'already_in_channel' },
        ],
      });
      expect(await workspace.invite(channel, ['U0CAROL'])).toEqual({
        invited: [],
        skipped: [{ user: 'U0CAROL', reason: 'already_in_channel' }],
      });
    });

    it('expands a user group to its members, and a user id to itself', async () => {
      slack.addUserGroup({ id: 'S0ONCALL', handle: 'db-oncall', users: ['U0BOB', 'U0CAROL'] });
      expect(await workspace.expandUserGroup('S0ONCALL')).toEqual(['U0BOB', 'U0CAROL']);
      expect(await workspace.expandUserGroup('U0BOB')).toEqual(['U0BOB']);
      expect(slack.callsTo('usergroups.users.list')).toHaveLength(1);
    });

    it('opens a DM once per person, and reports an unknown user as a result', async () => {
      const opened = await workspace.openDirectMessage('U0BOB');
      expect(opened).toEqual({ ok: true, channel: expect.stringMatching(/^D/) });
      expect(await workspace.openDirectMessage('U0BOB')).toEqual(opened);
      expect(await workspace.openDirectMessage('U0GHOST')).toEqual({ ok: false, error: 'user_not_found' });
    });
  });

  describe('messages', () => {
    it('gives a message’s permalink, and none for a message that is gone', async () => {
      const channel = slack.addChannel({ name: 'inc-8' });
      const ts = slack.addMessage(channel, { text: 'hello' });
      expect(await workspace.permalink(channel, ts)).toBe(
        `${FAKE_WORKSPACE.baseUrl}archives/${channel}/p${ts.replace('.', '')}`,
      );
      expect(await workspace.permalink(channel, '1.000001')).toBeUndefined();
    });

    it('reads one message, a thread reply too, and nothing for an unknown ts', async () => {
      const channel = slack.addChannel({ name: 'inc-9' });
      const parent = slack.addMessage(channel, { text: 'db CPU at 100%', user: 'U0BOB' });
      const reply = slack.addMessage(channel, { text: 'failing over', thread_ts: parent });
      slack.addMessage(channel, { text: 'later' });

      expect(await workspace.message(channel, parent)).toEqual({ text: 'db CPU at 100%', user: 'U0BOB' });
      expect(await workspace.message(channel, reply)).toEqual({
        text: 'failing over',
        user: FAKE_WORKSPACE.userId,
      });
      expect(await workspace.message(channel, '1.000001')).toBeUndefined();
      expect(slack.callsTo('conversations.history')[0]?.args).toMatchObject({
        latest: parent,
        inclusive: 'true',
        limit: '1',
      });
    });
  });

  describe('failures', () => {
    it('retries a 500 inside the WebClient and then succeeds', async () => {
      const channel = slack.addChannel({ name: 'inc-10' });
      slack.failNext('conversations.setTopic', { status: 500 });
      await workspace.setTopic(channel, 'retried');
      expect(slack.channel(channel)?.topic).toBe('retried');
      expect(slack.callsTo('conversations.setTopic')).toHaveLength(2);
    });

    it('does not retry a create on its own, so a lost answer is not mistaken for name_taken', async () => {
      slack.failNext('conversations.create', { status: 503 });
      await expect(workspace.createChannel('inc-11')).rejects.toMatchObject({
        code: 'http_503',
        permanent: false,
      });
      expect(slack.callsTo('conversations.create')).toHaveLength(1);
    });

    it('throws a permanent SlackApiError that names the missing scope', async () => {
      slack.failNext('conversations.create', { error: 'missing_scope' });
      const failure = workspace.createChannel('inc-12');
      await expect(failure).rejects.toBeInstanceOf(SlackApiError);
      await expect(failure).rejects.toMatchObject({ code: 'missing_scope', permanent: true });
      await expect(workspace.createChannel('Bad Name')).rejects.toMatchObject({
        code: 'invalid_name_specials',
        permanent: true,
      });
    });

    it('throws a transient error with Retry-After when rate limited', async () => {
      slack.failNext('conversations.list', { rateLimited: 3 });
      await expect(workspace.findChannelByName('inc-13')).rejects.toMatchObject({
        code: 'ratelimited',
        permanent: false,
        retryAfterMs: 3000,
      });
    });

    it('never puts the token in an error, refused or unreachable', async () => {
      const wrongToken = createWebApiWorkspace({ token: 'xoxb-wrong-secret-token', slackApiUrl: slack.url });
      const refused = await wrongToken.archive('C0ANY').catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: 'invalid_auth', permanent: true });

      await slack.close();
      const unreachable = await new WebApiWorkspace(
        new WebClient(BOT_TOKEN, { ...slack.clientOptions(), logLevel: LogLevel.ERROR }),
      )
        .pin('C0ANY', '1.000001')
        .catch((error: unknown) => error);
      expect(unreachable).toMatchObject({ code: 'request_failed', permanent: false });

      for (const [error, token] of [
        [refused, 'xoxb-wrong-secret-token'],
        [unreachable, BOT_TOKEN],
      ] as const) {
        const { message, stack } = error as Error;
        expect(`${message} ${stack} ${JSON.stringify(error)}`).not.toContain(token);
      }
    });
  });
});
