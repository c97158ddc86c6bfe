import { CloudSimulator } from '../../../src/simulator/cloud-simulator';
import { BotQueues } from '../../support/bot-queues';
import { FakeSlack } from '../../support/fake-slack';
import { postSlashCommand, SLACK_TEST_IDS } from '../../support/slack-signing';
import { writeTestConfig } from '../../support/test-config';
import { BOT_TOKEN, SIGNING_SECRET } from '../../support/test-warroom';
import { waitFor } from '../../support/wait-for';
import { botProcessEnv, WarroomProcess } from '../../support/warroom-process';

const CHANNEL = SLACK_TEST_IDS.channelId;

describe('a worker killed with SIGKILL in the middle of a diagnosis', () => {
  it('the run completes on another worker: one status message, a verdict, nothing posted twice', async () => {
    const simulator = await CloudSimulator.start({ scenario: 'slow' });
    const slack = await FakeSlack.start({ botToken: BOT_TOKEN });
    const config = writeTestConfig();
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
    try {
      const app = spawn('app');
      const doomed = spawn('worker');
      const port = await app.started();
      await doomed.started();
      await postSlashCommand(`http://127.0.0.1:${port}`, SIGNING_SECRET, {
        text: 'diag staging',
        trigger_id: 'crash-1',
      });
      // Checks are under way (each Google call takes 300–800 ms) when the worker dies: the status
      // message is out and Google has been called (only the worker calls it), with no verdict yet.
      await slack.waitFor(() => slack.messages(CHANNEL).length > 0, 15_000);
      await waitFor(
        () => simulator.requests.length > 0,
        15_000,
        () => 'a first call to Google',
      );
      expect(slack.messages(CHANNEL).some((m) => m.text.includes('verdict:'))).toBe(false);
      doomed.kill('SIGKILL');
      await doomed.exited();

      const survivor = spawn('worker');
      await survivor.started();
      await slack.waitFor(() => slack.messages(CHANNEL).some((m) => m.text.includes('verdict:')), 45_000);
      // Nothing can post later: no job is left to run or retry, and the outbox has delivered everything.
      await queues.untilIdle({ delayed: true });

      const top = slack.messages(CHANNEL).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
      expect(top).toHaveLength(1);
      expect(top[0]?.text).toContain('verdict:');
      expect(JSON.stringify(top[0]?.blocks)).not.toContain('running');
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
  }, 90_000);
});
