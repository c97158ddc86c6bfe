import { CloudSimulator } from '../../../src/simulator/cloud-simulator';
import type { Scenario } from '../../../src/simulator/scenario';
import { FakeSlack } from '../../support/fake-slack';
import { postSlashCommand, SLACK_TEST_IDS } from '../../support/slack-signing';
import {
  APP_TOKEN,
  BOT_TOKEN,
  SIGNING_SECRET,
  startTestWarroom,
  type TestWarroom,
  waitUntilIdle,
} from '../../support/test-warroom';

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

/** What `diagnosisBed` gives a describe block. */
export interface DiagnosisBed {
  /** Runs `/incident diag staging` on `scenario` (see `diagnoseStaging`). */
  diagnose(scenario: Scenario | string, trigger: string): Promise<DiagnosisInChannel>;
  /** The running simulator, for the requests the bot made to it. */
  simulator(): CloudSimulator;
}

export interface DiagnosisBedOptions {
  /** Staging's connector; null for an environment without one (Direct VPC egress). */
  connector?: string | null;
}

/**
 * The simulator, the Slack stand-in and a bot on HTTP, started before the tests of the describe
 * block that calls this and stopped after them; `diagnose` is `diagnoseStaging` bound to them.
 */
export function diagnosisBed(options: DiagnosisBedOptions = {}): DiagnosisBed {
  let parts: { bot: TestWarroom; slack: FakeSlack; simulator: CloudSimulator } | undefined;
  beforeAll(async () => {
    const simulator = await CloudSimulator.start({ scenario: 'healthy' });
    const slack = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
    const bot = await startTestWarroom({
      mode: 'http',
      slack,
      connector: options.connector,
      env: { GCP_EMULATOR_HOST: simulator.emulatorHost },
    });
    parts = { bot, slack, simulator };
  });
  afterAll(async () => {
    await parts?.bot.stop();
    await parts?.slack.close();
    await parts?.simulator.close();
  });
  const started = () => {
    if (!parts) throw new Error('diagnosisBed: the bot has not started (call it inside a describe block)');
    return parts;
  };
  return {
    diagnose: (scenario, trigger) => diagnoseStaging(started(), scenario, trigger),
    simulator: () => started().simulator,
  };
}
