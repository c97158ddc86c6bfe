import { type Route, sendJson } from './http-server';

/** Something readiness depends on; `reason` says what to fix when it is not ready. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<{ ready: true } | { ready: false; reason: string }>;
}

/** `GET /healthz`: 200 while the process runs (liveness). */
export const livenessRoute: Route = {
  methods: ['GET'],
  path: '/healthz',
  handler: (_req, res) => sendJson(res, 200, { status: 'ok' }),
};

/**
 * `GET /readyz`: 200 only when every dependency answers, else 503 (readiness: take the instance
 * out of rotation), with the reasons unless `reasons` is false: they name the configuration and
 * the state of Redis, which the public port need not tell.
 */
export function readinessRoute(checks: readonly ReadinessCheck[], options: { reasons: boolean }): Route {
  return {
    methods: ['GET'],
    path: '/readyz',
    handler: async (_req, res) => {
      const results = await Promise.all(checks.map(async (c) => ({ name: c.name, ...(await c.check()) })));
      const failing = results.filter((r) => !r.ready);
      if (failing.length === 0) return sendJson(res, 200, { status: 'ready' });
      if (!options.reasons) return sendJson(res, 503, { status: 'not ready' });
      sendJson(res, 503, {
        status: 'not ready',
        reasons: failing.map((r) => `${r.name}: ${'reason' in r ? r.reason : 'not ready'}`),
      });
    },
  };
}
