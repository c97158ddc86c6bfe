import type { Route } from '../http/http-server';

/** What `/metrics` serves: a `WarroomMetrics` fits. */
export interface MetricsSource {
  readonly contentType: string;
  render(): Promise<string>;
}

/** `GET /metrics` in Prometheus' text format, on the bot's one HTTP port. */
export function metricsRoutes(source: MetricsSource): Route[] {
  return [
    {
      method: 'GET',
      path: '/metrics',
      handler: async (_req, res) => {
        const body = await source.render();
        res.writeHead(200, { 'content-type': source.contentType, 'cache-control': 'no-store' });
        res.end(body);
      },
    },
  ];
}
