import { CloudSimulator } from '../../src/simulator/cloud-simulator';
import { loadScenario } from '../../src/simulator/load-scenario';
import { FakeSlack } from '../support/fake-slack';
import { postSlashCommand, SLACK_TEST_IDS } from '../support/slack-signing';
import {
  APP_TOKEN,
  BOT_TOKEN,
  SIGNING_SECRET,
  startTestWarroom,
  type TestWarroom,
  waitUntilIdle,
} from '../support/test-warroom';

const CHANNEL = SLACK_TEST_IDS.channelId;

/** Each scenario of the simulator and the verdict an honest diagnosis reaches on it. */
const SCENARIOS: Array<[scenario: string, verdict: string]> = [
  ['healthy', 'no-fault-found'],
  ['staging-outage', 'vpc-connector-down'],
  ['connector-saturated', 'vpc-connector-saturated'],
  ['cloud-sql-down', 'cloud-sql-unavailable'],
  ['connections-exhausted', 'cloud-sql-connections-exhausted'],
  ['network-mismatch', 'network-mismatch'],
  ['application-error', 'application-error'],
  ['permission-denied', 'inconclusive'],
  ['slow', 'no-fault-found'],
  ['flaky', 'no-fault-found'],
  // The connector is back, the services that crashed while it was down are not.
  ['connector-restored', 'restart-needed'],
  ['cloud-run-capacity', 'cloud-run-capacity'],
  ['firewall-blocked', 'firewall-blocked'],
  ['shared-vpc-ingress-missing', 'firewall-blocked'],
  // The firewall rules could not be read while connections fail: the role to grant, not a guess.
  ['firewall-denied', 'inconclusive'],
  // backend's account may not connect: refused in the logs, or only the policy says so.
  ['sql-iam-denied', 'sql-iam-denied'],
  ['sql-iam-policy', 'sql-iam-denied'],
  // The IAM policy cannot be read, but nothing fails: listed under what could not be checked.
  ['iam-denied', 'no-fault-found'],
];

describe('/incident diag staging, end to end', () => {
  let simulator: CloudSimulator;
  let slack: FakeSlack;
  let bot: TestWarroom;

  beforeAll(async () => {
    simulator = await CloudSimulator.start({ scenario: 'healthy' });
    slack = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
    const health = (name: string) =>
      `{ name: ${name}, url: "http://${simulator.emulatorHost}/sim/health/${name}" }`;
    bot = await startTestWarroom({
      mode: 'http',
      slack,
      env: { GCP_EMULATOR_HOST: simulator.emulatorHost },
      environmentExtra: [`healthChecks: [${['backend', 'auth', 'ai'].map(health).join(', ')}]`],
    });
  });
  afterAll(async () => {
    await bot.stop();
    await slack.close();
    await simulator.close();
  });

  it.each(SCENARIOS)(
    'on %s, one status message ends on verdict: %s, details in its thread',
    async (scenario, verdict) => {
      simulator.setScenario(scenario);
      slack.reset({ workspace: true });
      const ack = await postSlashCommand(bot.baseUrl, SIGNING_SECRET, {
        text: 'diag staging',
        trigger_id: `trigger-${scenario}`,
      });
      expect(ack.status).toBe(200);
      expect((ack.json as { text: string }).text).toContain('Diagnosing *staging*');

      const topLevel = () => slack.messages(CHANNEL).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
      await slack.waitFor(() => topLevel().some((m) => m.text.includes('verdict:')), 25_000);
      await waitUntilIdle(bot.warroom);

      const [status, ...others] = topLevel();
      expect(others).toHaveLength(0);
      expect(status?.text).toContain(`verdict: ${verdict} `);
      const blocks = JSON.stringify(status?.blocks);
      expect(blocks).toContain(`verdict: \`${verdict}\``);
      expect(blocks).toContain('*Next step:*');
      expect(blocks).not.toContain('running');

      // A reply per check that is not ok; each posted once.
      const replies = slack.thread(CHANNEL, status?.ts ?? '').filter((m) => m.ts !== status?.ts);
      const statusLines = blocks.match(/:(red_circle|large_yellow_circle|question):/g) ?? [];
      expect(replies).toHaveLength(statusLines.length);
      const keys = slack
        .callsTo('chat.postMessage')
        .map((c) => JSON.stringify((c.args.metadata as object) ?? {}));
      expect(new Set(keys).size).toBe(keys.length);
    },
  );

  it('joins the running diagnosis instead of starting a second one', async () => {
    simulator.setScenario('slow');
    slack.reset({ workspace: true });
    const first = await postSlashCommand(bot.baseUrl, SIGNING_SECRET, {
      text: 'diag staging',
      trigger_id: 'join-1',
    });
    const second = await postSlashCommand(bot.baseUrl, SIGNING_SECRET, {
      text: 'diag staging',
      trigger_id: 'join-2',
    });
    expect((first.json as { text: string }).text).toContain('Diagnosing');
    expect((second.json as { text: string }).text).toContain('already running in this channel');
    await slack.waitFor(() => slack.messages(CHANNEL).some((m) => m.text.includes('verdict:')), 25_000);
    await waitUntilIdle(bot.warroom);
    expect(slack.messages(CHANNEL).filter((m) => !m.thread_ts || m.thread_ts === m.ts)).toHaveLength(1);
  });

  it('refuses an unknown environment before queueing anything', async () => {
    slack.reset({ workspace: true });
    const response = await postSlashCommand(bot.baseUrl, SIGNING_SECRET, { text: 'diag production' });
    expect((response.json as { text: string }).text).toBe(
      'There is no environment "production". Configured: `staging`. Usage: /incident diag &lt;env&gt;',
    );
    await waitUntilIdle(bot.warroom);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);
  });
});

describe('/incident diag when Google Cloud hangs', () => {
  let simulator: CloudSimulator;
  let slack: FakeSlack;
  let bot: TestWarroom;

  beforeAll(async () => {
    const outage = loadScenario('staging-outage');
    simulator = await CloudSimulator.start({
      scenario: { ...outage, faults: { ...outage.faults, hang: ['vpcaccess.connectors.get'] } },
    });
    slack = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
    bot = await startTestWarroom({
      mode: 'http',
      slack,
      env: { GCP_EMULATOR_HOST: simulator.emulatorHost },
      checkDeadlineMs: 1500,
    });
  });
  afterAll(async () => {
    await bot.stop();
    await slack.close();
    await simulator.close();
  });

  it('reports the check that hung past its deadline and still ends on an honest verdict', async () => {
    await postSlashCommand(bot.baseUrl, SIGNING_SECRET, { text: 'diag staging', trigger_id: 'hang-1' });
    await slack.waitFor(() => slack.messages(CHANNEL).some((m) => m.text.includes('verdict:')), 20_000);
    await waitUntilIdle(bot.warroom);
    const [status] = slack.messages(CHANNEL);
    const blocks = JSON.stringify(status?.blocks);
    expect(blocks).toMatch(/:question: \*vpc-connector\* — [^\\]*(deadline|timed out|no answer)/);
    expect(status?.text).toContain('verdict: inconclusive');
    expect(blocks).toContain('*Could not check*');
    expect(blocks).not.toContain('running');
  });
});
