import type { CloudSimulator } from '../../../src/simulator/cloud-simulator';
import type { Scenario } from '../../../src/simulator/scenario';
import type { FakeSlack } from '../../support/fake-slack';
import { postSlashCommand, SLACK_TEST_IDS } from '../../support/slack-signing';
import { SIGNING_SECRET, type TestWarroom, waitUntilIdle } from '../../support/test-warroom';

/** What a diagnosis left in the channel: the status message as text and blocks, and its thread replies as text. */
export interface DiagnosisInChannel {
  text: string;
  blocks: string;
  thread: string[];
}

/**
 * Serves `scenario`, sends a signed `/incident diag staging` and waits for the verdict and for the
 * bot to be idle, so everything the run posts is in the channel.
 */
export async function diagnoseStaging(
  parts: { bot: TestWarroom; slack: FakeSlack; simulator: CloudSimulator },
  scenario: Scenario | string,
  trigger: string,
): Promise<DiagnosisInChannel> {
  const { bot, slack, simulator } = parts;
  const channel = SLACK_TEST_IDS.channelId;
  simulator.setScenario(scenario);
  slack.reset({ workspace: true });
  const ack = await postSlashCommand(bot.baseUrl, SIGNING_SECRET, {
    text: 'diag staging',
    trigger_id: trigger,
  });
  if (ack.status !== 200) throw new Error(`/incident diag answered ${ack.status}`);
  await slack.waitFor(() => slack.messages(channel).some((m) => m.text.includes('verdict:')), 25_000);
  await waitUntilIdle(bot.warroom);
  const [status] = slack.messages(channel).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
  const thread = slack
    .thread(channel, status?.ts ?? '')
    .filter((m) => m.ts !== status?.ts)
    .map((m) => JSON.stringify(m.blocks ?? m.text));
  return { text: status?.text ?? '', blocks: JSON.stringify(status?.blocks), thread };
}
