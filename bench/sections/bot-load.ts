/**
 * Start-up, ack latency, throughput and memory under a burst of `diag` commands: first with the app
 * and its workers together (`--role all`, which may run them in processes of its own), then scaled
 * out, the Slack app alone with one, two and four worker processes beside it on the one Redis. Memory is the sum over a process and anything it
 * spawned. Leaves the Slack app and one worker running for the next sections.
 */
import { cpus } from 'node:os';
import type { FakeSlack } from '../../test/support/fake-slack';
import { SIGNING_SECRET } from '../../test/support/test-warroom';
import { waitUntil } from '../../test/support/wait-for';
import type { WarroomProcess } from '../../test/support/warroom-process';
import type { BenchRig } from '../bench-rig';
import { loadFromOwnProcess, percentile, progress, row, type SectionResult } from '../lib';
import { TreeRssSampler } from '../process-tree';
import { Verdicts } from '../verdicts';

/** How many worker processes run beside the Slack app, in turn. */
const WORKER_COUNTS = [1, 2, 4] as const;

export async function botLoad(rig: BenchRig): Promise<SectionResult> {
  // Cold start: process start to /readyz 200 (--role all: the Slack app and its workers).
  const spawnedAt = performance.now();
  let bot = await rig.startBot(['--role', 'all']);
  await waitUntil(
    async () => (await fetch(`${rig.base}/readyz`).catch(() => undefined))?.status === 200,
    10_000,
    '/readyz',
  );
  const coldStartMs = performance.now() - spawnedAt;
  await new Promise((r) => setTimeout(r, 1500));
  const idleRss = new TreeRssSampler(bot.child.pid as number).stop().peakTotalMb;

  // One process (--role all): 200 signed diag commands, 50 in flight, each in its own channel.
  const all = await diagLoad(rig.slack, rig.base, 'CA', bot.child.pid as number);
  bot.kill('SIGTERM');
  await bot.exited();

  // Scaled out: the Slack app alone, and 1, 2 then 4 worker processes beside it sharing the Redis.
  bot = await rig.startApp();
  const added: WarroomProcess[] = [];
  const scaled: Array<DiagLoad & { workers: number }> = [];
  for (const workers of WORKER_COUNTS) {
    while (added.length < workers - 1) added.push((await rig.spawn(['--role', 'worker'])).spawned);
    const load = await diagLoad(rig.slack, rig.base, `CX${workers}N`, bot.child.pid as number);
    scaled.push({ workers, ...load });
  }
  for (const worker of added) worker.kill('SIGTERM');
  await Promise.all(added.map((worker) => worker.exited()));
  const one = scaled[0] as DiagLoad;
  const appPeak = Math.max(...scaled.map((load) => load.peakRss));
  const machine = `${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown model'}`;

  const rows = [
    row('cold start to /readyz 200', `${coldStartMs.toFixed(0)} ms`, '< 2000 ms', coldStartMs < 2000),
    ackRow('ack p50 / p95 / p99, --role all', all),
    row('diag runs/s, --role all', all.runsPerSecond.toFixed(1), '—', null),
    row('RSS idle, --role all', `${idleRss.toFixed(0)} MB`, '< 200 MB', idleRss < 200),
    row('RSS peak under load, --role all', `${all.peakRss.toFixed(0)} MB`, '< 200 MB', all.peakRss < 200),
    ackRow('ack p50 / p95 / p99, --role app', one),
    row('machine the worker processes share', machine, '—', null),
    ...scaled.map((load) =>
      row(
        `diag runs/s, ${load.workers} worker process${load.workers === 1 ? '' : 'es'}`,
        `${load.runsPerSecond.toFixed(1)} (×${(load.runsPerSecond / one.runsPerSecond).toFixed(2)})`,
        '—',
        null,
      ),
    ),
    row('RSS peak of the app process', `${appPeak.toFixed(0)} MB`, '< 200 MB', appPeak < 200),
  ];
  return { rows, results: { coldStartMs, idleRss, all, one, scaled, machine } };
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

/**
 * 200 diag commands, 50 in flight, each in its own channel; waits until every run has a verdict in
 * Slack. `peakRss` is the highest sum over `pid` and its descendants.
 */
async function diagLoad(
  slack: FakeSlack,
  base: string,
  channelPrefix: string,
  pid: number,
): Promise<DiagLoad> {
  progress(`200 diags, 50 in flight, in channels ${channelPrefix}…`);
  const sampler = new TreeRssSampler(pid);
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
  await Verdicts.inChannels(slack, channelPrefix, 200).all();
  const seconds = (performance.now() - started) / 1000;
  return {
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    runsPerSecond: 200 / seconds,
    peakRss: sampler.stop().peakTotalMb,
  };
}
