import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
export interface Route {
  /** `*`: every method (a prefix route handing a whole subtree to another app). */
  method: 'GET' | 'POST' | '*';
  path: string;
  /** Also matches every path below `path/`. */
  prefix?: boolean;
  handler: RouteHandler;
}

/**
 * The bot's one HTTP port, in every mode and role: health endpoints and, in HTTP mode, Slack's
 * `POST /slack/events` (handed to `fallback`, Bolt's request listener).
 */
export function createHttpServer(routes: readonly Route[], fallback?: RouteHandler): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = routes.find(
      (r) =>
        (r.path === path || (r.prefix && path.startsWith(`${r.path}/`))) &&
        (r.method === '*' || r.method === req.method),
    );
    const handler = route?.handler ?? fallback ?? notFound;
    Promise.resolve(handler(req, res)).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.end();
    });
  });
}

/** The value of cookie `name` in a Cookie header, if it is there. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function notFound(_req: IncomingMessage, res: ServerResponse): void {
  sendJson(res, 404, { error: 'not found' });
}

export function listen(server: Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
