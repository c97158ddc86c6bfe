import { readFileSync } from 'node:fs';
import { FakeSlack } from '../support/fake-slack';
import { postSlashCommand } from '../support/slack-signing';
import { type TestConfig, writeTestConfig } from '../support/test-config';
import { BOT_TOKEN, SIGNING_SECRET } from '../support/test-warroom';
import { waitUntil } from '../support/wait-for';
import { botProcessEnv, WarroomProcess } from '../support/warroom-process';

/** The processes whose parent is `pid` (Linux: the children file of its main thread in /proc). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** The nice value of a process: field 19 of /proc/<pid>/stat, after the command name in parentheses. */
function niceOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** `/incident open` in a channel of its own: the channel is made by a job, in a worker. */
async function openIncident(base: string, slack: FakeSlack, title: string): Promise<void> {
  const before = slack.callsTo('conversations.create').length;
  const opened = await postSlashCommand(base, SIGNING_SECRET, {
    text: `open staging "${title}" --sev P2`,
    trigger_id: `worker-processes-${title}-${Date.now()}`,
  });
  expect(opened.status).toBe(200);
  await slack.waitFor(() => slack.callsTo('conversations.create').length > before, 20_000);
}

describe('npm start: the Slack app with its workers in processes of their own', () => {
  let slack: FakeSlack;
  let config: TestConfig;
  const running: WarroomProcess[] = [];
  beforeAll(async () => {
    slack = await FakeSlack.start({ botToken: BOT_TOKEN });
  });
  beforeEach(() => {
    config = writeTestConfig();
  });
  afterEach(async () => {
    for (const bot of running.splice(0)) {
      const workers = childrenOf(bot.child.pid as number);
      bot.kill('SIGTERM');
      await bot.exited();
      // They write to the pipes Jest reads: it can only exit once they are gone.
      await waitUntil(() => !workers.some(alive), 15_000, 'the worker processes to stop');
    }
    await config.cleanup();
  });
  afterAll(async () => {
    await slack.close();
  });

  const start = async (extra: Record<string, string> = {}) => {
    const bot = WarroomProcess.spawn(
      { ...botProcessEnv({ slackUrl: slack.url, configPath: config.path }), ...extra },
      [],
      { entry: 'source' },
    );
    running.push(bot);
    const port = await bot.started(30_000);
    return { bot, base: `http://127.0.0.1:${port}`, pid: bot.child.pid as number };
  };

  it('runs the jobs in a worker process at a lower priority, restarts it when it dies, and stops it on SIGTERM', async () => {
    const { bot, base, pid } = await start();
    await waitUntil(async () => (await fetch(`${base}/readyz`)).status === 200, 20_000, '/readyz 200');
    const [worker] = childrenOf(pid);
    expect(worker).toBeDefined();
    expect(niceOf(worker as number)).toBe(Math.min(19, niceOf(pid) + 19));

    await openIncident(base, slack, 'Checkout answers 503');
    // The parent's /metrics includes the worker's: the job that made the channel ran there.
    await waitUntil(
      async () =>
        /warroom_job_duration_seconds_count\{[^}]*queue="incident"[^}]*\} [1-9]/.test(
          await (await fetch(`${base}/metrics`)).text(),
        ),
      10_000,
      'the worker’s job in /metrics',
    );

    process.kill(worker as number, 'SIGKILL');
    await waitUntil(() => bot.output.includes('worker process exited; restarting it'), 10_000, 'the restart');
    await waitUntil(() => childrenOf(pid).some((child) => child !== worker), 10_000, 'a new worker process');
    await openIncident(base, slack, 'Search answers 503');

    const [restarted] = childrenOf(pid);
    bot.kill('SIGTERM');
    const exit = await bot.exited();
    expect({ code: exit.code, log: exit.code === 0 ? '' : bot.output }).toEqual({ code: 0, log: '' });
    expect(alive(restarted as number)).toBe(false);
    expect(bot.output).not.toContain(BOT_TOKEN);
    expect(bot.output).not.toContain(SIGNING_SECRET);
  }, 90_000);

  it('leaves no worker process behind when the Slack app is killed', async () => {
    const { bot, pid } = await start();
    await waitUntil(() => childrenOf(pid).length === 1, 20_000, 'the worker process');
    const [worker] = childrenOf(pid);
    bot.kill('SIGKILL');
    await bot.exited();
    await waitUntil(() => !alive(worker as number), 15_000, 'the orphaned worker to stop');
  }, 60_000);

  it('runs the workers in its own process with WARROOM_WORKER_PROCESSES=0, and starts two with 2', async () => {
    const one = await start({ WARROOM_WORKER_PROCESSES: '0' });
    await openIncident(one.base, slack, 'Payments answer 503');
    expect(childrenOf(one.pid)).toEqual([]);
    one.bot.kill('SIGTERM');
    expect((await one.bot.exited()).code).toBe(0);

    const two = await start({ WARROOM_WORKER_PROCESSES: '2' });
    await waitUntil(() => childrenOf(two.pid).length === 2, 20_000, 'two worker processes');
  }, 60_000);
});
