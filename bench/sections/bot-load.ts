/**
 * Start-up, ack latency, throughput and memory under a burst of `diag` commands: first with app and
 * worker in one process (the default), then scaled out, the Slack app alone with one and then two
 * worker processes beside it. Leaves the Slack app and one worker running for the next sections.
 */
import type { FakeSlack } from '../../test/support/fake-slack';
import { SIGNING_SECRET } from '../../test/support/test-warroom';
import { waitUntil } from '../../test/support/wait-for';
import type { BenchRig } from '../bench-rig';
import { loadFromOwnProcess, percentile, row, rssMb, type SectionResult } from '../lib';

export async function botLoad(rig: BenchRig): Promise<SectionResult> {
  // Cold start: process start to /readyz 200 (app and worker in one process, the default).
  const spawnedAt = performance.now();
  let bot = await rig.startBot();
  await waitUntil(
    async () => (await fetch(`${rig.base}/readyz`).catch(() => undefined))?.status === 200,
    10_000,
    '/readyz',
  );
  const coldStartMs = performance.now() - spawnedAt;
  await new Promise((r) => setTimeout(r, 1500));
  const idleRss = rssMb(bot.child.pid as number);

  // One process (--role all): 200 signed diag commands, 50 in flight, each in its own channel.
  const all = await diagLoad(rig.slack, rig.base, 'CA', bot.child.pid as number);
  bot.kill('SIGTERM');
  await bot.exited();

  // Scaled out: the Slack app alone, and worker processes beside it sharing the Redis.
  bot = await rig.startApp();
  const one = await diagLoad(rig.slack, rig.base, 'CB', bot.child.pid as number);
  const { spawned: worker2 } = await rig.spawn(['--role', 'worker']);
  const two = await diagLoad(rig.slack, rig.base, 'CC', bot.child.pid as number);
  worker2.kill('SIGTERM');
  await worker2.exited();
  const growth = two.runsPerSecond / one.runsPerSecond;

  const rows = [
    row('cold start to /readyz 200', `${coldStartMs.toFixed(0)} ms`, '< 2000 ms', coldStartMs < 2000),
    ackRow('ack p50 / p95 / p99, --role all', all),
    row('diag runs/s, --role all', all.runsPerSecond.toFixed(1), '—', null),
    row('RSS idle, --role all', `${idleRss.toFixed(0)} MB`, '< 200 MB', idleRss < 200),
    row('RSS peak under load, --role all', `${all.peakRss.toFixed(0)} MB`, '< 200 MB', all.peakRss < 200),
    ackRow('ack p50 / p95 / p99, --role app', one),
    row('diag runs/s, 1 worker process', one.runsPerSecond.toFixed(1), '—', null),
    row(
      'diag runs/s, 2 worker processes',
      `${two.runsPerSecond.toFixed(1)} (×${growth.toFixed(2)})`,
      '—',
      null,
    ),
    row(
      'RSS peak of the app process',
      `${Math.max(one.peakRss, two.peakRss).toFixed(0)} MB`,
      '< 200 MB',
      Math.max(one.peakRss, two.peakRss) < 200,
    ),
  ];
  return { rows, results: { coldStartMs, idleRss, all, one, two } };
}

interface DiagLoad {
  p50: number;
  p95: number;
  p99: number;
  runsPerSecond: number;
  peakRss: number;
}

function ackRow(figure: string, load: DiagLoad) {
  const value = `${load.p50.toFixed(0)} / ${load.p95.toFixed(0)} / ${load.p99.toFixed(0)} ms`;
  return row(figure, value, 'p99 < 100 ms', load.p99 < 100);
}

/** 200 diag commands, 50 in flight, each in its own channel; waits until every run has a verdict in Slack. */
async function diagLoad(
  slack: FakeSlack,
  base: string,
  channelPrefix: string,
  pid: number,
): Promise<DiagLoad> {
  let peakRss = rssMb(pid);
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssMb(pid));
  }, 100);
  // Warm-up, not measured: a bot in service has run its first commands long ago (lazy module
  // loads, JIT, Redis scripts); `help` queues nothing, so the measured runs start from the same state.
  await loadFromOwnProcess({
    base,
    secret: SIGNING_SECRET,
    count: 100,
    width: 50,
    channelPrefix: `${channelPrefix}W`,
    text: 'help',
  });
  const started = performance.now();
  const { latencies, statuses } = await loadFromOwnProcess({
    base,
    secret: SIGNING_SECRET,
    count: 200,
    width: 50,
    channelPrefix,
  });
  if (statuses.some((status) => status !== 200)) throw new Error('a command was not acknowledged with 200');
  const done = () => {
    let count = 0;
    for (let i = 0; i < 200; i++)
      if (slack.messages(`${channelPrefix}${i}`).some((m) => m.text.includes('verdict:'))) count++;
    return count === 200;
  };
  await waitUntil(done, 180_000, '200 verdicts');
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  return {
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    runsPerSecond: 200 / seconds,
    peakRss,
  };
}
