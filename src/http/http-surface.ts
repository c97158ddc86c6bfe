import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log/logger';
import { type MetricsSource, metricsRoute } from '../metrics/metrics-route';
import { livenessRoute, type ReadinessCheck, readinessRoute } from './health-routes';
import { closeServer, createHttpServer, listen, notFound, type Route } from './http-server';

export interface HttpSurfaceOptions {
  /** PORT: the public port. */
  port: number;
  /** METRICS_PORT and METRICS_HOST: a listener of its own for `/metrics` and `/readyz` with reasons. */
  metricsListener?: { port: number; host: string };
  /** METRICS_TOKEN: `/metrics` asks for it as a bearer token, wherever it is served. */
  metricsToken?: string;
  metrics: MetricsSource;
  readiness: readonly ReadinessCheck[];
  /** What else the public port serves: Slack's endpoint, the incident pages, the queue dashboard. */
  routes: readonly Route[];
  log: Logger;
}

export interface HttpSurface {
  port: number;
  /** The metrics listener's port, when there is one. */
  metricsPort?: number;
  close(): Promise<void>;
}

/**
 * The bot's HTTP listeners. The public port serves `/healthz`, `/readyz` and `routes`, and
 * `/metrics` unless a metrics listener is configured: then `/metrics` and the reasons of `/readyz`
 * are served there only (the public `/readyz` gives its status alone, `/metrics` answers 404).
 */
export async function startHttpSurface(options: HttpSurfaceOptions): Promise<HttpSurface> {
  const { metricsListener, log } = options;
  const metrics = metricsRoute(options.metrics, options.metricsToken);
  const readiness = (reasons: boolean) => readinessRoute(options.readiness, { reasons });
  const separate = metricsListener !== undefined;
  const server = createHttpServer(
    [livenessRoute, readiness(!separate), ...(separate ? [] : [metrics]), ...options.routes],
    log,
  );
  const port = await listen(server, options.port);
  if (!metricsListener) return { port, close: () => closeServer(server) };
  const internal = createHttpServer([metrics, readiness(true)], log);
  const metricsPort = await listen(internal, metricsListener.port, metricsListener.host).catch(
    async (error: Error) => {
      await closeServer(server);
      throw new Error(
        `METRICS_PORT ${metricsListener.port} on ${metricsListener.host} cannot be listened on (${error.message}); choose another port or host.`,
      );
    },
  );
  return {
    port,
    metricsPort,
    close: async () => {
      await Promise.all([closeServer(server), closeServer(internal)]);
    },
  };
}

/** The incident pages (`/incidents…`, GET only); paths below them they do not answer get 404. */
export function incidentPagesRoute(pages: {
  handles(req: IncomingMessage): boolean;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}): Route {
  return {
    methods: ['GET'],
    path: '/incidents',
    prefix: true,
    handler: (req, res) => (pages.handles(req) ? pages.handle(req, res) : notFound(req, res)),
  };
}
