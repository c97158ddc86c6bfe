import { CloudSimulator } from '../../../src/simulator/cloud-simulator';
import { loadScenario } from '../../../src/simulator/load-scenario';
import { BotQueues } from '../../support/bot-queues';
import { FakeSlack } from '../../support/fake-slack';
import { postSlashCommand, SLACK_TEST_IDS } from '../../support/slack-signing';
import { writeTestConfig } from '../../support/test-config';
import { BOT_TOKEN, SIGNING_SECRET } from '../../support/test-warroom';
import { waitFor } from '../../support/wait-for';
import { botProcessEnv, WarroomProcess } from '../../support/warroom-process';

const CHANNEL = SLACK_TEST_IDS.channelId;

describe('a worker killed with SIGKILL in the middle of a restart', () => {
  it('another worker finishes it: one PATCH to Cloud Run, one message, ending on the new revision', async () => {
    const scenario = loadScenario('connector-restored');
    // The new revision takes 6 s to become ready: the worker is waiting for it when it dies.
    const simulator = await CloudSimulator.start({
      scenario: { ...scenario, rollout: { ...scenario.rollout, outcome: 'ready', readyAfterMs: 6000 } },
    });
    const slack = await FakeSlack.start({ botToken: BOT_TOKEN });
    const config = writeTestConfig('', ['remediation: { approval: none }']);
    const env = botProcessEnv({
      slackUrl: slack.url,
      configPath: config.path,
      emulatorHost: simulator.emulatorHost,
    });
    const queues = new BotQueues(config.prefix);
    const processes: WarroomProcess[] = [];
    const spawn = (role: string) => {
      const p = WarroomProcess.spawn(env, ['--role', role], { entry: 'source' });
      processes.push(p);
      return p;
    };
    const operationPolls = () =>
      simulator.requests.filter((r) => r.method === 'GET' && r.path.includes('/operations/')).length;
    const patches = () =>
      simulator.requests.filter((r) => r.method === 'PATCH' && !r.query.includes('validateOnly=true'));
    try {
      const app = spawn('app');
      const doomed = spawn('worker');
      const port = await app.started();
      await doomed.started();
      const ack = await postSlashCommand(`http://127.0.0.1:${port}`, SIGNING_SECRET, {
        text: 'restart staging backend --reason connector recreated',
        trigger_id: 'restart-crash-1',
      });
      expect((ack.json as { text: string }).text).toContain('Restarting *backend*');

      // Google accepted the update and the worker, having stored the operation, now polls it while
      // the revision rolls out. Kill it there.
      await waitFor(() => patches().length === 1, 20_000);
      await waitFor(
        () => operationPolls() > 0,
        20_000,
        () => 'the worker to poll the operation',
      );
      expect(slack.messages(CHANNEL).some((m) => m.text.includes('ready and serving'))).toBe(false);
      doomed.kill('SIGKILL');
      await doomed.exited();

      const survivor = spawn('worker');
      await survivor.started();
      await slack.waitFor(
        () => slack.messages(CHANNEL).some((m) => m.text.includes('ready and serving')),
        60_000,
      );
      // Nothing can send or post later: no job is left to run or retry, the outbox is delivered.
      await queues.untilIdle({ delayed: true });

      expect(patches()).toHaveLength(1);
      const messages = slack.messages(CHANNEL);
      expect(messages).toHaveLength(1);
      expect(messages[0]?.text).toMatch(/backend-\d{5}-[a-z]{3} is ready and serving/);
      expect(JSON.stringify(messages[0]?.blocks)).toContain('Resuming: the update was already sent');
      const keys = slack.callsTo('chat.postMessage').map((c) => JSON.stringify(c.args.metadata));
      expect(new Set(keys).size).toBe(keys.length);
    } finally {
      for (const p of processes) p.kill('SIGKILL');
      await Promise.all(processes.map((p) => p.exited()));
      await queues.close();
      await slack.close();
      await simulator.close();
      await config.cleanup();
    }
  }, 120_000);
});
