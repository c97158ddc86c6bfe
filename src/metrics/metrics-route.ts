import { bearerToken, sameSecret } from '../http/bearer';
import type { Route } from '../http/http-server';

/** What `/metrics` serves: a `WarroomMetrics` fits. */
export interface MetricsSource {
  readonly contentType: string;
  render(): Promise<string>;
}

/**
 * `GET /metrics` in Prometheus' text format. With `token` (METRICS_TOKEN), only for
 * `Authorization: Bearer <token>`; anything else gets 401 and the scheme to use.
 */
export function metricsRoute(source: MetricsSource, token?: string): Route {
  return {
    methods: ['GET'],
    path: '/metrics',
    handler: async (req, res) => {
      const given = bearerToken(req.headers.authorization);
      if (token && (given === undefined || !sameSecret(given, token))) {
        res.writeHead(401, {
          'content-type': 'text/plain; charset=utf-8',
          'cache-control': 'no-store',
          'www-authenticate': 'Bearer realm="warroom metrics"',
        });
        res.end('Unauthorized: /metrics needs "Authorization: Bearer <METRICS_TOKEN>".\n');
        return;
      }
      const body = await source.render();
      res.writeHead(200, { 'content-type': source.contentType, 'cache-control': 'no-store' });
      res.end(body);
    },
  };
}
