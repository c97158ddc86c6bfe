import { WarroomMetrics } from '../../../src/metrics/warroom-metrics';
import { createSlackWebClient, SlackChatSink } from '../../../src/slack/slack-chat-sink';
import { FakeSlack } from '../../support/fake-slack';
import { BOT_TOKEN } from '../../support/test-warroom';

describe('Slack calls in the metrics', () => {
  let slack: FakeSlack;
  let metrics: WarroomMetrics;
  let sink: SlackChatSink;

  beforeAll(async () => {
    slack = await FakeSlack.start({ botToken: BOT_TOKEN });
  });
  beforeEach(() => {
    slack.reset({ workspace: true });
    metrics = new WarroomMetrics({ subcommands: [] });
    const client = createSlackWebClient({ token: BOT_TOKEN, slackApiUrl: slack.url, retry: false });
    sink = new SlackChatSink(client, client, metrics);
  });
  afterAll(async () => {
    await slack.close();
  });

  const count = async (labels: string) =>
    Number(
      (await metrics.render())
        .split('\n')
        .find((l) => l.startsWith(`warroom_slack_calls_total{${labels}}`))
        ?.split(' ')
        .pop() ?? 0,
    );

  it('counts each request by method and outcome: ok, rate_limited, error', async () => {
    const channel = slack.addChannel({ name: 'inc-metrics' });
    const { ts } = await sink.postMessage({ channel, key: 'a', message: { text: 'one' } });
    await sink.updateMessage({ channel, ts, message: { text: 'two' } });
    slack.failNext('chat.postMessage', { rateLimited: 3 });
    await expect(sink.postMessage({ channel, key: 'b', message: { text: 'x' } })).rejects.toThrow();
    const archived = slack.addChannel({ name: 'old-incident', isArchived: true });
    await expect(sink.postMessage({ channel: archived, key: 'c', message: { text: 'x' } })).rejects.toThrow();

    expect(await count('method="chat.postMessage",outcome="ok"')).toBe(1);
    expect(await count('method="chat.update",outcome="ok"')).toBe(1);
    expect(await count('method="chat.postMessage",outcome="rate_limited"')).toBe(1);
    expect(await count('method="chat.postMessage",outcome="error"')).toBe(1);
    expect(await metrics.render()).toMatch(/^warroom_slack_rate_limited_total 1$/m);
  });
});
