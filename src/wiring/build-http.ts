import type { Queue } from 'bullmq';
import type { Config } from '../config/schema';
import type { WarroomEnv } from '../config/warroom-env';
import { adminQueuesRoutes } from '../http/admin-queues';
import type { ReadinessCheck } from '../http/health-routes';
import type { Route } from '../http/http-server';
import { type HttpSurface, incidentPagesRoute, startHttpSurface } from '../http/http-surface';
import type { Clock } from '../incident/clock';
import type { Logger } from '../log/logger';
import type { WarroomMetrics } from '../metrics/warroom-metrics';
import type { RedisClient } from '../queue/redis-client';
import { redisAnswers } from '../queue/redis-connection';
import type { PeopleDirectory } from '../slack/people-directory';
import type { RevocableLinks } from '../web/link-generations';
import { WebPages } from '../web/web-pages';
import type { Stores } from './build-stores';

export interface HttpSideOptions {
  env: WarroomEnv;
  config: Config;
  log: Logger;
  /** The connection readiness asks, and the incident pages read through (`stores`). */
  redis: RedisClient;
  stores: Stores;
  queues: readonly Queue[];
  clock: Clock;
  metrics: WarroomMetrics;
  /** Slack's `POST /slack/events`, in HTTP mode. */
  slackRoute?: Route;
  /** PagerDuty's `POST /webhooks/pagerduty`, when PAGERDUTY_WEBHOOK_SECRET is set. */
  pagerDutyRoute?: Route;
  /** The incident pages are served when links are signed (WARROOM_WEB_SECRET). */
  links?: RevocableLinks;
  /** What `/readyz` checks besides the config and Redis. */
  readiness: readonly ReadinessCheck[];
  /** Display names of the people on the pages (Slack's users.info and usergroups.list, cached). */
  people?: PeopleDirectory;
}

/**
 * `/healthz`, `/readyz`, `/metrics`, Slack's endpoint, PagerDuty's webhooks, the incident pages and
 * the queue dashboard.
 */
export async function buildHttp(options: HttpSideOptions): Promise<HttpSurface> {
  const { env, log, redis, links } = options;
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
    ...options.readiness,
  ];
  const people = options.people;
  const web = links
    ? new WebPages({
        links,
        incidents: options.stores.incidents,
        diagRuns: options.stores.diagRuns,
        config: options.config,
        now: () => options.clock.now(),
        log: log.child({ component: 'web' }),
        ...(people ? { names: (ids: readonly string[]) => people.namesOf(ids) } : {}),
      })
    : undefined;
  const http = await startHttpSurface({
    port: env.port,
    ...(env.metricsListener ? { metricsListener: env.metricsListener } : {}),
    ...(env.metricsToken ? { metricsToken: env.metricsToken } : {}),
    metrics: options.metrics,
    readiness,
    routes: [
      ...(options.slackRoute ? [options.slackRoute] : []),
      ...(options.pagerDutyRoute ? [options.pagerDutyRoute] : []),
      ...(web ? [incidentPagesRoute(web)] : []),
      ...adminQueuesRoutes({
        token: env.adminToken,
        queues: options.queues,
        log: log.child({ component: 'admin' }),
      }),
    ],
    log: log.child({ component: 'http' }),
  });
  if (options.slackRoute && !env.metricsListener && !env.metricsToken) {
    log.warn(
      'GET /metrics and the reasons of GET /readyz are served on the public port, to anyone who reaches it. To resolve, set METRICS_PORT to serve them on a listener of their own (bound to 127.0.0.1 unless METRICS_HOST says otherwise), and METRICS_TOKEN to ask for a bearer token.',
    );
  }
  return {
    ...http,
    async close() {
      web?.close();
      await http.close();
    },
  };
}
