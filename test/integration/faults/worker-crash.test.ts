import { CloudSimulator } from '../../../src/simulator/cloud-simulator';
import { FakeSlack } from '../../support/fake-slack';
import { postSlashCommand, SLACK_TEST_IDS } from '../../support/slack-signing';
import { writeTestConfig } from '../../support/test-config';
import { BOT_TOKEN, SIGNING_SECRET } from '../../support/test-warroom';
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
      // Checks are under way (each Google call takes 300–800 ms) when the worker dies.
      await slack.waitFor(() => slack.messages(CHANNEL).length > 0, 15_000);
      await new Promise((r) => setTimeout(r, 400));
      doomed.kill('SIGKILL');
      await doomed.exited();

      const survivor = spawn('worker');
      await survivor.started();
      await slack.waitFor(() => slack.messages(CHANNEL).some((m) => m.text.includes('verdict:')), 45_000);
      await new Promise((r) => setTimeout(r, 1500));

      const top = slack.messages(CHANNEL).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
      expect(top).toHaveLength(1);
      expect(top[0]?.text).toContain('verdict:');
      expect(JSON.stringify(top[0]?.blocks)).not.toContain('running');
      const keys = slack.callsTo('chat.postMessage').map((c) => JSON.stringify(c.args.metadata));
      expect(new Set(keys).size).toBe(keys.length);
    } finally {
      for (const p of processes) p.kill('SIGKILL');
      await Promise.all(processes.map((p) => p.exited()));
      await slack.close();
      await simulator.close();
      await config.cleanup();
    }
  }, 90_000);
});
