import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Queue } from 'bullmq';
import type { Logger } from '../log/logger';
import { onceInAWhile } from '../queue/queues';
import { ADMIN_PATH, authorizeAdmin, denialText } from './admin-auth';
import { type Route, type RouteHandler, sendJson } from './http-server';

export interface AdminQueuesOptions {
  /** WARROOM_ADMIN_TOKEN; without it the dashboard is off and its path answers 404. */
  token: string | undefined;
  queues: readonly Queue[];
  log: Logger;
}

/**
 * `/admin/queues` and everything below it: bull-board's dashboard of every queue, behind the admin
 * token (see `authorizeAdmin`). bull-board is loaded on the first authorised request, not at
 * start-up: cold start stays as it was, and with no token it is never loaded.
 */
export function adminQueuesRoutes(options: AdminQueuesOptions): Route[] {
  const { token } = options;
  // Not routed at all without the token: every method on the path answers 404.
  if (!token) return [];
  let board: Promise<RouteHandler> | undefined;
  // A scanner probing the path would otherwise write a line per request.
  const reportRefusal = onceInAWhile((reason) =>
    options.log.warn({ path: ADMIN_PATH, reason }, 'queue dashboard refused a request'),
  );
  const route: Route = {
    // What bull-board's app and API use.
    methods: ['GET', 'POST', 'PUT', 'PATCH'],
    path: ADMIN_PATH,
    prefix: true,
    handler: async (req, res) => {
      const decision = authorizeAdmin({ url: req.url ?? ADMIN_PATH, headers: req.headers }, token);
      if (decision.kind === 'deny') {
        reportRefusal(decision.reason);
        res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end(denialText(decision.reason));
        return;
      }
      if (decision.kind === 'redirect') {
        res.writeHead(303, { location: decision.location, 'set-cookie': decision.setCookie });
        res.end();
        return;
      }
      board ??= loadBoard(options.queues);
      // Retry the load on the next request if it failed (it only fails if the install is broken).
      const handler = await board.catch((error: unknown) => {
        board = undefined;
        throw error;
      });
      await handler(req, res);
    },
  };
  return [route];
}

/** bull-board's Express app, answering paths relative to ADMIN_PATH. */
async function loadBoard(queues: readonly Queue[]): Promise<RouteHandler> {
  const [{ createBullBoard }, { BullMQAdapter }, { ExpressAdapter }] = await Promise.all([
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
    import('@bull-board/express'),
  ]);
  const serverAdapter = new ExpressAdapter().setBasePath(ADMIN_PATH);
  createBullBoard({ queues: queues.map((queue) => new BullMQAdapter(queue)), serverAdapter });
  const app = serverAdapter.getRouter() as (
    req: IncomingMessage,
    res: ServerResponse,
    next: (error?: unknown) => void,
  ) => void;
  // The app is mounted the way Express mounts a sub-app: it sees the path below the prefix.
  return (req, res) =>
    new Promise<void>((resolve, reject) => {
      req.url = req.url?.slice(ADMIN_PATH.length) || '/';
      if (!req.url.startsWith('/')) req.url = `/${req.url}`;
      res.once('finish', () => resolve());
      res.once('close', () => resolve());
      app(req, res, (error) => {
        if (error) return reject(error);
        sendJson(res, 404, { error: 'not found' });
      });
    });
}
