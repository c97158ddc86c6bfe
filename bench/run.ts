/**
 * `npm run bench`: the real bot (HTTP mode, a child process on the compiled build), the real Redis,
 * the loopback fake Slack and the Google Cloud simulator. Prints each figure beside its target and
 * writes bench/results.json. Figures are ratios and percentiles from one run on this machine.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { RedisDiagRunStore } from '../src/diag/diag-run-store';
import { CloudSimulator } from '../src/simulator/cloud-simulator';
import { FakeSlack } from '../test/support/fake-slack';
import { postSlashCommand } from '../test/support/slack-signing';
import { REDIS_URL, writeTestConfig } from '../test/support/test-config';
import { BOT_TOKEN, SIGNING_SECRET } from '../test/support/test-warroom';
import { WarroomProcess } from '../test/support/warroom-process';
import { inBatches, median, percentile, printTable, type Row, rssMb, waitUntil } from './lib';

const CHECKS_PER_DIAG = 7;

async function main(): Promise<void> {
  const simulator = await CloudSimulator.start({ scenario: 'healthy' });
  const slack = await FakeSlack.start({ botToken: BOT_TOKEN });
  const health = (n: string) => `{ name: ${n}, url: "http://${simulator.emulatorHost}/sim/health/${n}" }`;
  const config = writeTestConfig('', [`healthChecks: [${['backend', 'auth', 'ai'].map(health).join(', ')}]`]);
  const env = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    REDIS_URL,
    WARROOM_CONFIG: config.path,
    GCP_EMULATOR_HOST: simulator.emulatorHost,
    LOG_LEVEL: 'info',
    PORT: '0',
  };
  const redis = new IORedis(REDIS_URL);
  const store = new RedisDiagRunStore(redis, `{${config.prefix}}`);
  const rows: Row[] = [];
  const results: Record<string, unknown> = {};
  const extraWorkers: WarroomProcess[] = [];
  let bot: WarroomProcess | undefined;

  try {
    // Cold start: process start to /readyz 200.
    const spawnedAt = performance.now();
    bot = WarroomProcess.spawn(env);
    const port = await bot.started();
    const base = `http://127.0.0.1:${port}`;
    await waitUntil(
      async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200,
      10_000,
      '/readyz',
    );
    const coldStartMs = performance.now() - spawnedAt;
    rows.push(
      row('cold start to /readyz 200', `${coldStartMs.toFixed(0)} ms`, '< 2000 ms', coldStartMs < 2000),
    );
    await new Promise((r) => setTimeout(r, 1500));
    const idleRss = rssMb(bot.child.pid as number);

    // Ack latency and single-worker throughput: 200 signed diag commands, 50 in flight, each in its own channel.
    const load = await diagLoad(slack, base, 'CA', bot.child.pid as number);
    rows.push(
      row('ack latency p50 (200 diag, 50 at a time)', `${load.p50.toFixed(1)} ms`, '—', null),
      row('ack latency p95', `${load.p95.toFixed(1)} ms`, '—', null),
      row('ack latency p99', `${load.p99.toFixed(1)} ms`, '< 100 ms (Slack: 3000)', load.p99 < 100),
      row('diag runs/s, 1 worker process', load.runsPerSecond.toFixed(1), '—', null),
      row('RSS idle', `${idleRss.toFixed(0)} MB`, '< 200 MB', idleRss < 200),
      row('RSS peak under load', `${load.peakRss.toFixed(0)} MB`, '< 200 MB', load.peakRss < 200),
    );

    // Throughput with a second worker process on the same Redis.
    const worker = WarroomProcess.spawn(env, ['--role', 'worker']);
    extraWorkers.push(worker);
    await worker.started();
    const load2 = await diagLoad(slack, base, 'CB', bot.child.pid as number);
    const growth = load2.runsPerSecond / load.runsPerSecond;
    rows.push(
      row(
        'diag runs/s, 2 worker processes',
        `${load2.runsPerSecond.toFixed(1)} (×${growth.toFixed(2)})`,
        '—',
        null,
      ),
    );
    worker.kill();
    await worker.exited();

    // Wall time against the slowest check, with 300–800 ms per Google call.
    simulator.setScenario('slow');
    const ratios: number[] = [];
    const callsPerDiag: number[] = [];
    for (let k = 0; k < 5; k++) {
      const channel = `CW${k}`;
      const before = slack.calls.length;
      const started = performance.now();
      const ack = await postSlashCommand(base, SIGNING_SECRET, {
        text: 'diag staging',
        channel_id: channel,
        trigger_id: `wall-${k}-${Date.now()}`,
      });
      const runId = /run (d[0-9a-f]+)/.exec(String((ack.json as { text?: string })?.text))?.[1] ?? '';
      await waitUntil(
        () => slack.messages(channel).some((m) => m.text.includes('verdict:')),
        60_000,
        'verdict',
      );
      const wall = performance.now() - started;
      const run = (await store.get(runId))?.run;
      const slowest = Math.max(...Object.values(run?.findings ?? {}).map((f) => f?.durationMs ?? 0));
      ratios.push(wall / slowest);
      await new Promise((r) => setTimeout(r, 1500));
      callsPerDiag.push(slack.calls.slice(before).filter((c) => c.args.channel === channel).length);
    }
    const ratio = median(ratios);
    rows.push(
      row(
        'diag wall time / slowest check (median of 5)',
        `${ratio.toFixed(2)}× (max ${Math.max(...ratios).toFixed(2)}×)`,
        '≤ 1.3×',
        ratio <= 1.3,
      ),
      row(
        'Slack Web API calls per diag (max of 5)',
        String(Math.max(...callsPerDiag)),
        `≤ ${CHECKS_PER_DIAG + 4}`,
        Math.max(...callsPerDiag) <= CHECKS_PER_DIAG + 4,
      ),
    );
    results.wallRatios = ratios;

    // Slack enforcing ~1 message per second per channel, bursts of 3: three outage diagnoses at once.
    simulator.setScenario('staging-outage');
    slack.reset();
    slack.enforceRateLimit({ perChannelPerSecond: 1, burst: 3 });
    const channels = ['CR1', 'CR2', 'CR3'];
    await Promise.all(
      channels.map((channel, i) =>
        postSlashCommand(base, SIGNING_SECRET, {
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
    rows.push(
      row('429s received (3 outage diags, 1 msg/s/channel)', String(slack.rateLimitedCount), '—', null),
      row(
        'calls sent before Retry-After ran out',
        String(slack.violations.length),
        '0',
        slack.violations.length === 0,
      ),
      row('every message delivered, in its thread, once', delivered ? 'yes' : 'no', 'yes', delivered),
    );

    // Graceful shutdown.
    const stopAt = performance.now();
    bot.kill('SIGTERM');
    const exit = await bot.exited();
    const stopMs = performance.now() - stopAt;
    rows.push(
      row(
        'SIGTERM to exit',
        `${stopMs.toFixed(0)} ms (code ${exit.code})`,
        '< 10000 ms, code 0',
        stopMs < 10_000 && exit.code === 0,
      ),
    );
    bot = undefined;
    Object.assign(results, {
      coldStartMs,
      idleRss,
      load,
      load2,
      callsPerDiag,
      rateLimited: slack.rateLimitedCount,
      violations: slack.violations.length,
    });
  } finally {
    bot?.kill();
    for (const w of extraWorkers) w.kill();
    await slack.close();
    await simulator.close();
    await config.cleanup();
    redis.disconnect();
  }

  printTable(rows);
  const machine = {
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  const file = join(__dirname, 'results.json');
  writeFileSync(
    file,
    `${JSON.stringify({ measuredAt: new Date().toISOString(), machine, rows, results }, null, 2)}\n`,
  );
  console.log(`\nwritten to ${file}`);
}

/** 200 diag commands, 50 in flight, each in its own channel; waits until every run has a verdict in Slack. */
async function diagLoad(slack: FakeSlack, base: string, channelPrefix: string, pid: number) {
  let peakRss = rssMb(pid);
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssMb(pid));
  }, 100);
  const started = performance.now();
  const acks = await inBatches(200, 50, (i) =>
    postSlashCommand(base, SIGNING_SECRET, {
      text: 'diag staging',
      channel_id: `${channelPrefix}${i}`,
      trigger_id: `${channelPrefix}-${i}-${Date.now()}`,
    }),
  );
  if (acks.some((a) => a.status !== 200)) throw new Error('a command was not acknowledged with 200');
  const done = () => {
    let count = 0;
    for (let i = 0; i < 200; i++)
      if (slack.messages(`${channelPrefix}${i}`).some((m) => m.text.includes('verdict:'))) count++;
    return count === 200;
  };
  await waitUntil(done, 180_000, '200 verdicts');
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const latencies = acks.map((a) => a.elapsedMs);
  return {
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    runsPerSecond: 200 / seconds,
    peakRss,
  };
}

/** Waits until Slack has seen no call for `ms`. */
async function quiet(slack: FakeSlack, ms: number): Promise<void> {
  await waitUntil(() => Date.now() - (slack.calls.at(-1)?.at ?? 0) > ms, 60_000, 'Slack to go quiet');
}

function row(figure: string, value: string, target: string, met: boolean | null): Row {
  return { figure, value, target, met };
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
