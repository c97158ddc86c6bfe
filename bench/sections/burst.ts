/**
 * The measure of `npm start`: with 100 diagnoses in flight, 25 slash commands at once.
 * The bot starts as `npm start` starts it for a new user (`node dist/src/main.js`, the default
 * role), whether that runs one process or spawns workers beside it: its memory is the sum over the
 * process and all its descendants. Read against the floor: the same client and shape against a
 * bare node:http server.
 */
import { RedisIncidentStore } from '../../src/incident/redis-incident-store';
import { KeyPrefix } from '../../src/queue/key-prefix';
import { SIGNING_SECRET } from '../../test/support/test-warroom';
import { waitUntil } from '../../test/support/wait-for';
import type { WarroomProcess } from '../../test/support/warroom-process';
import type { BenchRig } from '../bench-rig';
import {
  armedLoad,
  type LoadResult,
  loadFromOwnProcess,
  percentile,
  progress,
  row,
  type SectionResult,
} from '../lib';
import { isRunning, TreeRssSampler } from '../process-tree';
import { seedIncident } from '../seed-incident';
import { Verdicts } from '../verdicts';
import { bareServerFloor } from './ack-baseline';

const RUNS = 100;
const BURST = 25;
/** The burst's commands go to this many open incidents: five each, as responders type them. */
const INCIDENTS = 5;
/** Per incident channel, in order: what is typed and what its reply says when it did its work. */
const PER_INCIDENT = [
  { text: 'status Connector recreated; error rate falling', done: /Status posted/ },
  { text: 'note connector instances back to 2 at 23:41', done: /Noted on the timeline/ },
  { text: 'status Backend answers 200 again; watching auth', done: /Status posted/ },
  { text: 'note auth still 503 on 1 in 20 requests', done: /Noted on the timeline/ },
  { text: 'help', done: /List the subcommands/ },
] as const;

export async function burst(rig: BenchRig): Promise<SectionResult> {
  progress(`npm start: ${RUNS} diags in flight, then ${BURST} commands at once`);
  rig.simulator.setScenario('healthy');
  const bot = await rig.startBot();
  const pid = bot.child.pid as number;
  const base = rig.base;
  await waitUntil(
    async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200,
    10_000,
    '/readyz',
  );
  const store = new RedisIncidentStore(rig.redis, KeyPrefix.of(rig.config.prefix));
  const channels: string[] = [];
  for (let i = 0; i < INCIDENTS; i++)
    channels.push((await seedIncident(store, { entries: 200, channelId: `CBI${i}` })).channelId);
  const mix = channels.flatMap((channel) => PER_INCIDENT.map(({ text }) => ({ text, channel })));

  // Warm-up, not measured, as in every burst of the bench: `help` queues nothing.
  await loadFromOwnProcess({
    base,
    secret: SIGNING_SECRET,
    count: 100,
    width: 50,
    channelPrefix: 'CBW',
    text: 'help',
  });
  const burstLoad = await armedLoad({
    base,
    secret: SIGNING_SECRET,
    count: BURST,
    width: BURST,
    channelPrefix: 'CBB',
    mix,
    replies: true,
  });
  const sampler = new TreeRssSampler(pid);
  const started = performance.now();
  const diags = await loadFromOwnProcess({
    base,
    secret: SIGNING_SECRET,
    count: RUNS,
    width: RUNS,
    channelPrefix: 'CBD',
  });
  if (diags.statuses.some((status) => status !== 200))
    throw new Error('a diag was not acknowledged with 200');
  const verdicts = Verdicts.inChannels(rig.slack, 'CBD', RUNS);
  const inFlightWhenSent = RUNS - verdicts.count();
  const answered = await burstLoad.fire();
  const inFlightWhenAnswered = RUNS - verdicts.count();
  checkReplies(answered, mix.length);
  await verdicts.all();
  const runsPerSecond = RUNS / ((performance.now() - started) / 1000);
  const rss = sampler.stop();
  const leftRunning = await stop(
    bot,
    rss.processes.map((p) => p.pid),
  );
  rig.bot = undefined;

  const floorLatencies = await bareServerFloor({ count: BURST, width: BURST });
  const ack = spread(answered.latencies);
  const floor = spread(floorLatencies);
  const perProcess = rss.processes.map((p) => `${p.command} ${p.peakMb.toFixed(0)} MB`).join('; ');
  const rows = [
    row(
      `npm start: ack p50 / p95 / p99 of ${BURST} commands at once, ${RUNS} diags in flight`,
      ms(ack),
      'p99 < 100 ms',
      ack.p99 < 100,
    ),
    row(`same ${BURST} at once against a bare node:http server (the floor)`, ms(floor), '—', null),
    row(
      'npm start: diag runs without a verdict when the burst was sent / answered',
      `${inFlightWhenSent} / ${inFlightWhenAnswered} of ${RUNS}`,
      '> 0 when sent',
      inFlightWhenSent > 0,
    ),
    row(
      `npm start: memory peak, all its processes (${rss.processes.length}), shared pages once, every 100 ms`,
      `${rss.peakUniqueMb.toFixed(0)} MB`,
      '< 200 MB',
      rss.peakUniqueMb < 200,
    ),
    row(
      'npm start: sum of the processes’ RSS (the node binary’s pages counted in each)',
      `${rss.peakTotalMb.toFixed(0)} MB`,
      '—',
      null,
    ),
    row('npm start: RSS peak of each process', perProcess, '—', null),
    row('npm start: processes left running 10 s after SIGTERM', String(leftRunning), '0', leftRunning === 0),
  ];
  return {
    rows,
    results: {
      burst: { ack, floor, inFlightWhenSent, inFlightWhenAnswered, runsPerSecond, rss, leftRunning },
    },
  };
}

/** Every command of the burst was acknowledged and did its work: a figure of refusals measures nothing. */
function checkReplies(answered: LoadResult, count: number): void {
  for (let i = 0; i < count; i++) {
    const expected = PER_INCIDENT[i % PER_INCIDENT.length] as (typeof PER_INCIDENT)[number];
    const reply = answered.replies?.[i] ?? '';
    if (answered.statuses[i] !== 200 || !expected.done.test(reply))
      throw new Error(`/incident ${expected.text} answered ${answered.statuses[i]}: ${reply.slice(0, 300)}`);
  }
}

/**
 * SIGTERM to the process `npm start` runs, then up to 10 s for every process of its tree to be
 * gone; any left then is killed, so later sections see no stray worker, and counted.
 */
async function stop(bot: WarroomProcess, tree: readonly number[]): Promise<number> {
  bot.kill('SIGTERM');
  await bot.exited();
  const alive = () => tree.filter(isRunning);
  await waitUntil(() => alive().length === 0, 10_000, 'the processes of npm start to exit').catch(() => {});
  const left = alive();
  for (const pid of left) process.kill(pid, 'SIGKILL');
  return left.length;
}

const spread = (latencies: number[]) => ({
  p50: percentile(latencies, 50),
  p95: percentile(latencies, 95),
  p99: percentile(latencies, 99),
});

const ms = (figure: ReturnType<typeof spread>) =>
  `${figure.p50.toFixed(0)} / ${figure.p95.toFixed(0)} / ${figure.p99.toFixed(0)} ms`;
