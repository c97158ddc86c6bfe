import { type Route, sendJson } from './http-server';

/** Something readiness depends on; `reason` says what to fix when it is not ready. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<{ ready: true } | { ready: false; reason: string }>;
}

/**
 * `/healthz` answers 200 while the process runs (liveness); `/readyz` answers 200 only when every
 * dependency answers, else 503 with the reasons (readiness: take the instance out of rotation).
 */
export function healthRoutes(checks: readonly ReadinessCheck[]): Route[] {
  return [
    { method: 'GET', path: '/healthz', handler: (_req, res) => sendJson(res, 200, { status: 'ok' }) },
    {
      method: 'GET',
      path: '/readyz',
      handler: async (_req, res) => {
        const results = await Promise.all(checks.map(async (c) => ({ name: c.name, ...(await c.check()) })));
        const failing = results.filter((r) => !r.ready);
        if (failing.length === 0) return sendJson(res, 200, { status: 'ready' });
        sendJson(res, 503, {
          status: 'not ready',
          reasons: failing.map((r) => `${r.name}: ${'reason' in r ? r.reason : 'not ready'}`),
        });
      },
    },
  ];
}
