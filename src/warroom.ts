import { registry as defaultRegistry } from '../commands';
import type { ChatSink } from './chat/chat-sink';
import type { Config } from './config/schema';
import type { WarroomEnv } from './config/warroom-env';
import type { CloudGateway } from './gcp/cloud-gateway';
import type { ReadinessCheck } from './http/health-routes';
import { type Clock, systemClock } from './incident/clock';
import type { Logger } from './log/logger';
import { WarroomMetrics } from './metrics/warroom-metrics';
import { HttpPagerDutyEvents, type PagerDutyEvents } from './pagerduty/pagerduty-events';
import { pagerDutyWebhookRoute } from './pagerduty/pagerduty-webhook-route';
import { recordWebhookEvent } from './pagerduty/record-webhook-event';
import { unsetRoutingKeysWarning } from './pagerduty/unset-routing-keys';
import { KeyPrefix } from './queue/key-prefix';
import { replicaConfirmation } from './queue/replica-confirmation';
import { DEFAULT_REMEDIATION_TIMING, type RemediationTiming } from './remediation/remediation-job-deps';
import { openAccessWarning } from './router/access';
import type { CommandBase, Subcommand } from './router/subcommand';
import { PeopleDirectory, slackNamesOf } from './slack/people-directory';
import type { SlackWorkspace } from './slack/slack-workspace';
import { IncidentLinks } from './web/incident-links';
import { LinkGenerations, RevocableLinks } from './web/link-generations';
import { buildCommandSide } from './wiring/build-command-side';
import { buildHttp } from './wiring/build-http';
import { buildQueues } from './wiring/build-queues';
import { slackAdapter, slackSink, slackWorkspace } from './wiring/build-slack';
import { buildStores } from './wiring/build-stores';
import { buildWorkers, type WorkerSide } from './wiring/build-workers';
import { openConnections } from './wiring/open-connections';
import type { Role } from './wiring/role';
import { incidentCore } from './wiring/side-options';
import { waitUntilIdle } from './wiring/wait-until-idle';

export type { Role } from './wiring/role';

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
  /**
   * False in a worker process started by `--role all`: its parent serves HTTP, asks it for its
   * metrics and counts the queues' jobs, so it listens on no port.
   */
  serveHttp?: boolean;
  /** More for `/readyz` to check (the parent's worker processes). */
  readiness?: readonly ReadinessCheck[];
  /** Where PagerDuty events go; PAGERDUTY_EVENTS_URL unless given (the shell prints them). */
  pagerDutyEvents?: PagerDutyEvents;
}

export interface RunningWarroom {
  /** The HTTP port; 0 when `serveHttp` is false. */
  port: number;
  /** The port of the metrics listener (METRICS_PORT), when there is one. */
  metricsPort?: number;
  /** What adapters hand to dispatch, with the invocation. */
  commands: CommandBase;
  metrics: WarroomMetrics;
  /** True when no job waits or runs and every message is delivered (delayed timers do not count). */
  isIdle(): Promise<boolean>;
  /** Resolves true once idle three looks in a row, false at the timeout. */
  waitUntilIdle(timeoutMs?: number): Promise<boolean>;
  /** Runs now every timer (delayed job) due by `now`: the shell's `/clock` moves time forward. */
  runTimersDueBy(now: Date): Promise<number>;
  /** Stops taking work, finishes or hands back what runs, closes connections. */
  stop(): Promise<void>;
}

const SHUTDOWN_DEADLINE_MS = 8000;
const DEFAULT_CHECK_DEADLINE_MS = 20_000;

/**
 * The composition root: config → connections → stores → command side → workers → HTTP. Every
 * connection, store and queue is built here once and handed to what uses it.
 */
export async function startWarroom(options: WarroomOptions): Promise<RunningWarroom> {
  const { env, config, role, log } = options;
  const registry = options.registry ?? defaultRegistry;
  const prefix = KeyPrefix.of(config.queue.prefix);
  const clock = options.clock ?? systemClock;
  const checkDeadlineMs = options.checkDeadlineMs ?? DEFAULT_CHECK_DEADLINE_MS;
  const takesCommands = role !== 'worker';
  const openAccess = takesCommands ? openAccessWarning(config) : undefined;
  if (openAccess) log.warn(openAccess);
  const unsetKeys = unsetRoutingKeysWarning(config, env.variables);
  if (unsetKeys) log.warn(unsetKeys);

  const connections = openConnections(env.redis, role, log);
  const stores = buildStores(connections.shared, prefix, log);
  const queues = buildQueues(connections.shared, prefix);
  const metrics = new WarroomMetrics({ subcommands: registry.map((c) => c.name) });
  const serveHttp = options.serveHttp !== false;
  if (serveHttp) metrics.watchQueues(queues.all);
  const workspace = options.workspace ?? slackWorkspace(env, log);
  // Page links: signed with the web secret, revocable per incident (and for the list) in Redis.
  const links = env.web
    ? new RevocableLinks(
        new IncidentLinks(env.web.publicUrl, env.web.secret, () => clock.now()),
        new LinkGenerations(connections.shared, prefix),
      )
    : undefined;

  const pagerDuty = {
    events: options.pagerDutyEvents ?? new HttpPagerDutyEvents(env.pagerduty.eventsUrl),
    variables: env.variables,
  };
  const commands = buildCommandSide({
    config,
    registry,
    log,
    redis: connections.shared,
    prefix,
    stores,
    queues,
    clock,
    pagerDuty,
    ...(links ? { links } : {}),
    ...(workspace ? { workspace } : {}),
    confirmation: replicaConfirmation(connections.shared, env.redis),
    diagActiveTtlMs: checkDeadlineMs * 3 + 30_000,
    watchEveryMs: options.watchEveryMs ?? 60_000,
  });
  const slack =
    takesCommands && options.withSlack !== false
      ? await slackAdapter(env, log, commands, metrics)
      : undefined;

  // The jobs' stores use the jobs' connection; in a worker it is the only one, so nothing is built twice.
  const jobStores =
    connections.jobs && connections.jobs !== connections.shared
      ? buildStores(connections.jobs, prefix, log)
      : stores;
  let workers: WorkerSide | undefined;
  let gateway: (CloudGateway & { close?: () => Promise<void> }) | undefined;
  if (connections.jobs) {
    if (!workspace) throw new Error('SLACK_BOT_TOKEN is required to manage incident channels');
    gateway = options.gateway ?? (await googleCloudGateway(env, log, metrics));
    workers = buildWorkers({
      config,
      log,
      redis: connections.jobs,
      prefix,
      stores: jobStores,
      queues,
      clock,
      pagerDuty,
      gateway,
      workspace,
      sink: options.sink ?? slackSink(env, log, metrics),
      ...(links ? { links } : {}),
      observer: metrics,
      variables: env.variables,
      checkDeadlineMs,
      remediationTiming: { ...DEFAULT_REMEDIATION_TIMING, ...options.remediationTiming },
      ...(options.healthThresholdMs ? { healthThresholdMs: options.healthThresholdMs } : {}),
    });
  }

  // PagerDuty's webhooks are recorded like Slack's clicks: Redis only, through the app's connection.
  const webhookSecret = serveHttp ? env.pagerduty.webhookSecret : undefined;
  const pagerDutyRoute = webhookSecret
    ? pagerDutyWebhooks(webhookSecret, log, {
        ...incidentCore({ config, log, redis: connections.shared, prefix, stores, queues, clock }),
        pagerDuty: { ...pagerDuty, store: stores.pagerDuty },
      })
    : undefined;
  const http = serveHttp
    ? await buildHttp({
        env,
        config,
        log,
        redis: connections.shared,
        stores,
        queues: queues.all,
        clock,
        metrics,
        ...(slack?.route ? { slackRoute: slack.route } : {}),
        ...(pagerDutyRoute ? { pagerDutyRoute } : {}),
        ...(links ? { links } : {}),
        readiness: options.readiness ?? [],
        people: new PeopleDirectory({ redis: connections.shared, prefix, slack: slackNamesOf(workspace) }),
      })
    : undefined;
  await slack?.start();
  log.info(
    { role, port: http?.port, metricsPort: http?.metricsPort, slackMode: slack ? env.slackMode : 'off' },
    // A worker process of `--role all` says so: "Warroom started" is the line that carries the port.
    http ? 'Warroom started' : 'worker process started',
  );

  // Through the jobs' connection when there is one: it queues commands while it connects, so a look
  // just after start waits for Redis instead of failing as the ack path's connection does.
  const isIdle = async () => {
    if ((await jobStores.outbox.pendingCount()) > 0) return false;
    const counts = await Promise.all(
      queues.all.map((q) => q.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children')),
    );
    return counts.every((c) => Object.values(c).every((n) => n === 0));
  };
  return {
    port: http?.port ?? 0,
    ...(http?.metricsPort !== undefined ? { metricsPort: http.metricsPort } : {}),
    commands,
    metrics,
    isIdle,
    waitUntilIdle: (timeoutMs) => waitUntilIdle(isIdle, timeoutMs),
    async runTimersDueBy(now: Date) {
      let promoted = 0;
      for (const queue of queues.all) {
        for (const job of await queue.getDelayed()) {
          if (job.timestamp + (job.opts.delay ?? 0) <= now.getTime()) {
            await job.promote();
            promoted++;
          }
        }
      }
      return promoted;
    },
    async stop() {
      const closing = http?.close();
      await slack?.stop();
      const handed = await workers?.stop(SHUTDOWN_DEADLINE_MS);
      await closing;
      // A connection that Redis already dropped makes a close reject; nothing is left to release then.
      const closed = await Promise.allSettled([...queues.all.map((q) => q.close()), gateway?.close?.()]);
      for (const result of closed) {
        if (result.status === 'rejected')
          log.warn({ reason: (result.reason as Error)?.message }, 'a connection did not close cleanly');
      }
      await connections.close();
      log.info({ jobs: handed }, 'Warroom stopped');
    },
  };
}

/** Loaded only where jobs run: the Google clients take tens of MB the Slack app never needs. */
async function googleCloudGateway(env: WarroomEnv, log: Logger, metrics: WarroomMetrics) {
  const { GoogleCloudGateway } = await import('./gcp/google-cloud-gateway');
  return GoogleCloudGateway.create({
    emulator: env.gcpEmulator,
    logger: log.child({ component: 'gcp' }),
    observer: metrics,
  });
}

/** `POST /webhooks/pagerduty`: each verified event recorded through `deps`, built once. */
function pagerDutyWebhooks(secret: string, log: Logger, deps: Parameters<typeof recordWebhookEvent>[0]) {
  return pagerDutyWebhookRoute(
    secret,
    (event) => recordWebhookEvent(deps, event),
    log.child({ component: 'pagerduty' }),
  );
}
