/** FakeSlack speaks the Web API wire format: the real @slack/web-api WebClient talks to it over loopback HTTP. */
import {
  ErrorCode,
  LogLevel,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebClient,
  type WebClientOptions,
} from '@slack/web-api';
import { FAKE_WORKSPACE, FakeSlack } from '../../support/fake-slack';

const BOT_TOKEN = 'xoxb-test-bot-token';

describe('FakeSlack with the real WebClient', () => {
  let slack: FakeSlack;
  const client = (options: WebClientOptions = {}, token = BOT_TOKEN) =>
    new WebClient(token, { slackApiUrl: slack.url, retryConfig: { retries: 0 }, ...options });

  beforeEach(async () => {
    slack = await FakeSlack.start({ botToken: BOT_TOKEN });
  });
  afterEach(async () => {
    await slack.close();
  });

  it('posts, threads and updates messages and reads them back with metadata', async () => {
    const web = client();
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*SEV2* checkout is down' } }];
    const metadata = { event_type: 'incident_opened', event_payload: { incident_id: 'INC-1' } };

    const opened = await web.chat.postMessage({ channel: 'C0000000001', text: 'SEV2', blocks, metadata });
    const reply = await web.chat.postMessage({
      channel: 'C0000000001',
      text: 'diag: ok',
      thread_ts: opened.ts,
    });
    await web.chat.update({ channel: 'C0000000001', ts: opened.ts as string, text: 'SEV2 (resolved)' });
    await web.conversations.join({ channel: 'C0000000001' });
    const history = await web.conversations.history({ channel: 'C0000000001', include_all_metadata: true });
    const replies = await web.conversations.replies({ channel: 'C0000000001', ts: opened.ts as string });

    expect(opened.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(reply.ts)).toBeGreaterThan(Number(opened.ts));
    expect(history.messages).toHaveLength(1);
    expect(history.messages?.[0]).toMatchObject({
      ts: opened.ts,
      text: 'SEV2 (resolved)',
      blocks,
      metadata,
      reply_count: 1,
      bot_id: FAKE_WORKSPACE.botId,
    });
    expect(replies.messages?.map((m) => m.ts)).toEqual([opened.ts, reply.ts]);
    expect(slack.messages('C0000000001')).toMatchObject([
      { ts: opened.ts, text: 'SEV2 (resolved)', updateCount: 1, metadata },
      { ts: reply.ts, thread_ts: opened.ts, updateCount: 0 },
    ]);
    const [post] = slack.callsTo('chat.postMessage');
    expect(post).toMatchObject({ token: BOT_TOKEN, args: { channel: 'C0000000001', blocks, metadata } });
  });

  it('returns metadata from history only when include_all_metadata is set', async () => {
    const web = client();
    const channel = slack.addChannel({ name: 'inc-42' });
    const metadata = { event_type: 'incident_opened', event_payload: { id: 42 } };
    await web.chat.postMessage({ channel, text: 'first', metadata });
    await web.chat.postMessage({ channel: '#inc-42', text: 'second' });

    const plain = await web.conversations.history({ channel });
    const limited = await web.conversations.history({ channel, limit: 1, include_all_metadata: true });

    expect(plain.messages?.map((m) => m.text)).toEqual(['second', 'first']);
    expect(plain.messages?.[1]?.metadata).toBeUndefined();
    expect(limited.messages?.map((m) => m.text)).toEqual(['second']);
    expect(limited.has_more).toBe(true);
    expect(limited.response_metadata?.next_cursor).toBeTruthy();
  });

  it('answers the rest of the incident lifecycle with Slack shapes', async () => {
    const web = client();
    slack.addUser({ id: 'U0BOB', name: 'bob', email: 'bob@example.com' });
    slack.addUserGroup({ id: 'S0ONCALL', handle: 'oncall', users: ['U0BOB'] });

    const created = await web.conversations.create({ name: 'inc-2024-checkout' });
    const channel = created.channel?.id as string;
    await web.conversations.invite({ channel, users: 'U0BOB,U0000000001' });
    await web.conversations.setTopic({ channel, topic: 'SEV2 checkout' });
    const posted = await web.chat.postMessage({ channel, text: 'Incident opened' });
    await web.pins.add({ channel, timestamp: posted.ts as string });
    slack.addReaction(channel, posted.ts as string, 'eyes', 'U0BOB');
    const reactions = await web.reactions.get({ channel, timestamp: posted.ts as string });
    const permalink = await web.chat.getPermalink({ channel, message_ts: posted.ts as string });
    const ephemeral = await web.chat.postEphemeral({ channel, user: 'U0BOB', text: 'only you' });
    const oncall = await web.usergroups.users.list({ usergroup: 'S0ONCALL' });
    const bob = await web.users.info({ user: 'U0BOB' });
    const auth = await web.auth.test();
    const view = await web.views.open({
      trigger_id: '123.456.abc',
      view: { type: 'modal', title: { type: 'plain_text', text: 'Escalate' }, blocks: [] },
    });
    await web.conversations.archive({ channel });
    const info = await web.conversations.info({ channel, include_num_members: true });

    expect(created.channel).toMatchObject({ name: 'inc-2024-checkout', is_member: true, is_private: false });
    expect(info.channel).toMatchObject({
      is_archived: true,
      topic: { value: 'SEV2 checkout' },
      num_members: 3,
    });
    expect(reactions.message?.reactions).toEqual([{ name: 'eyes', users: ['U0BOB'], count: 1 }]);
    expect(permalink.permalink).toBe(
      `https://warroom-test.slack.com/archives/${channel}/p${(posted.ts as string).replace('.', '')}`,
    );
    expect(ephemeral.message_ts).toBeTruthy();
    expect(slack.ephemerals(channel)).toMatchObject([{ user: 'U0BOB', text: 'only you' }]);
    expect(oncall.users).toEqual(['U0BOB']);
    expect(bob.user?.profile?.email).toBe('bob@example.com');
    expect(auth).toMatchObject({
      user_id: FAKE_WORKSPACE.botUserId,
      team_id: 'T0001',
      bot_id: FAKE_WORKSPACE.botId,
    });
    expect(view.view?.id).toMatch(/^V/);
    expect(slack.messages(channel)[0]?.pinned).toBe(true);
    expect(slack.channel(channel)).toMatchObject({
      isArchived: true,
      members: expect.arrayContaining(['U0BOB']),
    });
  });

  it('turns ok:false answers into WebAPIPlatformError with Slack error codes', async () => {
    const web = client();
    await web.conversations.create({ name: 'inc-1' });
    const secret = slack.addChannel({ name: 'secret', isPrivate: true, botIsMember: false });
    slack.failNext('chat.postMessage', { error: 'channel_not_found' });

    const errors = await Promise.all([
      web.chat.postMessage({ channel: 'C0000000001', text: 'x' }).catch((e: unknown) => e),
      web.conversations.create({ name: 'inc-1' }).catch((e: unknown) => e),
      web.conversations.create({ name: 'INC 1' }).catch((e: unknown) => e),
      web.users.info({ user: 'U0NOBODY' }).catch((e: unknown) => e),
      web.conversations.history({ channel: 'C0NOTJOINED' }).catch((e: unknown) => e),
      web.apiCall('incidents.magic').catch((e: unknown) => e),
      web.chat
        .postMessage({ channel: 'C0000000001', text: 'x', thread_ts: '1.000001' })
        .catch((e: unknown) => e),
      web.chat.postMessage({ channel: secret, text: 'x' }).catch((e: unknown) => e),
      client({}, 'xoxb-wrong')
        .auth.test()
        .catch((e: unknown) => e),
    ]);

    for (const error of errors) expect(error).toBeInstanceOf(WebAPIPlatformError);
    expect(errors.map((e) => (e as WebAPIPlatformError).data.error)).toEqual([
      'channel_not_found',
      'name_taken',
      'invalid_name_specials',
      'user_not_found',
      'not_in_channel',
      'unknown_method',
      'thread_not_found',
      'channel_not_found',
      'invalid_auth',
    ]);
    expect(slack.callsTo('chat.postMessage')[0]).toMatchObject({ status: 200, error: 'channel_not_found' });
  });

  it('surfaces an HTTP 500 as WebAPIHTTPError', async () => {
    slack.failNext('chat.postMessage', { status: 500 });

    const error = await client()
      .chat.postMessage({ channel: 'C0000000001', text: 'x' })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(WebAPIHTTPError);
    expect((error as WebAPIHTTPError).statusCode).toBe(500);
  });

  it('answers 429 with Retry-After, which rejectRateLimitedCalls turns into WebAPIRateLimitedError', async () => {
    slack.failNext('chat.update', { rateLimited: 7 });

    const error = await client({ rejectRateLimitedCalls: true })
      .chat.update({ channel: 'C0000000001', ts: '1.000100', text: 'x' })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(WebAPIRateLimitedError);
    expect((error as WebAPIRateLimitedError).code).toBe(ErrorCode.RateLimitedError);
    expect((error as WebAPIRateLimitedError).retryAfter).toBe(7);
    expect(slack.rateLimitedCount).toBe(1);
  });

  it('delays answers to a method', async () => {
    slack.delay('auth.test', 150);
    const started = Date.now();

    await client().auth.test();

    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('accepts JSON bodies with the token in the Authorization header, as raw HTTP clients send them', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }];

    const response = await fetch(`${slack.url}chat.postMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', Authorization: `Bearer ${BOT_TOKEN}` },
      body: JSON.stringify({ channel: 'C0000000001', text: 'hi', blocks }),
    });

    expect(await response.json()).toMatchObject({ ok: true, channel: 'C0000000001', message: { blocks } });
    expect(slack.callsTo('chat.postMessage')).toMatchObject([{ token: BOT_TOKEN, args: { blocks } }]);
  });

  it('records posts to response URLs and can fail them as Slack does', async () => {
    slack.failNext('response_url', { error: 'used_url' });
    const post = () =>
      fetch(slack.responseUrl('cmd-2'), { method: 'POST', body: JSON.stringify({ text: 'again' }) });

    const refused = await post();
    const accepted = await post();

    expect([refused.status, await refused.text()]).toEqual([404, 'used_url']);
    expect(accepted.status).toBe(200);
    expect(slack.responsesTo('cmd-2')).toHaveLength(1);
  });

  it('records posts to response URLs', async () => {
    const url = slack.responseUrl('cmd-1');

    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text: 'Opening incident…' }),
    });

    expect(response.status).toBe(200);
    expect(slack.responsesTo('cmd-1')).toMatchObject([{ body: { text: 'Opening incident…' } }]);
  });
});

describe('FakeSlack rate limiting', () => {
  let slack: FakeSlack;

  beforeEach(async () => {
    slack = await FakeSlack.start();
    slack.enforceRateLimit({ perChannelPerSecond: 1, burst: 3 });
  });
  afterEach(async () => {
    await slack.close();
  });

  it('lets a client that honours Retry-After through without violations', async () => {
    const web = new WebClient('xoxb-any', {
      slackApiUrl: slack.url,
      logLevel: LogLevel.ERROR,
      retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 10 },
    });

    for (let i = 0; i < 4; i += 1)
      await web.chat.postMessage({ channel: 'C0000000001', text: `update ${i}` });

    expect(slack.rateLimitedCount).toBe(1);
    expect(slack.violations).toEqual([]);
    expect(slack.messages('C0000000001')).toHaveLength(4);
  });

  it('records a violation when a client retries before Retry-After has elapsed', async () => {
    const web = new WebClient('xoxb-any', { slackApiUrl: slack.url, rejectRateLimitedCalls: true });
    const post = () => web.chat.postMessage({ channel: 'C0000000001', text: 'spam' });

    for (let i = 0; i < 3; i += 1) await post();
    const limited = await post().catch((e: unknown) => e);
    const impatient = await post().catch((e: unknown) => e);
    await web.chat.postMessage({ channel: 'C0000000002', text: 'other channels have their own bucket' });

    expect(limited).toBeInstanceOf(WebAPIRateLimitedError);
    expect((limited as WebAPIRateLimitedError).retryAfter).toBe(1);
    expect(impatient).toBeInstanceOf(WebAPIRateLimitedError);
    expect(slack.violations).toEqual([
      {
        method: 'chat.postMessage',
        channel: 'C0000000001',
        at: expect.any(Number),
        earlyByMs: expect.any(Number),
      },
    ]);
    expect(slack.violations[0]?.earlyByMs).toBeGreaterThan(0);
  });
});
