import { CloudSimulator } from '../../../src/simulator/cloud-simulator';
import { loadScenario } from '../../../src/simulator/load-scenario';
import { FakeSlack, type MessageView, type RecordedCall } from '../../support/fake-slack';
import { postSlashCommand, SLACK_TEST_IDS } from '../../support/slack-signing';
import {
  APP_TOKEN,
  BOT_TOKEN,
  SIGNING_SECRET,
  startTestWarroom,
  type TestWarroom,
} from '../../support/test-warroom';
import { waitUntil } from '../../support/wait-for';

const CHANNEL = SLACK_TEST_IDS.channelId;

const succeeded = (call: RecordedCall) => call.status === 200 && call.error === undefined;
const keyOf = (call: RecordedCall) =>
  (call.args.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key;
const isTopLevel = (m: MessageView) => !m.thread_ts || m.thread_ts === m.ts;

describe('/incident diag while Slack rate-limits and fails', () => {
  let simulator: CloudSimulator;
  let slack: FakeSlack;
  let bot: TestWarroom;

  beforeAll(async () => {
    // Google answers slowly, so each status message is posted early and updated as checks finish.
    const outage = loadScenario('staging-outage');
    simulator = await CloudSimulator.start({
      scenario: { ...outage, faults: { ...outage.faults, latencyMs: [1000, 1500] } },
    });
    slack = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
    bot = await startTestWarroom({
      mode: 'http',
      slack,
      env: { GCP_EMULATOR_HOST: simulator.emulatorHost },
    });
  });
  afterAll(async () => {
    await bot?.stop();
    await slack?.close();
    await simulator?.close();
  });

  it('delivers both runs completely, in order, each message once, never before a Retry-After', async () => {
    // Slack's per-channel limit, tight, and on top of it 429s and 5xx injected into each run.
    slack.enforceRateLimit({ perChannelPerSecond: 0.5, burst: 2 });
    const verdicts = () =>
      slack.messages(CHANNEL).filter((m) => isTopLevel(m) && m.text.includes('verdict:'));
    for (const [run, trigger] of ['slack-faults-1', 'slack-faults-2'].entries()) {
      slack.failNext('chat.postMessage', { rateLimited: 1 });
      slack.failNext('chat.update', { status: 500 });
      slack.failNext('chat.update', { rateLimited: 1 });
      slack.failNext('chat.update', { status: 503 });
      const ack = await postSlashCommand(bot.baseUrl, SIGNING_SECRET, {
        text: 'diag staging',
        trigger_id: trigger,
      });
      // A second run, not a join: the first one has finished.
      expect((ack.json as { text: string }).text).toContain('Diagnosing *staging*');
      // Once the status message is up, a 500 for one of the details posted in its thread.
      await slack.waitFor(() => slack.messages(CHANNEL).filter(isTopLevel).length === run + 1, 15_000);
      slack.failNext('chat.postMessage', { status: 500 });
      await slack.waitFor(() => verdicts().length === run + 1, 45_000);
      await waitUntil(() => bot.warroom.isIdle(), 30_000, 'the outbox to drain');
    }
    await waitUntil(() => bot.warroom.isIdle(), 30_000, 'the outbox to drain');

    // The storm did happen.
    const failedWith = (status: number) => slack.calls.filter((c) => c.status === status).length;
    expect(failedWith(429)).toBeGreaterThanOrEqual(3);
    expect(slack.rateLimitedCount).toBe(failedWith(429));
    expect(failedWith(500) + failedWith(503)).toBe(6);

    // Nothing was sent before its Retry-After.
    expect(slack.violations).toEqual([]);

    // Every message delivered, each once.
    const messages = slack.messages(CHANNEL);
    const top = messages.filter(isTopLevel);
    expect(top).toHaveLength(2);
    const posts = slack.callsTo('chat.postMessage').filter(succeeded);
    const keys = posts.map(keyOf);
    expect(new Set(keys).size).toBe(keys.length);
    expect(messages).toHaveLength(posts.length);
    for (const status of top) {
      expect(status.text).toContain('verdict: vpc-connector-down ');
      const blocks = JSON.stringify(status.blocks);
      expect(blocks).not.toContain('running');
      const notOk = blocks.match(/:(red_circle|large_yellow_circle|question):/g) ?? [];
      expect(notOk.length).toBeGreaterThan(0);
      expect(slack.thread(CHANNEL, status.ts).filter((m) => m.ts !== status.ts)).toHaveLength(notOk.length);
    }

    // In order: the first run's status and details all came before the second run's.
    const [first, second] = top as [MessageView, MessageView];
    const runOf = (m: MessageView) => (m.thread_ts ?? m.ts) === first.ts;
    const lastOfFirst = messages.map(runOf).lastIndexOf(true);
    const firstOfSecond = messages.findIndex((m) => (m.thread_ts ?? m.ts) === second.ts);
    expect(lastOfFirst).toBeLessThan(firstOfSecond);
    // The last update Slack accepted for each status message carried the verdict: no stale content
    // overtook the final one.
    for (const status of top) {
      const updates = slack.callsTo('chat.update').filter((c) => succeeded(c) && c.args.ts === status.ts);
      expect(String(updates.at(-1)?.args.text)).toContain('verdict:');
    }
  }, 120_000);
});
