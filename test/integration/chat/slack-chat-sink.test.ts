import { ChatDeliveryError, ChatRateLimitedError } from '../../../src/chat/chat-sink';
import { createSlackWebClient, SlackChatSink } from '../../../src/slack/slack-chat-sink';
import { FakeSlack } from '../../support/fake-slack';
import { OutboxHarness } from './outbox-harness';

const BOT_TOKEN = 'xoxb-test-bot-token';

describe('SlackChatSink on the real WebClient against the loopback Slack', () => {
  let slack: FakeSlack;
  let sink: SlackChatSink;
  beforeEach(async () => {
    slack = await FakeSlack.start({ botToken: BOT_TOKEN });
    sink = new SlackChatSink(createSlackWebClient({ token: BOT_TOKEN, slackApiUrl: slack.url }));
  });
  afterEach(async () => {
    await slack.close();
  });

  describe('behind the outbox drainer', () => {
    let h: OutboxHarness;
    beforeEach(() => {
      h = new OutboxHarness();
    });
    afterEach(async () => {
      await h.close();
    });

    it('posts, updates to the latest content and threads replies, honouring a 429 without early calls', async () => {
      const channel = slack.addChannel({ name: 'inc-42' });
      slack.failNext('chat.postMessage', { rateLimited: 1 });
      h.startDrainer(sink);
      await h.outbox.put(channel, 'diag', { text: 'Diagnostics: 0/3 checks done' });
      await h.outbox.put(channel, 'diag-run', { text: 'Cloud Run: serving' }, { threadKey: 'diag' });
      for (let done = 1; done <= 3; done++) {
        await h.outbox.put(channel, 'diag', { text: `Diagnostics: ${done}/3 checks done` });
      }
      await h.drained(15_000);

      const [status, reply] = slack.messages(channel);
      expect(status).toEqual(
        expect.objectContaining({
          text: 'Diagnostics: 3/3 checks done',
          metadata: { event_type: 'warroom_message', event_payload: { key: 'diag' } },
        }),
      );
      expect(reply).toEqual(expect.objectContaining({ text: 'Cloud Run: serving', thread_ts: status?.ts }));
      expect(status?.updateCount).toBeLessThanOrEqual(1);
      expect(slack.rateLimitedCount).toBe(1);
      expect(slack.violations).toEqual([]);
      expect(
        slack.callsTo('chat.postMessage').every((call) => String(call.args.unfurl_links) === 'false'),
      ).toBe(true);
      expect(await h.outbox.deliveredTs('diag')).toBe(status?.ts);
    });
  });

  it('finds an earlier post by its metadata key, joining the channel to read its history', async () => {
    const channel = slack.addChannel({ name: 'inc-7', botIsMember: false });
    const parent = await sink.postMessage({ channel, key: 'status', message: { text: 'status' } });
    const reply = await sink.postMessage({
      channel,
      key: 'detail',
      message: { text: 'detail' },
      threadTs: parent.ts,
    });

    expect(await sink.findPostedMessage(channel, 'status')).toEqual({ ts: parent.ts });
    expect(await sink.findPostedMessage(channel, 'detail', { threadTs: parent.ts })).toEqual({
      ts: reply.ts,
    });
    expect(await sink.findPostedMessage(channel, 'never-posted')).toBeUndefined();
    expect(slack.callsTo('conversations.join')).toHaveLength(1);
  });

  it('retries a 5xx inside the WebClient and then succeeds', async () => {
    const channel = slack.addChannel({ name: 'inc-8' });
    slack.failNext('chat.postMessage', { status: 503 });
    const posted = await sink.postMessage({ channel, key: 'k', message: { text: 'hello' } });
    expect(slack.messages(channel).map((m) => m.ts)).toEqual([posted.ts]);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it('reports a 429 as ChatRateLimitedError with its Retry-After, and a refusal as a permanent ChatDeliveryError', async () => {
    const channel = slack.addChannel({ name: 'inc-9' });
    slack.failNext('chat.postMessage', { rateLimited: 7 });
    await expect(sink.postMessage({ channel, key: 'k', message: { text: 'x' } })).rejects.toEqual(
      new ChatRateLimitedError(7000),
    );
    const archived = slack.addChannel({ name: 'old-incident', isArchived: true });
    const refusal = sink.postMessage({ channel: archived, key: 'k', message: { text: 'x' } });
    await expect(refusal).rejects.toBeInstanceOf(ChatDeliveryError);
    await expect(refusal).rejects.toMatchObject({ code: 'is_archived', permanent: true });
  });
});
