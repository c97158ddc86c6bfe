import { FlowProducer, type Queue, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { registry as defaultRegistry } from '../commands';
import type { ChatSink } from './chat/chat-sink';
import { OutboxDrainer } from './chat/outbox-drainer';
import { RedisOutbox } from './chat/redis-outbox';
import type { WarroomEnv } from './config/read-env';
import type { Config } from './config/schema';
import { diagCheckProcessor, diagRunProcessor, diagStartProcessor } from './diag/diag-jobs';
import { DiagLauncher } from './diag/diag-launcher';
import {
  DIAG_CHECK_QUEUE,
  DIAG_QUEUE,
  DIAG_START_QUEUE,
  type DiagCheckJobData,
  type DiagRunJobData,
  type DiagStartJobData,
} from './diag/diag-queue';
import { RedisDiagRunStore } from './diag/redis-diag-run-store';
import type { CloudGateway } from './gcp/cloud-gateway';
import { GoogleCloudGateway } from './gcp/google-cloud-gateway';
import { adminQueuesRoutes } from './http/admin-queues';
import type { ReadinessCheck } from './http/health-routes';
import { incidentPagesRoute, startHttpSurface } from './http/http-surface';
import { type Clock, systemClock } from './incident/clock';
import type { IncidentDeps } from './incident/incident-deps';
import { IncidentDesk } from './incident/incident-desk';
import { incidentProcessor } from './incident/incident-jobs';
import { INCIDENT_QUEUE } from './incident/incident-queue';
import { RedisIncidentStore } from './incident/redis-incident-store';
import type { Logger } from './log/logger';
import { WarroomMetrics } from './metrics/warroom-metrics';
import { closeWorkers, createQueue, createWorker, hashTagPrefix } from './queue/queues';
import { createRedisConnection, redisAnswers } from './queue/redis-connection';
import { abandonRequest } from './remediation/abandon-when-bullmq-gives-up';
import { AccessPolicy } from './remediation/access-policy';
import { RedisRemediationStore } from './remediation/redis-remediation-store';
import { RemediationDesk } from './remediation/remediation-desk';
import {
  DEFAULT_REMEDIATION_TIMING,
  type RemediationTiming,
  remediationProcessor,
} from './remediation/remediation-jobs';
import { REMEDIATION_QUEUE } from './remediation/remediation-queue';
import { ConfiguredAccessGate, openAccessWarning } from './router/access';
import type { CommandBase, Subcommand } from './router/subcommand';
import { boltLogger } from './slack/bolt-logger';
import { createSlackApp, type SlackApp } from './slack/slack-app';
import { createSlackWebClient, type SlackCallObserver, SlackChatSink } from './slack/slack-chat-sink';
import type { SlackWorkspace } from './slack/slack-workspace';
import { createWebApiWorkspace } from './slack/web-api-workspace';
import { RedisWatchStore } from './verify/redis-watch-store';
import { verifyProcessor } from './verify/verify-jobs';
import { VerifyLauncher } from './verify/verify-launcher';
import { VERIFY_QUEUE } from './verify/verify-queue';
import { IncidentLinks } from './web/incident-links';
import { LinkGenerations, RevocableLinks } from './web/link-generations';
import { WebPages } from './web/web-pages';

/** `app` takes slash commands and clicks, `worker` runs jobs and posts; `all` is both in one process. */
export type Role = 'app' | 'worker' | 'all';

export interface WarroomOptions {
  env: WarroomEnv;
  config: Config;
  role: Role;
  log: Logger;
  registry?: readonly Subcommand[];
  /** Where channel output goes; Slack's Web API unless given (the shell passes its terminal). */
  sink?: ChatSink;
  /** The shell runs without a Slack app. */
  withSlack?: boolean;
  /** Google Cloud access; built from the environment (ADC, or GCP_EMULATOR_HOST) unless given. */
  gateway?: CloudGateway;
  /** Per-check deadline of a diag run (default 20 s). */
  checkDeadlineMs?: number;
  /** Channel, invite and DM operations; Slack's Web API unless given (the shell passes its own). */
  workspace?: SlackWorkspace;
  /** The shell's clock can be moved forward to show timers; the system clock otherwise. */
  clock?: Clock;
  /** How remediation polls Cloud Run; tests shorten it. */
  remediationTiming?: Partial<RemediationTiming>;
  /** Between two verifications of a watch (default 1 min); tests shorten it. */
  watchEveryMs?: number;
  /** The health criterion's threshold (default 10 s); tests shorten it. */
  healthThresholdMs?: number;
}

export interface RunningWarroom {
  port: number;
  /** The port of the metrics listener (METRICS_PORT), when there is one. */
  metricsPort?: number;
  outbox: RedisOutbox;
  /** What adapters hand to dispatch, with the invocation. */
  commands: CommandBase;
  /** True when no job waits or runs and every message is delivered (delayed timers do not count). */
  isIdle(): Promise<boolean>;
  /** Runs now every timer (delayed job) due by `now`: the shell's `/clock` moves time forward. */
  runTimersDueBy(now: Date): Promise<number>;
  /** Stops taking work, finishes or hands back what runs, closes connections. */
  stop(): Promise<void>;
}

const SHUTDOWN_DEADLINE_MS = 8000;
const DEFAULT_CHECK_DEADLINE_MS = 20_000;

export async function startWarroom(options: WarroomOptions): Promise<RunningWarroom> {
  const { env, config, role, log } = options;
  const registry = options.registry ?? defaultRegistry;
  const prefix = hashTagPrefix(config.queue.prefix);
  const checkDeadlineMs = options.checkDeadlineMs ?? DEFAULT_CHECK_DEADLINE_MS;
  const takesCommands = role !== 'worker';
  const runsJobs = role !== 'app';
  const openAccess = takesCommands ? openAccessWarning(config) : undefined;
  if (openAccess) log.warn(openAccess);

  const producer = takesCommands ? createRedisConnection(env.redisUrl, 'producer', log) : undefined;
  // One connection reports Redis going away and coming back, so an outage is one log line, not one per connection.
  const workerRedis = runsJobs
    ? createRedisConnection(env.redisUrl, 'worker', log, { reportAvailability: !producer })
    : undefined;
  const redis = (producer ?? workerRedis) as Redis;
  const outbox = new RedisOutbox({ redis: workerRedis ?? redis, prefix });
  const store = new RedisDiagRunStore(workerRedis ?? redis, prefix);
  const startQueue = createQueue<DiagStartJobData>(DIAG_START_QUEUE, redis, config.queue.prefix);
  const incidentQueue = createQueue(INCIDENT_QUEUE, redis, config.queue.prefix);
  const clock = options.clock ?? systemClock;
  // Page links: signed with the web secret, revocable per incident (and for the list) in Redis.
  const links = env.web
    ? new RevocableLinks(
        new IncidentLinks(env.web.publicUrl, env.web.secret, () => clock.now()),
        new LinkGenerations(redis, prefix),
      )
    : undefined;
  const incidentDeps: IncidentDeps = {
    ...(links ? { links } : {}),
    store: new RedisIncidentStore(workerRedis ?? redis, prefix, {
      onWarning: (w) => log.warn(w, 'incident store'),
    }),
    outbox,
    queue: incidentQueue,
    config,
    clock,
    log: log.child({ component: 'incident' }),
  };
  const remediationQueue = createQueue(REMEDIATION_QUEUE, redis, config.queue.prefix);
  const verifyQueue = createQueue(VERIFY_QUEUE, redis, config.queue.prefix);
  const watchEveryMs = options.watchEveryMs ?? 60_000;
  const queues: Queue[] = [
    startQueue,
    incidentQueue,
    remediationQueue,
    verifyQueue,
    createQueue(DIAG_QUEUE, redis, config.queue.prefix),
    createQueue(DIAG_CHECK_QUEUE, redis, config.queue.prefix),
  ];
  const metrics = new WarroomMetrics({ subcommands: registry.map((c) => c.name) });
  metrics.watchQueues(queues);
  const workers: Worker[] = [];
  let drainer: OutboxDrainer | undefined;
  let gateway: (CloudGateway & { close?: () => Promise<void> }) | undefined;
  let flows: FlowProducer | undefined;
  if (runsJobs && workerRedis) {
    gateway =
      options.gateway ??
      GoogleCloudGateway.create({
        emulator: env.gcpEmulator,
        logger: log.child({ component: 'gcp' }),
        observer: metrics,
      });
    flows = new FlowProducer({ connection: workerRedis, prefix });
    flows.on('error', () => {}); // reported by the connection; the job fails and is retried
    const deps = {
      store,
      flows,
      outbox,
      gateway,
      config,
      log,
      env: process.env,
      checkDeadlineMs,
      incidents: incidentDeps.store,
    };
    const workerOptions = {
      connection: workerRedis,
      prefix: config.queue.prefix,
      concurrency: config.queue.concurrency,
      log,
      observer: metrics,
    };
    const jobClock = { clock, log, config, outbox, incidents: incidentDeps.store, gateway };
    const remediationDeps = {
      ...jobClock,
      store: new RedisRemediationStore(workerRedis, prefix),
      log: log.child({ component: 'remediation' }),
      timing: { ...DEFAULT_REMEDIATION_TIMING, ...options.remediationTiming },
    };
    const remediationWorker = createWorker(
      REMEDIATION_QUEUE,
      remediationProcessor(remediationDeps),
      workerOptions,
    );
    // A job BullMQ gives up on (it stalled too often, or threw on its last attempt) ends its request.
    remediationWorker.on('failed', (job, error) => {
      if (job?.name !== 'execute' || job.attemptsMade < (job.opts.attempts ?? 1)) return;
      void abandonRequest(
        remediationDeps,
        (job.data as { requestId: string }).requestId,
        error.message,
      ).catch(() => {});
    });
    workers.push(
      remediationWorker,
      createWorker(
        VERIFY_QUEUE,
        verifyProcessor({
          ...jobClock,
          queue: verifyQueue,
          incidentQueue,
          watches: new RedisWatchStore(workerRedis, prefix),
          log: log.child({ component: 'verify' }),
          env: process.env,
          ...(options.healthThresholdMs ? { healthThresholdMs: options.healthThresholdMs } : {}),
        }),
        workerOptions,
      ),
      createWorker<DiagStartJobData>(DIAG_START_QUEUE, diagStartProcessor(deps), workerOptions),
      createWorker<DiagCheckJobData>(DIAG_CHECK_QUEUE, diagCheckProcessor(deps), workerOptions),
      createWorker<DiagRunJobData>(DIAG_QUEUE, diagRunProcessor(deps), workerOptions),
      createWorker(
        INCIDENT_QUEUE,
        incidentProcessor({ ...incidentDeps, workspace: options.workspace ?? slackWorkspace(env, log) }),
        workerOptions,
      ),
    );
    const sink = options.sink ?? slackSink(env, log, metrics);
    drainer = new OutboxDrainer({
      redis: workerRedis,
      prefix,
      sink,
      logger: log.child({ component: 'outbox' }),
    });
    drainer.start();
  }

  const launcher = new DiagLauncher({
    redis: producer ?? redis,
    store: new RedisDiagRunStore(producer ?? redis, prefix),
    startQueue,
    activeTtlMs: checkDeadlineMs * 3 + 30_000,
  });
  const deskRedis = producer ?? redis;
  const deskIncidents = new RedisIncidentStore(deskRedis, prefix, {
    onWarning: (w) => log.warn(w, 'incident store'),
  });
  const deskOutbox = new RedisOutbox({ redis: deskRedis, prefix });
  const verifyLauncher = new VerifyLauncher({
    redis: deskRedis,
    queue: verifyQueue,
    watches: new RedisWatchStore(deskRedis, prefix),
    incidents: deskIncidents,
    outbox: deskOutbox,
    clock,
    watchEveryMs,
  });
  const desk = new IncidentDesk({
    ...incidentDeps,
    redis: deskRedis,
    store: deskIncidents,
    outbox: deskOutbox,
    onClose: (incidentId) => verifyLauncher.stopWatches(incidentId, 'the incident closed'),
  });
  const accessLists = new AccessPolicy({
    redis: deskRedis,
    prefix,
    ...(options.workspace
      ? { workspace: options.workspace }
      : env.slack.botToken
        ? { workspace: slackWorkspace(env, log) }
        : {}),
  });
  const remediation = new RemediationDesk({
    redis: deskRedis,
    store: new RedisRemediationStore(deskRedis, prefix),
    queue: remediationQueue,
    outbox: deskOutbox,
    incidents: deskIncidents,
    clock,
    log: log.child({ component: 'remediation' }),
  });
  const commands: CommandBase = {
    config,
    registry,
    log,
    services: {
      diag: launcher,
      incidents: desk,
      remediation,
      verify: verifyLauncher,
      access: new ConfiguredAccessGate({ config, lists: accessLists, incidents: desk }),
      ...(links ? { pages: links } : {}),
    },
  };

  let slack: SlackApp | undefined;
  if (takesCommands && options.withSlack !== false) {
    if (env.slackMode === 'none' || !env.slack.botToken) throw new Error('Slack credentials are missing');
    slack = createSlackApp({
      mode: env.slackMode,
      botToken: env.slack.botToken,
      appToken: env.slack.appToken,
      signingSecret: env.slack.signingSecret,
      apiUrl: env.slack.apiUrl,
      log,
      commands,
      ackObserver: metrics,
    });
  }

  const readiness: ReadinessCheck[] = [
    { name: 'config', check: async () => ({ ready: true }) },
    {
      name: 'redis',
      check: async () =>
        (await redisAnswers(redis))
          ? { ready: true }
          : {
              ready: false,
              reason: `Redis does not answer (connection ${redis.status}); check REDIS_URL and that Redis runs`,
            },
    },
  ];
  // The incident pages share the port; with no WARROOM_WEB_SECRET they are off (and not routed).
  const web = links
    ? new WebPages({
        links,
        incidents: deskIncidents,
        diagRuns: new RedisDiagRunStore(deskRedis, prefix),
        config,
        now: () => clock.now(),
        log: log.child({ component: 'web' }),
      })
    : undefined;
  const http = await startHttpSurface({
    port: env.port,
    ...(env.metricsListener ? { metricsListener: env.metricsListener } : {}),
    ...(env.metricsToken ? { metricsToken: env.metricsToken } : {}),
    metrics,
    readiness,
    routes: [
      ...(slack?.route ? [slack.route] : []),
      ...(web ? [incidentPagesRoute(web)] : []),
      ...adminQueuesRoutes({ token: env.adminToken, queues, log: log.child({ component: 'admin' }) }),
    ],
    log: log.child({ component: 'http' }),
  });
  const { port, metricsPort } = http;
  if (slack?.route && !env.metricsListener && !env.metricsToken) {
    log.warn(
      'GET /metrics and the reasons of GET /readyz are served on the public port, to anyone who reaches it. To resolve, set METRICS_PORT to serve them on a listener of their own (bound to 127.0.0.1 unless METRICS_HOST says otherwise), and METRICS_TOKEN to ask for a bearer token.',
    );
  }
  await slack?.start();
  log.info({ role, port, metricsPort, slackMode: slack ? env.slackMode : 'off' }, 'Warroom started');

  return {
    port,
    ...(metricsPort !== undefined ? { metricsPort } : {}),
    outbox,
    commands,
    async runTimersDueBy(now: Date) {
      let promoted = 0;
      for (const queue of queues) {
        for (const job of await queue.getDelayed()) {
          if (job.timestamp + (job.opts.delay ?? 0) <= now.getTime()) {
            await job.promote();
            promoted++;
          }
        }
      }
      return promoted;
    },
    async isIdle() {
      if ((await outbox.pendingCount()) > 0) return false;
      const counts = await Promise.all(
        queues.map((q) => q.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children')),
      );
      return counts.every((c) => Object.values(c).every((n) => n === 0));
    },
    async stop() {
      web?.close();
      const closing = http.close();
      await slack?.stop();
      const handed = await closeWorkers(workers, SHUTDOWN_DEADLINE_MS);
      await drainer?.stop();
      await closing;
      // A connection that Redis already dropped makes a close reject; nothing is left to release then.
      const closed = await Promise.allSettled([
        flows?.close(),
        ...queues.map((q) => q.close()),
        gateway?.close?.(),
      ]);
      for (const result of closed) {
        if (result.status === 'rejected')
          log.warn({ reason: (result.reason as Error)?.message }, 'a connection did not close cleanly');
      }
      await Promise.all([producer, workerRedis].map((r) => r?.quit().catch(() => r.disconnect())));
      log.info({ jobs: handed }, 'Warroom stopped');
    },
  };
}

function slackWorkspace(env: WarroomEnv, log: Logger): SlackWorkspace {
  if (!env.slack.botToken) throw new Error('SLACK_BOT_TOKEN is required to manage incident channels');
  return createWebApiWorkspace({
    token: env.slack.botToken,
    slackApiUrl: env.slack.apiUrl,
    logger: boltLogger(log),
  });
}

function slackSink(env: WarroomEnv, log: Logger, observer: SlackCallObserver): ChatSink {
  if (!env.slack.botToken) throw new Error('SLACK_BOT_TOKEN is required to post to Slack');
  const options = { token: env.slack.botToken, slackApiUrl: env.slack.apiUrl, logger: boltLogger(log) };
  const client = createSlackWebClient(options);
  return new SlackChatSink(client, createSlackWebClient({ ...options, retry: false }), observer);
}
