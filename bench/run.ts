/**
 * `npm run bench`: the real bot (HTTP mode, a child process on the compiled build), the real Redis,
 * the loopback fake Slack and the Google Cloud simulator. Prints each figure beside its target and
 * writes bench/results.json. Figures are ratios and percentiles from one run on this machine.
 * `npm run bench -- --only text,ack-path` runs some sections only (bot, text, ack-path) and leaves
 * results.json as it is.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { RedisDiagRunStore } from '../src/diag/redis-diag-run-store';
import { BOT_ACTOR } from '../src/incident/incident';
import { newIncidentId } from '../src/incident/incident-id';
import { RedisIncidentStore } from '../src/incident/redis-incident-store';
import { CloudSimulator } from '../src/simulator/cloud-simulator';
import { signToken } from '../src/web/incident-links';
import { FakeSlack } from '../test/support/fake-slack';
import { postSlashCommand } from '../test/support/slack-signing';
import { REDIS_URL, writeTestConfig } from '../test/support/test-config';
import { BOT_TOKEN, SIGNING_SECRET } from '../test/support/test-warroom';
import { waitUntil } from '../test/support/wait-for';
import { botProcessEnv, WarroomProcess } from '../test/support/warroom-process';
import { ackPathFigures } from './ack-path';
import { median, percentile, printTable, type Row, rssMb } from './lib';
import { typedTextFigure } from './typed-text';

const CHECKS_PER_DIAG = 7;

const SECTIONS = ['bot', 'text', 'ack-path'] as const;
type Section = (typeof SECTIONS)[number];

/** The sections `--only a,b` names, or all of them. */
function selectedSections(argv: readonly string[]): ReadonlySet<Section> {
  const at = argv.indexOf('--only');
  if (at < 0) return new Set(SECTIONS);
  const names = (argv[at + 1] ?? '').split(',').filter((name) => name !== '');
  const unknown = names.filter((name) => !SECTIONS.includes(name as Section));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(
      `--only takes sections among ${SECTIONS.join(', ')}, comma-separated; not "${argv[at + 1] ?? ''}"`,
    );
  }
  return new Set(names as Section[]);
}

async function main(): Promise<void> {
  const sections = selectedSections(process.argv.slice(2));
  const rows: Row[] = [];
  const results: Record<string, unknown> = {};
  if (sections.has('text')) typedTextRows(rows, results);
  if (sections.has('bot') || sections.has('ack-path')) await botFigures(sections, rows, results);

  printTable(rows);
  if (sections.size < SECTIONS.length) {
    console.log('\nsome sections only: bench/results.json left as it is');
    return;
  }
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

/** The transforms of typed text on 40k and 400k characters of adversarial input (in-process). */
function typedTextRows(rows: Row[], results: Record<string, unknown>): void {
  const figures = [40_000, 400_000].map(typedTextFigure);
  for (const figure of figures) {
    rows.push(
      row(
        `typed text, ${figure.length / 1000}k adversarial characters: slowest transform`,
        `${figure.worstMs.toFixed(1)} ms (${figure.worst})`,
        figure.length === 40_000 ? '< 10 ms' : '< 100 ms',
        figure.worstMs < (figure.length === 40_000 ? 10 : 100),
      ),
    );
  }
  results.typedText = figures;
}

/** The figures that need the bot running: the whole bench (`bot`) and the ack path of long incidents. */
async function botFigures(
  sections: ReadonlySet<Section>,
  rows: Row[],
  results: Record<string, unknown>,
): Promise<void> {
  const simulator = await CloudSimulator.start({ scenario: 'healthy' });
  const slack = await FakeSlack.start({ botToken: BOT_TOKEN });
  const health = (n: string) => `{ name: ${n}, url: "http://${simulator.emulatorHost}/sim/health/${n}" }`;
  const config = writeTestConfig('', [`healthChecks: [${['backend', 'auth', 'ai'].map(health).join(', ')}]`]);
  const env = {
    ...botProcessEnv({ slackUrl: slack.url, configPath: config.path, emulatorHost: simulator.emulatorHost }),
    // The incident pages are on; links are signed here, so the public URL only has to be valid.
    WARROOM_PUBLIC_URL: 'http://127.0.0.1',
    WARROOM_WEB_SECRET: WEB_SECRET,
  };
  const redis = new IORedis(REDIS_URL);
  const store = new RedisDiagRunStore(redis, `{${config.prefix}}`);
  const extraWorkers: WarroomProcess[] = [];
  let bot: WarroomProcess | undefined;
  let base = '';

  try {
    if (sections.has('bot')) {
      // Cold start: process start to /readyz 200 (app and worker in one process, the default).
      const spawnedAt = performance.now();
      bot = WarroomProcess.spawn(env);
      let port = await bot.started();
      base = `http://127.0.0.1:${port}`;
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

      // One process (--role all): 200 signed diag commands, 50 in flight, each in its own channel.
      const all = await diagLoad(slack, base, 'CA', bot.child.pid as number);
      rows.push(
        row(
          'ack p50 / p95 / p99, --role all',
          `${all.p50.toFixed(0)} / ${all.p95.toFixed(0)} / ${all.p99.toFixed(0)} ms`,
          'p99 < 100 ms',
          all.p99 < 100,
        ),
        row('diag runs/s, --role all', all.runsPerSecond.toFixed(1), '—', null),
        row('RSS idle, --role all', `${idleRss.toFixed(0)} MB`, '< 200 MB', idleRss < 200),
        row('RSS peak under load, --role all', `${all.peakRss.toFixed(0)} MB`, '< 200 MB', all.peakRss < 200),
      );
      bot.kill('SIGTERM');
      await bot.exited();

      // Scaled out: the Slack app alone, and worker processes beside it sharing the Redis.
      bot = WarroomProcess.spawn(env, ['--role', 'app']);
      port = await bot.started();
      base = `http://127.0.0.1:${port}`;
      const worker1 = WarroomProcess.spawn(env, ['--role', 'worker']);
      extraWorkers.push(worker1);
      await worker1.started();
      const one = await diagLoad(slack, base, 'CB', bot.child.pid as number);
      const worker2 = WarroomProcess.spawn(env, ['--role', 'worker']);
      extraWorkers.push(worker2);
      await worker2.started();
      const two = await diagLoad(slack, base, 'CC', bot.child.pid as number);
      worker2.kill('SIGTERM');
      await worker2.exited();
      const growth = two.runsPerSecond / one.runsPerSecond;
      rows.push(
        row(
          'ack p50 / p95 / p99, --role app',
          `${one.p50.toFixed(0)} / ${one.p95.toFixed(0)} / ${one.p99.toFixed(0)} ms`,
          'p99 < 100 ms',
          one.p99 < 100,
        ),
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
      );

      // Wall time against the slowest check, with 300–800 ms per Google call.
      simulator.setScenario('slow');
      const ratios: number[] = [];
      const timings: Array<{ wallMs: number; slowestCheckMs: number; verdictRecordedMs: number }> = [];
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
        const recorded = run?.finishedAt
          ? Date.parse(run.finishedAt) - Date.parse(run.startedAt)
          : Number.NaN;
        timings.push({ wallMs: Math.round(wall), slowestCheckMs: slowest, verdictRecordedMs: recorded });
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
      results.wallTimings = timings;

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

      // The floor of this machine and client: a bare node:http server answering at once, measured
      // the same way (200 requests, 50 in flight) while a worker process idles beside it.
      const floor = await bareServerFloor();
      rows.push(
        row(
          'same client against a bare node:http server, p50 / p99 (the floor)',
          `${percentile(floor, 50).toFixed(0)} / ${percentile(floor, 99).toFixed(0)} ms`,
          '—',
          null,
        ),
      );
      results.floor = { p50: percentile(floor, 50), p99: percentile(floor, 99) };

      // One command at a time: the ack path alone, without queueing behind 49 others.
      const single = await loadFromOwnProcess({
        base,
        secret: SIGNING_SECRET,
        count: 100,
        width: 1,
        channelPrefix: 'CS',
      });
      rows.push(
        row(
          'ack p50 / p99, one at a time, --role app',
          `${percentile(single.latencies, 50).toFixed(1)} / ${percentile(single.latencies, 99).toFixed(1)} ms`,
          '—',
          null,
        ),
      );
      results.singleAck = { p50: percentile(single.latencies, 50), p99: percentile(single.latencies, 99) };

      // The incident page of an incident with 5,000 timeline entries: server time and weight.
      const pageFigures = await incidentPage(redis, `{${config.prefix}}`, base);
      rows.push(
        row(
          'incident page, 5,000 entries (a page of 200 rows): response p50 / p95 of 20, HTML size',
          `${pageFigures.p50.toFixed(0)} / ${pageFigures.p95.toFixed(0)} ms, ${(pageFigures.bytes / 1024).toFixed(0)} KB`,
          '< 100 KB',
          pageFigures.bytes < 100 * 1024,
        ),
      );
      results.incidentPage = pageFigures;

      // The ack path of long incidents, on the Slack app alone (a worker beside it).
      if (sections.has('ack-path')) await ackPathRows(redis, `{${config.prefix}}`, base, rows, results);

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
        all,
        one,
        two,
        callsPerDiag,
        rateLimited: slack.rateLimitedCount,
        violations: slack.violations.length,
      });
    } else {
      // The ack path alone: the Slack app and a worker beside it, as in the scaled-out figures.
      bot = WarroomProcess.spawn(env, ['--role', 'app']);
      base = `http://127.0.0.1:${await bot.started()}`;
      const worker = WarroomProcess.spawn(env, ['--role', 'worker']);
      extraWorkers.push(worker);
      await worker.started();
      await ackPathRows(redis, `{${config.prefix}}`, base, rows, results);
    }
  } finally {
    bot?.kill();
    for (const w of extraWorkers) w.kill();
    await slack.close();
    await simulator.close();
    await config.cleanup();
    redis.disconnect();
  }
}

/** `/incident ack` and `/incident status` one at a time in incidents of 1k and 30k entries. */
async function ackPathRows(
  redis: IORedis,
  prefix: string,
  base: string,
  rows: Row[],
  results: Record<string, unknown>,
): Promise<void> {
  const figures = await ackPathFigures(
    redis,
    prefix,
    (request) =>
      loadFromOwnProcess({ base, secret: SIGNING_SECRET, width: 1, channelPrefix: 'CK', ...request }),
    async ({ text, channel }) => {
      const reply = await postSlashCommand(base, SIGNING_SECRET, {
        text,
        channel_id: channel,
        trigger_id: `ask-${channel}-${Date.now()}`,
      });
      return String((reply.json as { text?: string } | undefined)?.text ?? reply.body);
    },
  );
  for (const f of figures) {
    rows.push(
      row(
        `ack p50 / p99 of /incident ${f.command}, ${f.entries.toLocaleString('en')} timeline entries, one at a time`,
        `${f.p50.toFixed(1)} / ${f.p99.toFixed(1)} ms`,
        'p99 < 100 ms',
        f.p99 < 100,
      ),
    );
  }
  results.ackPath = figures;
}

const WEB_SECRET = 'bench-web-secret-0123456789abcdef-0123456789';

/** An incident with 5,000 timeline entries, then its page fetched 20 times with the link's cookie. */
async function incidentPage(redis: IORedis, prefix: string, base: string) {
  const store = new RedisIncidentStore(redis, prefix);
  const openedAt = new Date(Date.now() - 5000 * 1000);
  const id = newIncidentId(openedAt);
  await store.create(
    {
      id,
      title: 'Every staging endpoint answers 503',
      severity: 'P1',
      environment: 'staging',
      channelId: 'CBENCHPAGE',
      channelName: 'inc-bench',
      status: 'open',
      commander: 'U0BENCH',
      openedBy: 'U0BENCH',
      openedAt: openedAt.toISOString(),
      phase: 'diagnostic',
    },
    { at: openedAt.toISOString(), actor: 'U0BENCH', kind: 'opened', text: 'opened', data: {} },
    { key: `bench-page-${id}`, windowMs: 0 },
  );
  for (let i = 0; i < 5000; i += 500) {
    await Promise.all(
      Array.from({ length: 500 }, (_, j) =>
        store.append(id, {
          at: new Date(openedAt.getTime() + (i + j) * 1000).toISOString(),
          actor: BOT_ACTOR,
          kind: (i + j) % 7 === 0 ? 'status' : 'note',
          text: `entry ${i + j}: connector instances ${(i + j) % 3}, <@U0BENCH> looking`,
          data: {},
        }),
      ),
    );
  }
  const token = signToken(WEB_SECRET, { incidentId: id }, new Date(Date.now() + 3600_000));
  const exchange = await fetch(`${base}/incidents/${id}?token=${token}`, { redirect: 'manual' });
  const cookie = (exchange.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    // The first page: a full 200 rows (the default, newest page, may hold only a few).
    const response = await fetch(`${base}/incidents/${id}?page=1`, { headers: { cookie } });
    const html = await response.text();
    times.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`incident page answered ${response.status}`);
    bytes = Buffer.byteLength(html);
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95), bytes, entries: 5001 };
}

/** 200 diag commands, 50 in flight, each in its own channel; waits until every run has a verdict in Slack. */
async function diagLoad(slack: FakeSlack, base: string, channelPrefix: string, pid: number) {
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

/** Ack latency of an HTTP server that does nothing, in a child process, through the same load client. */
async function bareServerFloor(): Promise<number[]> {
  const code =
    "require('http').createServer((q,s)=>{q.resume();q.on('end',()=>{s.writeHead(200,{'content-type':'application/json'});s.end('{}')})}).listen(0,'127.0.0.1',function(){console.log(this.address().port)})";
  const server = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve) =>
      server.stdout.once('data', (data: Buffer) => resolve(Number(String(data).trim()))),
    );
    const base = `http://127.0.0.1:${port}`;
    const request = {
      base,
      secret: SIGNING_SECRET,
      count: 100,
      width: 50,
      channelPrefix: 'FW',
      text: 'help',
    };
    await loadFromOwnProcess(request);
    return (await loadFromOwnProcess({ ...request, count: 200, channelPrefix: 'F' })).latencies;
  } finally {
    server.kill();
  }
}

function loadFromOwnProcess(request: object): Promise<{ latencies: number[]; statuses: number[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'load-client.ts'), JSON.stringify(request)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load client exited ${code}`)),
    );
  });
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
