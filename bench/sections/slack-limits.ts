/**
 * Slack enforcing ~1 message per second per channel, bursts of 3: three outage diagnoses at once.
 * The outbox must wait out every `Retry-After` and still deliver each message once, in its thread.
 * Rate limiting stays on for the sections after this one.
 */
import type { FakeSlack } from '../../test/support/fake-slack';
import { postSlashCommand } from '../../test/support/slack-signing';
import { SIGNING_SECRET } from '../../test/support/test-warroom';
import { waitUntil } from '../../test/support/wait-for';
import type { BenchRig } from '../bench-rig';
import { row, type SectionResult } from '../lib';

export async function slackLimits(rig: BenchRig): Promise<SectionResult> {
  const { slack } = rig;
  rig.simulator.setScenario('staging-outage');
  slack.reset();
  slack.enforceRateLimit({ perChannelPerSecond: 1, burst: 3 });
  const channels = ['CR1', 'CR2', 'CR3'];
  await Promise.all(
    channels.map((channel, i) =>
      postSlashCommand(rig.base, SIGNING_SECRET, {
        text: 'diag staging',
        channel_id: channel,
        trigger_id: `rl-${i}-${Date.now()}`,
      }),
    ),
  );
  await waitUntil(
    () => channels.every((c) => slack.messages(c).some((m) => m.text.includes('verdict:'))),
    60_000,
    'verdicts under rate limit',
  );
  await quiet(slack, 2500);
  const delivered = channels.every((c) => {
    const [status, ...rest] = slack.messages(c).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
    const replies = slack.thread(c, status?.ts ?? '').filter((m) => m.ts !== status?.ts);
    const expected = (
      JSON.stringify(status?.blocks).match(/:(red_circle|large_yellow_circle|question):/g) ?? []
    ).length;
    return rest.length === 0 && replies.length === expected;
  });
  const rows = [
    row('429s received (3 outage diags, 1 msg/s/channel)', String(slack.rateLimitedCount), '—', null),
    row(
      'calls sent before Retry-After ran out',
      String(slack.violations.length),
      '0',
      slack.violations.length === 0,
    ),
    row('every message delivered, in its thread, once', delivered ? 'yes' : 'no', 'yes', delivered),
  ];
  return { rows, results: {} };
}

/** Waits until Slack has seen no call for `ms`. */
async function quiet(slack: FakeSlack, ms: number): Promise<void> {
  await waitUntil(() => Date.now() - (slack.calls.at(-1)?.at ?? 0) > ms, 60_000, 'Slack to go quiet');
}
